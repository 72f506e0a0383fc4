"""Steps shared by the end-to-end tests."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable

import pytest

from simulator import DEMO_SMS_KEY, DEMO_VOICE_KEY

from .conftest import Stack


async def wait_for[T](
    check: Callable[[], Awaitable[T | None]], what: str, timeout: float = 45.0
) -> T:
    """Poll `check` until it returns something, or fail after `timeout` seconds."""
    try:
        async with asyncio.timeout(timeout):
            while (result := await check()) is None:
                await asyncio.sleep(0.5)
    except TimeoutError:
        pytest.fail(f"e2e: timed out after {timeout:.0f} s waiting for {what}")
    return result


async def add_entries(stack: Stack) -> tuple[str, str]:
    """Add one entry per service through the config flow; return their ids."""
    sms = await stack.hass.add_entry("sms_partner", DEMO_SMS_KEY)
    voice = await stack.hass.add_entry("voice_partner", DEMO_VOICE_KEY)
    assert sms["type"] == voice["type"] == "create_entry"
    assert sms["title"] == "SMS Partner (demo@example.com)"
    assert voice["title"] == "Voice Partner"
    assert sms["result"]["state"] == voice["result"]["state"] == "loaded"
    return sms["result"]["entry_id"], voice["result"]["entry_id"]
