"""Tests of the parsers of pushed reports: every shape, spelling and encoding."""

from __future__ import annotations

import json
from typing import Any
from urllib.parse import urlencode

import pytest

from custom_components.smspartner.api import (
    CallOutcome,
    CallStatus,
    DeliveryStatus,
    InvalidReportError,
    MessageStatus,
    ReceivedSms,
    ReplyKind,
    ReplyPart,
    Report,
    read_report,
)

# The documented payloads (more-endpoints.md).
SHORT_REPLY = {
    "type": "response",
    "phone_number": "+33612345678",
    "text": "OK",
    "message_id": 1111111,
}
SHORT_STOP = {
    "type": "stop",
    "phone_number": "0612345678",
    "text": "Stop",
    "message_id": 111111,
}
LONG_REPLY = {
    "msisdn": "33612345678",
    "to": "33700000001",
    "messageId": "1235-1234-1233-4665",
    "text": "Test",
    "type": "text",
    "keyword": "Test",
    "message-timestamp": "2016-03-10 09:51:46",
}
CALL = {
    "campaignId": "XHa7GXvhy6zkhQEf4HtHG",
    "status": "delivered",
    "additionnal_status": "VOICE_ANSWERED",
    "phoneNumber": "0612345678",
    "sendAt": "2026-01-13 11:35:00",
    "doneAt": "2026-01-13 11:35:12",
    "duration": 6,
    "audioFileComplementaire": {"status": "Deposit"},
}
REPLY = ReceivedSms(
    kind=ReplyKind.REPLY,
    phone_number="+33612345678",
    text="OK",
    message_id="1111111",
    to=None,
)


def as_json(payload: dict[str, Any]) -> bytes:
    """Return a payload as a JSON body."""
    return json.dumps(payload).encode()


def as_form(payload: dict[str, Any]) -> bytes:
    """Return a flat payload as a form-encoded body."""
    return urlencode(payload).encode()


@pytest.mark.parametrize(
    ("query", "body", "report"),
    [
        ({}, as_json(SHORT_REPLY), REPLY),
        ({}, as_form(SHORT_REPLY), REPLY),
        ({k: str(v) for k, v in SHORT_REPLY.items()}, b"", REPLY),
        (
            {"report": "reply"},
            as_json(SHORT_STOP),
            ReceivedSms(ReplyKind.STOP, "+33612345678", "Stop", "111111", None),
        ),
        (
            {},
            as_form(LONG_REPLY),
            ReceivedSms(ReplyKind.REPLY, "+33612345678", "Test", None, "+33700000001"),
        ),
        (
            {},
            as_json(LONG_REPLY | {"keyword": "STOP", "text": "stop"}),
            ReceivedSms(ReplyKind.STOP, "+33612345678", "stop", None, "+33700000001"),
        ),
        (
            {},
            as_json(
                LONG_REPLY
                | {"concat": "true", "concat-ref": "171"}
                | {"concat-total": "2", "concat-part": "2", "text": "b"}
            ),
            ReplyPart(
                ReceivedSms(ReplyKind.REPLY, "+33612345678", "b", None, "+33700000001"),
                ref="171",
                number=2,
                total=2,
            ),
        ),
        (
            {},
            as_json(CALL),
            CallStatus(
                "XHa7GXvhy6zkhQEf4HtHG",
                "+33612345678",
                CallOutcome.DELIVERED,
                answered=True,
                duration=6.0,
            ),
        ),
        (
            {"report": "call"},
            as_form({"campaignId": "C1", "status": "undelivered", "phoneNumber": "x1"}),
            CallStatus(
                "C1", "x1", CallOutcome.UNDELIVERED, answered=None, duration=None
            ),
        ),
        (
            {},
            as_json(CALL | {"additionnal_status": "VOICE_NOT_ANSWERED", "duration": 0}),
            CallStatus(
                "XHa7GXvhy6zkhQEf4HtHG",
                "+33612345678",
                CallOutcome.DELIVERED,
                answered=False,
                duration=0.0,
            ),
        ),
    ],
    ids=[
        "short reply json",
        "short reply form",
        "short reply query",
        "short stop",
        "long reply form",
        "long stop keyword",
        "long reply part",
        "call answered",
        "call undelivered form",
        "call not answered",
    ],
)
def test_replies_and_calls(query: dict[str, str], body: bytes, report: Report) -> None:
    """Documented payloads, as JSON, form or query; numbers in E.164 form."""
    assert read_report(query, body) == report


