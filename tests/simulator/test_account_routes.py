"""Tests for the simulator's statistics/cost-resume, lookup and subaccount/list routes."""

from __future__ import annotations

from datetime import datetime
from typing import Any

import pytest

from simulator import DEMO_SMS_KEY, DEMO_SMS_LOW_KEY, Simulator, create_app
from simulator.sending import PARIS

from .conftest import Client, ClientFactory, FakeClock

COST = "/sms/v1/statistics/cost-resume"
LOOKUP = "/sms/v1/lookup"
SUBACCOUNTS = "/sms/v1/subaccount/list"
# 14 January 2026, 12:00 in Paris.
NOON = datetime(2026, 1, 14, 12, 0, tzinfo=PARIS).timestamp()


@pytest.fixture
async def client(
    clock: FakeClock, aiohttp_client: ClientFactory, socket_enabled: None
) -> Client:
    """Return a client of a simulator whose wall clock says 14 January 2026."""
    wall = FakeClock()
    wall.now = NOON
    return await aiohttp_client(create_app(Simulator(clock=clock, wall_clock=wall)))


async def _get(client: Client, path: str, **params: Any) -> tuple[int, dict[str, Any]]:
    response = await client.get(path, params={"apiKey": DEMO_SMS_KEY} | params)
    body: dict[str, Any] = await response.json()
    return response.status, body


async def test_cost_resume_last_month(client: Client) -> None:
    """The last month is December, shaped as documented (strings, month start as Unix time)."""
    status, body = await _get(client, COST, interval="last_month")

    assert status == 200
    assert body["success"] is True
    (december,) = body["datas"]
    assert december["month"] == "december"
    assert (december["year"], december["m"], december["type"]) == (
        "2025",
        "12",
        "month",
    )
    assert december["date"] == datetime(2025, 12, 1, tzinfo=PARIS).timestamp()
    nb_send = int(december["nb_send"])
    assert 40 < nb_send < 140  # about 3 a day
    assert december["cost"] == f"{nb_send * 0.038:.3f}"


async def test_cost_resume_is_repeatable_and_per_account(client: Client) -> None:
    """The same month answers the same figures; the low-credit account sends less."""
    _, first = await _get(client, COST, interval="last_twelve_months")
    _, again = await _get(client, COST, interval="last_twelve_months")
    _, low = await _get(client, COST, interval="last_month", apiKey=DEMO_SMS_LOW_KEY)

    assert first == again
    assert [e["m"] for e in first["datas"]] == [
        *(f"{m:02d}" for m in range(2, 13)),
        "01",
    ]
    assert int(low["datas"][0]["nb_send"]) < 25


async def test_cost_resume_custom_counts_the_sends(client: Client) -> None:
    """interval=custom (this month) counts the days so far, plus the sends made here."""
    params = {"interval": "custom", "from": "01-01-2026", "to": "31-01-2026"}
    _, before = await _get(client, COST, **params)
    send = {"apiKey": DEMO_SMS_KEY, "phoneNumbers": "0612345678,0712345678"}
    await client.post("/sms/v1/send", json=send | {"message": "a" * 200})
    await client.post("/sms/v1/send", json=send | {"message": "b", "sandbox": 1})

    _, after = await _get(client, COST, **params)

    (month,) = before["datas"]
    assert 0 < int(month["nb_send"]) < 70  # half of January at most
    assert int(after["datas"][0]["nb_send"]) == int(month["nb_send"]) + 4
    _, future = await _get(
        client, COST, interval="custom", **{"from": "01-03-2026", "to": "30-04-2026"}
    )
    assert [e["nb_send"] for e in future["datas"]] == ["0", "0"]


@pytest.mark.parametrize(
    "params",
    [
        {},
        {"interval": "yesterday"},
        {"interval": "custom"},
        {"interval": "custom", "from": "2026-01-01", "to": "31-01-2026"},
        {"interval": "custom", "from": "31-01-2026", "to": "01-01-2026"},
    ],
)
async def test_cost_resume_bad_interval(client: Client, params: dict[str, str]) -> None:
    """A missing or invalid interval is code 9."""
    status, body = await _get(client, COST, **params)

    assert (status, body["success"], body["code"]) == (400, False, 9)


