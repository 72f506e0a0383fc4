"""What became of an SMS: the delivery status of one number, as polled or pushed."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from typing import Final


class DeliveryStatus(StrEnum):
    """The delivery status of one number of one message."""

    DELIVERED = "delivered"
    NOT_DELIVERED = "not_delivered"
    PENDING = "pending"

    @property
    def is_final(self) -> bool:
        """Return whether the status can no longer change."""
        return self is not DeliveryStatus.PENDING


# The provider's words (`statut` of message-status, `status` of bulk-status);
# compared case-folded and with spaces, hyphens and underscores alike.
_WORDS: Final = {
    "delivered": DeliveryStatus.DELIVERED,
    "notdelivered": DeliveryStatus.NOT_DELIVERED,
    "waiting": DeliveryStatus.PENDING,
}


def delivery_status(word: str) -> DeliveryStatus | None:
    """Return the status a provider's word means, or None for an unknown word."""
    folded = "".join(c for c in word.casefold() if c not in " -_")
    return _WORDS.get(folded)


@dataclass(frozen=True, slots=True)
class MessageStatus:
    """The delivery status of one number of one message."""

    message_id: str
    phone_number: str
    status: DeliveryStatus
    provider_status: str
