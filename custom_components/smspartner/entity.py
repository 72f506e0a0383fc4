"""Base entity of the SMS Partner integration."""

from __future__ import annotations

from homeassistant.helpers.device_registry import DeviceEntryType, DeviceInfo
from homeassistant.helpers.update_coordinator import CoordinatorEntity

from .const import CONF_SERVICE, CUSTOMER_SITES, DOMAIN, MANUFACTURER, SERVICE_NAMES
from .coordinator import Credits, SmsPartnerCoordinator


class SmsPartnerEntity[DataT: Credits](CoordinatorEntity[SmsPartnerCoordinator[DataT]]):
    """An entity of one SMS Partner or Voice Partner account."""

    _attr_has_entity_name = True

    def __init__(self, coordinator: SmsPartnerCoordinator[DataT], key: str) -> None:
        """Attach the entity to the account's device."""
        super().__init__(coordinator)
        entry = coordinator.config_entry
        service = entry.data[CONF_SERVICE]
        self._attr_unique_id = f"{entry.unique_id}_{key}"
        self._attr_device_info = DeviceInfo(
            identifiers={(DOMAIN, str(entry.unique_id))},
            name=entry.title,
            manufacturer=MANUFACTURER,
            model=SERVICE_NAMES[service],
            entry_type=DeviceEntryType.SERVICE,
            configuration_url=CUSTOMER_SITES[service],
        )
