"""Tests for the simulator's callbacks: delivery reports, replies, STOPs, call results."""

from __future__ import annotations

import asyncio
from typing import Any

import pytest

from simulator import DEMO_SMS_KEY, DEMO_VOICE_KEY, Simulator

from .conftest import Client, Receiver


async def _send(client: Client, receiver: Receiver, numbers: str, **fields: Any) -> int:
    body = {
        "apiKey": DEMO_SMS_KEY,
        "phoneNumbers": numbers,
        "message": "Alarme",
        "urlDlr": receiver.url("/dlr/secret-id"),
        "urlResponse": receiver.url("/reply/secret-id"),
    }
    response = await client.post("/sms/v1/send", json=body | fields)
    assert response.status == 200, await response.text()
    message_id: int = (await response.json())["message_id"]
    return message_id


async def _bulk(client: Client, message_id: int) -> dict[str, dict[str, Any]]:
    response = await client.get(
        "/sms/v1/bulk-status", params={"apiKey": DEMO_SMS_KEY, "messageId": message_id}
    )
    body = await response.json()
    return {e["phoneNumber"]: e for e in body["StatutResponse_List"]}


async def _control(client: Client, **command: Any) -> tuple[int, dict[str, Any]]:
    response = await client.post("/_control", json=command)
    body: dict[str, Any] = await response.json()
    return response.status, body


async def test_delivery_reports_agree_with_polling(
    client: Client, receiver: Receiver
) -> None:
    """One report per number that gets an outcome, with the polled status words."""
    numbers = "0612345678,0612345691,0612345699"
    message_id = await _send(client, receiver, numbers, urlResponse=None)

    calls = await receiver.wait(2)
    await asyncio.sleep(0.1)

    assert len(receiver.calls) == 2  # the ...99 number never reports
    reports = {c.json["phone_number"]: c.json for c in calls}
    assert {c.path for c in calls} == {"/dlr/secret-id"}
    assert {c.method for c in calls} == {"POST"}
    polled = await _bulk(client, message_id)
    for number, report in reports.items():
        assert report["message_id"] == message_id
        assert report["status"] == polled[number]["status"]
        assert report["date"] == polled[number]["date"]
    assert reports["0612345691"]["status"] == "Not delivered"
    assert polled["0612345699"]["status"] == "Waiting"


@pytest.mark.parametrize("encoding", ["form", "query"])
async def test_delivery_report_encodings(
    client: Client, receiver: Receiver, encoding: str
) -> None:
    """The control API switches delivery reports to a form body or a query string."""
    assert (await _control(client, callback_encoding=encoding))[0] == 200
    message_id = await _send(client, receiver, "0612345678")

    (call,) = await receiver.wait(1)

    fields = call.form if encoding == "form" else call.query
    assert call.method == ("POST" if encoding == "form" else "GET")
    assert fields["message_id"] == str(message_id)
    assert fields["phone_number"] == "0612345678"
    assert fields["status"] == "Delivered"


async def test_reply_and_stop(client: Client, receiver: Receiver) -> None:
    """...93 replies OK and ...94 sends STOP to the short number, after the reports."""
    message_id = await _send(client, receiver, "0612345693,+33612345694")

    await receiver.wait(4)

    replies = sorted(
        (c.json for c in receiver.on("/reply/secret-id")), key=lambda r: r["type"]
    )
    assert replies == [
        {
            "type": "response",
            "phone_number": "+33612345693",
            "text": "OK",
            "message_id": message_id,
        },
        {
            "type": "stop",
            "phone_number": "+33612345694",
            "text": "Stop",
            "message_id": message_id,
        },
    ]
    polled = await _bulk(client, message_id)
    assert polled["+33612345694"]["stopSMS"] is True
    assert polled["0612345693"]["stopSMS"] is False


async def test_long_reply_in_parts(client: Client, receiver: Receiver) -> None:
    """...95 answers at length to the long number: concat parts in order."""
    await _send(client, receiver, "0612345695", urlDlr=None, sender="33757009999")

    calls = await receiver.wait(2)

    parts = [c.json for c in calls]
    assert [p["concat-part"] for p in parts] == ["1", "2"]
    for part in parts:
        assert part["msisdn"] == "33612345695"
        assert part["to"] == "33757009999"
        assert part["type"] == "text"
        assert part["concat"] == "true"
        assert part["concat-total"] == "2"
        assert part["concat-ref"] == parts[0]["concat-ref"]
        assert set(part) >= {"messageId", "keyword", "message-timestamp"}
    assert len(parts[0]["text"]) == 153
    assert parts[0]["keyword"] == "Bien"


async def test_control_reply(client: Client, receiver: Receiver) -> None:
    """The control API makes a number reply or send STOP to its last message."""
    await _send(client, receiver, "0612345678", urlDlr=None)
    second = await _send(client, receiver, "0612345678", urlDlr=None)

    status, _ = await _control(
        client, reply={"number": "+33612345678", "text": "Bien reçu"}, stop="0612345678"
    )

    assert status == 200
    calls = await receiver.wait(2)
    by_type = {c.json["type"]: c.json for c in calls}
    assert by_type["response"]["text"] == "Bien reçu"
    assert by_type["response"]["message_id"] == second
    assert by_type["stop"]["message_id"] == second
    assert (await _bulk(client, second))["0612345678"]["stopSMS"] is True


