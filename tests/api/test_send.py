"""Tests of the API client's sends: encoding, validation, errors and budgets."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone
import json
from typing import Any
from urllib.parse import quote, quote_plus

import aiohttp
from hypothesis import given, strategies as st
import pytest
from pytest_homeassistant_custom_component.test_util.aiohttp import AiohttpClientMocker
from yarl import URL

from custom_components.smspartner.api import (
    MAX_RECIPIENTS,
    RequestLimiter,
    SmsPartnerApiError,
    SmsPartnerAuthenticationError,
    SmsPartnerClient,
    SmsPartnerConnectionError,
    SmsPartnerInsufficientCreditError,
    SmsPartnerInvalidRequestError,
    SmsPartnerInvalidResponseError,
    SmsPartnerRateLimitError,
    SmsPartnerStopListError,
    SmsPartnerThrottledError,
    SmsSendResult,
    VoicePartnerClient,
    VoiceSendResult,
    encode_sms_message,
    normalize_phone_number,
)

from ..conftest import (
    SMS_KEY,
    SMS_SEND_URL,
    SMS_SENT,
    SMS_URL,
    VOICE_KEY,
    VOICE_SEND_URL,
    VOICE_SENT,
    FakeClock,
)


def sms_client(
    session: aiohttp.ClientSession,
    *,
    limiter: RequestLimiter | None = None,
    send_limiter: RequestLimiter | None = None,
) -> SmsPartnerClient:
    """Return a client for the SMS Partner key."""
    return SmsPartnerClient(
        session, SMS_KEY, limiter=limiter, send_limiter=send_limiter
    )


def sent_body(aioclient_mock: AiohttpClientMocker, index: int = -1) -> dict[str, Any]:
    """Return the JSON body of a recorded request."""
    body: dict[str, Any] = json.loads(aioclient_mock.mock_calls[index][2])
    return body


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("0612345678", "0612345678"),
        ("07 12 34 56 78", "0712345678"),
        ("06.12.34.56.78", "0612345678"),
        ("06-12-34-56-78", "0612345678"),
        ("+33612345678", "+33612345678"),
        ("+33 6 12 34 56 78", "+33612345678"),
        ("+33 1 23 45 67 89", "+33123456789"),
        ("0033612345678", "+33612345678"),
        ("+4915123456789", "+4915123456789"),
        ("+1 415 555 2671", "+14155552671"),
        ("+32 470 12 34 56", "+32470123456"),
        ("+12345678", "+12345678"),
        ("+123456789012345", "+123456789012345"),
    ],
)
def test_normalize_phone_number(raw: str, expected: str) -> None:
    """Accepted numbers lose their separators; 00 becomes +."""
    assert normalize_phone_number(raw) == expected


@pytest.mark.parametrize(
    "raw",
    [
        "",
        "0123456789",  # a French landline in national form
        "0812345678",
        "061234567",  # 9 digits
        "06123456789",  # 11 digits
        "+3361234567",  # +33 with 8 digits
        "+330612345678",  # +33 then a national 0
        "+1234567",  # 7 digits
        "+1234567890123456",  # 16 digits
        "+0612345678",
        "612345678",
        "06١٢٣٤٥٦٧٨",  # Arabic-Indic digits
        "+٣٣612345678",
        "06 12 34 56 7a",
        "+33 6 12 34 56 78 ext 2",
    ],
)
def test_normalize_phone_number_refuses(raw: str) -> None:
    """Numbers the providers would refuse raise ValueError."""
    with pytest.raises(ValueError, match="Invalid phone number"):
        normalize_phone_number(raw)


@given(st.from_regex(r"\A(0[67][0-9]{8}|\+33[1-9][0-9]{8}|\+[1-9][0-9]{7,14})\Z"))
def test_normalize_phone_number_is_stable(number: str) -> None:
    """A normalized number, with separators added back, normalizes to itself."""
    try:
        expected = normalize_phone_number(number)
    except ValueError:
        # Only other +33 forms (wrong length) are refused among these.
        assert number.startswith("+33")
        return
    spaced = " ".join(expected[i : i + 2] for i in range(0, len(expected), 2))
    assert normalize_phone_number(spaced) == expected


@pytest.mark.parametrize(
    ("message", "expected"),
    [
        ("Hello", "Hello"),
        ("Line 1\nLine 2", "Line 1:br:Line 2"),
        ("Line 1\r\nLine 2\rLine 3", "Line 1:br:Line 2:br:Line 3"),
        ("Total: 12 €", "Total: 12 :euro:"),
        ('He said "hi"\n€5', 'He said "hi":br::euro:5'),
        ("Café à 8h", "Café à 8h"),
    ],
)
def test_encode_sms_message(message: str, expected: str) -> None:
    """Line breaks and the euro sign get the provider's tags."""
    assert encode_sms_message(message) == expected


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
    """Sender, schedule (on the French clock) and sandbox reach the body."""
    aioclient_mock.post(SMS_SEND_URL, json=SMS_SENT | {"message_id": "abc"})
    client = sms_client(session)

    summer = datetime(2026, 7, 14, 6, 5, tzinfo=UTC)
    result = await client.async_send_sms(
        ["0612345678"], "Hi", sender="Maison 42", scheduled=summer, sandbox=True
    )
    winter = datetime(2026, 12, 31, 18, 30, tzinfo=timezone(timedelta(hours=-5)))
    await client.async_send_sms(["0612345678"], "Hi", scheduled=winter)

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
    }
    assert sent_body(aioclient_mock, 1) | {"apiKey": None} == {
        "apiKey": None,
        "phoneNumbers": "0612345678",
        "message": "Hi",
        "scheduledDeliveryDate": "01/01/2027",
        "time": 0,
        "minute": 30,
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
        (
            200,
            {"success": False, "code": "9", "message": "Constraint"},
            SmsPartnerInvalidRequestError,
            9,
            "Constraint",
        ),
        (
            200,
            {"success": False, "code": 2, "message": "Numbers required"},
            SmsPartnerInvalidRequestError,
            2,
            "Numbers required",
        ),
        (
            400,
            {"success": False, "code": 13, "message": "No price"},
            SmsPartnerInvalidRequestError,
            13,
            "No price",
        ),
        (
            200,
            {"success": False, "code": 11, "message": "Manque de crédits"},
            SmsPartnerInsufficientCreditError,
            11,
            "Manque de crédits",
        ),
        (
            400,
            {"success": False, "code": 14, "message": "STOP"},
            SmsPartnerStopListError,
            14,
            "STOP",
        ),
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


async def test_send_sms_wrong_key(
    session: aiohttp.ClientSession, aioclient_mock: AiohttpClientMocker
) -> None:
    """Code 10 on a send is an authentication error."""
    aioclient_mock.post(
        SMS_SEND_URL,
        status=400,
        json={"success": False, "code": 10, "message": "Clé API incorrecte"},
    )
    with pytest.raises(SmsPartnerAuthenticationError):
        await sms_client(session).async_send_sms(["0612345678"], "Hi")


async def test_send_connection_error_hides_key(
    session: aiohttp.ClientSession, aioclient_mock: AiohttpClientMocker
) -> None:
    """A transport error quoting the key does not reveal it."""
    aioclient_mock.post(
        SMS_SEND_URL, exc=aiohttp.ClientConnectionError(f"reset with {SMS_KEY}")
    )
    with pytest.raises(SmsPartnerConnectionError) as caught:
        await sms_client(session).async_send_sms(["0612345678"], "Hi")
    assert SMS_KEY not in str(caught.value)


@pytest.mark.parametrize(
    "body",
    [
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
    ],
)
async def test_send_sms_unusable_answer(
    session: aiohttp.ClientSession,
    aioclient_mock: AiohttpClientMocker,
    body: dict[str, Any],
) -> None:
    """A success without a usable payload is an invalid response."""
    aioclient_mock.post(SMS_SEND_URL, json=body)
    with pytest.raises(SmsPartnerInvalidResponseError):
        await sms_client(session).async_send_sms(["0612345678"], "Hi")


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


async def test_sends_have_their_own_budget(
    session: aiohttp.ClientSession, aioclient_mock: AiohttpClientMocker
) -> None:
    """A spent credits budget does not stop sends, and the other way round."""
    aioclient_mock.post(SMS_SEND_URL, json=SMS_SENT)
    clock = FakeClock()
    limiter = RequestLimiter(5, 60, clock)
    send_limiter = RequestLimiter(2, 3600, clock)
    for _ in range(5):
        limiter.acquire()
    client = sms_client(session, limiter=limiter, send_limiter=send_limiter)

    await client.async_send_sms(["0612345678"], "1")
    await client.async_send_sms(["0612345678"], "2")
    with pytest.raises(SmsPartnerThrottledError) as caught:
        await client.async_send_sms(["0612345678"], "3")

    assert caught.value.retry_after == 3600
    assert aioclient_mock.call_count == 2
    assert limiter.requests_in_window == 5
    clock.now = 3600
    await client.async_send_sms(["0612345678"], "4")
    assert aioclient_mock.call_count == 3


async def test_send_without_send_budget_uses_credits_budget(
    session: aiohttp.ClientSession, aioclient_mock: AiohttpClientMocker
) -> None:
    """A client given no send budget counts sends in its credits budget."""
    aioclient_mock.post(SMS_SEND_URL, json=SMS_SENT)
    limiter = RequestLimiter(1, 60)

    await sms_client(session, limiter=limiter).async_send_sms(["0612345678"], "Hi")

    assert limiter.requests_in_window == 1


async def test_send_429_pauses_only_sends(
    session: aiohttp.ClientSession, aioclient_mock: AiohttpClientMocker
) -> None:
    """A 429 answer to a send pauses the send budget, not the credits one."""
    aioclient_mock.post(SMS_SEND_URL, status=429, headers={"Retry-After": "120"})
    aioclient_mock.get(SMS_URL, status=500)
    clock = FakeClock()
    limiter = RequestLimiter(5, 60, clock)
    send_limiter = RequestLimiter(60, 3600, clock)
    client = sms_client(session, limiter=limiter, send_limiter=send_limiter)

    with pytest.raises(SmsPartnerRateLimitError) as caught:
        await client.async_send_sms(["0612345678"], "Hi")

    assert caught.value.retry_after == 120
    assert send_limiter.delay() == 120
    assert limiter.delay() == 0


async def test_send_voice_message(
    session: aiohttp.ClientSession, aioclient_mock: AiohttpClientMocker
) -> None:
    """The documented text-to-speech answer is parsed; options reach the body."""
    aioclient_mock.post(VOICE_SEND_URL, json=VOICE_SENT)
    client = VoicePartnerClient(session, VOICE_KEY)

    result = await client.async_send_voice_message(
        ["0612345678", "+33712345678"],
        'Le portail est "ouvert", vérifiez.',
        language="fr",
        speech_rate=0.8,
        scheduled=datetime(2026, 2, 2, 13, 15, 42, tzinfo=UTC),
    )

    assert result == VoiceSendResult(
        campaign_id="Ff1tbu0lax",
        message_count=1,
        cost=0.12,
        currency="EUR",
        duration=6.3,
    )
    method, url, _, _ = aioclient_mock.mock_calls[0]
    assert (method, str(url)) == ("POST", VOICE_SEND_URL)
    assert sent_body(aioclient_mock) == {
        "apiKey": VOICE_KEY,
        "phoneNumbers": "0612345678,+33712345678",
        "text": 'Le portail est "ouvert", vérifiez.',
        "lang": "fr",
        "speechRate": 0.8,
        "scheduledDate": "2026-02-02 14:15:00",
    }


async def test_send_voice_message_minimal(
    session: aiohttp.ClientSession, aioclient_mock: AiohttpClientMocker
) -> None:
    """Without options only the required fields go; a missing duration is None."""
    body = {key: value for key, value in VOICE_SENT.items() if key != "duration"}
    aioclient_mock.post(VOICE_SEND_URL, json=body)

    result = await VoicePartnerClient(session, VOICE_KEY).async_send_voice_message(
        ["0612345678"], "Bonjour", language="en"
    )

    assert result.duration is None
    assert sent_body(aioclient_mock) == {
        "apiKey": VOICE_KEY,
        "phoneNumbers": "0612345678",
        "text": "Bonjour",
        "lang": "en",
    }


@pytest.mark.parametrize(
    "body",
    [
        {"success": True},
        VOICE_SENT | {"campaignId": 12, "duration": "long"},
        VOICE_SENT | {"nbSms": None},
    ],
)
async def test_send_voice_message_unusable_answer(
    session: aiohttp.ClientSession,
    aioclient_mock: AiohttpClientMocker,
    body: dict[str, Any],
) -> None:
    """A success without a usable payload is an invalid response."""
    aioclient_mock.post(VOICE_SEND_URL, json=body)
    with pytest.raises(SmsPartnerInvalidResponseError):
        await VoicePartnerClient(session, VOICE_KEY).async_send_voice_message(
            ["0612345678"], "Bonjour", language="fr"
        )


@pytest.mark.parametrize(
    "code",
    [
        pytest.param(f'"{"9" * 5000}"', id="5000 digits"),
        pytest.param("1" + "0" * 4000, id="4001-digit number"),
        pytest.param('"١٠"', id="Arabic digits"),
        pytest.param("1000000000", id="10 digits"),
        pytest.param('"1010101010"', id="10 digits as a string"),
        pytest.param("-1000000000", id="negative"),
        pytest.param("9.0", id="float"),
        pytest.param("true", id="boolean"),
        pytest.param("null", id="null"),
    ],
)
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


@pytest.mark.parametrize(
    "key", ["0123456789abcdef", "k3y/slash+plus&amp=eq%pct?#x", "Q'uote\"{brace}~|"]
)
async def test_key_redacted_in_every_form(
    session: aiohttp.ClientSession, aioclient_mock: AiohttpClientMocker, key: str
) -> None:
    """The key, as sent in a path or a query and however encoded, is never shown."""
    voice_url = URL(f"https://api.voicepartner.fr/v1/me/{quote(key, safe='')}")
    sms_url = URL(SMS_URL).with_query(apiKey=key)
    aioclient_mock.get(voice_url, exc=aiohttp.InvalidURL(voice_url))
    aioclient_mock.get(sms_url, exc=aiohttp.InvalidURL(sms_url))
    for read in (
        VoicePartnerClient(session, key).async_get_credits,
        SmsPartnerClient(session, key).async_get_credits,
    ):
        with pytest.raises(SmsPartnerConnectionError) as caught:
            await read()
        text = str(caught.value)
        assert "InvalidURL" in text
        assert "**REDACTED**" in text
        for form in (
            key,
            quote(key, safe=""),
            quote_plus(key),
            sms_url.raw_query_string,
        ):
            assert form.removeprefix("apiKey=") not in text


async def test_text_that_is_not_unicode_is_refused_unsent(
    session: aiohttp.ClientSession, aioclient_mock: AiohttpClientMocker
) -> None:
    """A lone surrogate cannot be sent as UTF-8: a ValueError without the body."""
    with pytest.raises(ValueError, match="not valid Unicode") as caught:
        await sms_client(session).async_send_sms(["0612345678"], "Hi \ud800")
    assert SMS_KEY not in f"{caught.value} {caught.value!r} {caught.value.args}"
    assert aioclient_mock.call_count == 0
