"""Migration of config entries written by earlier versions."""

from __future__ import annotations

from typing import Any

from homeassistant.components.webhook import async_generate_id
from homeassistant.const import CONF_API_KEY, CONF_WEBHOOK_ID
from homeassistant.core import HomeAssistant, callback
from homeassistant.helpers import device_registry as dr, entity_registry as er

from .const import CONF_ACCOUNT, DOMAIN, LOGGER
from .coordinator import SmsPartnerConfigEntry
from .identity import account_label, async_key_fingerprint, async_unique_id
from .product import product_of


async def async_migrate_entry(
    hass: HomeAssistant, entry: SmsPartnerConfigEntry
) -> bool:
    """Migrate an entry written by an earlier version.

    From version 1, whose IDs all derived from a hash of its key: the entry's
    unique ID becomes its account hash (else a key fingerprint); its entities
    and devices get IDs from the entry ID, keeping their entity IDs and
    history. From 2.1: the entry gets the ID of its webhook.
    """
    if entry.version > 2:
        return False
    if entry.version == 1:
        await _async_migrate_from_1(hass, entry)
    if entry.minor_version < 2:
        hass.config_entries.async_update_entry(
            entry,
            data={CONF_WEBHOOK_ID: async_generate_id(), **entry.data},
            minor_version=2,
        )
    return True


async def _async_migrate_from_1(
    hass: HomeAssistant, entry: SmsPartnerConfigEntry
) -> None:
    """Give the entry its account's unique ID, and its entities and devices theirs."""
    spec = product_of(entry)
    api_key = entry.data[CONF_API_KEY]
    unique_id = await async_unique_id(
        hass, spec.product, api_key, entry.data.get(CONF_ACCOUNT)
    )
    if hass.config_entries.async_entry_for_domain_unique_id(DOMAIN, unique_id) not in (
        None,
        entry,
    ):
        LOGGER.warning(
            "The entry %s (ID %s) is for an account that another entry already "
            "has; remove one of the two",
            account_label(entry),
            entry.entry_id,
        )
        unique_id = await async_key_fingerprint(hass, spec.product, api_key)
    old_prefix = str(entry.unique_id)

    def renamed(identifier: str) -> str:
        """Return an entity or device ID with the entry ID as its prefix."""
        if identifier == old_prefix or identifier.startswith(f"{old_prefix}_"):
            return entry.entry_id + identifier.removeprefix(old_prefix)
        return identifier

    @callback
    def migrate_entity(entity: er.RegistryEntry) -> dict[str, Any] | None:
        """Give an entity its ID based on the entry ID."""
        if (new_id := renamed(entity.unique_id)) != entity.unique_id:
            return {"new_unique_id": new_id}
        return None

    await er.async_migrate_entries(hass, entry.entry_id, migrate_entity)
    devices = dr.async_get(hass)
    for device in dr.async_entries_for_config_entry(devices, entry.entry_id):
        devices.async_update_device(
            device.id,
            new_identifiers={
                (domain, renamed(value) if domain == DOMAIN else value)
                for domain, value in device.identifiers
            },
        )
    hass.config_entries.async_update_entry(entry, unique_id=unique_id, version=2)
