"""Tests of the API client: parsing, errors and the request budget."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from typing import Any

import aiohttp
import pytest
from pytest_homeassistant_custom_component.test_util.aiohttp import AiohttpClientMocker

from custom_components.smspartner.api import (
    RequestLimiter,
    SmsPartnerApiError,
    SmsPartnerAuthenticationError,
    SmsPartnerClient,
    SmsPartnerConnectionError,
    SmsPartnerCredits,
    SmsPartnerError,
    SmsPartnerInvalidResponseError,
    SmsPartnerRateLimitError,
    VoicePartnerClient,
    VoicePartnerCredits,
    parse_sms_credits,
    parse_voice_credits,
)

from ..conftest import (
    ERROR_BODY,
    SMS_KEY,
    SMS_URL,
    USERNAME,
    VOICE_KEY,
    VOICE_URL,
    FakeClock,
    sms_payload,
    voice_payload,
)

DOCUMENTED_SMS = SmsPartnerCredits(
    username=USERNAME,
    sms=269082,
    eco_sms=444570,
    hlr=2045023,
    to_send=0,
    balance=10225.119,
    currency="EUR",
)
DOCUMENTED_VOICE = VoicePartnerCredits(
    balance=19.0,
    currency="EUR",
    voice_messages=10,
    tts_mobile=5 * 3600 + 55 * 60 + 66,
    tts_landline=3 * 3600 + 44 * 60 + 55,
)


def _without(payload: dict[str, Any], section: str, *fields: str) -> dict[str, Any]:
    """Return `payload` with `fields` of `section` removed."""
    copy = {**payload, section: dict(payload[section])}
    for field in fields:
        del copy[section][field]
    return copy


# Bodies of each product and what changes from its documented credits, by case.
SMS_PARSED: dict[str, tuple[dict[str, Any], dict[str, Any]]] = {
    "documented": (sms_payload(), {}),
    "counts as strings": (
        sms_payload(creditSms="269082", creditHlr="2045023", toSend="0"),
        {},
    ),
    "whole float count": (sms_payload(creditSms=269082.0), {}),
    "only the deprecated creditSmsLowCost": (
        _without(sms_payload(), "credits", "creditSmsECO"),
        {},
    ),
    "creditSmsECO wins over the deprecated field": (
        sms_payload(creditSmsECO=12, creditSmsLowCost=99),
        {"eco_sms": 12},
    ),
    "solde as the number 0 when balance is missing": (
        _without(sms_payload(solde=0), "credits", "balance"),
        {"balance": 0.0},
    ),
    "euro symbol and a negative balance": (
        sms_payload(currency="€", balance=-12.5),
        {"balance": -12.5},
    ),
    "no currency means EUR": (_without(sms_payload(), "credits", "currency"), {}),
    "no user block": ({**sms_payload(), "user": None}, {"username": None}),
}
VOICE_PARSED: dict[str, tuple[dict[str, Any], dict[str, Any]]] = {
    "documented, s > 59": (voice_payload(), {}),
    "ISO code and a number": ({**voice_payload(), "currency": "EUR", "credit": 19}, {}),
    "strings for numbers": (
        voice_payload(tts={"h": "1", "m": "0", "s": "0"}, voice={"message": "3"}),
        {"tts_mobile": 3600, "voice_messages": 3},
    ),
    "minutes above 59 and missing units": (
        voice_payload(tts_fixe={"m": 90}),
        {"tts_landline": 5400},
    ),
}


@pytest.mark.parametrize(
    ("parse", "payload", "expected"),
    [
        *(
            pytest.param(
                parse,
                payload,
                replace(documented, **changes),
                id=f"{parse.__name__} {name}",
            )
            for parse, documented, cases in (
                (parse_sms_credits, DOCUMENTED_SMS, SMS_PARSED),
                (parse_voice_credits, DOCUMENTED_VOICE, VOICE_PARSED),
            )
            for name, (payload, changes) in cases.items()
        )
    ],
)
def test_parse_credits(
    parse: Callable[[Any], Any],
    payload: dict[str, Any],
    expected: SmsPartnerCredits | VoicePartnerCredits,
) -> None:
    """Each product's body parses into its credits (durations in seconds, EUR)."""
    assert parse(payload) == expected


