"""Balance sensors of the sub-accounts, one device each, added and removed with them."""

from __future__ import annotations

from homeassistant.components.sensor import (
    SensorDeviceClass,
    SensorEntity,
    SensorStateClass,
)
from homeassistant.core import callback
from homeassistant.helpers.device_registry import DeviceEntryType, DeviceInfo
from homeassistant.helpers.entity_platform import AddConfigEntryEntitiesCallback
from homeassistant.helpers.update_coordinator import CoordinatorEntity

from .const import DOMAIN, MANUFACTURER
from .coordinator import SmsPartnerConfigEntry
from .entity import via_account
from .product import product_of
from .subaccounts import SubAccountCoordinator, subaccount_identifier

# Not translatable: Home Assistant translates device names only.
SUBACCOUNT_MODEL = "SMS Partner sub-account"


@callback
def async_add_subaccount_sensors(
    entry: SmsPartnerConfigEntry,
    coordinator: SubAccountCoordinator,
    async_add_entities: AddConfigEntryEntitiesCallback,
) -> None:
    """Add a balance sensor for each sub-account, now and after each read.

    Devices of gone sub-accounts are removed by the coordinator; forgetting
    their IDs here adds them again if they come back.
    """
    added: set[str] = set()

    @callback
    def add_new() -> None:
        listed = set(coordinator.data or {})
        added.intersection_update(listed)
        if new := listed - added:
            added.update(new)
            async_add_entities(
                SubAccountBalanceSensor(coordinator, account) for account in sorted(new)
            )

    add_new()
    entry.async_on_unload(coordinator.async_add_listener(add_new))


class SubAccountBalanceSensor(CoordinatorEntity[SubAccountCoordinator], SensorEntity):
    """The balance of a sub-account, on its own device."""

    _attr_has_entity_name = True
    _attr_translation_key = "subaccount_balance"
    _attr_device_class = SensorDeviceClass.MONETARY
    _attr_state_class = SensorStateClass.TOTAL
    _attr_suggested_display_precision = 2

    def __init__(self, coordinator: SubAccountCoordinator, account_id: str) -> None:
        """Name the device after the sub-account's e-mail (its ID without one)."""
        super().__init__(coordinator)
        entry = coordinator.config_entry
        self.account_id = account_id
        identifier = subaccount_identifier(entry, account_id)
        self._attr_unique_id = f"{identifier}_balance"
        account = coordinator.data[account_id]
        self._attr_device_info = DeviceInfo(
            identifiers={(DOMAIN, identifier)},
            translation_key="subaccount",
            translation_placeholders={"name": account.email or account_id},
            manufacturer=MANUFACTURER,
            model=SUBACCOUNT_MODEL,
            entry_type=DeviceEntryType.SERVICE,
            configuration_url=product_of(entry).customer_site,
            **via_account(entry),
        )

    @property
    def available(self) -> bool:
        """Return whether the last read listed the sub-account."""
        return super().available and self.account_id in (self.coordinator.data or {})

    @property
    def native_value(self) -> float:
        """Return the balance of the sub-account."""
        return self.coordinator.data[self.account_id].balance

    @property
    def native_unit_of_measurement(self) -> str:
        """Return the sub-account's currency."""
        return self.coordinator.data[self.account_id].currency
