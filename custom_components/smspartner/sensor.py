"""Credit sensors of SMS Partner and Voice Partner accounts."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from homeassistant.components.sensor import SensorEntity
from homeassistant.core import HomeAssistant
from homeassistant.helpers.dispatcher import async_dispatcher_connect
from homeassistant.helpers.entity_platform import AddConfigEntryEntitiesCallback

from .api import Credits
from .balance_history import BalanceHistory
from .coordinator import AnyCoordinator, SmsPartnerConfigEntry, SmsPartnerCoordinator
from .descriptions import BALANCE_RUNS_OUT, SmsPartnerSensorEntityDescription
from .entity import SmsPartnerEntity
from .spend_sensor import spend_sensors
from .subaccount_sensor import async_add_subaccount_sensors

PARALLEL_UPDATES = 0


async def async_setup_entry(
    hass: HomeAssistant,
    entry: SmsPartnerConfigEntry,
    async_add_entities: AddConfigEntryEntitiesCallback,
) -> None:
    """Add an entry's credit sensors, balance forecast, spend and sub-accounts."""
    data = entry.runtime_data
    async_add_entities(data.coordinator.entities(SmsPartnerSensor))
    async_add_entities([BalanceRunsOutSensor(data.coordinator, data.balance_history)])
    if data.spend is not None:
        async_add_entities(spend_sensors(data.spend))
    if data.subaccounts is not None:
        async_add_subaccount_sensors(entry, data.subaccounts, async_add_entities)


class SmsPartnerSensor[DataT: Credits](SmsPartnerEntity[DataT], SensorEntity):
    """A credit sensor of an account."""

    entity_description: SmsPartnerSensorEntityDescription[DataT]

    def __init__(
        self,
        coordinator: SmsPartnerCoordinator[DataT],
        description: SmsPartnerSensorEntityDescription[DataT],
    ) -> None:
        """Create the sensor from its description."""
        super().__init__(coordinator, description.key)
        self.entity_description = description

    @property
    def native_value(self) -> float | int:
        """Return the value read from the last credits."""
        return self.entity_description.value_fn(self.coordinator.data)

    @property
    def native_unit_of_measurement(self) -> str | None:
        """Return the unit, which for a balance is the account's currency."""
        if (unit_fn := self.entity_description.unit_fn) is not None:
            return unit_fn(self.coordinator.data)
        return super().native_unit_of_measurement


# Of either product: it reads the history, not the coordinator's credits.
class BalanceRunsOutSensor(SmsPartnerEntity[Any], SensorEntity):
    """When the account's balance runs out, updated after each credit read."""

    entity_description = BALANCE_RUNS_OUT

    def __init__(self, coordinator: AnyCoordinator, history: BalanceHistory) -> None:
        """Create the sensor of the account's balance history."""
        super().__init__(coordinator, BALANCE_RUNS_OUT.key)
        self._history = history

    async def async_added_to_hass(self) -> None:
        """Follow the reads too: an unchanged balance still moves the forecast."""
        await super().async_added_to_hass()
        self.async_on_remove(
            async_dispatcher_connect(
                self.hass, self._history.signal, self.async_write_ha_state
            )
        )

    @property
    def native_value(self) -> datetime | None:
        """Return when the balance runs out, None when unknown."""
        return self._history.runs_out()