# Bodies of each product without usable credits, by case.
SMS_INVALID: dict[str, Any] = {
    "success without credits": {"success": True, "code": 200},
    "no creditSms": _without(sms_payload(), "credits", "creditSms"),
    "no ECO credits at all": _without(
        sms_payload(), "credits", "creditSmsECO", "creditSmsLowCost"
    ),
    "no balance": _without(sms_payload(), "credits", "balance", "solde"),
    "count not a number": sms_payload(creditSms="lots"),
    "count not whole": sms_payload(creditSms=1.5),
    "boolean": sms_payload(creditHlr=True),
    "NaN": sms_payload(balance="NaN"),
    "list": sms_payload(toSend=[1]),
    "balance beyond a float": sms_payload(balance=10**400),
    "count beyond 2**53": sms_payload(creditHlr=10**300),
    "count string beyond 2**53": sms_payload(creditHlr="1e300"),
}
VOICE_INVALID: dict[str, Any] = {
    "success without payload": {"success": True},
    "no tts": _without(voice_payload(), "details", "tts"),
    "no voice.message": voice_payload(voice={}),
    "credit null": {**voice_payload(), "credit": None},
    "hours not a number": voice_payload(tts={"h": "x"}),
    "infinite credit": {**voice_payload(), "credit": "Infinity"},
}


@pytest.mark.parametrize(
    ("parse", "payload"),
    [
        pytest.param(parse, payload, id=f"{parse.__name__} {name}")
        for parse, cases in (
            (parse_sms_credits, SMS_INVALID),
            (parse_voice_credits, VOICE_INVALID),
        )
        for name, payload in cases.items()
    ],
)
def test_parse_credits_invalid(
    parse: Callable[[Any], Any], payload: dict[str, Any]
) -> None:
    """A body without usable credits raises the client's invalid-response error."""
    with pytest.raises(SmsPartnerInvalidResponseError):
        parse(payload)


async def test_get_credits(
    session: aiohttp.ClientSession, aioclient_mock: AiohttpClientMocker
) -> None:
    """Both services are read from their documented URLs, the key where they want it."""
    aioclient_mock.get(SMS_URL, params={"apiKey": SMS_KEY}, json=sms_payload())
    aioclient_mock.get(VOICE_URL, json=voice_payload())

    assert await SmsPartnerClient(session, SMS_KEY).async_get_credits() == (
        DOCUMENTED_SMS
    )
    assert await VoicePartnerClient(session, VOICE_KEY).async_get_credits() == (
        DOCUMENTED_VOICE
    )
    assert [str(call[1]) for call in aioclient_mock.mock_calls] == [
        f"{SMS_URL}?apiKey={SMS_KEY}",
        VOICE_URL,
    ]


# How the provider fails (aioclient_mock's answer) and the client's error.
_AUTH, _API = SmsPartnerAuthenticationError, SmsPartnerApiError
_CONNECTION, _INVALID = SmsPartnerConnectionError, SmsPartnerInvalidResponseError
REQUEST_ERRORS: list[tuple[str, dict[str, Any], type[SmsPartnerError]]] = [
    ("code 10 with 200", {"status": 200, "json": ERROR_BODY}, _AUTH),
    ("code 10 with 401", {"status": 401, "json": ERROR_BODY}, _AUTH),
    (
        "code '10' with 403",
        {"status": 403, "json": {**ERROR_BODY, "code": "10"}},
        _AUTH,
    ),
    ("bare 401", {"status": 401, "text": ""}, _AUTH),
    (
        "account deactivated",
        {"json": {"success": False, "code": 20, "message": "off"}},
        _API,
    ),
    ("HTML 403 is not an invalid key", {"status": 403, "text": "<html>"}, _INVALID),
    ("4xx with a JSON body", {"status": 400, "json": {"success": True}}, _API),
    ("500", {"status": 500, "text": "oops"}, _CONNECTION),
    ("503 with JSON", {"status": 503, "json": {"success": False}}, _CONNECTION),
    ("HTML page", {"text": "<!DOCTYPE html><html></html>"}, _INVALID),
    ("malformed JSON", {"text": '{"success": true, '}, _INVALID),
    ("JSON list", {"json": [1, 2]}, _INVALID),
    ("success without payload", {"json": {"success": True}}, _INVALID),
    ("timeout", {"exc": TimeoutError()}, _CONNECTION),
    ("connection refused", {"exc": aiohttp.ClientConnectionError()}, _CONNECTION),
]


