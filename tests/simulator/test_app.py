"""Tests for the simulator's HTTP API, served on 127.0.0.1."""

from __future__ import annotations

import asyncio
import json
from typing import Any

import aiohttp
import pytest

from simulator import (
    DEMO_SMS_KEY,
    DEMO_SMS_LOW_KEY,
    DEMO_VOICE_KEY,
    DEMO_VOICE_SECOND_KEY,
    Simulator,
    create_app,
    key_id,
)
from simulator.app import mask

from .conftest import Client, ClientFactory, FakeClock

SMS_ME = "/sms/v1/me"
VOICE_ME = "/voice/v1/me/"


async def _control(client: Client, **command: Any) -> dict[str, Any]:
    response = await client.post("/_control", json=command)
    assert response.status == 200, await response.text()
    result: dict[str, Any] = await response.json()
    return result


async def _log(client: Client, since: int = 0) -> list[dict[str, Any]]:
    response = await client.get("/_requests", params={"since": since})
    assert response.status == 200
    result: list[dict[str, Any]] = await response.json()
    return result


async def test_sms_credits(client: Client) -> None:
    """GET /sms/v1/me answers the documented shape: counts as ints, money as strings."""
    response = await client.get(SMS_ME, params={"apiKey": DEMO_SMS_KEY})
    assert response.status == 200
    assert response.content_type == "application/json"
    body = await response.json()
    assert body["success"] is True
    assert body["user"]["username"] == "demo@example.com"
    sms_credits = body["credits"]
    for name in (
        "creditSms",
        "creditSmsLowCost",
        "creditSmsECO",
        "creditHlr",
        "toSend",
    ):
        assert type(sms_credits[name]) is int
    assert sms_credits["solde"] == sms_credits["balance"] == "10225.119"
    assert sms_credits["currency"] == "EUR"


async def test_voice_credits(client: Client) -> None:
    """GET /voice/v1/me/KEY answers the documented sample at start."""
    response = await client.get(VOICE_ME + DEMO_VOICE_KEY)
    assert response.status == 200
    body = await response.json()
    assert body["credit"] == "19"
    assert body["currency"] == "€"
    assert body["details"]["tts"] == {"h": 5, "m": 55, "s": 66}


async def test_second_voice_account(client: Client) -> None:
    """A second Voice Partner key opens its own, smaller account."""
    response = await client.get(VOICE_ME + DEMO_VOICE_SECOND_KEY)
    assert response.status == 200
    body = await response.json()
    assert body["credit"] == "7.6"
    assert body["details"]["voice"] == {"message": 4}


async def test_credits_move_with_time(client: Client, clock: FakeClock) -> None:
    """Five simulated minutes later, both services report less credit."""
    sms_before = await (
        await client.get(SMS_ME, params={"apiKey": DEMO_SMS_KEY})
    ).json()
    clock.advance(300)
    sms_after = await (await client.get(SMS_ME, params={"apiKey": DEMO_SMS_KEY})).json()
    voice = await (await client.get(VOICE_ME + DEMO_VOICE_KEY)).json()
    assert sms_after["credits"]["creditSms"] < sms_before["credits"]["creditSms"]
    assert float(sms_after["credits"]["balance"]) == pytest.approx(10225.119 - 6)
    assert voice["credit"] == "18.7"


@pytest.mark.parametrize(
    ("path", "params"),
    [
        (SMS_ME, {"apiKey": "not-a-key"}),
        (SMS_ME, {"apiKey": DEMO_VOICE_KEY}),
        (VOICE_ME + "not-a-key", {}),
        (VOICE_ME + DEMO_SMS_KEY, {}),
    ],
)
async def test_wrong_key(client: Client, path: str, params: dict[str, str]) -> None:
    """Unknown keys, and keys of the other service, get code 10."""
    response = await client.get(path, params=params)
    assert response.status == 400
    assert await response.json() == {
        "success": False,
        "code": 10,
        "message": "Clé API incorrecte",
    }


async def test_error_status_is_switchable(client: Client) -> None:
    """Some sources show errors with HTTP 200: the simulator can do both."""
    await _control(client, error_status=200)
    response = await client.get(SMS_ME, params={"apiKey": "nope"})
    assert response.status == 200
    assert (await response.json())["code"] == 10


