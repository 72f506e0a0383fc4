"""Tests of the diagnostics download."""

from __future__ import annotations

from pytest_homeassistant_custom_component.components.diagnostics import (
    get_diagnostics_for_config_entry,
)
from pytest_homeassistant_custom_component.test_util.aiohttp import AiohttpClientMocker
from pytest_homeassistant_custom_component.typing import ClientSessionGenerator
from syrupy.assertion import SnapshotAssertion

from homeassistant.core import HomeAssistant

from .conftest import (
    SMS_KEY,
    SMS_URL,
    USERNAME,
    setup_integration,
    sms_entry,
    sms_payload,
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
