"""The SMS Partner integration: credits of SMS Partner and Voice Partner accounts, and sending."""

from __future__ import annotations

from typing import Any

from homeassistant.const import CONF_API_KEY, Platform
from homeassistant.core import HomeAssistant, callback
from homeassistant.helpers import (
    config_validation as cv,
    device_registry as dr,
    entity_registry as er,
)
from homeassistant.helpers.typing import ConfigType

from .const import CONF_ACCOUNT, CONF_SERVICE, DOMAIN, LOGGER, SERVICE_NAMES
from .coordinator import SmsPartnerConfigEntry, async_create_coordinator
from .entity import account_device_info
from .identity import async_key_fingerprint, async_unique_id
from .services import async_setup_services

CONFIG_SCHEMA = cv.config_entry_only_config_schema(DOMAIN)
PLATFORMS: list[Platform] = [Platform.NOTIFY, Platform.SENSOR]


async def async_setup(hass: HomeAssistant, config: ConfigType) -> bool:
    """Register the actions, whether or not an account is set up."""
    async_setup_services(hass)
    return True


async def async_setup_entry(hass: HomeAssistant, entry: SmsPartnerConfigEntry) -> bool:
    """Set up an SMS Partner or Voice Partner account from a config entry."""
    coordinator = async_create_coordinator(hass, entry)
    await coordinator.async_config_entry_first_refresh()
    entry.runtime_data = coordinator
    # The account's device first: the recipients' devices are linked to it.
    coordinator.device_id = (
        dr.async_get(hass)
        .async_get_or_create(
            config_entry_id=entry.entry_id, **account_device_info(entry)
        )
        .id
    )
    await hass.config_entries.async_forward_entry_setups(entry, PLATFORMS)
    return True


async def async_unload_entry(hass: HomeAssistant, entry: SmsPartnerConfigEntry) -> bool:
    """Unload a config entry."""
    return await hass.config_entries.async_unload_platforms(entry, PLATFORMS)


async def async_migrate_entry(
    hass: HomeAssistant, entry: SmsPartnerConfigEntry
) -> bool:
    """Migrate an entry from version 1, whose IDs all derived from a hash of its key.

    The entry's unique ID becomes its account hash (else a key fingerprint); its
    entities and devices get IDs from the entry ID, keeping their entity IDs and
    history.
    """
    if entry.version > 2:
        return False
    if entry.version == 1:
        service = entry.data[CONF_SERVICE]
        api_key = entry.data[CONF_API_KEY]
        unique_id = await async_unique_id(
            hass, service, api_key, entry.data.get(CONF_ACCOUNT)
        )
        if hass.config_entries.async_entry_for_domain_unique_id(
            DOMAIN, unique_id
        ) not in (None, entry):
            LOGGER.warning(
                "The %s entry %s is for an account that another entry already "
                "has; remove one of the two",
                SERVICE_NAMES[service],
                entry.entry_id,
            )
            unique_id = await async_key_fingerprint(hass, service, api_key)
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
    return True
