"""Base entity of the SMS Partner integration, and the account's device."""

from __future__ import annotations

from typing import cast

from homeassistant.config_entries import ConfigEntry
from homeassistant.helpers.device_registry import DeviceEntryType, DeviceInfo
from homeassistant.helpers.update_coordinator import CoordinatorEntity

from .api import Credits
from .const import DOMAIN, MANUFACTURER
from .coordinator import SmsPartnerConfigEntry, SmsPartnerCoordinator
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


def via_account(entry: SmsPartnerConfigEntry) -> DeviceInfo:
    """Link a device (a recipient's, a sub-account's) to its account's device.

    Home Assistant 2026 takes the account device's registry ID (`via_device_id`);
    earlier versions know only its identifiers (`via_device`).
    """
    if "via_device_id" in DeviceInfo.__annotations__:
        return cast(
            "DeviceInfo", {"via_device_id": entry.runtime_data.coordinator.device_id}
        )
    return cast("DeviceInfo", {"via_device": (DOMAIN, entry.entry_id)})


class SmsPartnerEntity[DataT: Credits](CoordinatorEntity[SmsPartnerCoordinator[DataT]]):
    """An entity of one SMS Partner or Voice Partner account."""

    _attr_has_entity_name = True

    def __init__(self, coordinator: SmsPartnerCoordinator[DataT], key: str) -> None:
        """Attach the entity to the account's device."""
        super().__init__(coordinator)
        entry = coordinator.config_entry
        self._attr_unique_id = f"{entry.entry_id}_{key}"
        self._attr_device_info = account_device_info(entry)
