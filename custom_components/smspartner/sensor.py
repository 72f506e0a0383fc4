"""Credit sensors of SMS Partner and Voice Partner accounts."""

from __future__ import annotations

from homeassistant.components.sensor import SensorEntity
from homeassistant.core import HomeAssistant
from homeassistant.helpers.entity_platform import AddConfigEntryEntitiesCallback

from .api import Credits
from .coordinator import SmsPartnerConfigEntry, SmsPartnerCoordinator
from .descriptions import SmsPartnerSensorEntityDescription
from .entity import SmsPartnerEntity

PARALLEL_UPDATES = 0


async def async_setup_entry(
    hass: HomeAssistant,
    entry: SmsPartnerConfigEntry,
    async_add_entities: AddConfigEntryEntitiesCallback,
) -> None:
    """Add the credit sensors of an entry's product."""
    async_add_entities(entry.runtime_data.coordinator.entities(SmsPartnerSensor))


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
