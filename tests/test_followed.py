"""Tests of the followed messages' Store: across a reload, a restart, a removal."""

from __future__ import annotations

from datetime import timedelta
from typing import Any
from unittest.mock import MagicMock

from freezegun.api import FrozenDateTimeFactory
import pytest
from pytest_homeassistant_custom_component.common import (
    MockConfigEntry,
    async_capture_events,
)

from custom_components.smspartner.api import DeliveryStatus, MessageStatus
from custom_components.smspartner.const import EVENT_MESSAGE_STATUS
from custom_components.smspartner.product import Product
from homeassistant.core import HomeAssistant
from homeassistant.util import dt as dt_util

from .action_helpers import send_sms
from .conftest import setup_integration
from .tracker_helpers import (
    FIRST,
    MESSAGE_ID,
    MINUTE,
    delivered_after,
    provider,
    reported,
    stored_messages,
    tracker_of,
    wait,
)

pytestmark = [
    pytest.mark.usefixtures("frozen_time"),
    pytest.mark.parametrize("product", [Product.SMS_PARTNER], ids=str),
]


async def test_store_across_reload(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    init_integration: MockConfigEntry,
    mock_client: MagicMock,
    hass_storage: dict[str, Any],
) -> None:
    """An unloaded entry saves what it follows; set up again, it polls what is due."""
    events = async_capture_events(hass, EVENT_MESSAGE_STATUS)
    asked = provider(mock_client, delivered_after(3 * MINUTE))
    await send_sms(hass, init_integration, recipients=FIRST, message="Hi")
    await wait(hass, freezer, MINUTE)

    assert await hass.config_entries.async_unload(init_integration.entry_id)
    assert stored_messages(hass_storage, init_integration) == [
        {
            "message_id": MESSAGE_ID,
            "sent": "2026-07-14T08:00:00+00:00",
            "next_poll": "2026-07-14T08:02:00+00:00",
            "numbers": {FIRST: "pending"},
        }
    ]
    await wait(hass, freezer, MINUTE, 10)
    assert await hass.config_entries.async_setup(init_integration.entry_id)
    await wait(hass, freezer, timedelta())

    assert asked == [MINUTE, 11 * MINUTE]
    assert reported(events) == [
        (MESSAGE_ID, FIRST, "pending", "poll"),
        (MESSAGE_ID, FIRST, "delivered", "poll"),
    ]


async def test_start_with_stored_messages(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    mock_config_entry: MockConfigEntry,
    mock_client: MagicMock,
    hass_storage: dict[str, Any],
) -> None:
    """Stored messages are followed after a restart; unusable records are dropped."""
    events = async_capture_events(hass, EVENT_MESSAGE_STATUS)
    now = dt_util.utcnow()

    def record(message_id: str, sent: timedelta, **data: Any) -> dict[str, Any]:
        return {"message_id": message_id, "sent": (now - sent).isoformat()} | data

    key = f"smspartner.delivery.{mock_config_entry.entry_id}"
    hass_storage[key] = {
        "version": 1,
        "key": key,
        "data": {
            "messages": [
                # Due an hour ago (Home Assistant was stopped): polled at once.
                record(
                    "1",
                    timedelta(hours=2),
                    next_poll=(now - timedelta(hours=1)).isoformat(),
                    numbers={FIRST: None},
                ),
                # Due in 30 s.
                record(
                    "2",
                    timedelta(seconds=90),
                    next_poll=(now + MINUTE / 2).isoformat(),
                    numbers={FIRST: "pending"},
                ),
                # Final: no longer polled, remembered.
                record("3", MINUTE, next_poll=None, numbers={FIRST: "delivered"}),
                # Past 48 h: dropped.
                record(
                    "4", timedelta(hours=49), next_poll=None, numbers={FIRST: "pending"}
                ),
                # Unusable records.
                "junk",
                {"message_id": 5},
                record("6", MINUTE, numbers={FIRST: "lost"}),
                record("7", MINUTE, numbers=[FIRST]),
                {"message_id": "8", "sent": "2026-07-14T08:00:00", "numbers": {}},
            ]
        },
    }
    asked = provider(mock_client, delivered_after(timedelta()))

    await setup_integration(hass, mock_config_entry)
    await wait(hass, freezer, timedelta())
    tracker = tracker_of(mock_config_entry)
    assert tracker.diagnostics() == {
        "messages_followed": 1,
        "numbers_awaiting_final_status": 1,
        "messages_remembered": 3,
    }
    tracker.async_report(
        MessageStatus("3", FIRST, DeliveryStatus.DELIVERED, "Delivered"), "webhook"
    )
    await wait(hass, freezer, MINUTE / 2)

    assert asked == [timedelta(), MINUTE / 2]
    assert reported(events) == [
        ("1", FIRST, "delivered", "poll"),
        ("2", FIRST, "delivered", "poll"),
    ]


async def test_remove_entry(
    hass: HomeAssistant,
    init_integration: MockConfigEntry,
    hass_storage: dict[str, Any],
) -> None:
    """A removed entry's stored messages are deleted."""
    tracker_of(init_integration).async_track(MESSAGE_ID, [FIRST])
    await hass.config_entries.async_unload(init_integration.entry_id)
    assert stored_messages(hass_storage, init_integration)

    await hass.config_entries.async_remove(init_integration.entry_id)

    assert f"smspartner.delivery.{init_integration.entry_id}" not in hass_storage
