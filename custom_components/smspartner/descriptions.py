"""What each credit sensor of a product reads from its account's credits."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

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


SMS_SENSORS: tuple[SmsPartnerSensorEntityDescription[SmsPartnerCredits], ...] = (
    SmsPartnerSensorEntityDescription(
        key="sms_credits",
        translation_key="sms_credits",
        state_class=SensorStateClass.MEASUREMENT,
        value_fn=lambda data: data.sms,
    ),
    SmsPartnerSensorEntityDescription(
        key="eco_sms_credits",
        translation_key="eco_sms_credits",
        state_class=SensorStateClass.MEASUREMENT,
        value_fn=lambda data: data.eco_sms,
    ),
    SmsPartnerSensorEntityDescription(
        key="hlr_credits",
        translation_key="hlr_credits",
        state_class=SensorStateClass.MEASUREMENT,
        value_fn=lambda data: data.hlr,
    ),
    SmsPartnerSensorEntityDescription(
        key="messages_to_send",
        translation_key="messages_to_send",
        state_class=SensorStateClass.MEASUREMENT,
        value_fn=lambda data: data.to_send,
    ),
    # Its own name: the monetary device class's name differs between Home
    # Assistant versions ("Balance", then "Monetary balance").
    SmsPartnerSensorEntityDescription(
        key="balance",
        translation_key="balance",
        device_class=SensorDeviceClass.MONETARY,
        state_class=SensorStateClass.TOTAL,
        suggested_display_precision=2,
        value_fn=lambda data: data.balance,
        unit_fn=lambda data: data.currency,
    ),
)

VOICE_SENSORS: tuple[SmsPartnerSensorEntityDescription[VoicePartnerCredits], ...] = (
    SmsPartnerSensorEntityDescription(
        key="balance",
        translation_key="balance",
        device_class=SensorDeviceClass.MONETARY,
        state_class=SensorStateClass.TOTAL,
        suggested_display_precision=2,
        value_fn=lambda data: data.balance,
        unit_fn=lambda data: data.currency,
    ),
    SmsPartnerSensorEntityDescription(
        key="voice_messages",
        translation_key="voice_messages",
        state_class=SensorStateClass.MEASUREMENT,
        value_fn=lambda data: data.voice_messages,
    ),
    # Text-to-speech time: stored in seconds, shown in minutes.
    SmsPartnerSensorEntityDescription(
        key="tts_mobile",
        translation_key="tts_mobile",
        device_class=SensorDeviceClass.DURATION,
        state_class=SensorStateClass.MEASUREMENT,
        native_unit_of_measurement=UnitOfTime.SECONDS,
        suggested_unit_of_measurement=UnitOfTime.MINUTES,
        suggested_display_precision=0,
        value_fn=lambda data: data.tts_mobile,
    ),
    SmsPartnerSensorEntityDescription(
        key="tts_landline",
        translation_key="tts_landline",
        device_class=SensorDeviceClass.DURATION,
        state_class=SensorStateClass.MEASUREMENT,
        native_unit_of_measurement=UnitOfTime.SECONDS,
        suggested_unit_of_measurement=UnitOfTime.MINUTES,
        suggested_display_precision=0,
        value_fn=lambda data: data.tts_landline,
    ),
)

# When the balance runs out (forecast.runs_out), for both products.
BALANCE_RUNS_OUT = SensorEntityDescription(
    key="balance_runs_out",
    translation_key="balance_runs_out",
    device_class=SensorDeviceClass.TIMESTAMP,
)
