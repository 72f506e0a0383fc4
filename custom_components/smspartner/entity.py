"""Base entity of the SMS Partner integration, and the account's device."""

from __future__ import annotations

from homeassistant.config_entries import ConfigEntry
from homeassistant.helpers.device_registry import DeviceEntryType, DeviceInfo
from homeassistant.helpers.update_coordinator import CoordinatorEntity

from .api import Credits
from .const import DOMAIN, MANUFACTURER
from .coordinator import SmsPartnerCoordinator
from .product import product_of


def account_device_info(entry: ConfigEntry) -> DeviceInfo:
    """Return the account's device, named after the product.

    Its identifier is the entry ID, which a new key or account name leaves alone.
    """
    spec = product_of(entry)
    return DeviceInfo(
        identifiers={(DOMAIN, entry.entry_id)},
        name=spec.name,
        manufacturer=MANUFACTURER,
        model=spec.name,
        entry_type=DeviceEntryType.SERVICE,
        configuration_url=spec.customer_site,
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
