"""The bodies the simulated providers push to a send's callback URLs.

Shapes from the providers' pages (see /work/shared/api-docs/more-endpoints.md):
short-number replies and STOPs, long-number replies (cut in `concat` parts when
long), text-to-speech results. The delivery-report body is not documented: the
simulator uses `message_id`, `phone_number`, `status` (the polled status words)
and `date`, spellings the API facts list (inferred).
"""

from __future__ import annotations

from datetime import datetime
from typing import Any, Final

from .numbers import e164

# A part of a long reply carries at most 153 characters, as a sent SMS does.
PART_LENGTH: Final = 153
# The rented long number replies are addressed to when the send had no digits sender.
LONG_NUMBER: Final = "33757001234"
DATE_FORMAT: Final = "%Y-%m-%d %H:%M:%S"


def delivery_report(
    message_id: int, number: str, status: str, when: datetime
) -> dict[str, Any]:
    """Return a delivery report (urlDlr) for one number of a send."""
    return {
        "message_id": message_id,
        "phone_number": number,
        "status": status,
        "date": f"{when:{DATE_FORMAT}}",
    }


def short_reply(
    number: str, text: str, message_id: int | None, *, stop: bool = False
) -> dict[str, Any]:
    """Return a reply or a STOP to the short number (urlResponse, JSON)."""
    return {
        "type": "stop" if stop else "response",
        "phone_number": e164(number),
        "text": text,
        "message_id": message_id,
    }


def long_reply(
    number: str, to: str, text: str, inbound_id: int, when: datetime
) -> list[dict[str, str]]:
    """Return a reply to a long number: one body, or its `concat` parts in order."""
    base = {
        "msisdn": e164(number).removeprefix("+"),
        "to": to,
        "type": "text",
        "keyword": (text.split() or [""])[0],
        "message-timestamp": f"{when:{DATE_FORMAT}}",
    }
    if len(text) <= 160:
        return [{**base, "messageId": _inbound_id(inbound_id, 0), "text": text}]
    parts = [text[i : i + PART_LENGTH] for i in range(0, len(text), PART_LENGTH)]
    return [
        {
            **base,
            "messageId": _inbound_id(inbound_id, index),
            "text": part,
            "concat": "true",
            "concat-ref": str(inbound_id % 256),
            "concat-total": str(len(parts)),
            "concat-part": str(index),
        }
        for index, part in enumerate(parts, start=1)
    ]


def _inbound_id(seq: int, part: int) -> str:
    """Return an id shaped like the documented "1235-1234-1233-4665"."""
    return f"{seq:04d}-{part:04d}-{seq % 9973:04d}-4665"


def call_result(
    campaign_id: str,
    number: str,
    *,
    delivered: bool,
    answered: bool,
    duration: int,
    send_at: datetime,
    done_at: datetime,
) -> dict[str, Any]:
    """Return a text-to-speech result (notifyUrl, JSON) for one number."""
    return {
        "campaignId": campaign_id,
        "status": "delivered" if delivered else "undelivered",
        "additionnal_status": "VOICE_ANSWERED" if answered else "VOICE_NOT_ANSWERED",
        "phoneNumber": number,
        "sendAt": f"{send_at:{DATE_FORMAT}}",
        "doneAt": f"{done_at:{DATE_FORMAT}}",
        "duration": duration if answered else 0,
        "audioFileComplementaire": {"status": "Deposit"},
    }
