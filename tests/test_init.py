"""Tests of setting up, updating and unloading entries."""

from __future__ import annotations

from datetime import timedelta
import logging
from unittest.mock import MagicMock

from freezegun.api import FrozenDateTimeFactory
import pytest
from pytest_homeassistant_custom_component.common import (
    MockConfigEntry,
    async_fire_time_changed,
)
from pytest_homeassistant_custom_component.test_util.aiohttp import AiohttpClientMocker

from custom_components.smspartner.api import (
    SmsPartnerApiError,
    SmsPartnerAuthenticationError,
    SmsPartnerConnectionError,
    SmsPartnerError,
    SmsPartnerInvalidResponseError,
    SmsPartnerRateLimitError,
    SmsPartnerThrottledError,
)
from custom_components.smspartner.const import DOMAIN, UPDATE_INTERVAL
from homeassistant.config_entries import SOURCE_REAUTH, ConfigEntryState
from homeassistant.const import ATTR_ENTITY_ID, STATE_UNAVAILABLE
from homeassistant.core import HomeAssistant
from homeassistant.setup import async_setup_component

from .conftest import (
    ERROR_BODY,
    SMS_URL,
    VOICE_URL,
    setup_integration,
    sms_entry,
    sms_payload,
    state_of,
    voice_entry,
    voice_payload,
)

BALANCE = "sensor.voice_partner_balance"


async def _next_poll(hass: HomeAssistant, freezer: FrozenDateTimeFactory) -> None:
    """Move time to the next scheduled refresh."""
    freezer.tick(UPDATE_INTERVAL)
    async_fire_time_changed(hass)
    await hass.async_block_till_done()


async def test_setup_and_unload(
    hass: HomeAssistant, aioclient_mock: AiohttpClientMocker
) -> None:
    """Both services load, read once, and unload cleanly."""
    aioclient_mock.get(SMS_URL, json=sms_payload())
    aioclient_mock.get(VOICE_URL, json=voice_payload())
    sms, voice = sms_entry(), voice_entry()
    await setup_integration(hass, sms)
    await setup_integration(hass, voice)
    assert sms.state is ConfigEntryState.LOADED
    assert voice.state is ConfigEntryState.LOADED
    assert aioclient_mock.call_count == 2
    assert state_of(hass, BALANCE) == "19.0"

    for entry in (sms, voice):
        assert await hass.config_entries.async_unload(entry.entry_id)
        assert entry.state is ConfigEntryState.NOT_LOADED
    assert state_of(hass, BALANCE) == STATE_UNAVAILABLE


@pytest.mark.parametrize(
    "error",
    [
        pytest.param(SmsPartnerConnectionError("HTTP 500"), id="server error"),
        pytest.param(SmsPartnerInvalidResponseError("HTML page"), id="HTML page"),
        pytest.param(SmsPartnerRateLimitError(10), id="429"),
        pytest.param(SmsPartnerThrottledError(10), id="budget spent"),
        pytest.param(SmsPartnerApiError(30, "Compte bloqué"), id="account blocked"),
    ],
)
async def test_setup_not_ready(
    hass: HomeAssistant,
    mock_config_entry: MockConfigEntry,
    mock_client: MagicMock,
    error: SmsPartnerError,
) -> None:
    """A failing first read retries the setup later, for both products."""
    mock_client.async_get_credits.side_effect = error
    await setup_integration(hass, mock_config_entry)
    assert mock_config_entry.state is ConfigEntryState.SETUP_RETRY


async def test_setup_invalid_key_starts_reauth(
    hass: HomeAssistant, mock_config_entry: MockConfigEntry, mock_client: MagicMock
) -> None:
    """A refused key at setup asks the user for a new one."""
    mock_client.async_get_credits.side_effect = SmsPartnerAuthenticationError("no")
    await setup_integration(hass, mock_config_entry)
    assert mock_config_entry.state is ConfigEntryState.SETUP_ERROR
    flows = hass.config_entries.flow.async_progress_by_handler(DOMAIN)
    assert [flow["context"]["source"] for flow in flows] == [SOURCE_REAUTH]


