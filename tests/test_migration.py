"""Tests of the migration of entries from version 1, whose IDs all hashed the key.

On the client mocks: each product's entries read its documented credits.
"""

from __future__ import annotations

from collections.abc import Generator
import copy
import json
import logging
from pathlib import Path
from typing import Any
from unittest.mock import MagicMock

import pytest
from pytest_homeassistant_custom_component.common import MockConfigEntry, mock_storage

from custom_components.smspartner.const import DOMAIN
from custom_components.smspartner.identity import async_key_fingerprint
from custom_components.smspartner.product import Product
from custom_components.smspartner.spend_sensor import SPEND_SENSORS
from homeassistant.config_entries import ConfigEntryState
from homeassistant.const import CONF_WEBHOOK_ID
from homeassistant.core import HomeAssistant
from homeassistant.helpers import (
    area_registry as ar,
    category_registry as cr,
    device_registry as dr,
    entity_registry as er,
    floor_registry as fr,
    issue_registry as ir,
    label_registry as lr,
)
from homeassistant.setup import async_setup_component

from .conftest import (
    ACCOUNT_ID,
    SMS_KEY,
    SUBACCOUNTS,
    USERNAME,
    VOICE_KEY,
    device_of,
    setup_integration,
    voice_entry,
)

# What version 1 wrote: an SMS Partner entry with a recipient, a second entry of
# the same account with another key, and a Voice Partner entry.
STORAGE = json.loads(
    (Path(__file__).parent / "fixtures" / "storage_v1.json").read_text()
)
SMS_ID = "01JSMSENTRY000000000000000"
SECOND_ID = "01JSMSSECOND00000000000000"
SECOND_KEY = "sms-second-key-abcdef"
VOICE_ID = "01JVOICEENTRY0000000000000"
FAMILY_ID = "01JFAMILY0000000000000000"
OLD_UNIQUE_IDS = {
    entry["entry_id"]: entry["unique_id"]
    for entry in STORAGE["core.config_entries"]["data"]["entries"]
}


@pytest.fixture
def hass_storage() -> Generator[dict[str, Any]]:
    """Start Home Assistant with the storage version 1 left."""
    with mock_storage(copy.deepcopy(STORAGE)) as stored:
        yield stored


def _old_entities() -> dict[str, tuple[str, str]]:
    """Return the entity IDs version 1 registered, with their entry and old ID."""
    return {
        entity["entity_id"]: (entity["config_entry_id"], entity["unique_id"])
        for entity in STORAGE["core.entity_registry"]["data"]["entities"]
    }


def _new_in_version_2(unique_id: str) -> bool:
    """Tell whether a unique ID is of a sensor version 1 did not have."""
    added = ("_balance_runs_out", *(f"_{sensor.key}" for sensor in SPEND_SENSORS))
    return "_subaccount_" in unique_id or unique_id.endswith(added)


