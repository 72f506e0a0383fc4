"""Tests of the shared budgets (budgets.py): key checks, polls, status requests."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
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

from custom_components.smspartner.budgets import (
    async_create_client,
    async_get_host_limiter,
    async_get_limiter,
    async_get_send_limiter,
)
from custom_components.smspartner.const import UPDATE_INTERVAL
from custom_components.smspartner.product import PRODUCTS, Product
from homeassistant.core import HomeAssistant

from .action_helpers import requests_to
from .conftest import (
    ERROR_BODY,
    SMS_KEY,
    VOICE_KEY,
    VOICE_URL,
    setup_integration,
    voice_entry,
    voice_payload,
)
from .flow_helpers import start_flow, submit_key

# These tests count the requests that reach the wire: the budgets live in the
# real client, which they build with async_create_client.


async def test_client_gets_the_shared_budgets(hass: HomeAssistant) -> None:
    """Every client of a key shares its credits and send budgets."""
    spec = PRODUCTS[Product.SMS_PARTNER]
    first = async_create_client(hass, spec, SMS_KEY)
    second = async_create_client(hass, spec, SMS_KEY)
    limiter = async_get_limiter(hass, Product.SMS_PARTNER, SMS_KEY)
    send_limiter = async_get_send_limiter(hass, Product.SMS_PARTNER, SMS_KEY)
    assert first.limiter is second.limiter is limiter
    assert first.send_limiter is second.send_limiter is send_limiter
    assert limiter is not send_limiter
    assert limiter.parent is async_get_host_limiter(hass, Product.SMS_PARTNER)
    assert async_get_limiter(hass, Product.SMS_PARTNER, "other") is not limiter


async def test_user_budget_spent(
    hass: HomeAssistant, aioclient_mock: AiohttpClientMocker
) -> None:
    """Retrying a key quickly stops sending requests after five a minute."""
    aioclient_mock.get(VOICE_URL, status=500)
    result = await start_flow(hass, Product.VOICE_PARTNER)
    for _ in range(5):
        result = await submit_key(hass, result, VOICE_KEY)
        assert result["errors"] == {"base": "cannot_connect"}
    result = await submit_key(hass, result, VOICE_KEY)
    assert result["errors"] == {"base": "rate_limited"}
    assert aioclient_mock.call_count == 5


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
            result = await submit_key(hass, result, key)
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