async def test_cost_resume_limit(client: Client, clock: FakeClock) -> None:
    """At most 5 requests a minute per key, then 429 with Retry-After."""
    for _ in range(5):
        assert (await _get(client, COST, interval="last_month"))[0] == 200
        clock.advance(1)

    response = await client.get(
        COST, params={"apiKey": DEMO_SMS_KEY, "interval": "last_month"}
    )

    assert response.status == 429
    assert response.headers["Retry-After"] == "55"
    other = {"apiKey": DEMO_SMS_LOW_KEY, "interval": "last_month"}
    assert (await client.get(COST, params=other)).status == 200
    clock.advance(55)
    assert (await _get(client, COST, interval="last_month"))[0] == 200
    log = await (await client.get("/_requests")).json()
    assert [r["rate_limited"] for r in log].count(True) == 1


async def test_lookup(client: Client) -> None:
    """Each number gets its E.164 form, type, network and country, or a reason."""
    response = await client.post(
        LOOKUP,
        json={
            "apiKey": DEMO_SMS_KEY,
            "phoneNumbers": "06 12 34 56 78,0123,+4915123456789",
        },
    )

    assert response.status == 200
    body = await response.json()
    assert (body["success"], body["code"]) == (True, 200)
    mobile, short, german = body["lookup"]
    assert mobile["request"] == "06 12 34 56 78"
    assert mobile["success"] is True
    assert mobile["format"]["e164"] == "+33612345678"
    assert (mobile["type"], mobile["countryCode"], mobile["prefixCode"]) == (
        "Mobile",
        "FR",
        33,
    )
    assert mobile["network"]
    assert short == {"request": "0123", "success": False, "message": short["message"]}
    assert "short" in short["message"]
    assert german["countryCode"] == "DE"


@pytest.mark.parametrize(
    ("body", "code"),
    [
        ({"apiKey": DEMO_SMS_KEY}, 2),
        ({"apiKey": DEMO_SMS_KEY, "phoneNumbers": " , "}, 2),
        ({"apiKey": DEMO_SMS_KEY, "phoneNumbers": ["0612345678"] * 501}, 9),
        ({"apiKey": "wrong", "phoneNumbers": "0612345678"}, 10),
        ({"phoneNumbers": "0612345678"}, 1),
    ],
)
async def test_lookup_errors(client: Client, body: dict[str, Any], code: int) -> None:
    """No numbers, too many, a wrong or missing key."""
    response = await client.post(LOOKUP, json=body)

    assert (response.status, (await response.json())["code"]) == (400, code)


async def test_lookup_limit(client: Client) -> None:
    """At most 360 lookups a minute per key."""
    body = {"apiKey": DEMO_SMS_KEY, "phoneNumbers": ["0612345678"]}
    for _ in range(360):
        assert (await client.post(LOOKUP, json=body)).status == 200

    assert (await client.post(LOOKUP, json=body)).status == 429


async def test_subaccounts(client: Client) -> None:
    """The demo account has 3 sub-accounts, each with its own apiKey and token."""
    status, body = await _get(client, SUBACCOUNTS)

    assert status == 200
    assert (body["total"], body["nb_per_page"], body["page"]) == (3, 20, 1)
    first = body["data"][0]
    assert set(first) == {
        "id",
        "email",
        "type",
        "token",
        "apiKey",
        "createdAt",
        "credits",
    }
    assert first["credits"]["currency"] == "EUR"
    float(first["credits"]["balance"])
    assert len({a["apiKey"] for a in body["data"]}) == 3
    assert DEMO_SMS_KEY not in str(body)
    _, low = await _get(client, SUBACCOUNTS, apiKey=DEMO_SMS_LOW_KEY)
    assert (low["total"], low["data"]) == (0, [])


async def test_subaccount_pages(client: Client) -> None:
    """The control API sets how many there are; 20 a page, the same on every read."""
    await client.post("/_control", json={"subaccounts": 45})

    pages = [(await _get(client, SUBACCOUNTS, page=p))[1] for p in (1, 2, 3, 4)]

    assert [len(p["data"]) for p in pages] == [20, 20, 5, 0]
    assert {p["total"] for p in pages} == {45}
    ids = [a["id"] for p in pages for a in p["data"]]
    assert len(set(ids)) == 45
    assert (await _get(client, SUBACCOUNTS, page=2))[1] == pages[1]
    status, body = await _get(client, SUBACCOUNTS, page="zero")
    assert (status, body["code"]) == (400, 9)
    await client.post("/_control", json={"subaccounts": None})
    assert (await _get(client, SUBACCOUNTS))[1]["total"] == 3
