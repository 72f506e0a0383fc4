"""A message whose delivery is followed: its numbers, its poll schedule, its storage.

The messages are kept in one Store per entry: an entry's messages belong to its
key and are loaded, saved and removed with the entry, without waiting on the
writes of other entries.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, Final

from homeassistant.core import HomeAssistant
from homeassistant.helpers.storage import Store
from homeassistant.util import dt as dt_util

from .api import DeliveryStatus, to_e164
from .const import DOMAIN

STORAGE_VERSION: Final = 1

# Polls after the send (or its scheduled time): 1, 2, 5, 15 and 30 minutes, then
# every hour up to 48 h, the longest the provider says a report can take.
POLL_AFTER: Final = tuple(
    [timedelta(minutes=minutes) for minutes in (1, 2, 5, 15, 30)]
    + [timedelta(hours=hours) for hours in range(1, 49)]
)
FOLLOW_FOR: Final = POLL_AFTER[-1]


def number_key(phone_number: str) -> str:
    """Return a number in E.164 form when it can be, so that spellings match."""
    return to_e164(phone_number) or phone_number


@dataclass(kw_only=True)
class FollowedMessage:
    """A message of the entry and the last status reported of each of its numbers.

    Numbers are in E.164 form when they can be (else as given); None: nothing
    reported yet. `next_poll` None: not polled (every number is final, the
    schedule is over, or the message was only heard of through the webhook).
    """

    message_id: str
    sent: datetime
    numbers: dict[str, DeliveryStatus | None]
    next_poll: datetime | None

    @classmethod
    def new(
        cls, message_id: str, sent: datetime, numbers: Iterable[str], *, polled: bool
    ) -> FollowedMessage:
        """Return a message sent (or first heard of) at `sent`, polled or not."""
        message = cls(
            message_id=message_id,
            sent=sent,
            numbers=dict.fromkeys(map(number_key, numbers), None),
            next_poll=None,
        )
        if polled:
            message.schedule_after(sent)
        return message

    @property
    def done(self) -> bool:
        """Return whether every number has a final status."""
        return all(status and status.is_final for status in self.numbers.values())

    @property
    def awaiting(self) -> int:
        """Return how many numbers have no final status yet."""
        return sum(not (status and status.is_final) for status in self.numbers.values())

    def schedule_after(self, now: datetime) -> None:
        """Set the next poll to the first point of the schedule after `now`, if any."""
        self.next_poll = next(
            (self.sent + after for after in POLL_AFTER if self.sent + after > now),
            None,
        )

    def expired(self, now: datetime) -> bool:
        """Return whether the message is no longer polled and past its 48 h."""
        return self.next_poll is None and now >= self.sent + FOLLOW_FOR

    def as_dict(self) -> dict[str, Any]:
        """Return the stored form."""
        return {
            "message_id": self.message_id,
            "sent": self.sent.isoformat(),
            "next_poll": self.next_poll and self.next_poll.isoformat(),
            "numbers": {
                number: status and status.value
                for number, status in self.numbers.items()
            },
        }


def _moment(value: Any) -> datetime | None:
    """Return an aware time from its stored ISO form, or None."""
    moment = dt_util.parse_datetime(value) if isinstance(value, str) else None
    if moment is None or moment.tzinfo is None:
        return None
    return moment


def load_message(stored: Any) -> FollowedMessage | None:
    """Return a message from its stored form, or None when it is not one."""
    if not isinstance(stored, Mapping):
        return None
    message_id = stored.get("message_id")
    sent = _moment(stored.get("sent"))
    numbers = stored.get("numbers")
    if not (isinstance(message_id, str) and sent and isinstance(numbers, Mapping)):
        return None
    statuses = {status.value: status for status in DeliveryStatus}
    if not all(
        isinstance(number, str)
        and (status is None or (isinstance(status, str) and status in statuses))
        for number, status in numbers.items()
    ):
        return None
    return FollowedMessage(
        message_id=message_id,
        sent=sent,
        numbers={
            number: None if status is None else statuses[status]
            for number, status in numbers.items()
        },
        next_poll=_moment(stored.get("next_poll")),
    )


def message_store(hass: HomeAssistant, entry_id: str) -> Store[dict[str, Any]]:
    """Return the Store of an entry's followed messages (phone numbers: private)."""
    return Store(hass, STORAGE_VERSION, f"{DOMAIN}.delivery.{entry_id}", private=True)


async def async_remove_messages(hass: HomeAssistant, entry_id: str) -> None:
    """Delete the stored messages of a removed entry."""
    await message_store(hass, entry_id).async_remove()
