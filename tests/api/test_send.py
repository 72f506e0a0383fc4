"""Tests of the API client's SMS sends: encoding, validation, errors and budgets."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone
import json
from typing import Any

import aiohttp
import pytest
from pytest_homeassistant_custom_component.test_util.aiohttp import AiohttpClientMocker

from custom_components.smspartner.api import (
    MAX_RECIPIENTS,
    SmsPartnerApiError,
    SmsPartnerAuthenticationError,
    SmsPartnerConnectionError,
    SmsPartnerInsufficientCreditError,
    SmsPartnerInvalidRequestError,
    SmsPartnerInvalidResponseError,
    SmsPartnerStopListError,
    SmsSendResult,
)

from ..conftest import ERROR_BODY, SMS_KEY, SMS_SEND_URL, SMS_SENT
from .conftest import sent_body, sms_client


async def test_send_sms(
    session: aiohttp.ClientSession, aioclient_mock: AiohttpClientMocker
) -> None:
    """The documented answer is parsed; the body carries the encoded message."""
    aioclient_mock.post(SMS_SEND_URL, json=SMS_SENT)

    result = await sms_client(session).async_send_sms(
        ["0612345678", "+4915123456789"], 'Alarm "garage"\nCost: 5 €'
    )

    assert result == SmsSendResult(
        message_id="307", sms_count=1, cost=0.038, currency="EUR"
    )
    method, url, data, headers = aioclient_mock.mock_calls[0]
    assert (method, str(url)) == ("POST", SMS_SEND_URL)
    assert headers["Content-Type"] == "application/json"
    assert json.loads(data) == {
        "apiKey": SMS_KEY,
        "phoneNumbers": "0612345678,+4915123456789",
        "message": 'Alarm "garage":br:Cost: 5 :euro:',
    }
    # The quote travels escaped as \", as the provider requires.
    assert b'"message": "Alarm \\"garage\\":br:Cost: 5 :euro:"' in data


async def test_send_sms_options(
    session: aiohttp.ClientSession, aioclient_mock: AiohttpClientMocker
) -> None:
    """Sender, schedule (on the French clock), sandbox and unicode reach the body."""
    aioclient_mock.post(SMS_SEND_URL, json=SMS_SENT | {"message_id": "abc"})
    client = sms_client(session)

    summer = datetime(2026, 7, 14, 6, 5, tzinfo=UTC)
    result = await client.async_send_sms(
        ["0612345678"],
        "Hi",
        sender="Maison 42",
        scheduled=summer,
        sandbox=True,
        unicode=True,
    )
    winter = datetime(2026, 12, 31, 18, 30, tzinfo=timezone(timedelta(hours=-5)))
    await client.async_send_sms(
        ["0612345678"],
        "Hi",
        scheduled=winter,
        url_dlr="https://ha.example/dlr",
        url_response="https://ha.example/reply",
    )

    assert result.message_id == "abc"
    assert sent_body(aioclient_mock, 0) == {
        "apiKey": SMS_KEY,
        "phoneNumbers": "0612345678",
        "message": "Hi",
        "sender": "Maison 42",
        "scheduledDeliveryDate": "14/07/2026",
        "time": 8,
        "minute": 5,
        "sandbox": 1,
        "isUnicode": 1,
    }
    assert sent_body(aioclient_mock, 1) | {"apiKey": None} == {
        "apiKey": None,
        "phoneNumbers": "0612345678",
        "message": "Hi",
        "scheduledDeliveryDate": "01/01/2027",
        "time": 0,
        "minute": 30,
        "urlDlr": "https://ha.example/dlr",
        "urlResponse": "https://ha.example/reply",
    }


async def test_send_sms_to_500_recipients(
    session: aiohttp.ClientSession, aioclient_mock: AiohttpClientMocker
) -> None:
    """Up to 500 numbers go in one request."""
    aioclient_mock.post(SMS_SEND_URL, json=SMS_SENT | {"nb_sms": MAX_RECIPIENTS})
    numbers = [f"+3361234{i:04d}" for i in range(MAX_RECIPIENTS)]

    result = await sms_client(session).async_send_sms(numbers, "Hi")

    assert result.sms_count == MAX_RECIPIENTS
    assert sent_body(aioclient_mock)["phoneNumbers"] == ",".join(numbers)


def _refusal(
    status: int, code: int | str, message: str, error: type[SmsPartnerApiError]
) -> tuple[int, dict[str, Any], type[SmsPartnerApiError], int, str]:
    """Return a case of test_send_sms_errors: a refusal with `code` and `message`."""
    body = {"success": False, "code": code, "message": message}
    return (status, body, error, int(code), message)


@pytest.mark.parametrize(
    ("status", "body", "error", "code", "detail"),
    [
        (
            400,
            {
                "success": False,
                "code": 9,
                "errors": [
                    {
                        "elementId": "children[phoneNumbers].data",
                        "message": "This phone number is not valid (922264)",
                    },
                    {"elementId": "children[sender].data", "message": "Too long"},
                    {"elementId": "children[x].data"},
                    "not an object",
                ],
            },
            SmsPartnerInvalidRequestError,
            9,
            "This phone number is not valid (922264); Too long",
        ),
        _refusal(200, "9", "Constraint", SmsPartnerInvalidRequestError),
        _refusal(200, 2, "Numbers required", SmsPartnerInvalidRequestError),
        _refusal(400, 13, "No price", SmsPartnerInvalidRequestError),
        _refusal(200, 11, "Manque de crédits", SmsPartnerInsufficientCreditError),
        _refusal(400, 14, "STOP", SmsPartnerStopListError),
        (
            400,
            {"success": False, "code": 22, "errors": "not a list"},
            SmsPartnerApiError,
            22,
            "HTTP 400",
        ),
        (
            200,
            {"success": False, "code": "x", "message": ""},
            SmsPartnerApiError,
            None,
            "HTTP 200",
        ),
        (
            200,
            {"success": False, "code": True, "message": f"bad key {SMS_KEY}"},
            SmsPartnerApiError,
            None,
            "bad key **REDACTED**",
        ),
    ],
)
async def test_send_sms_errors(
    session: aiohttp.ClientSession,
    aioclient_mock: AiohttpClientMocker,
    *,
    status: int,
    body: dict[str, Any],
    error: type[SmsPartnerApiError],
    code: int | None,
    detail: str,
) -> None:
    """Send error codes become typed errors that keep the provider's message."""
    aioclient_mock.post(SMS_SEND_URL, status=status, json=body)

    with pytest.raises(error) as caught:
        await sms_client(session).async_send_sms(["0612345678"], "Hi")

    assert type(caught.value) is error
    assert (caught.value.code, caught.value.detail) == (code, detail)
    assert SMS_KEY not in str(caught.value)


