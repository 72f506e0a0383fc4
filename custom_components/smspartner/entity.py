"""Base entity of the SMS Partner integration."""

from __future__ import annotations

from homeassistant.config_entries import ConfigEntry
from homeassistant.helpers.device_registry import DeviceEntryType, DeviceInfo
from homeassistant.helpers.update_coordinator import CoordinatorEntity

from .const import CONF_SERVICE, CUSTOMER_SITES, DOMAIN, MANUFACTURER, SERVICE_NAMES
from .coordinator import Credits, SmsPartnerCoordinator


def account_device_info(entry: ConfigEntry) -> DeviceInfo:
    """Return the account's device, named after the service.

    Its identifier is the entry ID, which a new key or account name leaves alone.
    """
    service = entry.data[CONF_SERVICE]
    return DeviceInfo(
        identifiers={(DOMAIN, entry.entry_id)},
        name=SERVICE_NAMES[service],
        manufacturer=MANUFACTURER,
        model=SERVICE_NAMES[service],
        entry_type=DeviceEntryType.SERVICE,
        configuration_url=CUSTOMER_SITES[service],
    )


class SmsPartnerEntity[DataT: Credits](CoordinatorEntity[SmsPartnerCoordinator[DataT]]):
    """An entity of one SMS Partner or Voice Partner account."""

    _attr_has_entity_name = True

    def __init__(self, coordinator: SmsPartnerCoordinator[DataT], key: str) -> None:
        """Attach the entity to the account's device."""
        super().__init__(coordinator)
        entry = coordinator.config_entry
        self._attr_unique_id = f"{entry.entry_id}_{key}"
        self._attr_device_info = account_device_info(entry)
