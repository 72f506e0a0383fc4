"""Helpers of the delivery tracker's tests: a provider answering over time, a clock."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from typing import Any
from unittest.mock import MagicMock

from freezegun.api import FrozenDateTimeFactory
from pytest_homeassistant_custom_component.common import (
    MockConfigEntry,
    async_fire_time_changed,
)

from custom_components.smspartner.api import (
    MessageStatus,
    delivery_status,
    parse_sms_send,
)
from custom_components.smspartner.tracker import DeliveryTracker
from homeassistant.core import Event, HomeAssistant
from homeassistant.util import dt as dt_util

from .conftest import SMS_SENT

MESSAGE_ID = str(SMS_SENT["message_id"])
FIRST, SECOND = "+33612345678", "+33698765432"
MINUTE = timedelta(minutes=1)
type Answer = Callable[[timedelta], dict[str, str]]


def reported(events: list[Event]) -> list[tuple[str, str, str, str]]:
    """Return message, number, status and source of each event."""
    return [
        (
            e.data["message_id"],
            e.data["phone_number"],
            e.data["status"],
            e.data["source"],
        )
        for e in events
    ]


def provider(mock_client: MagicMock, answer: Answer) -> list[timedelta]:
    """Answer sends with message 307, and its status with `answer(time since now)`.

    Return when the status was asked.
    """
    start = dt_util.utcnow()
    asked: list[timedelta] = []

    async def bulk_status(message_id: str) -> tuple[MessageStatus, ...]:
        asked.append(elapsed := dt_util.utcnow() - start)
        return tuple(
            MessageStatus(message_id, number, status, word)
            for number, word in answer(elapsed).items()
            if (status := delivery_status(word))
        )

    mock_client.async_send_sms.return_value = parse_sms_send(SMS_SENT)
    mock_client.async_get_bulk_status.side_effect = bulk_status
    return asked


async def wait(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    delta: timedelta,
    times: int = 1,
) -> None:
    """Let `delta` pass `times` times, running what falls due."""
    for _ in range(times):
        freezer.tick(delta)
        async_fire_time_changed(hass)
        await hass.async_block_till_done()


def tracker_of(entry: MockConfigEntry) -> DeliveryTracker:
    """Return the tracker of a loaded SMS Partner entry."""
    tracker = entry.runtime_data.tracker
    assert isinstance(tracker, DeliveryTracker)
    return tracker


def delivered_after(delay: timedelta) -> Answer:
    """Return an answer where FIRST is delivered `delay` after the send."""
    return lambda elapsed: {FIRST: "Delivered" if elapsed >= delay else "Waiting"}


def stored_messages(hass_storage: dict[str, Any], entry: MockConfigEntry) -> Any:
    """Return the messages the entry stored."""
    return hass_storage[f"smspartner.delivery.{entry.entry_id}"]["data"]["messages"]
