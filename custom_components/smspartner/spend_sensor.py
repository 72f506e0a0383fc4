"""Spend sensors of an SMS Partner account: this month, its SMS, and last month.

"Spent this month" and "SMS sent this month" are totals (state class `total`)
whose `last_reset` is the start of the month they count, in Home Assistant's
time zone. The month comes with the data, not the clock: until the first read
of a new month, the last month's total keeps its own month's `last_reset`, so
the recorder starts a new cycle exactly when the new month's value arrives,
and a statistics graph by month shows each month's spend.
"Spent last month" is a plain value (no state class): its long-term sum would
count each month under the month after.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Final

from homeassistant.components.sensor import (
    SensorDeviceClass,
    SensorEntity,
    SensorEntityDescription,
    SensorStateClass,
)
from homeassistant.helpers.update_coordinator import CoordinatorEntity

from .entity import account_device_info
from .spend import MonthlySpend, SpendCoordinator

# An amount: money in the account's currency, shown with two decimals.
_AMOUNT: Final[dict[str, Any]] = {
    "device_class": SensorDeviceClass.MONETARY,
    "suggested_display_precision": 2,
}


@dataclass(frozen=True, kw_only=True)
class SpendSensorEntityDescription(SensorEntityDescription):
    """A spend sensor: its value, and whether it resets with the month."""

    value_fn: Callable[[MonthlySpend], float | int]
    monthly: bool = True


SPEND_SENSORS: tuple[SpendSensorEntityDescription, ...] = (
    SpendSensorEntityDescription(
        key="spent_this_month",
        translation_key="spent_this_month",
        state_class=SensorStateClass.TOTAL,
        value_fn=lambda data: data.this_month.cost,
        **_AMOUNT,
    ),
    SpendSensorEntityDescription(
        key="sms_sent_this_month",
        translation_key="sms_sent_this_month",
        state_class=SensorStateClass.TOTAL,
        value_fn=lambda data: data.this_month.sms_sent,
    ),
    SpendSensorEntityDescription(
        key="spent_last_month",
        translation_key="spent_last_month",
        value_fn=lambda data: data.last_month.cost,
        monthly=False,
        **_AMOUNT,
    ),
)


def spend_sensors(coordinator: SpendCoordinator) -> list[SpendSensor]:
    """Return the spend sensors of an account."""
    return [SpendSensor(coordinator, description) for description in SPEND_SENSORS]


class SpendSensor(CoordinatorEntity[SpendCoordinator], SensorEntity):
    """A spend sensor of an account, on the account's device."""

    _attr_has_entity_name = True
    entity_description: SpendSensorEntityDescription

    def __init__(
        self, coordinator: SpendCoordinator, description: SpendSensorEntityDescription
    ) -> None:
        """Create the sensor from its description."""
        super().__init__(coordinator)
        self.entity_description = description
        entry = coordinator.config_entry
        self._attr_unique_id = f"{entry.entry_id}_{description.key}"
        self._attr_device_info = account_device_info(entry)

    @property
    def available(self) -> bool:
        """Return whether the last read succeeded; the credits do not matter."""
        return super().available and self.coordinator.data is not None

    @property
    def native_value(self) -> float | int:
        """Return the value read."""
        return self.entity_description.value_fn(self.coordinator.data)

    @property
    def last_reset(self) -> datetime | None:
        """Return the start of the month counted, for the monthly totals."""
        if self.entity_description.monthly:
            return self.coordinator.data.month_start
        return None

    @property
    def native_unit_of_measurement(self) -> str | None:
        """Return the account's currency for an amount, else no unit."""
        if self.device_class is SensorDeviceClass.MONETARY:
            return self.coordinator.config_entry.runtime_data.coordinator.data.currency
        return None
