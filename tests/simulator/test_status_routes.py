"""Tests for the simulator's message-status, bulk-status and message-cancel routes."""

from __future__ import annotations

import asyncio
from datetime import datetime
from typing import Any

import pytest

from simulator import DEMO_SMS_KEY, DEMO_SMS_LOW_KEY, Simulator, create_app
from simulator.sending import PARIS

from .conftest import Client, ClientFactory, FakeClock

STATUS = "/sms/v1/message-status"
BULK = "/sms/v1/bulk-status"
CANCEL = "/sms/v1/message-cancel"
ME = "/sms/v1/me"
# A Wednesday at 10:00 in Paris.
MORNING = datetime(2026, 1, 14, 10, 0, tzinfo=PARIS).timestamp()


async def _get(client: Client, path: str, **params: Any) -> tuple[int, dict[str, Any]]:
    response = await client.get(path, params={"apiKey": DEMO_SMS_KEY} | params)
    body: dict[str, Any] = await response.json()
    return response.status, body


async def _send(client: Client, **fields: Any) -> int:
    body = {"apiKey": DEMO_SMS_KEY, "phoneNumbers": "0612345678", "message": "Hi"}
    response = await client.post("/sms/v1/send", json=body | fields)
    assert response.status == 200, await response.text()
    message_id: int = (await response.json())["message_id"]
    return message_id


async def _bulk(client: Client, message_id: int) -> dict[str, str]:
    status, body = await _get(client, BULK, messageId=message_id)
    assert status == 200, body
    return {e["phoneNumber"]: e["status"] for e in body["StatutResponse_List"]}


async def test_statuses_change_after_the_report_delay(client: Client) -> None:
    """Waiting first, then each number's outcome; one that never reports stays Waiting."""
    await client.post("/_control", json={"report_delay": 0.5})
    message_id = await _send(client, phoneNumbers="0612345678,0612345691,0612345699")
    assert set((await _bulk(client, message_id)).values()) == {"Waiting"}

    await asyncio.sleep(0.7)

    assert await _bulk(client, message_id) == {
        "0612345678": "Delivered",
        "0612345691": "Not delivered",
        "0612345699": "Waiting",
    }


async def test_message_status_shape(client: Client) -> None:
    """message-status answers the documented fields, `statut` in French."""
    message_id = await _send(client, phoneNumbers="0612345678,+4915123456789")
    await asyncio.sleep(0.2)

    status, body = await _get(
        client, STATUS, messageId=message_id, phoneNumber="+33612345678"
    )

    assert status == 200
    assert body["success"] is True
    assert body["code"] == 200
    assert body["number"] == "0612345678"  # as sent, whichever form was asked
    assert body["messageId"] == str(message_id)
    assert body["statut"] == "Delivered"
    assert body["stopSms"] is False
    assert body["cost"] == 0.038
    assert body["countryCode"] == "FR"
    assert body["currency"] == "EUR"
    datetime.strptime(body["date"], "%Y-%m-%d %H:%M:%S")
    _, german = await _get(
        client, STATUS, messageId=message_id, phoneNumber="+4915123456789"
    )
    assert german["countryCode"] == "DE"


async def test_bulk_status_shape(client: Client) -> None:
    """bulk-status covers every number of the send in one answer."""
    message_id = await _send(client, phoneNumbers="0612345678,0712345678")

    status, body = await _get(client, BULK, messageId=str(message_id))

    assert status == 200
    assert body["success"] is True
    assert body["message_id"] == message_id
    assert [e["phoneNumber"] for e in body["StatutResponse_List"]] == [
        "0612345678",
        "0712345678",
    ]
    assert set(body["StatutResponse_List"][0]) == {
        "phoneNumber",
        "status",
        "stopSMS",
        "date",
    }


@pytest.mark.parametrize(
    ("path", "params", "code"),
    [
        (STATUS, {"phoneNumber": "0612345678"}, 3),
        (STATUS, {"messageId": "1"}, 2),
        (STATUS, {"messageId": "1", "phoneNumber": "0699999999"}, 4),
        (STATUS, {"messageId": "999", "phoneNumber": "0612345678"}, 4),
        (STATUS, {"messageId": "abc", "phoneNumber": "0612345678"}, 4),
        (BULK, {}, 3),
        (BULK, {"messageId": "999"}, 4),
        (BULK, {"messageId": "1", "apiKey": DEMO_SMS_LOW_KEY}, 4),
        (BULK, {"messageId": "1", "apiKey": "wrong"}, 10),
        (CANCEL, {}, 3),
        (CANCEL, {"messageId": "999"}, 4),
        (CANCEL, {"messageId": "1"}, 7),
    ],
)
async def test_status_errors(
    client: Client, path: str, params: dict[str, str], code: int
) -> None:
    """Missing ids, unknown messages and numbers, other accounts' messages."""
    assert await _send(client) == 1

    status, body = await _get(client, path, **params)

    assert status == 400
    assert body == {"success": False, "code": code, "message": body["message"]}


async def test_sandbox_sends_are_not_followed(client: Client) -> None:
    """Nothing is sent in sandbox, so there is no status to ask."""
    message_id = await _send(client, sandbox=1)

    status, body = await _get(client, BULK, messageId=message_id)

    assert (status, body["code"]) == (400, 4)


@pytest.fixture
async def morning_client(
    clock: FakeClock, aiohttp_client: ClientFactory, socket_enabled: None
) -> tuple[Client, FakeClock]:
    """Return a client of a simulator whose wall clock the test moves."""
    wall = FakeClock()
    wall.now = MORNING
    return await aiohttp_client(
        create_app(Simulator(clock=clock, wall_clock=wall))
    ), wall


async def _credit(client: Client) -> str:
    _, body = await _get(client, ME)
    balance: str = body["credits"]["balance"]
    return balance


@pytest.mark.parametrize(
    ("minutes_later", "code"),
    [(29, 6), (25.5, 6), (31, 7), (34, 7)],
)
async def test_cancel_refused(
    morning_client: tuple[Client, FakeClock], minutes_later: float, code: int
) -> None:
    """Less than 5 minutes before the time: code 6; once sent: code 7."""
    client, wall = morning_client
    message_id = await _send(
        client, scheduledDeliveryDate="14/01/2026", time=10, minute=30
    )
    wall.advance(minutes_later * 60)

    status, body = await _get(client, CANCEL, messageId=message_id)

    assert (status, body["code"]) == (400, code)


async def test_cancel(morning_client: tuple[Client, FakeClock]) -> None:
    """A cancel 5 minutes ahead or more refunds the send; the message is then gone."""
    client, wall = morning_client
    before = await _credit(client)
    message_id = await _send(
        client, scheduledDeliveryDate="14/01/2026", time=10, minute=30
    )
    assert await _credit(client) != before
    wall.advance(25 * 60)

    status, body = await _get(client, CANCEL, messageId=message_id)

    assert status == 200
    assert body == {
        "success": True,
        "code": 200,
        "message": "The SMS sending has been canceled.",
    }
    assert await _credit(client) == before
    status, body = await _get(client, CANCEL, messageId=message_id)
    assert (status, body["code"]) == (400, 5)
    status, body = await _get(client, BULK, messageId=message_id)
    assert (status, body["code"]) == (400, 4)
