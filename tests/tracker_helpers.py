"""Helpers of the delivery tracker's tests: an entry polled on a frozen clock."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any, Literal
from unittest.mock import MagicMock

from freezegun.api import FrozenDateTimeFactory
from pytest_homeassistant_custom_component.common import (
    MockConfigEntry,
    async_capture_events,
    async_fire_time_changed,
)

from custom_components.smspartner.api import (
    MessageStatus,
    delivery_status,
    parse_sms_send,
)
from custom_components.smspartner.report_events import EVENT_MESSAGE_STATUS
from custom_components.smspartner.tracker import DeliveryTracker
from homeassistant.core import Event, HomeAssistant
from homeassistant.util import dt as dt_util

from .action_helpers import send_sms
from .conftest import SMS_SENT

MESSAGE_ID = str(SMS_SENT["message_id"])
FIRST, SECOND = "+33612345678", "+33698765432"
MINUTE = timedelta(minutes=1)
# The provider's word for each number, by the time since the send; may raise.
type Answer = Callable[[timedelta], dict[str, str]]


def delivered_after(delay: timedelta) -> Answer:
    """Return an answer where FIRST is delivered `delay` after the send."""
    return lambda elapsed: {FIRST: "Delivered" if elapsed >= delay else "Waiting"}


@dataclass
class Polling:
    """An SMS Partner entry with the client mock, its events, on a frozen clock."""

    hass: HomeAssistant
    freezer: FrozenDateTimeFactory
    entry: MockConfigEntry
    client: MagicMock
    events: list[Event[Any]] = field(init=False)

    def __post_init__(self) -> None:
        """Capture the events; sends answer message 307."""
        self.events = async_capture_events(self.hass, EVENT_MESSAGE_STATUS)
        self.client.async_send_sms.return_value = parse_sms_send(SMS_SENT)

    @property
    def tracker(self) -> DeliveryTracker:
        """Return the tracker of the loaded entry."""
        tracker = self.entry.runtime_data.tracker
        assert isinstance(tracker, DeliveryTracker)
        return tracker

    def answer(self, answer: Answer) -> list[timedelta]:
        """Answer bulk-status with `answer`; return when it was asked (since now)."""
        start = dt_util.utcnow()
        asked: list[timedelta] = []

        async def bulk_status(message_id: str) -> tuple[MessageStatus, ...]:
            asked.append(elapsed := dt_util.utcnow() - start)
            return tuple(
                MessageStatus(message_id, number, status, word)
                for number, word in answer(elapsed).items()
                if (status := delivery_status(word))
            )

        self.client.async_get_bulk_status.side_effect = bulk_status
        return asked

    async def send(self, *recipients: str, **data: Any) -> None:
        """Send "Hi" to `recipients` (FIRST by default) with smspartner.send_sms."""
        await send_sms(
            self.hass,
            self.entry,
            recipients=list(recipients or [FIRST]),
            message="Hi",
            **data,
        )

    def report(
        self,
        number: str,
        word: str,
        message_id: str = MESSAGE_ID,
        source: Literal["webhook", "poll"] = "webhook",
    ) -> None:
        """Report the provider's `word` for a number, as the webhook does."""
        status = delivery_status(word)
        assert status is not None
        self.tracker.async_report(
            MessageStatus(message_id, number, status, word), source
        )

    async def wait(self, delta: timedelta, times: int = 1) -> None:
        """Let `delta` pass `times` times, running what falls due."""
        for _ in range(times):
            self.freezer.tick(delta)
            async_fire_time_changed(self.hass)
            await self.hass.async_block_till_done()

    def reported(self) -> list[tuple[str, str, str, str]]:
        """Return message, number, status and source of each event."""
        return [
            (
                e.data["message_id"],
                e.data["phone_number"],
                e.data["status"],
                e.data["source"],
            )
            for e in self.events
        ]
