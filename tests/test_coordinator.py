"""Tests of the coordinator: what each client error makes of the entities.

The wire faults behind each error are tests/api/test_faults.py's table.
"""

from __future__ import annotations

from unittest.mock import MagicMock

from freezegun.api import FrozenDateTimeFactory
import pytest
from pytest_homeassistant_custom_component.common import MockConfigEntry

from custom_components.smspartner.api import (
    SmsPartnerApiError,
    SmsPartnerAuthenticationError,
    SmsPartnerConnectionError,
    SmsPartnerError,
    SmsPartnerInvalidResponseError,
    SmsPartnerRateLimitError,
    SmsPartnerThrottledError,
)
from homeassistant.config_entries import ConfigEntryState
from homeassistant.const import STATE_UNAVAILABLE
from homeassistant.core import HomeAssistant

from .conftest import setup_integration
from .fault_helpers import advance, problems, states
from .fault_runner import reauth_flows, reauthenticate

LOGGER = "custom_components.smspartner"
# Errors after which the entities are unavailable until the next good poll, and
# the error line each logs.
UNAVAILABLE = [
    pytest.param(
        SmsPartnerConnectionError("HTTP 500"),
        "The provider could not be reached",
        id="connection",
    ),
    pytest.param(
        SmsPartnerInvalidResponseError("HTML page"),
        "could not be read",
        id="invalid response",
    ),
    pytest.param(
        SmsPartnerApiError(20, "Compte désactivé"), "Compte désactivé", id="api"
    ),
    pytest.param(SmsPartnerRateLimitError(120), "120 s", id="429"),
]
# At start-up, with no credits to keep, a spent budget retries the set-up too.
AT_START_UP = [
    *UNAVAILABLE,
    pytest.param(SmsPartnerThrottledError(10), "10 s", id="budget spent"),
]


@pytest.mark.parametrize(("error", "logged"), UNAVAILABLE)
async def test_failure_while_running(
    hass: HomeAssistant,
    init_integration: MockConfigEntry,
    mock_client: MagicMock,
    freezer: FrozenDateTimeFactory,
    caplog: pytest.LogCaptureFixture,
    *,
    error: SmsPartnerError,
    logged: str,
) -> None:
    """The entities go unavailable with one error line, and recover by themselves."""
    healthy = states(hass, init_integration)
    caplog.clear()
    mock_client.async_get_credits.side_effect = error
    for _ in range(2):
        await advance(hass, freezer)
        assert set(states(hass, init_integration).values()) == {STATE_UNAVAILABLE}
    ((level, name, message),) = problems(caplog)
    assert (level, name) == ("ERROR", LOGGER)
    assert init_integration.runtime_data.coordinator.label in message
    assert logged in message
    assert mock_client.async_get_credits.await_count == 3
    assert reauth_flows(hass, init_integration) == []

    caplog.clear()
    mock_client.async_get_credits.side_effect = None
    await advance(hass, freezer)
    assert states(hass, init_integration) == healthy
    assert problems(caplog) == []
    recovered = [r for r in caplog.records if r.getMessage().endswith("recovered")]
    assert len(recovered) == 1


async def test_key_refused_while_running(
    hass: HomeAssistant,
    init_integration: MockConfigEntry,
    mock_client: MagicMock,
    freezer: FrozenDateTimeFactory,
) -> None:
    """A refused key stops polling and asks for a new one; the entry then recovers."""
    healthy = states(hass, init_integration)
    mock_client.async_get_credits.side_effect = SmsPartnerAuthenticationError("10")
    await advance(hass, freezer)
    assert set(states(hass, init_integration).values()) == {STATE_UNAVAILABLE}
    await advance(hass, freezer)
    assert mock_client.async_get_credits.await_count == 2

    mock_client.async_get_credits.side_effect = None
    await reauthenticate(hass, init_integration)
    assert init_integration.state is ConfigEntryState.LOADED
    assert states(hass, init_integration) == healthy


@pytest.mark.parametrize(("error", "logged"), AT_START_UP)
async def test_failure_at_start_up(
    hass: HomeAssistant,
    mock_config_entry: MockConfigEntry,
    caplog: pytest.LogCaptureFixture,
    mock_client: MagicMock,
    freezer: FrozenDateTimeFactory,
    *,
    error: SmsPartnerError,
    logged: str,
) -> None:
    """Set-up is retried, saying why on the entry, without a log line; then loads."""
    mock_client.async_get_credits.side_effect = error
    await setup_integration(hass, mock_config_entry)
    entry_states = [mock_config_entry.state]
    assert logged in str(mock_config_entry.reason)
    assert hass.states.async_entity_ids("sensor") == []
    assert problems(caplog) == []

    mock_client.async_get_credits.side_effect = None
    await advance(hass, freezer)
    entry_states.append(mock_config_entry.state)
    assert entry_states == [ConfigEntryState.SETUP_RETRY, ConfigEntryState.LOADED]
    assert STATE_UNAVAILABLE not in states(hass, mock_config_entry).values()


async def test_key_refused_at_start_up(
    hass: HomeAssistant,
    mock_config_entry: MockConfigEntry,
    mock_client: MagicMock,
    caplog: pytest.LogCaptureFixture,
) -> None:
    """A key refused at set-up is one warning and a reauth; the new key loads it."""
    mock_client.async_get_credits.side_effect = SmsPartnerAuthenticationError("10")
    await setup_integration(hass, mock_config_entry)
    # Home Assistant logs it (2025.4 with its own logger, 2026 with the integration's).
    ((level, _, message),) = problems(caplog)
    assert level == "WARNING"
    assert "could not authenticate" in message

    mock_client.async_get_credits.side_effect = None
    await reauthenticate(hass, mock_config_entry)
    assert mock_config_entry.state is ConfigEntryState.LOADED
