"""The bus events of reports: names, data, and how a pushed report is fired.

The names and fields are a contract: automations and blueprints depend on them.
"""

from __future__ import annotations

from dataclasses import asdict
from enum import Enum
from typing import Any, Final

from homeassistant.core import HomeAssistant, callback

from .api import CallStatus, MessageStatus, ReceivedSms

EVENT_SMS_RECEIVED: Final = "smspartner_sms_received"
EVENT_MESSAGE_STATUS: Final = "smspartner_message_status"
EVENT_CALL_STATUS: Final = "smspartner_call_status"
ATTR_CONFIG_ENTRY_ID: Final = "config_entry_id"


def event_data(
    entry_id: str, report: ReceivedSms | MessageStatus | CallStatus
) -> dict[str, Any]:
    """Return a report's fields as an event's data (enums as their values)."""
    fields = {
        name: value.value if isinstance(value, Enum) else value
        for name, value in asdict(report).items()
    }
    return {ATTR_CONFIG_ENTRY_ID: entry_id, **fields}


@callback
def async_fire_report(
    hass: HomeAssistant, entry_id: str, report: ReceivedSms | CallStatus
) -> None:
    """Fire the event of a received SMS or of a call's result."""
    event = EVENT_SMS_RECEIVED if isinstance(report, ReceivedSms) else EVENT_CALL_STATUS
    hass.bus.async_fire(event, event_data(entry_id, report))