# Success answers of a send without a usable payload.
UNUSABLE_SENDS = [
    {"success": True},
    {"success": True, "code": 200, "nb_sms": 1, "cost": 0.04},
    SMS_SENT | {"message_id": ""},
    SMS_SENT | {"message_id": True},
    SMS_SENT | {"message_id": None},
    SMS_SENT | {"nb_sms": None},
    SMS_SENT | {"nb_sms": "one"},
    SMS_SENT | {"nb_sms": 1.5},
    SMS_SENT | {"cost": None},
    SMS_SENT | {"cost": "NaN"},
]


@pytest.mark.parametrize(
    ("answer", "error"),
    [
        ({"status": 400, "json": ERROR_BODY}, SmsPartnerAuthenticationError),
        (
            {"exc": aiohttp.ClientConnectionError(f"reset with {SMS_KEY}")},
            SmsPartnerConnectionError,
        ),
        *(({"json": body}, SmsPartnerInvalidResponseError) for body in UNUSABLE_SENDS),
    ],
)
async def test_send_sms_fails(
    session: aiohttp.ClientSession,
    aioclient_mock: AiohttpClientMocker,
    *,
    answer: dict[str, Any],
    error: type[Exception],
) -> None:
    """A failed send is the client's error, without the key.

    Code 10 is an authentication error, a transport error quoting the key a
    connection error, a success without a usable payload an invalid response.
    """
    aioclient_mock.post(SMS_SEND_URL, **answer)
    with pytest.raises(error) as caught:
        await sms_client(session).async_send_sms(["0612345678"], "Hi")
    assert SMS_KEY not in str(caught.value)


async def test_send_sms_string_numbers(
    session: aiohttp.ClientSession, aioclient_mock: AiohttpClientMocker
) -> None:
    """Counts and costs sent as strings are read; a missing currency is EUR."""
    aioclient_mock.post(
        SMS_SEND_URL,
        json={"success": True, "message_id": 9, "nb_sms": "2", "cost": "0.076"},
    )
    result = await sms_client(session).async_send_sms(["0612345678"], "Hi")
    assert result == SmsSendResult(
        message_id="9", sms_count=2, cost=0.076, currency="EUR"
    )


# Error codes (JSON text) that are not small whole numbers, by what they are.
ODD_CODES = {
    "5000 digits": f'"{"9" * 5000}"',
    "4001-digit number": "1" + "0" * 4000,
    "Arabic digits": '"١٠"',
    "10 digits": "1000000000",
    "10 digits as a string": '"1010101010"',
    "negative": "-1000000000",
    "float": "9.0",
    "boolean": "true",
    "null": "null",
}


@pytest.mark.parametrize("code", ODD_CODES.values(), ids=list(ODD_CODES))
async def test_error_codes_out_of_range(
    session: aiohttp.ClientSession,
    aioclient_mock: AiohttpClientMocker,
    code: str,
) -> None:
    """Codes that are not small whole numbers are no code, and not a crash."""
    aioclient_mock.post(
        SMS_SEND_URL, status=400, text=f'{{"success": false, "code": {code}}}'
    )
    with pytest.raises(SmsPartnerApiError) as caught:
        await sms_client(session).async_send_sms(["0612345678"], "Hi")
    assert type(caught.value) is SmsPartnerApiError
    assert caught.value.code is None


async def test_text_that_is_not_unicode_is_refused_unsent(
    session: aiohttp.ClientSession, aioclient_mock: AiohttpClientMocker
) -> None:
    """A lone surrogate cannot be sent as UTF-8: a ValueError without the body."""
    with pytest.raises(ValueError, match="not valid Unicode") as caught:
        await sms_client(session).async_send_sms(["0612345678"], "Hi \ud800")
    assert SMS_KEY not in f"{caught.value} {caught.value!r} {caught.value.args}"
    assert aioclient_mock.call_count == 0
