"""Credit sensors of SMS Partner and Voice Partner accounts."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from homeassistant.components.sensor import (
    SensorDeviceClass,
    SensorEntity,
    SensorEntityDescription,
    SensorStateClass,
)
from homeassistant.const import UnitOfTime
from homeassistant.core import HomeAssistant
from homeassistant.helpers.entity_platform import AddConfigEntryEntitiesCallback

from .api import SmsPartnerCredits, VoicePartnerCredits
from .const import CONF_SERVICE, SERVICE_SMS
from .coordinator import Credits, SmsPartnerConfigEntry, SmsPartnerCoordinator
from .entity import SmsPartnerEntity

PARALLEL_UPDATES = 0


@dataclass(frozen=True, kw_only=True)
class SmsPartnerSensorEntityDescription[DataT: Credits](SensorEntityDescription):
    """A credit sensor: how to read its value (and unit) from the credits."""

    value_fn: Callable[[DataT], float | int]
    unit_fn: Callable[[DataT], str] | None = None


def _balance[DataT: Credits](
    value_fn: Callable[[DataT], float],
) -> SmsPartnerSensorEntityDescription[DataT]:
    """Describe a balance sensor in the account's currency.

    Named by its own translation key, not by the monetary device class: that name is
    "Balance" on Home Assistant 2025.x but "Monetary balance" on 2026.x, which would
    make names and new entity ids depend on the release.
    """
    return SmsPartnerSensorEntityDescription(
        key="balance",
        translation_key="balance",
        device_class=SensorDeviceClass.MONETARY,
        state_class=SensorStateClass.TOTAL,
        suggested_display_precision=2,
        value_fn=value_fn,
        unit_fn=lambda data: data.currency,
    )


def _count[DataT: Credits](
    key: str, value_fn: Callable[[DataT], int]
) -> SmsPartnerSensorEntityDescription[DataT]:
    """Describe a sensor that counts credits or messages."""
    return SmsPartnerSensorEntityDescription(
        key=key,
        translation_key=key,
        state_class=SensorStateClass.MEASUREMENT,
        value_fn=value_fn,
    )


def _duration(
    key: str, value_fn: Callable[[VoicePartnerCredits], int]
) -> SmsPartnerSensorEntityDescription[VoicePartnerCredits]:
    """Describe a text-to-speech time sensor, stored in seconds, shown in minutes."""
    return SmsPartnerSensorEntityDescription(
        key=key,
        translation_key=key,
        device_class=SensorDeviceClass.DURATION,
        state_class=SensorStateClass.MEASUREMENT,
        native_unit_of_measurement=UnitOfTime.SECONDS,
        suggested_unit_of_measurement=UnitOfTime.MINUTES,
        suggested_display_precision=0,
        value_fn=value_fn,
    )


SMS_SENSORS: tuple[SmsPartnerSensorEntityDescription[SmsPartnerCredits], ...] = (
    _count("sms_credits", lambda data: data.sms),
    _count("eco_sms_credits", lambda data: data.eco_sms),
    _count("hlr_credits", lambda data: data.hlr),
    _count("messages_to_send", lambda data: data.to_send),
    _balance(lambda data: data.balance),
)

VOICE_SENSORS: tuple[SmsPartnerSensorEntityDescription[VoicePartnerCredits], ...] = (
    _balance(lambda data: data.balance),
    _count("voice_messages", lambda data: data.voice_messages),
    _duration("tts_mobile", lambda data: data.tts_mobile),
    _duration("tts_landline", lambda data: data.tts_landline),
)


async def async_setup_entry(
    hass: HomeAssistant,
    entry: SmsPartnerConfigEntry,
    async_add_entities: AddConfigEntryEntitiesCallback,
) -> None:
    """Add the credit sensors of a config entry."""
    coordinator = entry.runtime_data
    descriptions = (
        SMS_SENSORS if entry.data[CONF_SERVICE] == SERVICE_SMS else VOICE_SENSORS
    )
    async_add_entities(
        SmsPartnerSensor(coordinator, description) for description in descriptions
    )


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