async def test_key_revoked_while_running(
    hass: HomeAssistant,
    aioclient_mock: AiohttpClientMocker,
    freezer: FrozenDateTimeFactory,
) -> None:
    """A key refused on a later poll starts a reauth flow."""
    aioclient_mock.get(VOICE_URL, json=voice_payload())
    entry = voice_entry()
    await setup_integration(hass, entry)
    aioclient_mock.clear_requests()
    aioclient_mock.get(VOICE_URL, status=401, json=ERROR_BODY)
    await _next_poll(hass, freezer)
    flows = hass.config_entries.flow.async_progress_by_handler(DOMAIN)
    assert len(flows) == 1
    assert flows[0]["context"]["source"] == SOURCE_REAUTH
    assert flows[0]["context"]["entry_id"] == entry.entry_id


async def test_unavailable_then_recovered(
    hass: HomeAssistant,
    aioclient_mock: AiohttpClientMocker,
    freezer: FrozenDateTimeFactory,
    caplog: pytest.LogCaptureFixture,
) -> None:
    """Entities go unavailable on failures, logged once, and come back by themselves."""
    aioclient_mock.get(VOICE_URL, json=voice_payload())
    await setup_integration(hass, voice_entry())

    aioclient_mock.clear_requests()
    aioclient_mock.get(VOICE_URL, status=502)
    caplog.clear()
    with caplog.at_level(logging.INFO):
        await _next_poll(hass, freezer)
        assert state_of(hass, BALANCE) == STATE_UNAVAILABLE
        await _next_poll(hass, freezer)
        assert state_of(hass, BALANCE) == STATE_UNAVAILABLE
        failures = [
            r
            for r in caplog.records
            if r.levelno >= logging.ERROR and r.name.startswith("custom_components")
        ]
        assert len(failures) == 1
        assert "server error" in failures[0].getMessage()

        aioclient_mock.clear_requests()
        aioclient_mock.get(VOICE_URL, json=voice_payload(voice={"message": 9}))
        await _next_poll(hass, freezer)
    assert state_of(hass, BALANCE) == "19.0"
    assert state_of(hass, "sensor.voice_partner_voice_mail_drops") == "9"
    recovered = [
        r
        for r in caplog.records
        if r.name.startswith("custom_components") and "recovered" in r.getMessage()
    ]
    assert len(recovered) == 1


async def test_quick_refresh_requests_stay_within_budget(
    hass: HomeAssistant,
    aioclient_mock: AiohttpClientMocker,
    freezer: FrozenDateTimeFactory,
) -> None:
    """Twenty refresh requests in a row send no more than the budget allows."""
    aioclient_mock.get(VOICE_URL, json=voice_payload())
    entry = voice_entry()
    await setup_integration(hass, entry)
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
    hass: HomeAssistant, aioclient_mock: AiohttpClientMocker
) -> None:
    """With the budget spent and no data yet, setup is retried, nothing is sent."""
    aioclient_mock.get(VOICE_URL, json=voice_payload())
    entry = voice_entry()
    await setup_integration(hass, entry)
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
    freezer: FrozenDateTimeFactory,
) -> None:
    """A 429 pauses every request for the key until Retry-After has passed."""
    aioclient_mock.get(VOICE_URL, json=voice_payload())
    entry = voice_entry()
    await setup_integration(hass, entry)
    aioclient_mock.clear_requests()
    aioclient_mock.get(VOICE_URL, status=429, headers={"Retry-After": "400"})
    await _next_poll(hass, freezer)
    assert aioclient_mock.call_count == 1
    assert state_of(hass, BALANCE) == STATE_UNAVAILABLE

    aioclient_mock.clear_requests()
    aioclient_mock.get(VOICE_URL, json=voice_payload())
    await _next_poll(hass, freezer)
    assert aioclient_mock.call_count == 0
    assert state_of(hass, BALANCE) == STATE_UNAVAILABLE
    await _next_poll(hass, freezer)
    assert aioclient_mock.call_count == 1
    assert state_of(hass, BALANCE) == "19.0"