async def test_missing_key(client: Client) -> None:
    """No apiKey parameter is code 1."""
    response = await client.get(SMS_ME)
    assert response.status == 400
    assert (await response.json())["code"] == 1


async def test_revoked_key_then_restored(client: Client) -> None:
    """A revoked key gets code 10 until restored; other keys keep working."""
    await _control(client, revoke=DEMO_SMS_KEY)
    revoked = await client.get(SMS_ME, params={"apiKey": DEMO_SMS_KEY})
    assert (await revoked.json())["code"] == 10
    other = await client.get(SMS_ME, params={"apiKey": DEMO_SMS_LOW_KEY})
    assert (await other.json())["success"] is True
    await _control(client, restore=DEMO_SMS_KEY)
    restored = await client.get(SMS_ME, params={"apiKey": DEMO_SMS_KEY})
    assert (await restored.json())["success"] is True


async def test_wrong_key_mode(client: Client) -> None:
    """In wrong_key mode even the demo keys are refused."""
    await _control(client, mode="wrong_key")
    response = await client.get(VOICE_ME + DEMO_VOICE_KEY)
    assert (await response.json())["code"] == 10


@pytest.mark.parametrize(
    ("mode", "status", "content_type"),
    [
        ("500", 500, "text/plain"),
        ("html", 200, "text/html"),
        ("malformed", 200, "application/json"),
    ],
)
async def test_failure_modes_without_usable_json(
    client: Client, mode: str, status: int, content_type: str
) -> None:
    """Server errors, HTML pages and broken JSON: no body a client could use."""
    await _control(client, mode=mode)
    for path, params in (
        (SMS_ME, {"apiKey": DEMO_SMS_KEY}),
        (VOICE_ME + DEMO_VOICE_KEY, {}),
    ):
        response = await client.get(path, params=params)
        assert response.status == status
        assert response.content_type == content_type
        with pytest.raises(ValueError):
            json.loads(await response.text())


async def test_empty_mode(client: Client) -> None:
    """A degraded gateway says success with no payload."""
    await _control(client, mode="empty", service="sms")
    response = await client.get(SMS_ME, params={"apiKey": DEMO_SMS_KEY})
    assert await response.json() == {"success": True}
    voice = await client.get(VOICE_ME + DEMO_VOICE_KEY)
    assert "details" in await voice.json()


@pytest.mark.parametrize(
    ("retry_after", "header"), [(None, None), (0, "0"), (42, "42")]
)
async def test_429_mode(
    client: Client, retry_after: int | None, header: str | None
) -> None:
    """429 mode answers Too Many Requests, with Retry-After when set."""
    await _control(client, mode="429", retry_after=retry_after)
    response = await client.get(SMS_ME, params={"apiKey": DEMO_SMS_KEY})
    assert response.status == 429
    assert response.headers.get("Retry-After") == header
    assert (await _log(client))[-1]["rate_limited"] is False


async def test_slow_mode_answers_late(client: Client, sim: Simulator) -> None:
    """Slow mode delays the normal answer."""
    await _control(client, mode="slow", delay=0.3)
    loop = asyncio.get_running_loop()
    start = loop.time()
    response = await client.get(SMS_ME, params={"apiKey": DEMO_SMS_KEY})
    assert loop.time() - start >= 0.3
    assert (await response.json())["success"] is True


async def test_slow_answer_given_up_by_client_is_logged(
    aiohttp_client: ClientFactory, sim: Simulator, socket_enabled: None
) -> None:
    """A client that times out ends the slow answer (as the CLI server runs it)."""
    client = await aiohttp_client(
        create_app(sim), server_kwargs={"handler_cancellation": True}
    )
    await _control(client, mode="slow", delay=30)
    with pytest.raises(TimeoutError):
        await client.get(
            VOICE_ME + DEMO_VOICE_KEY, timeout=aiohttp.ClientTimeout(total=0.2)
        )
    async with asyncio.timeout(5):
        while not sim.requests():
            await asyncio.sleep(0.05)
    assert sim.requests()[0]["status"] == 499


