"""What became of each simulated send: outcomes by number, delivery status, cancels.

The outcome of a send to a number is chosen by the number's last two digits, so a
test or a demo picks it by picking the number (see OUTCOMES). The status that
`message-status` and `bulk-status` answer changes only when the report is made
(reports.py), so polling and the callbacks always tell the same story.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Final, Literal

from .numbers import e164

Outcome = Literal[
    "delivered", "failed", "not_answered", "reply", "stop", "long_reply", "silent"
]
# Last two digits -> what happens; any other number is delivered (and answered).
OUTCOMES: Final[dict[str, Outcome]] = {
    "91": "failed",  # SMS "Not delivered"; call "undelivered"
    "92": "not_answered",  # call delivered, VOICE_NOT_ANSWERED; SMS delivered
    "93": "reply",  # SMS delivered, then the number replies "OK"
    "94": "stop",  # SMS delivered, then the number replies STOP
    "95": "long_reply",  # SMS delivered, then a long reply in concat parts
    "99": "silent",  # no report ever: stays "Waiting" / no call result
}
WAITING: Final = "Waiting"
DELIVERED: Final = "Delivered"
NOT_DELIVERED: Final = "Not delivered"
CANCEL_NOTICE: Final = timedelta(minutes=5)


def outcome(number: str) -> Outcome:
    """Return what happens to a message sent to `number`."""
    return OUTCOMES.get(number[-2:], "delivered")


class CancelRefused(Exception):
    """message-cancel refused, with the provider's code and message."""

    def __init__(self, code: int, message: str) -> None:
        """Store the documented code and message."""
        super().__init__(code, message)
        self.code = code
        self.message = message


@dataclass(kw_only=True)
class Recipient:
    """One number of an SMS send: its status word and when it last changed."""

    number: str  # as the send gave it
    status: str = WAITING
    date: datetime
    stop: bool = False


@dataclass(kw_only=True)
class TrackedSms:
    """An SMS send the simulator follows (sandbox sends are not followed)."""

    message_id: int
    key_id: str
    recipients: dict[str, Recipient]  # by E.164 form
    cost: float  # the whole send, refunded on cancel
    sent_at: datetime
    scheduled: datetime | None
    sender: str | None
    url_dlr: str | None
    url_response: str | None
    cancelled: bool = False

    @property
    def cost_each(self) -> float:
        """Return the cost of the message to one number."""
        return round(self.cost / len(self.recipients), 3)

    def recipient(self, number: str) -> Recipient | None:
        """Return the recipient `number` names, in any of its forms."""
        return self.recipients.get(e164(number))


@dataclass(kw_only=True)
class TrackedCall:
    """A text-to-speech send the simulator follows."""

    campaign_id: str
    numbers: list[str]
    duration: float
    sent_at: datetime
    scheduled: datetime | None
    notify_url: str | None


@dataclass
class Tracker:
    """The sends being followed, by message id."""

    sms: dict[int, TrackedSms] = field(default_factory=dict)

    def add_sms(self, tracked: TrackedSms) -> None:
        """Follow an SMS send."""
        self.sms[tracked.message_id] = tracked

    def find(self, key_id: str, message_id: object) -> TrackedSms | None:
        """Return a send of this key by its id (a number or its string form)."""
        try:
            tracked = self.sms.get(int(str(message_id)))
        except ValueError:
            return None
        return tracked if tracked is not None and tracked.key_id == key_id else None

    def cancelled(self, message_id: int) -> bool:
        """Return True if the send `message_id` was cancelled."""
        tracked = self.sms.get(message_id)
        return tracked is not None and tracked.cancelled

    def last_sent_to(self, number: str) -> TrackedSms | None:
        """Return the latest uncancelled send to `number` that has a reply URL."""
        for tracked in reversed(self.sms.values()):
            if (
                not tracked.cancelled
                and tracked.url_response
                and tracked.recipient(number) is not None
            ):
                return tracked
        return None

    def cancel(self, key_id: str, message_id: str, now: datetime) -> TrackedSms:
        """Cancel a scheduled send, or raise CancelRefused with the documented code."""
        if not message_id:
            raise CancelRefused(3, "Message ID is required")
        if (tracked := self.find(key_id, message_id)) is None:
            raise CancelRefused(4, "Message not found")
        if tracked.cancelled:
            raise CancelRefused(5, "The SMS has already been canceled")
        if tracked.scheduled is None or tracked.scheduled <= now:
            raise CancelRefused(7, "You cannot cancel an SMS already sent")
        if tracked.scheduled - now < CANCEL_NOTICE:
            raise CancelRefused(
                6,
                "It is not possible to cancel an SMS if it is due to be sent"
                " within the next 5 minutes",
            )
        tracked.cancelled = True
        return tracked

    def clear(self) -> None:
        """Forget every send."""
        self.sms.clear()
