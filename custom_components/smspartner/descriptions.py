"""What each credit sensor of a product reads from its account's credits."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace

from homeassistant.components.sensor import (
    SensorDeviceClass,
    SensorEntityDescription,
    SensorStateClass,
)
from homeassistant.const import UnitOfTime

from .api import Credits, SmsPartnerCredits, VoicePartnerCredits


@dataclass(frozen=True, kw_only=True)
class SmsPartnerSensorEntityDescription[DataT: Credits](SensorEntityDescription):
    """A credit sensor: how to read its value (and unit) from the credits."""

    value_fn: Callable[[DataT], float | int]
    unit_fn: Callable[[DataT], str] | None = None


def _count[DataT: Credits](
    key: str, value_fn: Callable[[DataT], int]
) -> SmsPartnerSensorEntityDescription[DataT]:
    """Return a sensor of how many messages (or credits) of one kind are left."""
    return SmsPartnerSensorEntityDescription(
        key=key,
        translation_key=key,
        state_class=SensorStateClass.MEASUREMENT,
        value_fn=value_fn,
    )


def _tts_time(
    key: str, value_fn: Callable[[VoicePartnerCredits], int]
) -> SmsPartnerSensorEntityDescription[VoicePartnerCredits]:
    """Return a sensor of text-to-speech time: stored in seconds, shown in minutes."""
    return replace(
        _count(key, value_fn),
        device_class=SensorDeviceClass.DURATION,
        native_unit_of_measurement=UnitOfTime.SECONDS,
        suggested_unit_of_measurement=UnitOfTime.MINUTES,
        suggested_display_precision=0,
    )


def _balance[DataT: Credits]() -> SmsPartnerSensorEntityDescription[DataT]:
    """Return the sensor of the account's money balance, for either product.

    Its own name: the monetary device class's name differs between Home
    Assistant versions ("Balance", then "Monetary balance").
    """
    return SmsPartnerSensorEntityDescription(
        key="balance",
        translation_key="balance",
        device_class=SensorDeviceClass.MONETARY,
        state_class=SensorStateClass.TOTAL,
        suggested_display_precision=2,
        value_fn=lambda data: data.balance,
        unit_fn=lambda data: data.currency,
    )


SMS_SENSORS: tuple[SmsPartnerSensorEntityDescription[SmsPartnerCredits], ...] = (
    _count("sms_credits", lambda data: data.sms),
    _count("eco_sms_credits", lambda data: data.eco_sms),
    _count("hlr_credits", lambda data: data.hlr),
    _count("messages_to_send", lambda data: data.to_send),
    _balance(),
)

VOICE_SENSORS: tuple[SmsPartnerSensorEntityDescription[VoicePartnerCredits], ...] = (
    _balance(),
    _count("voice_messages", lambda data: data.voice_messages),
    _tts_time("tts_mobile", lambda data: data.tts_mobile),
    _tts_time("tts_landline", lambda data: data.tts_landline),
)

# When the balance runs out (forecast.runs_out), for both products.
BALANCE_RUNS_OUT = SensorEntityDescription(
    key="balance_runs_out",
    translation_key="balance_runs_out",
    device_class=SensorDeviceClass.TIMESTAMP,
)
