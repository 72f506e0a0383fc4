"""Tests of the shared budgets (budgets.py): key checks, polls, status requests."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from pathlib import Path
import time
from typing import Any

from freezegun.api import FrozenDateTimeFactory
from pytest_homeassistant_custom_component.common import (
    MockConfigEntry,
    async_fire_time_changed,
)
from pytest_homeassistant_custom_component.test_util.aiohttp import (
    AiohttpClientMocker,
    AiohttpClientMockResponse,
)

from custom_components.smspartner.const import DOMAIN, STATUS_BUDGET, UPDATE_INTERVAL
from custom_components.smspartner.product import Product
from homeassistant.const import CONF_API_KEY
from homeassistant.core import HomeAssistant

from .action_helpers import requests_to
from .conftest import (
    ERROR_BODY,
    SMS_URL,
    VOICE_URL,
    setup_integration,
    voice_entry,
    voice_payload,
)
from .flow_helpers import start_flow

BULK_STATUS_URL = "https://api.smspartner.fr/v1/bulk-status"
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


async def test_status_requests_within_their_budget(
    hass: HomeAssistant,
    aioclient_mock: AiohttpClientMocker,
    freezer: FrozenDateTimeFactory,
    sms: MockConfigEntry,
) -> None:
    """Thirty messages followed at once: 10 status requests a minute, credits on time."""
    times: list[float] = []
    asked: set[str] = set()

    async def waiting(method: str, url: Any, data: Any) -> Any:
        times.append(time.monotonic())
        asked.add(url.query["messageId"])
        entry = {"phoneNumber": "+33612345678", "status": "Waiting"}
        return AiohttpClientMockResponse(
            method, url, json={"success": True, "StatutResponse_List": [entry]}
        )

    aioclient_mock.get(BULK_STATUS_URL, side_effect=waiting)
    tracker = sms.runtime_data.tracker
    assert tracker is not None
    for message_id in range(30):
        tracker.async_track(str(message_id), ["0612345678"])
    credit_reads = len(requests_to(aioclient_mock, SMS_URL))

    for _ in range(60):
        freezer.tick(60)
        async_fire_time_changed(hass)
        await hass.async_block_till_done()

    max_requests, period = STATUS_BUDGET
    assert max(sum(start <= t < start + period for t in times) for start in times) == (
        max_requests
    )
    # Every message was asked, 140 times in all where the back-off asks 180
    # (1, 2, 5, 15, 30 and 60 minutes): polls held back by the budget merge.
    assert asked == {str(message_id) for message_id in range(30)}
    assert len(times) == 140
    # The credits were read every 5 minutes all along.
    assert len(requests_to(aioclient_mock, SMS_URL)) - credit_reads == 12
