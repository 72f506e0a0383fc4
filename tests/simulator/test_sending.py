"""Tests for the simulator's send endpoints and its outbox."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

import pytest

from simulator import DEMO_SMS_KEY, DEMO_SMS_LOW_KEY, DEMO_VOICE_KEY, Simulator, key_id
from simulator.limits import SlidingWindowLimiter
from simulator.sending import PARIS, sms_segments

from .conftest import Client

SMS_SEND = "/sms/v1/send"
VOICE_SEND = "/voice/v1/tts/send"
SMS_ME = "/sms/v1/me"
VOICE_ME = "/voice/v1/me/"


async def _post(client: Client, path: str, body: Any) -> tuple[int, dict[str, Any]]:
    response = await client.post(path, json=body)
    result: dict[str, Any] = await response.json()
    return response.status, result


async def _messages(client: Client) -> list[dict[str, Any]]:
    response = await client.get("/_messages")
    assert response.status == 200
    result: list[dict[str, Any]] = await response.json()
    return result


def _sms(**fields: Any) -> dict[str, Any]:
    return {
        "apiKey": DEMO_SMS_KEY,
        "phoneNumbers": "0612345678",
        "message": "Hi",
    } | fields


def _voice(**fields: Any) -> dict[str, Any]:
    return {
        "apiKey": DEMO_VOICE_KEY,
        "phoneNumbers": "0612345678",
        "text": "Bonjour",
        "lang": "fr",
    } | fields


@pytest.mark.parametrize(
    ("message", "count"),
    [
        ("a" * 160, 1),
        ("a" * 161, 2),
        ("a" * 313, 2),
        ("a" * 314, 3),
        ("a" * 158 + ":br:", 1),
        ("a" * 157 + ":euro::br:", 2),
    ],
)
def test_sms_segments(message: str, count: int) -> None:
    """160 characters make one SMS, then one more per 153; tags count as two."""
    assert sms_segments(message) == count


async def test_sms_send(client: Client) -> None:
    """A send answers the documented body, is debited and lands in the outbox."""
    before = await (await client.get(SMS_ME, params={"apiKey": DEMO_SMS_KEY})).json()

    status, body = await _post(
        client,
        SMS_SEND,
        _sms(
            phoneNumbers="0612345678,+4915123456789", message="a" * 200, sender="Maison"
        ),
    )

    assert status == 200
    assert body == {
        "success": True,
        "code": 200,
        "message_id": 1,
        "nb_sms": 4,
        "cost": 0.152,
        "currency": "EUR",
    }
    after = await (await client.get(SMS_ME, params={"apiKey": DEMO_SMS_KEY})).json()
    spent = float(before["credits"]["balance"]) - float(after["credits"]["balance"])
    assert spent == pytest.approx(0.152, abs=0.001)
    (sent,) = await _messages(client)
    assert sent | {"time": None} == {
        "seq": 1,
        "time": None,
        "service": "sms",
        "key_id": key_id(DEMO_SMS_KEY),
        "numbers": ["0612345678", "+4915123456789"],
        "text": "a" * 200,
        "sender": "Maison",
        "scheduled": None,
        "sandbox": False,
        "cost": 0.152,
    }
    assert DEMO_SMS_KEY not in str(sent)


async def test_sms_sandbox_is_free(client: Client, sim: Simulator) -> None:
    """A sandbox send is answered and kept, but not debited."""
    status, body = await _post(client, SMS_SEND, _sms(sandbox=1))
    assert status == 200
    assert body["nb_sms"] == 1
    assert sim.sms[DEMO_SMS_KEY].debited == 0
    assert (await _messages(client))[0]["sandbox"] is True


async def test_sms_scheduled(client: Client) -> None:
    """A future date, hour and minute are accepted and echoed."""
    when = (datetime.now(PARIS) + timedelta(days=1)).replace(minute=35)
    status, body = await _post(
        client,
        SMS_SEND,
        _sms(scheduledDeliveryDate=f"{when:%d/%m/%Y}", time=when.hour, minute=35),
    )
    assert status == 200
    assert body["scheduledDeliveryDate"] == f"{when:%d/%m/%Y %H}:35"
    assert (await _messages(client))[0]["scheduled"].startswith(
        f"{when:%Y-%m-%dT%H}:35"
    )


YESTERDAY = f"{datetime.now(PARIS) - timedelta(days=1):%d/%m/%Y}"
TOMORROW = f"{datetime.now(PARIS) + timedelta(days=1):%d/%m/%Y}"


@pytest.mark.parametrize(
    ("fields", "code", "element"),
    [
        ({"phoneNumbers": ""}, 2, None),
        ({"phoneNumbers": "0612345678,922264"}, 9, "children[phoneNumbers].data"),
        (
            {"phoneNumbers": ",".join(["0612345678"] * 501)},
            9,
            "children[phoneNumbers].data",
        ),
        ({"message": " "}, 9, "children[message].data"),
        ({"sender": "ABCDEFGHIJKL"}, 9, "children[sender].data"),
        (
            {"scheduledDeliveryDate": YESTERDAY, "time": 9, "minute": 0},
            9,
            "children[scheduledDeliveryDate].data",
        ),
        ({"scheduledDeliveryDate": TOMORROW, "time": 9}, 9, "children[minute].data"),
        (
            {"scheduledDeliveryDate": TOMORROW, "time": 9, "minute": 7},
            9,
            "children[minute].data",
        ),
        ({"scheduledDeliveryDate": TOMORROW, "minute": 5}, 9, "children[time].data"),
        (
            {"scheduledDeliveryDate": "31/02/2030", "time": 9, "minute": 5},
            9,
            "children[scheduledDeliveryDate].data",
        ),
        ({"phoneNumbers": "0612345678,+33600000014"}, 14, None),
        (
            {
                "apiKey": DEMO_SMS_LOW_KEY,
                "phoneNumbers": ",".join(["0612345678"] * 200),
            },
            11,
            None,
        ),
    ],
)
async def test_sms_refused(
    client: Client, fields: dict[str, Any], code: int, element: str | None
) -> None:
    """Sends the provider would refuse get its codes; nothing is kept."""
    status, body = await _post(client, SMS_SEND, _sms(**fields))
    assert status == 400
    assert body["success"] is False
    assert body["code"] == code
    if element is None:
        assert isinstance(body["message"], str)
    else:
        assert body["errors"][0]["elementId"] == element
    assert await _messages(client) == []


@pytest.mark.parametrize(
    ("body", "code"),
    [
        ({"phoneNumbers": "0612345678", "message": "Hi"}, 1),
        (["not", "an", "object"], 1),
        (_sms(apiKey=DEMO_VOICE_KEY), 10),
        (_sms(apiKey=42), 1),
    ],
)
async def test_sms_send_keys(client: Client, body: Any, code: int) -> None:
    """Sends check the key in their body like the credit routes do."""
    status, answer = await _post(client, SMS_SEND, body)
    assert (status, answer["code"]) == (400, code)


async def test_send_not_json(client: Client) -> None:
    """A body that is not JSON is a send without a key."""
    response = await client.post(SMS_SEND, data=b"\xff{")
    assert (await response.json())["code"] == 1


async def test_failure_modes_apply_to_sends(client: Client) -> None:
    """The switchable failure modes answer sends too."""
    await client.post("/_control", json={"mode": "500"})
    response = await client.post(VOICE_SEND, json=_voice())
    assert response.status == 500


async def test_voice_send(client: Client, sim: Simulator) -> None:
    """A text-to-speech send answers the documented body and is debited."""
    when = datetime.now(PARIS) + timedelta(hours=2)
    status, body = await _post(
        client,
        VOICE_SEND,
        _voice(
            phoneNumbers="0612345678,+33712345678",
            text="a" * 30 + ",,",
            speechRate=4,
            scheduledDate=f"{when:%Y-%m-%d %H:%M}:00",
        ),
    )
    assert status == 200
    assert body == {
        "success": True,
        "campaignId": "sim0000001",
        "cost": body["cost"],
        "currency": "EUR",
        "nbSms": 2,
        "lang": "fr",
        "duration": 2.1,
    }
    assert body["cost"] > 0
    assert sim.voice[DEMO_VOICE_KEY].debited == body["cost"]
    (sent,) = await _messages(client)
    assert sent["service"] == "voice"
    assert sent["scheduled"].startswith(f"{when:%Y-%m-%dT%H:%M}:00")


@pytest.mark.parametrize(
    ("fields", "code"),
    [
        ({"text": ""}, 9),
        ({"lang": None}, 9),
        ({"speechRate": "fast"}, 9),
        ({"scheduledDate": "2020-01-01 10:00:00"}, 9),
        ({"scheduledDate": "tomorrow"}, 9),
        ({"phoneNumbers": "12"}, 9),
        ({"text": "a" * 400_000}, 11),
        ({"apiKey": DEMO_SMS_KEY}, 10),
    ],
)
async def test_voice_refused(client: Client, fields: dict[str, Any], code: int) -> None:
    """Text-to-speech sends the provider would refuse get its codes."""
    status, body = await _post(client, VOICE_SEND, _voice(**fields))
    assert (status, body["code"]) == (400, code)
    assert await _messages(client) == []


async def test_voice_send_limit_is_separate(client: Client, sim: Simulator) -> None:
    """tts/send has its own hourly limit; it does not spend the credits budget."""
    sim.send_limiters["voice"] = SlidingWindowLimiter(6, 3600)
    for _ in range(6):
        assert (await _post(client, VOICE_SEND, _voice()))[0] == 200
    status, body = await _post(client, VOICE_SEND, _voice())
    assert (status, body["code"]) == (429, 429)
    assert (await client.get(VOICE_ME + DEMO_VOICE_KEY)).status == 200


async def test_reset_clears_outbox(client: Client) -> None:
    """A reset forgets the sends."""
    await _post(client, SMS_SEND, _sms())
    await client.post("/_control", json={"reset": True})
    assert await _messages(client) == []
    response = await client.get("/_messages", params={"since": "x"})
    assert response.status == 400
