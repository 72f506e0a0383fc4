"""Tests of the shared budgets (budgets.py): key checks and polls within the host's.

On the wire on purpose: the budgets live in the real client, so these tests count
the requests that reach aioclient_mock, not calls of the client mock.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from datetime import timedelta
import time
from typing import Any

from freezegun.api import FrozenDateTimeFactory
import pytest
from pytest_homeassistant_custom_component.common import (
    MockConfigEntry,
    async_fire_time_changed,
)
from pytest_homeassistant_custom_component.test_util.aiohttp import (
    AiohttpClientMocker,
    AiohttpClientMockResponse,
)

from custom_components.smspartner.budgets import (
    LOOKUP_BUDGET,
    async_create_client,
    async_get_host_limiter,
    async_get_limiter,
    async_get_lookup_limiter,
    async_get_send_limiter,
)
from custom_components.smspartner.const import DOMAIN, UPDATE_INTERVAL
from custom_components.smspartner.product import PRODUCTS, Product
from custom_components.smspartner.services import SERVICE_LOOKUP_NUMBER
from homeassistant.config_entries import ConfigEntryState
from homeassistant.const import ATTR_ENTITY_ID, STATE_UNAVAILABLE
from homeassistant.core import HomeAssistant
from homeassistant.exceptions import HomeAssistantError
from homeassistant.setup import async_setup_component

from .action_helpers import requests_to
from .conftest import (
    ERROR_BODY,
    SMS_KEY,
    SMS_LOOKUP_URL,
    SMS_URL,
    VOICE_KEY,
    VOICE_URL,
    load_fixture,
    setup_integration,
    state_of,
    voice_entry,
    voice_payload,
)
from .fault_helpers import advance
from .flow_helpers import start_flow, submit_key

BALANCE = "sensor.voice_partner_balance"


@pytest.fixture
async def entry(
    hass: HomeAssistant,
    aioclient_mock: AiohttpClientMocker,
    freezer: FrozenDateTimeFactory,
) -> MockConfigEntry:
    """Set up the Voice Partner entry at frozen time, its provider on the wire."""
    aioclient_mock.get(VOICE_URL, json=voice_payload())
    entry = voice_entry()
    await setup_integration(hass, entry)
    return entry


async def test_client_gets_the_shared_budgets(hass: HomeAssistant) -> None:
    """Every client of a key shares its credits and send budgets."""
    first, second = (
        PRODUCTS[Product.SMS_PARTNER].apply(
            lambda spec: async_create_client(hass, spec, SMS_KEY)
        )
        for _ in range(2)
    )
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


async def test_quick_refresh_requests_stay_within_budget(
    hass: HomeAssistant,
    aioclient_mock: AiohttpClientMocker,
    entry: MockConfigEntry,
    freezer: FrozenDateTimeFactory,
) -> None:
    """Twenty refresh requests in a row send no more than the budget allows."""
    await async_setup_component(hass, "homeassistant", {})
    coordinator = entry.runtime_data.coordinator
    for _ in range(20):
        await coordinator.async_refresh()
        await hass.services.async_call(
            "homeassistant",
            "update_entity",
            {ATTR_ENTITY_ID: BALANCE},
            blocking=True,
        )
        freezer.tick(timedelta(seconds=1))
    await hass.async_block_till_done()
    assert aioclient_mock.call_count == 5
    assert coordinator.last_update_success
    assert state_of(hass, BALANCE) == "19.0"

    freezer.tick(timedelta(seconds=60))
    await coordinator.async_refresh()
    assert aioclient_mock.call_count == 6


async def test_throttled_first_read_retries_setup(
    hass: HomeAssistant, aioclient_mock: AiohttpClientMocker, entry: MockConfigEntry
) -> None:
    """With the budget spent and no data yet, setup is retried, nothing is sent."""
    for _ in range(4):
        await entry.runtime_data.coordinator.async_refresh()
    assert aioclient_mock.call_count == 5
    assert await hass.config_entries.async_reload(entry.entry_id) is False
    await hass.async_block_till_done()
    assert entry.state is ConfigEntryState.SETUP_RETRY
    assert aioclient_mock.call_count == 5


async def test_after_429_nothing_is_sent_before_retry_after(
    hass: HomeAssistant,
    aioclient_mock: AiohttpClientMocker,
    entry: MockConfigEntry,
    freezer: FrozenDateTimeFactory,
) -> None:
    """A 429 pauses every request for the key until Retry-After has passed."""
    aioclient_mock.clear_requests()
    aioclient_mock.get(VOICE_URL, status=429, headers={"Retry-After": "400"})
    await advance(hass, freezer)
    assert aioclient_mock.call_count == 1
    assert state_of(hass, BALANCE) == STATE_UNAVAILABLE

    aioclient_mock.clear_requests()
    aioclient_mock.get(VOICE_URL, json=voice_payload())
    await advance(hass, freezer)
    assert aioclient_mock.call_count == 0
    assert state_of(hass, BALANCE) == STATE_UNAVAILABLE
    await advance(hass, freezer)
    assert aioclient_mock.call_count == 1
    assert state_of(hass, BALANCE) == "19.0"


@pytest.mark.usefixtures("frozen_time")
async def test_lookup_budget(
    hass: HomeAssistant, aioclient_mock: AiohttpClientMocker, sms: MockConfigEntry
) -> None:
    """Lookups stop at 360 a minute, for all keys together, without the credits'."""
    aioclient_mock.post(SMS_LOOKUP_URL, json=load_fixture("sms_partner_lookup"))
    budget, period = LOOKUP_BUDGET
    limiter = async_get_lookup_limiter(hass)
    assert sms.runtime_data.coordinator.client.lookup_limiter is limiter
    for _ in range(budget - 1):
        limiter.acquire()

    async def lookup(numbers: list[str]) -> None:
        await hass.services.async_call(
            DOMAIN,
            SERVICE_LOOKUP_NUMBER,
            {"config_entry_id": sms.entry_id, "numbers": numbers},
            blocking=True,
            return_response=True,
        )

    await lookup(["0612345678", "+212666123456"])
    with pytest.raises(HomeAssistantError) as caught:
        await lookup(["0612345678"])

    assert caught.value.translation_key == "rate_limited"
    assert caught.value.translation_placeholders == {"seconds": str(round(period))}
    assert len(requests_to(aioclient_mock, SMS_LOOKUP_URL)) == 1
    assert requests_to(aioclient_mock, SMS_URL) == [None]
