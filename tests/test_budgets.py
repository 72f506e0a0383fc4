"""Tests of the shared budgets (budgets.py): key checks and polls within the host's."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from pathlib import Path
import time
from typing import Any

from freezegun.api import FrozenDateTimeFactory
from pytest_homeassistant_custom_component.common import async_fire_time_changed
from pytest_homeassistant_custom_component.test_util.aiohttp import (
    AiohttpClientMocker,
    AiohttpClientMockResponse,
)

from custom_components.smspartner.const import DOMAIN, UPDATE_INTERVAL
from custom_components.smspartner.product import Product
from homeassistant.const import CONF_API_KEY
from homeassistant.core import HomeAssistant

from .conftest import (
    ERROR_BODY,
    VOICE_URL,
    setup_integration,
    voice_entry,
    voice_payload,
)
from .flow_helpers import start_flow

COMPONENT = Path(__file__).parent.parent / "custom_components" / DOMAIN
NEW_SMS_KEY = "sms-new-key-abcdef"
NEW_VOICE_KEY = "voice-new-key-abcdef"


async def test_wrong_keys_stay_within_the_host_budget(
    hass: HomeAssistant,
    aioclient_mock: AiohttpClientMocker,
    freezer: FrozenDateTimeFactory,
) -> None:
    """Key after wrong key, with polling, Voice Partner gets 5 requests a minute at most."""
    times: list[float] = []

    def answer(body: dict[str, Any]) -> Callable[..., Awaitable[Any]]:
        async def record(method: str, url: Any, data: Any) -> Any:
            times.append(time.monotonic())
            return AiohttpClientMockResponse(method, url, json=body)

        return record

    aioclient_mock.get(VOICE_URL, side_effect=answer(voice_payload()))
    wrong_keys = [f"wrong-key-{index:02d}" for index in range(40)]
    for key in wrong_keys:
        aioclient_mock.get(
            f"https://api.voicepartner.fr/v1/me/{key}", side_effect=answer(ERROR_BODY)
        )
    entry = voice_entry()
    await setup_integration(hass, entry)

    errors: list[str] = []
    result = await start_flow(hass, Product.VOICE_PARTNER)
    for batch in (wrong_keys[:20], wrong_keys[20:]):
        for key in batch:
            result = await hass.config_entries.flow.async_configure(
                result["flow_id"], {CONF_API_KEY: key}
            )
            assert result["errors"] is not None
            errors.append(result["errors"]["base"])
            freezer.tick(2)
        # The next poll, then twenty more keys at once.
        freezer.tick(UPDATE_INTERVAL)
        async_fire_time_changed(hass)
        await hass.async_block_till_done()

    assert errors.count("invalid_auth") + errors.count("rate_limited") == 40
    assert "rate_limited" in errors
    assert entry.runtime_data.coordinator.last_update_success
    assert len(times) > 5
    assert max(sum(start <= t < start + 60 for t in times) for start in times) <= 5