@pytest.mark.parametrize("load_registries", [False])
@pytest.mark.usefixtures("mock_clients")
async def test_migrate_from_version_1(
    hass: HomeAssistant, caplog: pytest.LogCaptureFixture
) -> None:
    """Entities keep their entity IDs (and history) under IDs from the entry ID."""
    # Load the entries and registries from the storage, as Home Assistant starts.
    await hass.config_entries.async_initialize()
    # Home Assistant 2026 creates the device registry before loading it.
    if (setup_devices := getattr(dr, "async_setup", None)) is not None:
        setup_devices(hass)
    for registry in (ar, cr, dr, er, fr, ir, lr):
        await registry.async_load(hass)
    with caplog.at_level(logging.WARNING):
        assert await async_setup_component(hass, DOMAIN, {})
        await hass.async_block_till_done()

    entries = {entry.entry_id: entry for entry in hass.config_entries.async_entries()}
    assert {entry.state for entry in entries.values()} == {ConfigEntryState.LOADED}
    assert {entry.version for entry in entries.values()} == {2}
    assert {entry.minor_version for entry in entries.values()} == {2}
    # Each entry gets a webhook ID of its own.
    webhook_ids = {entry.data[CONF_WEBHOOK_ID] for entry in entries.values()}
    assert len(webhook_ids) == len(entries)
    assert all(len(bytes.fromhex(webhook_id)) == 32 for webhook_id in webhook_ids)
    assert entries[SMS_ID].unique_id == ACCOUNT_ID
    # The same account twice: the second entry keeps a key fingerprint.
    assert entries[SECOND_ID].unique_id == await async_key_fingerprint(
        hass, Product.SMS_PARTNER, SECOND_KEY
    )
    assert entries[VOICE_ID].unique_id == await async_key_fingerprint(
        hass, Product.VOICE_PARTNER, VOICE_KEY
    )
    (warning,) = [
        record
        for record in caplog.records
        if record.name.startswith("custom_components.smspartner")
    ]
    assert f"SMS Partner (e…@email.com) (ID {SECOND_ID})" in warning.getMessage()
    warnings = " ".join(
        record.getMessage()
        for record in caplog.records
        if record.levelno >= logging.WARNING
    )
    for secret in (SMS_KEY, SECOND_KEY, VOICE_KEY, USERNAME):
        assert secret not in warnings

    entities = er.async_get(hass)
    old = _old_entities()
    # Every old entity is kept; the balance forecast, spend and sub-accounts
    # came after version 1.
    assert {
        entity.entity_id
        for entity in entities.entities.values()
        if entity.platform == DOMAIN
        and entity.domain != "event"
        and not _new_in_version_2(entity.unique_id)
    } == set(old)
    for entity_id, (entry_id, old_unique_id) in old.items():
        entity = entities.async_get(entity_id)
        assert entity is not None
        key = old_unique_id.removeprefix(f"{OLD_UNIQUE_IDS[entry_id]}_")
        assert entity.unique_id == f"{entry_id}_{key}"
        assert hass.states.get(entity_id) is not None

    devices = dr.async_get(hass)
    for entry_id in entries:
        account = device_of(hass, entry_id)
        assert account is not None
        assert account.name in ("SMS Partner", "Voice Partner")
    family = device_of(hass, f"{SMS_ID}_{FAMILY_ID}")
    sms_account = device_of(hass, SMS_ID)
    assert family is not None
    assert sms_account is not None
    assert family.via_device_id == sms_account.id
    # The three accounts, the recipient, and the sub-accounts of both SMS entries.
    assert len(devices.devices) == 4 + 2 * len(SUBACCOUNTS)


async def test_newer_version_is_not_loaded(
    hass: HomeAssistant, mock_clients: dict[Product, MagicMock]
) -> None:
    """An entry written by a newer version of the integration is left alone."""
    entry = voice_entry()
    entry = MockConfigEntry(
        domain=DOMAIN, version=3, unique_id=entry.unique_id, data=dict(entry.data)
    )
    await setup_integration(hass, entry)
    assert entry.state is ConfigEntryState.MIGRATION_ERROR
    assert mock_clients[Product.VOICE_PARTNER].mock_calls == []


@pytest.mark.usefixtures("mock_clients")
async def test_migration_leaves_other_ids_alone(hass: HomeAssistant) -> None:
    """Only IDs made from the old unique ID change."""
    entry = MockConfigEntry(
        domain=DOMAIN,
        version=1,
        unique_id="voice_partner_old",
        data=dict(voice_entry().data),
    )
    entry.add_to_hass(hass)
    device = dr.async_get(hass).async_get_or_create(
        config_entry_id=entry.entry_id, identifiers={(DOMAIN, "other")}
    )
    entities = er.async_get(hass)
    other = entities.async_get_or_create(
        "sensor", DOMAIN, "other_balance", config_entry=entry
    )
    old = entities.async_get_or_create(
        "sensor", DOMAIN, "voice_partner_old_balance", config_entry=entry
    )
    await setup_integration(hass, entry)

    assert entry.version == 2
    kept = device_of(hass, "other")
    assert kept is not None
    assert kept.id == device.id
    assert entities.async_get_entity_id("sensor", DOMAIN, "other_balance") == (
        other.entity_id
    )
    assert entities.async_get_entity_id(
        "sensor", DOMAIN, f"{entry.entry_id}_balance"
    ) == (old.entity_id)


@pytest.mark.usefixtures("mock_clients")
async def test_migration_gives_a_webhook_id(hass: HomeAssistant) -> None:
    """An entry of version 2.1 gets a webhook ID; nothing else changes."""
    old = voice_entry()
    data = {key: value for key, value in old.data.items() if key != CONF_WEBHOOK_ID}
    entry = MockConfigEntry(
        domain=DOMAIN, version=2, unique_id=old.unique_id, data=data
    )
    await setup_integration(hass, entry)

    assert entry.state is ConfigEntryState.LOADED
    assert (entry.version, entry.minor_version) == (2, 2)
    assert entry.unique_id == old.unique_id
    webhook_id = entry.data[CONF_WEBHOOK_ID]
    assert entry.data == data | {CONF_WEBHOOK_ID: webhook_id}
    assert len(bytes.fromhex(webhook_id)) == 32