async def test_control_long_reply_out_of_order(
    client: Client, receiver: Receiver
) -> None:
    """A long reply's parts can come last first, or one can go missing."""
    status, _ = await _control(
        client,
        reply={
            "number": "0612345678",
            "text": "x" * 400,
            "long": True,
            "url": receiver.url("/inbox"),
            "reverse": True,
            "drop_part": 2,
        },
    )

    assert status == 200
    await receiver.wait(2)
    await asyncio.sleep(0.05)
    assert [c.json["concat-part"] for c in receiver.calls] == ["3", "1"]
    assert receiver.calls[0].json["to"] == "33757001234"


@pytest.mark.parametrize(
    "command",
    [
        {"reply": {"number": "0612345678"}},  # nothing was sent to it
        {"reply": {"text": "OK"}},
        {"reply": "0612345678"},
        {"reply": {"number": "0612345678", "url": "ftp://x"}},
        {"reply": {"number": "0612345678", "url": "http://x", "text": ""}},
        {"reply": {"number": "0612345678", "url": "http://x", "drop_part": "1"}},
        {"reply": {"number": "0612345678", "url": "http://x", "colour": "red"}},
        {"stop": {"number": "0612345678", "message_id": 42}},
        {"stop": {"number": "0612345678", "message_id": "1"}},
        {"report_delay": -1},
        {"report_delay": True},
        {"callback_encoding": "xml"},
        {"subaccounts": "many"},
        {"reply": {"number": "0612345678", "url": "http://x"}, "mode": "nope"},
    ],
)
async def test_control_refused(
    client: Client, sim: Simulator, command: dict[str, Any]
) -> None:
    """An invalid command changes nothing and sends nothing."""
    status, body = await _control(client, **command)

    assert status == 400
    assert body["error"]
    assert sim.callbacks.settings.encoding == "json"
    assert sim.callbacks.settings.delay == 0.05
    assert sim.subaccounts is None
    await asyncio.sleep(0.05)
    assert not sim.callbacks.log


async def test_control_settings(client: Client) -> None:
    """GET /_control shows the report settings; reset restores them."""
    _, body = await _control(client, report_delay=7, callback_encoding="form")
    assert body["callbacks"] == {"delay": 7.0, "encoding": "form"}

    _, body = await _control(client, reset=True)

    assert body["callbacks"] == {"delay": 0.05, "encoding": "json"}


async def test_call_results(client: Client, receiver: Receiver) -> None:
    """A send's notifyUrl gets one text-to-speech result per number, as documented."""
    response = await client.post(
        "/voice/v1/tts/send",
        json={
            "apiKey": DEMO_VOICE_KEY,
            "phoneNumbers": "0612345678,0612345691,0612345692,0612345699",
            "text": "Alarme au garage, veuillez rappeler",
            "lang": "fr",
            "notifyUrl": receiver.url("/call/secret-id"),
        },
    )
    campaign_id = (await response.json())["campaignId"]

    calls = await receiver.wait(3)
    await asyncio.sleep(0.1)

    assert len(receiver.calls) == 3
    results = {c.json["phoneNumber"]: c.json for c in calls}
    answered = results["0612345678"]
    assert answered["campaignId"] == campaign_id
    assert answered["status"] == "delivered"
    assert answered["additionnal_status"] == "VOICE_ANSWERED"
    assert answered["duration"] == 3
    assert set(answered) >= {"sendAt", "doneAt", "audioFileComplementaire"}
    assert results["0612345691"]["status"] == "undelivered"
    assert results["0612345692"]["status"] == "delivered"
    assert results["0612345692"]["additionnal_status"] == "VOICE_NOT_ANSWERED"
    assert results["0612345692"]["duration"] == 0


@pytest.mark.parametrize("url", ["http://127.0.0.1:1/hook", "http://[::1"])
async def test_failing_callback(
    client: Client, sim: Simulator, receiver: Receiver, url: str
) -> None:
    """A URL that refuses or cannot be parsed is recorded; the simulator goes on."""
    message_id = await _send(client, receiver, "0612345678", urlDlr=url)
    async with asyncio.timeout(5):
        while not sim.callbacks.log:
            await asyncio.sleep(0.01)

    (record,) = await (await client.get("/_callbacks")).json()
    assert record["status"] is None
    assert record["error"]
    assert "/hook" not in record["target"]
    assert (await _bulk(client, message_id))["0612345678"]["status"] == "Delivered"


async def test_error_answer_and_no_path_in_log(
    client: Client, receiver: Receiver
) -> None:
    """A receiver answering 500 is recorded with its status, never with the path."""
    receiver.status = 500
    await _send(client, receiver, "0612345678", urlResponse=None)
    await receiver.wait(1)
    await asyncio.sleep(0.05)

    (record,) = await (await client.get("/_callbacks", params={"since": 0})).json()

    assert record["status"] == 500
    assert record["kind"] == "dlr"
    assert "secret-id" not in str(record)
    assert record["target"] == receiver.url("/").rstrip("/")
    assert (await client.get("/_callbacks", params={"since": "x"})).status == 400


async def test_reset_stops_reports(client: Client, receiver: Receiver) -> None:
    """Reset stops the reports under way."""
    await _control(client, report_delay=0.3)
    await _send(client, receiver, "0612345678")
    await _control(client, reset=True)

    await asyncio.sleep(0.5)

    assert receiver.calls == []
