"""Start-up against an API that hangs or refuses: the entry is retried, nothing blocks.

These tests use real aiohttp and Home Assistant's real client session against a
local server (tests/local_api.py). Instead of waiting the 10 s request timeout,
they fire Home Assistant's clock forward, which runs the timer aiohttp set.
On a real wire on purpose: only a real socket can hang, and only the real client's
timeout inside Home Assistant's session can end it.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Iterator
from datetime import timedelta
import logging
import socket
from typing import Any

import pytest
from pytest_homeassistant_custom_component.common import (
    MockConfigEntry,
    async_fire_time_changed,
)

from custom_components.smspartner.api import REQUEST_TIMEOUT, VoicePartnerClient
from custom_components.smspartner.product import Product
from homeassistant.config_entries import ConfigEntry, ConfigEntryState
from homeassistant.const import STATE_UNAVAILABLE
from homeassistant.core import HomeAssistant
from homeassistant.util import dt as dt_util

from .conftest import sms_entry, sms_payload, voice_entry, voice_payload
from .fault_helpers import states
from .local_api import LocalApi, Mode


def _state(entry: ConfigEntry) -> ConfigEntryState:
    """Return the entry's state now (mypy would keep an earlier assert's narrowing)."""
    return entry.state


def _fire(hass: HomeAssistant, seconds: float) -> None:
    """Run the timers due `seconds` from now (the clock is not frozen here)."""
    async_fire_time_changed(hass, dt_util.utcnow() + timedelta(seconds=seconds))


class Heartbeat:
    """A callback every 10 ms of real time: it only beats if the loop is free."""

    def __init__(self) -> None:
        """Start beating."""
        self.beats = 0
        self._loop = asyncio.get_running_loop()
        self._handle = self._loop.call_later(0.01, self._beat)

    def _beat(self) -> None:
        """Count a beat and schedule the next."""
        self.beats += 1
        self._handle = self._loop.call_later(0.01, self._beat)

    async def wait(self, beats: int) -> None:
        """Wait (at most 5 s) until the loop has run `beats` beats, then stop."""
        async with asyncio.timeout(5):
            while self.beats < beats:
                await asyncio.sleep(0.01)
        self._handle.cancel()


@pytest.fixture
def blocking_calls(
    hass: HomeAssistant, caplog: pytest.LogCaptureFixture
) -> Iterator[Callable[[], list[str]]]:
    """Report any callback that held the event loop for half the request timeout.

    asyncio's debug mode (on in these tests) logs such callbacks. A request made
    in a blocking way would hold the loop for the whole timeout; the threshold
    is high enough that a busy test machine never trips it.
    """
    caplog.set_level(logging.WARNING, "asyncio")
    default = hass.loop.slow_callback_duration
    hass.loop.slow_callback_duration = REQUEST_TIMEOUT / 2

    def reports() -> list[str]:
        return [
            record.getMessage()
            for record in caplog.records
            if record.name == "asyncio" and "took" in record.getMessage()
        ]

    yield reports
    hass.loop.slow_callback_duration = default


SERVICES: dict[str, tuple[Callable[[], MockConfigEntry], Callable[[], Any]]] = {
    Product.SMS_PARTNER: (sms_entry, sms_payload),
    Product.VOICE_PARTNER: (voice_entry, voice_payload),
}


@pytest.mark.parametrize(
    ("service", "mode"),
    [
        pytest.param(Product.VOICE_PARTNER, Mode.HANG, id="voice-no answer"),
        pytest.param(Product.VOICE_PARTNER, Mode.HALF_BODY, id="voice-half a body"),
        pytest.param(Product.SMS_PARTNER, Mode.HANG, id="sms-no answer"),
    ],
)
async def test_set_up_against_a_hanging_api(
    hass: HomeAssistant,
    local_api: LocalApi,
    blocking_calls: Callable[[], list[str]],
    service: str,
    mode: Mode,
) -> None:
    """Set-up ends at the request timeout with a retry, and the loop stays free."""
    make_entry, payload = SERVICES[service]
    local_api.answer(payload())
    local_api.answer_hourly_reads()
    local_api.mode = mode
    entry = make_entry()
    entry.add_to_hass(hass)
    setup = hass.async_create_task(hass.config_entries.async_setup(entry.entry_id))
    async with asyncio.timeout(5):
        await local_api.received.wait()

    # While the request hangs the loop runs other work.
    await Heartbeat().wait(beats=5)
    assert not setup.done()
    assert _state(entry) is ConfigEntryState.SETUP_IN_PROGRESS

    # A second before the request timeout the set-up still waits; after it, it ends.
    _fire(hass, REQUEST_TIMEOUT - 1)
    await asyncio.sleep(0)
    assert not setup.done()
    _fire(hass, REQUEST_TIMEOUT + 1)
    async with asyncio.timeout(5):
        assert await setup is False
    assert _state(entry) is ConfigEntryState.SETUP_RETRY
    assert len(local_api.requests) == 1
    credit_path = local_api.requests[0].split(" ")[1].split("?")[0]

    # Home Assistant retries later; by then the API answers.
    local_api.mode = Mode.ANSWER
    _fire(hass, 60)
    await hass.async_block_till_done(wait_background_tasks=True)
    assert _state(entry) is ConfigEntryState.LOADED
    assert len(local_api.requests_to(credit_path)) == 2
    assert STATE_UNAVAILABLE not in states(hass, entry).values()
    assert blocking_calls() == []


async def test_set_up_against_a_closed_port(
    hass: HomeAssistant, socket_enabled: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A refused connection ends the set-up at once with a retry."""
    with socket.socket() as unused:
        unused.bind(("127.0.0.1", 0))
        port = unused.getsockname()[1]
    monkeypatch.setattr(VoicePartnerClient, "base_url", f"http://127.0.0.1:{port}/v1")
    entry = voice_entry()
    entry.add_to_hass(hass)
    async with asyncio.timeout(5):
        assert not await hass.config_entries.async_setup(entry.entry_id)
    assert entry.state is ConfigEntryState.SETUP_RETRY


async def test_poll_against_a_hanging_api(
    hass: HomeAssistant,
    local_api: LocalApi,
    blocking_calls: Callable[[], list[str]],
) -> None:
    """A hanging poll keeps the values until the timeout, then they are unavailable."""
    local_api.answer(voice_payload())
    entry = voice_entry()
    entry.add_to_hass(hass)
    assert await hass.config_entries.async_setup(entry.entry_id)
    await hass.async_block_till_done()
    healthy = states(hass, entry)

    local_api.mode = Mode.HANG
    local_api.received.clear()
    _fire(hass, 300)
    async with asyncio.timeout(5):
        await local_api.received.wait()
    await Heartbeat().wait(beats=5)
    assert states(hass, entry) == healthy

    _fire(hass, REQUEST_TIMEOUT + 1)
    await hass.async_block_till_done(wait_background_tasks=True)
    assert set(states(hass, entry).values()) == {STATE_UNAVAILABLE}
    assert entry.state is ConfigEntryState.LOADED
    assert blocking_calls() == []
