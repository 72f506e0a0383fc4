"""Tests of the credit sensors."""

from __future__ import annotations

from enum import Enum
from typing import Any
from unittest.mock import MagicMock

import pytest
from pytest_homeassistant_custom_component.common import MockConfigEntry
from syrupy.assertion import SnapshotAssertion

from custom_components.smspartner.api import parse_sms_credits
from custom_components.smspartner.const import DOMAIN
from homeassistant.core import HomeAssistant
from homeassistant.helpers import device_registry as dr, entity_registry as er

from .conftest import SMS_ONLY, load_translations, setup_integration, sms_payload


# Not snapshot_platform: its registry entries, devices and states snapshot
# differently on Home Assistant 2025.4 and 2026 (other registry fields, enum
# attribute keys on 2026), so one snapshot serves both only in this shape.
def _plain(value: Any) -> Any:
    """Return enum members as their values, so snapshots match on every version."""
    return value.value if isinstance(value, Enum) else value


def _entities(hass: HomeAssistant, entry: MockConfigEntry) -> list[dict[str, Any]]:
    """Return what a user sees of each entity of `entry`, in a stable shape."""
    registry = er.async_get(hass)
    shown = []
    for entity in sorted(
        er.async_entries_for_config_entry(registry, entry.entry_id),
        key=lambda item: item.entity_id,
    ):
        state = hass.states.get(entity.entity_id)
        assert state is not None
        shown.append(
            {
                "entity_id": entity.entity_id,
                "unique_id": entity.unique_id.replace(entry.entry_id, "ENTRY_ID"),
                "translation_key": entity.translation_key,
                "entity_category": _plain(entity.entity_category),
                "disabled_by": entity.disabled_by,
                "state": state.state,
                "attributes": {
                    _plain(key): _plain(value)
                    for key, value in sorted(state.attributes.items())
                },
            }
        )
    return shown


def _device(hass: HomeAssistant, entry: MockConfigEntry) -> dict[str, Any]:
    """Return the account's device of `entry` in a stable shape."""
    devices = dr.async_entries_for_config_entry(dr.async_get(hass), entry.entry_id)
    (device,) = (
        device for device in devices if (DOMAIN, entry.entry_id) in device.identifiers
    )
    assert device.identifiers == {(DOMAIN, entry.entry_id)}
    return {
        "name": device.name,
        "manufacturer": device.manufacturer,
        "model": device.model,
        "entry_type": _plain(device.entry_type),
        "configuration_url": device.configuration_url,
    }


async def test_sensors(
    hass: HomeAssistant,
    frozen_time: None,
    init_integration: MockConfigEntry,
    snapshot: SnapshotAssertion,
) -> None:
    """Each account gets one service device with a sensor per credit field."""
    assert _device(hass, init_integration) == snapshot(name="device")
    assert _entities(hass, init_integration) == snapshot(name="entities")


@SMS_ONLY
async def test_balance_unit_follows_currency(
    hass: HomeAssistant, mock_config_entry: MockConfigEntry, mock_client: MagicMock
) -> None:
    """The balance is shown in the account's currency with two decimals."""
    mock_client.async_get_credits.return_value = parse_sms_credits(
        sms_payload(currency="€", balance="12.345")
    )
    await setup_integration(hass, mock_config_entry)
    state = hass.states.get("sensor.sms_partner_balance")
    assert state is not None
    assert state.state == "12.345"
    assert state.attributes["unit_of_measurement"] == "EUR"
    registry_entry = er.async_get(hass).async_get(state.entity_id)
    assert registry_entry is not None
    assert registry_entry.options["sensor"]["suggested_display_precision"] == 2


@pytest.mark.parametrize("language", ["en", "fr"])
def test_sensor_names_fit_a_card(language: str) -> None:
    """Sensor names are short enough for an entities card."""
    sensors = load_translations(language)["entity"]["sensor"]
    too_long = {k: v["name"] for k, v in sensors.items() if len(v["name"]) > 22}
    assert not too_long
