"""Tests of the event entities: received SMS, delivery reports, call results."""

from __future__ import annotations

from enum import Enum
from typing import Any

import pytest
from pytest_homeassistant_custom_component.common import MockConfigEntry
from syrupy.assertion import SnapshotAssertion

from custom_components.smspartner.product import Product
from custom_components.smspartner.report_events import (
    EVENT_CALL_STATUS,
    EVENT_MESSAGE_STATUS,
    EVENT_SMS_RECEIVED,
)
from homeassistant.const import STATE_UNKNOWN
from homeassistant.core import HomeAssistant
from homeassistant.helpers import entity_registry as er

from .conftest import NOW

pytestmark = pytest.mark.usefixtures("frozen_time")

RECEIVED = "event.sms_partner_received_sms"
DELIVERY = "event.sms_partner_delivery_report"
CALL = "event.voice_partner_call_result"
STATUS = {
    "message_id": "307",
    "phone_number": "+33612345678",
    "provider_status": "Delivered",
    "status": "delivered",
    "source": "poll",
}
CALL_RESULT = {
    "campaign_id": "C1",
    "phone_number": "+33612345678",
    "status": "delivered",
    "answered": True,
    "duration": 6.0,
}


def shown(hass: HomeAssistant, entity_id: str) -> dict[str, Any]:
    """Return an event entity's state and attributes (names as text on every version)."""
    state = hass.states.get(entity_id)
    assert state is not None
    attributes = {
        key.value if isinstance(key, Enum) else key: value
        for key, value in state.attributes.items()
    }
    return {"state": state.state, **attributes}


async def fire(
    hass: HomeAssistant, entry: MockConfigEntry, event: str, **data: Any
) -> None:
    """Fire a report event of `entry`."""
    hass.bus.async_fire(event, {"config_entry_id": entry.entry_id, **data})
    await hass.async_block_till_done()


@pytest.mark.parametrize("product", [Product.SMS_PARTNER], ids=str)
async def test_sms_events(
    hass: HomeAssistant, init_integration: MockConfigEntry, snapshot: SnapshotAssertion
) -> None:
    """Replies, STOPs and delivery reports (polled ones too) show on the device."""
    entry = init_integration
    registry = er.async_get(hass)
    for entity_id in (RECEIVED, DELIVERY):
        registered = registry.async_get(entity_id)
        assert registered is not None
        assert registered.unique_id.startswith(entry.entry_id)
        assert registered.device_id is not None
        assert shown(hass, entity_id)["state"] == STATE_UNKNOWN

    sms = {"phone_number": "+33612345678", "message_id": "307", "to": None}
    await fire(hass, entry, EVENT_SMS_RECEIVED, kind="stop", text="STOP", **sms)
    await fire(hass, entry, EVENT_SMS_RECEIVED, kind="reply", text="OK", **sms)
    await fire(hass, entry, EVENT_MESSAGE_STATUS, **STATUS)
    # The state is the time of the last event (to the millisecond, which
    # Home Assistant 2026 may round up).
    for entity_id, name in ((RECEIVED, "received"), (DELIVERY, "delivery")):
        attributes = shown(hass, entity_id)
        assert attributes.pop("state").startswith(NOW.replace(" ", "T")[:19])
        assert attributes == snapshot(name=name)


@pytest.mark.parametrize("product", [Product.SMS_PARTNER], ids=str)
async def test_other_reports_ignored(
    hass: HomeAssistant, init_integration: MockConfigEntry
) -> None:
    """Another entry's reports and pending statuses change nothing."""
    other = MockConfigEntry(domain="smspartner", entry_id="other")
    await fire(hass, other, EVENT_MESSAGE_STATUS, **STATUS)
    pending = STATUS | {"status": "pending", "provider_status": "Waiting"}
    await fire(hass, init_integration, EVENT_MESSAGE_STATUS, **pending)
    assert shown(hass, DELIVERY)["state"] == STATE_UNKNOWN


@pytest.mark.parametrize("product", [Product.VOICE_PARTNER], ids=str)
@pytest.mark.parametrize(
    ("result", "event_type"),
    [
        ({}, "answered"),
        ({"answered": False, "duration": 0.0}, "not_answered"),
        ({"status": "undelivered", "answered": None, "duration": None}, "undelivered"),
        ({"status": "pending", "answered": None}, None),
        ({"answered": None}, None),
    ],
)
async def test_call_results(
    hass: HomeAssistant,
    init_integration: MockConfigEntry,
    result: dict[str, Any],
    event_type: str | None,
) -> None:
    """A call's result: answered, not answered or undelivered; others are none."""
    await fire(hass, init_integration, EVENT_CALL_STATUS, **CALL_RESULT | result)
    attributes = shown(hass, CALL)
    assert attributes.get("event_type") == event_type
    if event_type is not None:
        assert attributes["campaign_id"] == "C1"
        assert "config_entry_id" not in attributes


@pytest.mark.parametrize("product", [Product.VOICE_PARTNER], ids=str)
async def test_call_result_entity(
    hass: HomeAssistant, init_integration: MockConfigEntry, snapshot: SnapshotAssertion
) -> None:
    """The call result entity, after an answered call."""
    await fire(hass, init_integration, EVENT_CALL_STATUS, **CALL_RESULT)
    attributes = shown(hass, CALL)
    assert attributes.pop("state") != STATE_UNKNOWN
    assert attributes == snapshot