async def test_voice_limit_is_enforced_per_key(
    client: Client, clock: FakeClock
) -> None:
    """Voice Partner: 5 requests per 60 s per key, then 429 with Retry-After."""
    for _ in range(5):
        assert (await client.get(VOICE_ME + DEMO_VOICE_KEY)).status == 200
    clock.advance(20)
    refused = await client.get(VOICE_ME + DEMO_VOICE_KEY)
    assert refused.status == 429
    assert refused.headers["Retry-After"] == "40"
    assert (await client.get(VOICE_ME + "another-key")).status == 400
    clock.advance(40)
    assert (await client.get(VOICE_ME + DEMO_VOICE_KEY)).status == 200
    log = await _log(client)
    assert [r["rate_limited"] for r in log] == [False] * 5 + [True, False, False]


async def test_voice_limit_counts_failed_requests(client: Client) -> None:
    """Requests answered with errors still count towards the limit."""
    await _control(client, mode="500")
    for _ in range(5):
        assert (await client.get(VOICE_ME + DEMO_VOICE_KEY)).status == 500
    assert (await client.get(VOICE_ME + DEMO_VOICE_KEY)).status == 429


async def test_sms_is_not_limited(client: Client) -> None:
    """No limit is documented for SMS Partner's credit endpoint."""
    for _ in range(12):
        response = await client.get(SMS_ME, params={"apiKey": DEMO_SMS_KEY})
        assert response.status == 200


async def test_request_log_masks_keys(client: Client) -> None:
    """Every API request is logged with its key masked; control routes are not."""
    await client.get(SMS_ME, params={"apiKey": DEMO_SMS_KEY, "_format": "json"})
    await client.get(VOICE_ME + DEMO_VOICE_KEY)
    await client.get("/voice/v1/me/" + DEMO_VOICE_KEY + "/extra")
    await _control(client, mode="ok")
    log = await _log(client)
    assert [r["path"] for r in log] == [
        "/sms/v1/me?apiKey=***&_format=json",
        "/voice/v1/me/***",
        "/voice/v1/me/***/extra",
    ]
    assert [r["status"] for r in log] == [200, 200, 404]
    assert [r["service"] for r in log] == ["sms", "voice", None]
    assert [r["key_id"] for r in log] == [
        key_id(DEMO_SMS_KEY),
        key_id(DEMO_VOICE_KEY),
        None,
    ]
    assert all(r["method"] == "GET" and r["time"] > 0 for r in log)
    text = json.dumps(log)
    assert DEMO_SMS_KEY not in text
    assert DEMO_VOICE_KEY not in text
    assert [r["seq"] for r in await _log(client, since=log[0]["seq"])] == [
        r["seq"] for r in log[1:]
    ]
    assert (await client.delete("/_requests")).status == 204
    assert await _log(client) == []


@pytest.mark.parametrize(
    ("raw", "masked"),
    [
        ("/sms/v1/me?apiKey=abc", "/sms/v1/me?apiKey=***"),
        ("/sms/v1/me?x=1&APIKEY=abc&y=2", "/sms/v1/me?x=1&APIKEY=***&y=2"),
        ("/voice/v1/me/abc?apiKey=abc", "/voice/v1/me/***?apiKey=***"),
        ("/sms/v1/send", "/sms/v1/send"),
    ],
)
def test_mask(raw: str, masked: str) -> None:
    """Keys in the path or the query never reach the log."""
    assert mask(raw) == masked


async def test_control_get_and_errors(client: Client) -> None:
    """GET /_control shows the state; bad commands are refused with 400."""
    state = await (await client.get("/_control")).json()
    assert state["services"]["voice"] == {
        "mode": "ok",
        "retry_after": None,
        "delay": 20.0,
        "error_status": 400,
    }
    assert state["keys"]["voice"] == [
        key_id(DEMO_VOICE_KEY),
        key_id(DEMO_VOICE_SECOND_KEY),
    ]
    for body in ("{not json", "[1, 2]", '{"mode": "flaky"}'):
        response = await client.post("/_control", data=body)
        assert response.status == 400
        assert "error" in await response.json()
    response = await client.get("/_requests", params={"since": "x"})
    assert response.status == 400
