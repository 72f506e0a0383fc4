"""Tests of the diagnostics download."""

from __future__ import annotations

from pytest_homeassistant_custom_component.components.diagnostics import (
    get_diagnostics_for_config_entry,
)
from pytest_homeassistant_custom_component.test_util.aiohttp import AiohttpClientMocker
from pytest_homeassistant_custom_component.typing import ClientSessionGenerator
from syrupy.assertion import SnapshotAssertion

from homeassistant.config_entries import ConfigEntryState
from homeassistant.core import HomeAssistant

from .conftest import (
    SMS_KEY,
    SMS_URL,
    USERNAME,
    VOICE_KEY,
    VOICE_URL,
    setup_integration,
    sms_entry,
    sms_payload,
    voice_entry,
)


async def test_diagnostics(
    hass: HomeAssistant,
    hass_client: ClientSessionGenerator,
    aioclient_mock: AiohttpClientMocker,
    snapshot: SnapshotAssertion,
) -> None:
    """Diagnostics show the credits and the budget, never the key or the e-mail."""
    aioclient_mock.get(SMS_URL, json=sms_payload())
    entry = sms_entry()
    await setup_integration(hass, entry)

    diagnostics = await get_diagnostics_for_config_entry(hass, hass_client, entry)
    assert diagnostics == snapshot
    assert SMS_KEY not in str(diagnostics)
    assert USERNAME not in str(diagnostics)


async def test_diagnostics_of_an_entry_not_loaded(
    hass: HomeAssistant,
    hass_client: ClientSessionGenerator,
    aioclient_mock: AiohttpClientMocker,
    snapshot: SnapshotAssertion,
) -> None:
    """An entry whose setup is retried shows its state and budgets, no credits."""
    aioclient_mock.get(VOICE_URL, status=500)
    entry = voice_entry()
    await setup_integration(hass, entry)
    assert entry.state is ConfigEntryState.SETUP_RETRY

    diagnostics = await get_diagnostics_for_config_entry(hass, hass_client, entry)
    assert diagnostics == snapshot
    assert isinstance(diagnostics["entry"], dict)
    assert diagnostics["entry"]["state"] == "setup_retry"
    assert "credits" not in diagnostics
    assert VOICE_KEY not in str(diagnostics)
