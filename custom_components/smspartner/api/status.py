"""What became of an SMS: the delivery status of one number, as polled or pushed."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum
from typing import Any, Final

from .exceptions import SmsPartnerInvalidResponseError
from .models import clean_text


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


# A provider's status word is kept as `provider_status`: at most this long.
MAX_WORD: Final = 50


def _word(entry: Mapping[str, Any], *fields: str) -> str | None:
    """Return the first of `fields` that holds text or a number, as text."""
    for field in fields:
        value = entry.get(field)
        if isinstance(value, str | int) and not isinstance(value, bool) and value != "":
            return clean_text(str(value))
    return None


def parse_bulk_status(
    payload: Mapping[str, Any], message_id: str
) -> tuple[MessageStatus, ...]:
    """Parse the body of GET /v1/bulk-status: the status of each number of a send.

    An entry without a number or a status is skipped. A word the provider does
    not document is taken as pending (inferred): it is not known to be final,
    so the number is asked again later.
    """
    entries = payload.get("StatutResponse_List")
    if not isinstance(entries, list):
        raise SmsPartnerInvalidResponseError("Field StatutResponse_List is missing")
    statuses = []
    for entry in entries:
        if not isinstance(entry, Mapping):
            continue
        number = _word(entry, "phoneNumber", "number")
        word = _word(entry, "status", "statut")
        if number is None or word is None:
            continue
        word = word[:MAX_WORD]
        statuses.append(
            MessageStatus(
                message_id=message_id,
                phone_number=number,
                status=delivery_status(word) or DeliveryStatus.PENDING,
                provider_status=word,
            )
        )
    return tuple(statuses)
