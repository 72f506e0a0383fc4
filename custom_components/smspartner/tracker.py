"""What became of the SMS an entry sent: polled on a back-off, each status reported once."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import replace
from datetime import datetime, timedelta
from typing import Any, Final, Literal

from homeassistant.core import CALLBACK_TYPE, HomeAssistant, callback
from homeassistant.helpers.event import async_track_point_in_utc_time
from homeassistant.util import dt as dt_util

from .api import (
    MAX_RECIPIENTS,
    MessageStatus,
    SmsPartnerClient,
    SmsPartnerError,
    SmsPartnerRateLimitError,
)
from .const import DOMAIN, LOGGER
from .coordinator import AnyCoordinator, SmsPartnerConfigEntry
from .followed import FollowedMessage, load_message, message_store, number_key
from .report_events import EVENT_MESSAGE_STATUS, event_data

SAVE_DELAY: Final = 10.0
# Memory and storage stay bounded: beyond either cap the oldest messages are
# forgotten first, those no longer polled before those still polled. A message
# forgotten is no longer polled, and a late report of it is fired as new.
MAX_MESSAGES: Final = 500
MAX_NUMBERS: Final = 20_000


class DeliveryTracker:
    """The messages an SMS Partner entry follows, and the statuses reported of them."""

    def __init__(
        self,
        hass: HomeAssistant,
        entry: SmsPartnerConfigEntry,
        client: SmsPartnerClient,
        label: str,
    ) -> None:
        """Follow the messages `client` sends for `entry` (`label` names it in logs)."""
        self._hass = hass
        self._entry = entry
        self._client = client
        self._label = label
        self._store = message_store(hass, entry.entry_id)
        self._messages: dict[str, FollowedMessage] = {}
        # No status request before this time, after a spent budget or a 429.
        self._not_before: datetime | None = None
        self._unsub_timer: CALLBACK_TYPE | None = None
        self._polling = False
        self._stopped = False

    def diagnostics(self) -> dict[str, int]:
        """Return how many messages and numbers are followed and remembered."""
        polled = [m for m in self._messages.values() if m.next_poll is not None]
        return {
            "messages_followed": len(polled),
            "numbers_awaiting_final_status": sum(m.awaiting for m in polled),
            "messages_remembered": len(self._messages),
        }

    async def async_load(self) -> None:
        """Load the stored messages and poll those due."""
        stored = await self._store.async_load()
        messages = stored.get("messages") if isinstance(stored, dict) else None
        for raw in messages[-MAX_MESSAGES:] if isinstance(messages, list) else ():
            if (message := load_message(raw)) is not None:
                self._messages[message.message_id] = message
        self._tidy()
        self._schedule()

    async def async_stop(self) -> None:
        """Stop polling and save the messages now."""
        self._stopped = True
        self._cancel_timer()
        await self._store.async_save(self._data())

    @callback
    def async_track(
        self, message_id: str, numbers: Iterable[str], *, at: datetime | None = None
    ) -> None:
        """Follow a message sent now (or scheduled `at`) until its statuses are final."""
        message = FollowedMessage.new(
            message_id, at or dt_util.utcnow(), numbers, polled=True
        )
        self._messages[message_id] = message
        LOGGER.debug(
            "%s: following message %s to %d numbers",
            self._label,
            message_id,
            len(message.numbers),
        )
        self._changed()

    @callback
    def async_forget(self, message_id: str) -> None:
        """Stop following a message (it was cancelled)."""
        if self._messages.pop(message_id, None) is not None:
            self._changed()

    @callback
    def async_report(
        self, status: MessageStatus, source: Literal["webhook", "poll"]
    ) -> None:
        """Fire smspartner_message_status unless this number already had it.

        A number's pending status is fired once, its final status once, and
        nothing after it; a number reported final is no longer polled.
        """
        self._report(status, source)
        self._changed()

    def _report(self, status: MessageStatus, source: str) -> None:
        """Fire the event of a status unless already fired (async_report)."""
        number = number_key(status.phone_number)
        if (message := self._messages.get(status.message_id)) is None:
            # Not sent from here (or forgotten): remembered, not polled.
            message = FollowedMessage.new(
                status.message_id, dt_util.utcnow(), (), polled=False
            )
            self._messages[status.message_id] = message
        last = message.numbers.get(number)
        if last is not None and (last.is_final or not status.status.is_final):
            return
        if number in message.numbers or len(message.numbers) < MAX_RECIPIENTS:
            message.numbers[number] = status.status
        if message.done:
            message.next_poll = None
        data = event_data(self._entry.entry_id, replace(status, phone_number=number))
        self._hass.bus.async_fire(EVENT_MESSAGE_STATUS, data | {"source": source})

    def _changed(self) -> None:
        """Tidy, reschedule and save after a change."""
        self._tidy()
        self._schedule()
        self._store.async_delay_save(self._data, SAVE_DELAY)

    def _data(self) -> dict[str, Any]:
        """Return the stored form of the messages."""
        return {"messages": [m.as_dict() for m in self._messages.values()]}

    def _tidy(self) -> None:
        """Forget the messages past their 48 h, then the oldest beyond the caps."""
        now = dt_util.utcnow()
        for message in [m for m in self._messages.values() if m.expired(now)]:
            del self._messages[message.message_id]
        numbers = sum(len(m.numbers) for m in self._messages.values())
        while len(self._messages) > MAX_MESSAGES or numbers > MAX_NUMBERS:
            oldest = min(
                self._messages.values(), key=lambda m: (m.next_poll is not None, m.sent)
            )
            del self._messages[oldest.message_id]
            numbers -= len(oldest.numbers)
            LOGGER.debug(
                "%s: too many messages followed, message %s forgotten",
                self._label,
                oldest.message_id,
            )

    def _cancel_timer(self) -> None:
        """Cancel the timer of the next poll."""
        if self._unsub_timer is not None:
            self._unsub_timer()
            self._unsub_timer = None

    def _schedule(self) -> None:
        """Set the timer to the next poll due, unless polling is under way."""
        self._cancel_timer()
        due = min(
            (m.next_poll for m in self._messages.values() if m.next_poll), default=None
        )
        if due is None or self._polling or self._stopped:
            return
        if self._not_before is not None:
            due = max(due, self._not_before)
        self._unsub_timer = async_track_point_in_utc_time(self._hass, self._due, due)

    @callback
    def _due(self, now: datetime) -> None:
        """Poll the messages due, in the background."""
        self._unsub_timer = None
        self._polling = True
        self._entry.async_create_background_task(
            self._hass, self._async_poll_due(), f"{DOMAIN} delivery status"
        )

    async def _async_poll_due(self) -> None:
        """Ask the status of each message due, oldest first, within the budget."""
        try:
            while due := [
                m
                for m in self._messages.values()
                if m.next_poll and m.next_poll <= dt_util.utcnow()
            ]:
                if not await self._async_poll(min(due, key=lambda m: m.sent)):
                    break
        finally:
            self._polling = False
            self._schedule()

    async def _async_poll(self, message: FollowedMessage) -> bool:
        """Ask the status of a message; return False when the budget is spent."""
        try:
            statuses = await self._client.async_get_bulk_status(message.message_id)
        except SmsPartnerRateLimitError as err:
            LOGGER.debug("%s: status requests paused: %s", self._label, err)
            self._not_before = dt_util.utcnow() + timedelta(seconds=err.retry_after)
            return False
        except SmsPartnerError as err:
            LOGGER.debug(
                "%s: status of message %s not read: %s",
                self._label,
                message.message_id,
                type(err).__name__,
            )
            statuses = ()
        if self._messages.get(message.message_id) is message:
            for status in statuses:
                self._report(status, "poll")
            if message.next_poll is not None:
                message.schedule_after(dt_util.utcnow())
            self._changed()
        return True


async def async_setup_tracker(
    hass: HomeAssistant, entry: SmsPartnerConfigEntry, coordinator: AnyCoordinator
) -> DeliveryTracker | None:
    """Load the tracker of an SMS Partner entry, stopped on unload (None for Voice)."""
    if not isinstance(client := coordinator.client, SmsPartnerClient):
        return None
    tracker = DeliveryTracker(hass, entry, client, coordinator.label)
    await tracker.async_load()
    entry.async_on_unload(tracker.async_stop)
    return tracker
