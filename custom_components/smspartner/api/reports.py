"""Reports the providers push to a URL: replies and STOPs, delivery reports, call results.

Pure parsers: `read_report` turns a request's query string and body (JSON or
form-encoded) into a frozen dataclass. Anything unusable raises
InvalidReportError, whose text quotes no value of the report.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum
import json
from typing import Any, Final
from urllib.parse import parse_qsl

from .models import clean_text
from .phone import to_e164
from .status import MessageStatus, delivery_status

# Bodies larger than this are not reports (the largest documented is < 1 KiB).
MAX_REPORT_BODY: Final = 16 * 1024
# The query parameter that tells which kind of report a URL was given for.
KIND_PARAMETER: Final = "report"
# Parts of one concatenated SMS: its header counts them on one byte.
MAX_PARTS: Final = 255


class ReportKind(StrEnum):
    """What a webhook URL was given for (a query parameter of the URL)."""

    DELIVERY = "delivery"
    REPLY = "reply"
    CALL = "call"


class ReplyKind(StrEnum):
    """An SMS received in answer: a reply or a STOP."""

    REPLY = "reply"
    STOP = "stop"


class CallOutcome(StrEnum):
    """The `status` of a text-to-speech call."""

    DELIVERED = "delivered"
    UNDELIVERED = "undelivered"
    PENDING = "pending"


class InvalidReportError(ValueError):
    """A payload that is no report this package knows."""


@dataclass(frozen=True, slots=True)
class ReceivedSms:
    """A reply or a STOP; `to` is the long number it was sent to."""

    kind: ReplyKind
    phone_number: str
    text: str
    message_id: str | None
    to: str | None


@dataclass(frozen=True, slots=True)
class ReplyPart:
    """One part (`number` of `total`) of a long reply to a long number."""

    sms: ReceivedSms
    ref: str
    number: int
    total: int

    @property
    def key(self) -> tuple[str, str | None, str]:
        """Return what the parts of one reply share."""
        return (self.sms.phone_number, self.sms.to, self.ref)


@dataclass(frozen=True, slots=True)
class CallStatus:
    """The result of a text-to-speech call to one number; duration in seconds."""

    campaign_id: str
    phone_number: str
    status: CallOutcome
    answered: bool | None
    duration: float | None


type Report = ReceivedSms | ReplyPart | MessageStatus | CallStatus

_ANSWERED: Final = {"VOICE_ANSWERED": True, "VOICE_NOT_ANSWERED": False}


def _fields(query: Mapping[str, str], body: bytes) -> dict[str, Any]:
    """Return the fields of a request: its query string, then its body's over them.

    The body is a JSON object or form-encoded, whatever its Content-Type says
    (the delivery reports' encoding is not documented).
    """
    fields: dict[str, Any] = {k: v for k, v in query.items() if k != KIND_PARAMETER}
    text = body.decode("utf-8", "replace").strip()
    if text[:1] in ("{", "["):
        try:
            payload = json.loads(text)
        except (ValueError, RecursionError):
            raise InvalidReportError("The body is not JSON") from None
        if not isinstance(payload, dict):
            raise InvalidReportError("The body is not a JSON object")
        fields |= payload
    elif text:
        try:
            fields |= dict(parse_qsl(text, max_num_fields=100))
        except ValueError:
            raise InvalidReportError("The body has too many fields") from None
    return fields


def _optional(fields: Mapping[str, Any], *names: str) -> str | None:
    """Return the first of `names` present, as text (a JSON number becomes text)."""
    for name in names:
        value = fields.get(name)
        if isinstance(value, str) and value:
            return clean_text(value)
        if isinstance(value, int | float) and not isinstance(value, bool):
            return str(value)
        if value not in (None, ""):
            raise InvalidReportError(f"Field {name} is not text")
    return None


def _text(fields: Mapping[str, Any], *names: str) -> str:
    """Return the first of `names` present, as text; raise when none is."""
    if (text := _optional(fields, *names)) is None:
        raise InvalidReportError(f"Field {names[0]} is missing")
    return text


def _number(fields: Mapping[str, Any], *names: str) -> str:
    """Return a phone number in E.164 form when it is one, else as received."""
    number = _text(fields, *names)
    return to_e164(number) or number


def _reply(fields: Mapping[str, Any]) -> ReceivedSms | ReplyPart:
    """Parse a reply or STOP to the short number, or a reply to a long number."""
    if "msisdn" not in fields:  # short number: type is response or stop
        kind = _text(fields, "type")
        if kind not in ("response", "stop"):
            raise InvalidReportError("Field type is not a reply's")
        return ReceivedSms(
            kind=ReplyKind.STOP if kind == "stop" else ReplyKind.REPLY,
            phone_number=_number(fields, "phone_number", "phoneNumber"),
            text=_optional(fields, "text") or "",
            message_id=_optional(fields, "message_id", "messageId"),
            to=None,
        )
    # Inferred: a long number flags STOP only by its keyword.
    keyword = _optional(fields, "keyword") or ""
    sms = ReceivedSms(
        kind=ReplyKind.STOP if keyword.casefold() == "stop" else ReplyKind.REPLY,
        phone_number=_number(fields, "msisdn"),
        text=_optional(fields, "text") or "",
        message_id=None,
        to=_number(fields, "to") if fields.get("to") else None,
    )
    if str(fields.get("concat")).casefold() not in ("true", "1"):
        return sms
    try:
        number = int(_text(fields, "concat-part"))
        total = int(_text(fields, "concat-total"))
    except ValueError:
        raise InvalidReportError(
            "Field concat-part or concat-total is no number"
        ) from None
    if not 1 <= number <= total <= MAX_PARTS:
        raise InvalidReportError("Fields concat-part and concat-total are out of range")
    ref = _text(fields, "concat-ref")
    return ReplyPart(sms=sms, ref=ref, number=number, total=total)


def _delivery(fields: Mapping[str, Any]) -> MessageStatus:
    """Parse a delivery report (undocumented: both spellings of each field)."""
    word = _text(fields, "status", "statut")
    if (status := delivery_status(word)) is None:
        raise InvalidReportError("Field status holds an unknown word")
    return MessageStatus(
        message_id=_text(fields, "message_id", "messageId"),
        phone_number=_number(fields, "phone_number", "phoneNumber", "number", "msisdn"),
        status=status,
        provider_status=word,
    )


def _call(fields: Mapping[str, Any]) -> CallStatus:
    """Parse the result of a text-to-speech call."""
    try:
        status = CallOutcome(_text(fields, "status"))
    except ValueError:
        raise InvalidReportError("Field status holds an unknown word") from None
    duration = _optional(fields, "duration")
    try:
        seconds = None if duration is None else float(duration)
    except ValueError:
        raise InvalidReportError("Field duration is not a number") from None
    if seconds is not None and not 0 <= seconds < 10**6:
        raise InvalidReportError("Field duration is out of range")
    extra = _optional(fields, "additionnal_status", "additional_status")
    return CallStatus(
        campaign_id=_text(fields, "campaignId", "campaign_id"),
        phone_number=_number(fields, "phoneNumber", "phone_number"),
        status=status,
        answered=_ANSWERED.get((extra or "").upper()),
        duration=seconds,
    )


def _kind_of(fields: Mapping[str, Any]) -> ReportKind:
    """Tell a report's kind from its fields, for URLs given without a kind."""
    if "campaignId" in fields or "campaign_id" in fields:
        return ReportKind.CALL
    if "status" in fields or "statut" in fields:
        return ReportKind.DELIVERY
    return ReportKind.REPLY


_PARSERS: Final = {
    ReportKind.DELIVERY: _delivery,
    ReportKind.REPLY: _reply,
    ReportKind.CALL: _call,
}


def read_report(query: Mapping[str, str], body: bytes) -> Report:
    """Return the report a request carries.

    Its kind is the URL's KIND_PARAMETER when it has a known one, else told
    from its fields (a URL set in the customer area has none).
    """
    fields = _fields(query, body)
    hint = query.get(KIND_PARAMETER)
    kind = ReportKind(hint) if hint in set(ReportKind) else _kind_of(fields)
    return _PARSERS[kind](fields)
