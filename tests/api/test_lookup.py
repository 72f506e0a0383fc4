"""Tests of SMS Partner's number lookup in the client (api/lookup.py, client.py)."""

from __future__ import annotations

import copy
from dataclasses import replace
import json
from typing import Any

import aiohttp
import pytest
from pytest_homeassistant_custom_component.test_util.aiohttp import AiohttpClientMocker

from custom_components.smspartner.api import (
    LOOKUP_BATCH,
    NumberLookup,
    RequestLimiter,
    SmsPartnerInvalidResponseError,
    SmsPartnerRateLimitError,
    SmsPartnerThrottledError,
)

from ..conftest import SMS_KEY, SMS_LOOKUP_URL as LOOKUP_URL, FakeClock, load_fixture
from .conftest import sms_client

NUMBERS = ["0612345678", "+212666123456"]
MOBILE = NumberLookup(
    "0612345678",
    valid=True,
    e164="+33612345678",
    line_type="mobile",
    network="Orange",
    country="FR",
    calling_code=33,
)
REFUSED = NumberLookup(
    "+212666123456",
    valid=False,
    reason="Le numéro de téléphone est vide ou n'est pas valide.",
)


def answer(**changes: Any) -> dict[str, Any]:
    """Return the documented lookup answer, its first entry changed."""
    payload = copy.deepcopy(load_fixture("sms_partner_lookup"))
    payload["lookup"][0] |= changes
    return payload


async def test_lookup(
    session: aiohttp.ClientSession, aioclient_mock: AiohttpClientMocker
) -> None:
    """The documented answer is parsed, entries matched by their request."""
    aioclient_mock.post(LOOKUP_URL, json=answer())

    assert await sms_client(session).async_lookup(NUMBERS) == [MOBILE, REFUSED]
    assert json.loads(aioclient_mock.mock_calls[0][2]) == {
        "apiKey": SMS_KEY,
        "phoneNumbers": "0612345678,+212666123456",
    }


@pytest.mark.parametrize(
    ("changes", "expected"),
    [
        # Entries without their request, or another one, are matched by position.
        ({"request": None}, MOBILE),
        ({"request": "06 12 34 56 78"}, MOBILE),
        # Only the number: the E.164 form is phoneNumber; odd fields are dropped.
        (
            {
                "format": None,
                "type": "Fixed line",
                "network": " ",
                "countryCode": "",
                "prefixCode": "3333",
            },
            NumberLookup(
                "0612345678", valid=True, e164="+33612345678", line_type="fixed_line"
            ),
        ),
        ({"prefixCode": "33", "countryCode": "fr"}, replace(MOBILE, country=None)),
        ({"success": False, "message": None}, NumberLookup("0612345678", False)),
    ],
)
async def test_lookup_defensive(
    session: aiohttp.ClientSession,
    aioclient_mock: AiohttpClientMocker,
    changes: dict[str, Any],
    expected: NumberLookup,
) -> None:
    """Spellings and gaps the documentation does not rule out are accepted."""
    aioclient_mock.post(LOOKUP_URL, json=answer(**changes))
    assert (await sms_client(session).async_lookup(NUMBERS))[0] == expected


@pytest.mark.parametrize(
    ("payload", "error"),
    [
        ({"success": True}, "Field lookup is missing"),
        ({"success": True, "lookup": ["x"]}, "Field lookup is missing"),
        (answer(success=None), "Field lookup.success is missing"),
        (answer(format={"e164": "+33 6 12"}, phoneNumber=None), "not a phone number"),
        (answer(format={"e164": "0612345678"}), "not a phone number"),
        (
            {"success": True, "lookup": answer()["lookup"][:1]},
            "did not answer every number",
        ),
    ],
)
async def test_lookup_unusable(
    session: aiohttp.ClientSession,
    aioclient_mock: AiohttpClientMocker,
    *,
    payload: dict[str, Any],
    error: str,
) -> None:
    """An answer that does not tell about each number is an invalid response."""
    aioclient_mock.post(LOOKUP_URL, json=payload)
    with pytest.raises(SmsPartnerInvalidResponseError, match=error):
        await sms_client(session).async_lookup(NUMBERS)


async def test_lookup_in_batches(
    session: aiohttp.ClientSession, aioclient_mock: AiohttpClientMocker
) -> None:
    """Many numbers go LOOKUP_BATCH to a request, answered in one list."""
    numbers = [f"+3361234{i:04d}" for i in range(LOOKUP_BATCH + 1)]
    aioclient_mock.post(
        LOOKUP_URL,
        json={
            "success": True,
            "lookup": [{"success": False, "message": "x"}] * LOOKUP_BATCH,
        },
    )

    with pytest.raises(SmsPartnerInvalidResponseError):
        await sms_client(session).async_lookup(numbers)

    sent = [json.loads(call[2])["phoneNumbers"] for call in aioclient_mock.mock_calls]
    assert sent == [",".join(numbers[:LOOKUP_BATCH]), numbers[LOOKUP_BATCH]]


async def test_lookup_budget(
    session: aiohttp.ClientSession, aioclient_mock: AiohttpClientMocker
) -> None:
    """Lookups count against their own budget only, which a 429 pauses."""
    clock = FakeClock()
    reads = RequestLimiter(5, 60, clock)
    client = sms_client(session, limiter=reads, send_limiter=reads)
    client.lookup_limiter = RequestLimiter(3, 60, clock)
    aioclient_mock.post(LOOKUP_URL, json=answer())

    for _ in range(3):
        await client.async_lookup(NUMBERS)
    with pytest.raises(SmsPartnerThrottledError):
        await client.async_lookup(NUMBERS)
    assert len(aioclient_mock.mock_calls) == 3
    assert reads.requests_in_window == 0

    clock.now = 60
    aioclient_mock.clear_requests()
    aioclient_mock.post(LOOKUP_URL, status=429, headers={"Retry-After": "30"})
    with pytest.raises(SmsPartnerRateLimitError):
        await client.async_lookup(NUMBERS)
    assert client.lookup_limiter.delay() == pytest.approx(30)