@pytest.mark.parametrize(
    ("response", "error"),
    [
        pytest.param(response, error, id=name)
        for name, response, error in REQUEST_ERRORS
    ],
)
async def test_request_errors(
    session: aiohttp.ClientSession,
    aioclient_mock: AiohttpClientMocker,
    response: dict[str, Any],
    error: type[SmsPartnerError],
) -> None:
    """Every failure becomes the client's own error, with no key in its text."""
    aioclient_mock.get(VOICE_URL, **response)
    client = VoicePartnerClient(session, VOICE_KEY)
    with pytest.raises(error) as info:
        await client.async_get_credits()
    assert VOICE_KEY not in str(info.value)
    assert VOICE_KEY not in repr(info.value)
    assert info.value.__cause__ is None or VOICE_KEY not in str(info.value.__cause__)
    assert VOICE_KEY not in repr(client)


async def test_client_error_with_url_is_redacted(
    session: aiohttp.ClientSession, aioclient_mock: AiohttpClientMocker
) -> None:
    """Aiohttp errors that print the URL (and so the key) are redacted."""
    aioclient_mock.get(VOICE_URL, exc=aiohttp.InvalidURL(VOICE_URL))
    with pytest.raises(SmsPartnerConnectionError) as info:
        await VoicePartnerClient(session, VOICE_KEY).async_get_credits()
    assert VOICE_KEY not in str(info.value)
    assert "**REDACTED**" in str(info.value)
    assert info.value.__cause__ is None
    assert info.value.__suppress_context__


@pytest.mark.parametrize(
    ("headers", "retry_after"),
    [
        pytest.param({"Retry-After": "30"}, 30, id="seconds"),
        pytest.param({}, 60, id="no header"),
        pytest.param({"Retry-After": "soon"}, 60, id="unreadable header"),
        pytest.param({"Retry-After": "1e400"}, 60, id="infinite"),
        pytest.param({"Retry-After": "-5"}, 0, id="negative"),
        pytest.param(
            {"Retry-After": "Wed, 21 Oct 2015 07:28:00 GMT"}, 0, id="date in the past"
        ),
    ],
)
async def test_rate_limited(
    session: aiohttp.ClientSession,
    aioclient_mock: AiohttpClientMocker,
    headers: dict[str, str],
    retry_after: float,
) -> None:
    """A 429 raises with Retry-After and pauses the budget for that long."""
    aioclient_mock.get(VOICE_URL, status=429, headers=headers)
    clock = FakeClock()
    limiter = RequestLimiter(5, 60, clock)
    client = VoicePartnerClient(session, VOICE_KEY, limiter=limiter)
    with pytest.raises(SmsPartnerRateLimitError) as info:
        await client.async_get_credits()
    assert info.value.retry_after == pytest.approx(retry_after, abs=1)
    assert limiter.delay() == pytest.approx(retry_after, abs=1)


async def test_retry_after_date_in_the_future(
    session: aiohttp.ClientSession, aioclient_mock: AiohttpClientMocker
) -> None:
    """A far Retry-After date pauses for an hour at most."""
    aioclient_mock.get(
        VOICE_URL, status=429, headers={"Retry-After": "Fri, 01 Jan 2100 00:00:00 GMT"}
    )
    with pytest.raises(SmsPartnerRateLimitError) as info:
        await VoicePartnerClient(session, VOICE_KEY).async_get_credits()
    assert info.value.retry_after == 3600
