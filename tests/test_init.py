"""Tests of setting up, updating and unloading entries."""

from __future__ import annotations

from unittest.mock import MagicMock

from pytest_homeassistant_custom_component.common import MockConfigEntry

from custom_components.smspartner.api import SmsPartnerAuthenticationError
from custom_components.smspartner.const import DOMAIN
from homeassistant.config_entries import SOURCE_REAUTH, ConfigEntryState
from homeassistant.const import STATE_UNAVAILABLE
from homeassistant.core import HomeAssistant

from .conftest import setup_integration, state_of


async def test_setup_and_unload(
    hass: HomeAssistant, init_integration: MockConfigEntry, mock_client: MagicMock
) -> None:
    """Each product loads, reads once, and unloads cleanly."""
    states = [init_integration.state]
    mock_client.async_get_credits.assert_awaited_once()
    entity_ids = hass.states.async_entity_ids("sensor")
    assert entity_ids
    assert STATE_UNAVAILABLE not in {state_of(hass, e) for e in entity_ids}

    assert await hass.config_entries.async_unload(init_integration.entry_id)
    states.append(init_integration.state)
    assert states == [ConfigEntryState.LOADED, ConfigEntryState.NOT_LOADED]
    assert {state_of(hass, e) for e in entity_ids} == {STATE_UNAVAILABLE}


async def test_setup_invalid_key_starts_reauth(
    hass: HomeAssistant, mock_config_entry: MockConfigEntry, mock_client: MagicMock
) -> None:
    """A refused key at setup asks the user for a new one."""
    mock_client.async_get_credits.side_effect = SmsPartnerAuthenticationError("no")
    await setup_integration(hass, mock_config_entry)
    assert mock_config_entry.state is ConfigEntryState.SETUP_ERROR
    flows = hass.config_entries.flow.async_progress_by_handler(DOMAIN)
    assert [flow["context"]["source"] for flow in flows] == [SOURCE_REAUTH]
