"""Tests of the diagnostics download."""

from __future__ import annotations

from unittest.mock import MagicMock

import pytest
from pytest_homeassistant_custom_component.common import MockConfigEntry
from pytest_homeassistant_custom_component.components.diagnostics import (
    get_diagnostics_for_config_entry,
)
from pytest_homeassistant_custom_component.typing import ClientSessionGenerator
from syrupy.assertion import SnapshotAssertion
from syrupy.filters import props

from custom_components.smspartner.api import SmsPartnerConnectionError
from custom_components.smspartner.product import Product
from homeassistant.config_entries import ConfigEntryState
from homeassistant.core import HomeAssistant

from .conftest import SMS_KEY, USERNAME, VOICE_KEY, setup_integration


@pytest.mark.parametrize("product", [Product.SMS_PARTNER], ids=str)
async def test_diagnostics(
    hass: HomeAssistant,
    hass_client: ClientSessionGenerator,
    init_integration: MockConfigEntry,
    snapshot: SnapshotAssertion,
) -> None:
    """Diagnostics show the credits, spend, sub-accounts, budgets and messages followed.

    Neither the key, the e-mail nor the numbers of the messages followed.
    """
    init_integration.runtime_data.tracker.async_track("307", ["0612345678"])
    diagnostics = await get_diagnostics_for_config_entry(
        hass, hass_client, init_integration
    )
    # The month read is today's.
    assert diagnostics == snapshot(exclude=props("month"))
    assert SMS_KEY not in str(diagnostics)
    assert USERNAME not in str(diagnostics)
    assert "612345678" not in str(diagnostics)


@pytest.mark.parametrize("product", [Product.VOICE_PARTNER], ids=str)
async def test_diagnostics_of_an_entry_not_loaded(
    hass: HomeAssistant,
    hass_client: ClientSessionGenerator,
    mock_config_entry: MockConfigEntry,
    mock_client: MagicMock,
    snapshot: SnapshotAssertion,
) -> None:
    """An entry whose setup is retried shows its state and budgets, no credits."""
    mock_client.async_get_credits.side_effect = SmsPartnerConnectionError("HTTP 500")
    entry = mock_config_entry
    await setup_integration(hass, entry)
    assert entry.state is ConfigEntryState.SETUP_RETRY

    diagnostics = await get_diagnostics_for_config_entry(hass, hass_client, entry)
    assert diagnostics == snapshot
    assert isinstance(diagnostics["entry"], dict)
    assert diagnostics["entry"]["state"] == "setup_retry"
    assert "credits" not in diagnostics
    assert VOICE_KEY not in str(diagnostics)