@pytest.mark.parametrize(
    "fields",
    [
        {"message_id": "307", "phone_number": "+33612345678", "status": "Delivered"},
        {"messageId": 307, "phoneNumber": "0612345678", "statut": "delivered"},
        {"message_id": "307", "number": "0033612345678", "status": "DELIVERED"},
        {"messageId": "307", "msisdn": "33612345678", "statut": "Delivered"},
    ],
    ids=["snake", "camel statut", "number 00", "msisdn"],
)
@pytest.mark.parametrize("encoding", ["json", "form", "query"])
def test_delivery_reports(fields: dict[str, Any], encoding: str) -> None:
    """The undocumented delivery report: every spelling, in every encoding."""
    query = {"report": "delivery"}
    if encoding == "query":
        query |= {key: str(value) for key, value in fields.items()}
    body = {"json": as_json, "form": as_form}.get(encoding, lambda _: b"")(fields)
    report = read_report(query, body)
    assert isinstance(report, MessageStatus)
    assert report.message_id == "307"
    assert report.phone_number == "+33612345678"
    assert report.status is DeliveryStatus.DELIVERED


@pytest.mark.parametrize(
    ("word", "status"),
    [
        ("Not delivered", DeliveryStatus.NOT_DELIVERED),
        ("Waiting", DeliveryStatus.PENDING),
    ],
)
def test_delivery_report_words(word: str, status: DeliveryStatus) -> None:
    """The polled status words; the provider's own word is kept; no hint needed."""
    report = read_report(
        {},
        as_json({"message_id": "1", "phone_number": "+4915123456789", "status": word}),
    )
    assert report == MessageStatus("1", "+4915123456789", status, word)


def test_number_kept_as_received() -> None:
    """A number that cannot be put in E.164 form is kept as received."""
    report = read_report({}, as_json(SHORT_REPLY | {"phone_number": "SHORTCODE"}))
    assert isinstance(report, ReceivedSms)
    assert report.phone_number == "SHORTCODE"


@pytest.mark.parametrize(
    ("query", "body"),
    [
        ({}, b""),
        ({}, b"{not json"),
        ({}, b"[1, 2]"),
        ({}, b"{" * 100_000),
        ({}, as_json({"type": "unknown", "phone_number": "1"})),
        ({}, as_json(SHORT_REPLY | {"phone_number": None})),
        ({}, as_json(SHORT_REPLY | {"phone_number": {"a": 1}})),
        ({}, as_json(SHORT_REPLY | {"text": ["a"]})),
        ({}, as_json(SHORT_REPLY | {"message_id": True})),
        ({"report": "delivery"}, as_json({"message_id": "1", "phone_number": "1"})),
        ({}, as_json({"message_id": "1", "phone_number": "1", "status": "Lost"})),
        ({}, as_json(CALL | {"status": "ringing"})),
        ({}, as_json(CALL | {"duration": "long"})),
        ({}, as_json(CALL | {"duration": -1})),
        ({}, as_json(CALL | {"duration": 1e300})),
        ({}, as_json(LONG_REPLY | {"concat": "true", "concat-ref": "1"})),
        (
            {},
            as_json(
                LONG_REPLY
                | {
                    "concat": "1",
                    "concat-ref": "1",
                    "concat-total": "2",
                    "concat-part": "3",
                }
            ),
        ),
        (
            {},
            as_json(
                LONG_REPLY
                | {
                    "concat": "true",
                    "concat-ref": "1",
                    "concat-total": "300",
                    "concat-part": "1",
                }
            ),
        ),
        (
            {},
            as_json(
                LONG_REPLY | {"concat": "true", "concat-total": "2", "concat-part": "1"}
            ),
        ),
        ({}, "&".join(f"f{n}=1" for n in range(200)).encode()),
    ],
    ids=[
        "empty",
        "broken json",
        "json list",
        "deep json",
        "unknown type",
        "no number",
        "object number",
        "list text",
        "bool id",
        "no status",
        "unknown status",
        "unknown call status",
        "text duration",
        "negative duration",
        "huge duration",
        "part without numbers",
        "part beyond total",
        "too many parts",
        "part without ref",
        "too many fields",
    ],
)
def test_invalid_reports(query: dict[str, str], body: bytes) -> None:
    """Anything else is refused with an error that quotes no value."""
    with pytest.raises(InvalidReportError) as err:
        read_report(query, body)
    assert "+336" not in str(err.value)
