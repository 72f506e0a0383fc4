"""Tests of the send_sms and send_voice_message actions."""

from __future__ import annotations

from datetime import UTC, datetime
import json
from pathlib import Path
import time
from typing import Any
from unittest.mock import patch

from freezegun.api import FrozenDateTimeFactory
import pytest
from pytest_homeassistant_custom_component.common import MockConfigEntry
from pytest_homeassistant_custom_component.test_util.aiohttp import AiohttpClientMocker
import yaml

from custom_components.smspartner.budgets import async_get_send_limiter
from custom_components.smspartner.const import DOMAIN
from custom_components.smspartner.product import PRODUCTS, Product
from custom_components.smspartner.services import (
    SERVICE_SEND_SMS,
    SERVICE_SEND_VOICE_MESSAGE,
)
from homeassistant.config_entries import SOURCE_REAUTH, ConfigEntryState
from homeassistant.core import HomeAssistant
from homeassistant.exceptions import HomeAssistantError, ServiceValidationError
from homeassistant.helpers.service import async_get_all_descriptions
from homeassistant.setup import async_setup_component

from .conftest import (
    SMS_KEY,
    SMS_SEND_URL,
    SMS_SENT,
    SMS_URL,
    VOICE_KEY,
    VOICE_SEND_URL,
    VOICE_SENT as DOCUMENTED_VOICE_SENT,
    VOICE_URL,
    setup_integration,
    sms_entry,
    sms_payload,
    voice_entry,
    voice_payload,
)

# A call to two numbers.
VOICE_SENT = DOCUMENTED_VOICE_SENT | {"nbSms": 2}
NOW = "2026-07-14 08:00:00+00:00"  # 10:00 in Paris, 01:00 in Los Angeles
COMPONENT = Path(__file__).parent.parent / "custom_components" / DOMAIN


@pytest.fixture(autouse=True)
def frozen_time(freezer: FrozenDateTimeFactory) -> None:
    """Run every test at a known time (Home Assistant's zone: America/Los_Angeles)."""
    freezer.move_to(NOW)


@pytest.fixture
async def sms(
    hass: HomeAssistant, aioclient_mock: AiohttpClientMocker
) -> MockConfigEntry:
    """Set up the SMS Partner entry."""
    aioclient_mock.get(SMS_URL, json=sms_payload())
    entry = sms_entry()
    await setup_integration(hass, entry)
    return entry


@pytest.fixture
async def voice(
    hass: HomeAssistant, aioclient_mock: AiohttpClientMocker
) -> MockConfigEntry:
    """Set up the Voice Partner entry."""
    aioclient_mock.get(VOICE_URL, json=voice_payload())
    entry = voice_entry()
    await setup_integration(hass, entry)
    return entry


def requests_to(aioclient_mock: AiohttpClientMocker, url: str) -> list[Any]:
    """Return the bodies (None for GET) of the requests made to `url`."""
    return [
        None if data is None else json.loads(data)
        for _, called, data, _ in aioclient_mock.mock_calls
        if str(called).split("?")[0] == url
    ]


async def send_sms(
    hass: HomeAssistant, entry: MockConfigEntry, **data: Any
) -> dict[str, Any] | None:
    """Call smspartner.send_sms for `entry` and return its response."""
    return await hass.services.async_call(
        DOMAIN,
        SERVICE_SEND_SMS,
        {"config_entry_id": entry.entry_id} | data,
        blocking=True,
        return_response=True,
    )


async def test_actions_registered_without_entries(hass: HomeAssistant) -> None:
    """Both actions exist once the integration is set up, even with no account."""
    assert await async_setup_component(hass, DOMAIN, {})
    assert hass.services.has_service(DOMAIN, SERVICE_SEND_SMS)
    assert hass.services.has_service(DOMAIN, SERVICE_SEND_VOICE_MESSAGE)


async def test_send_sms(
    hass: HomeAssistant, aioclient_mock: AiohttpClientMocker, sms: MockConfigEntry
) -> None:
    """The SMS is sent, the response returned and the credits read again."""
    aioclient_mock.post(SMS_SEND_URL, json=SMS_SENT)

    response = await send_sms(
        hass,
        sms,
        recipients=["06 12 34 56 78", "+49 151 2345 6789, 0612345678"],
        message='Door "garage" open\nCost: 5 €',
    )

    assert response == {
        "message_id": "307",
        "sms_count": 1,
        "cost": 0.038,
        "currency": "EUR",
        "sandbox": False,
    }
    assert requests_to(aioclient_mock, SMS_SEND_URL) == [
        {
            "apiKey": SMS_KEY,
            "phoneNumbers": "0612345678,+4915123456789",
            "message": 'Door "garage" open:br:Cost: 5 :euro:',
        }
    ]
    assert requests_to(aioclient_mock, SMS_URL) == [None, None]


async def test_send_sms_without_response(
    hass: HomeAssistant, aioclient_mock: AiohttpClientMocker, sms: MockConfigEntry
) -> None:
    """Called without return_response, the action returns nothing."""
    aioclient_mock.post(SMS_SEND_URL, json=SMS_SENT)
    response = await hass.services.async_call(
        DOMAIN,
        SERVICE_SEND_SMS,
        {"config_entry_id": sms.entry_id, "recipients": "0612345678", "message": "Hi"},
        blocking=True,
    )
    assert response is None
    assert len(requests_to(aioclient_mock, SMS_SEND_URL)) == 1


async def test_send_sms_sandbox(
    hass: HomeAssistant, aioclient_mock: AiohttpClientMocker, sms: MockConfigEntry
) -> None:
    """A sandbox send asks for nothing to be sent and does not re-read the credits.

    Its response says it was a sandbox send.
    """
    aioclient_mock.post(SMS_SEND_URL, json=SMS_SENT | {"cost": 0})

    response = await send_sms(
        hass, sms, recipients=["0612345678"], message="Test", sandbox=True
    )

    assert response is not None
    assert response["cost"] == 0
    assert response["sandbox"] is True
    assert requests_to(aioclient_mock, SMS_SEND_URL)[0]["sandbox"] == 1
    assert requests_to(aioclient_mock, SMS_URL) == [None]


async def test_send_sms_sender_and_schedule(
    hass: HomeAssistant, aioclient_mock: AiohttpClientMocker, sms: MockConfigEntry
) -> None:
    """A local schedule is sent on the French clock; seconds are dropped."""
    aioclient_mock.post(SMS_SEND_URL, json=SMS_SENT)

    await send_sms(
        hass,
        sms,
        recipients=["0612345678"],
        message="Later",
        sender=" Maison ",
        scheduled_time="2026-07-14 09:05:42",  # Los Angeles, = 18:05 in Paris
    )

    body = requests_to(aioclient_mock, SMS_SEND_URL)[0]
    assert {key: body[key] for key in body if key != "apiKey"} == {
        "phoneNumbers": "0612345678",
        "message": "Later",
        "sender": "Maison",
        "scheduledDeliveryDate": "14/07/2026",
        "time": 18,
        "minute": 5,
    }


@pytest.mark.parametrize(
    ("data", "key", "placeholders"),
    [
        (
            {"recipients": ["0512345678"]},
            "invalid_phone_number",
            {"number": "0512345678"},
        ),
        (
            {"recipients": ["0612345678, +33 1"]},
            "invalid_phone_number",
            {"number": "+33 1"},
        ),
        ({"recipients": [" ", ","]}, "no_recipients", None),
        (
            {"recipients": [f"+3361234{i:04d}" for i in range(501)]},
            "too_many_recipients",
            {"max": "500"},
        ),
        ({"message": " \n "}, "empty_message", None),
        ({"sender": "AB"}, "invalid_sender", {"sender": "AB"}),
        ({"sender": "Mon-Alarme"}, "invalid_sender", {"sender": "Mon-Alarme"}),
        (
            {"scheduled_time": "2026-07-14 09:07:00"},
            "schedule_minute",
            {"time": "09:07"},
        ),
        (
            {"scheduled_time": "2026-07-14 00:55:00"},
            "schedule_in_past",
            {"time": "2026-07-14 00:55"},
        ),
        (
            {"scheduled_time": "2026-07-14T08:00:00+00:00"},
            "schedule_in_past",
            {"time": "2026-07-14 01:00"},
        ),
    ],
)
async def test_send_sms_validation(
    hass: HomeAssistant,
    aioclient_mock: AiohttpClientMocker,
    sms: MockConfigEntry,
    *,
    data: dict[str, Any],
    key: str,
    placeholders: dict[str, str] | None,
) -> None:
    """Arguments the provider would refuse are refused before anything is sent."""
    aioclient_mock.post(SMS_SEND_URL, json=SMS_SENT)
    with pytest.raises(ServiceValidationError) as caught:
        await send_sms(
            hass, sms, **{"recipients": "0612345678", "message": "Hi"} | data
        )
    assert caught.value.translation_key == key
    assert caught.value.translation_placeholders == placeholders
    assert requests_to(aioclient_mock, SMS_SEND_URL) == []


MANY_NUMBERS = [f"+3361{i:07d}" for i in range(50_000)]


@pytest.mark.parametrize(
    "recipients",
    [MANY_NUMBERS, ",".join(MANY_NUMBERS)],
    ids=["list", "one string"],
)
async def test_many_recipients_refused_quickly(
    hass: HomeAssistant,
    aioclient_mock: AiohttpClientMocker,
    sms: MockConfigEntry,
    recipients: list[str] | str,
) -> None:
    """50 000 numbers are refused without blocking the event loop."""
    start = time.thread_time()  # CPU time of the loop's thread; freezegun leaves it
    with pytest.raises(ServiceValidationError) as caught:
        await send_sms(hass, sms, recipients=recipients, message="Hi")
    elapsed = time.thread_time() - start
    print(f"50 000 recipients refused in {elapsed * 1000:.1f} ms")  # noqa: T201
    assert caught.value.translation_key == "too_many_recipients"
    assert caught.value.translation_placeholders == {"max": "500"}
    assert elapsed < 0.25
    assert requests_to(aioclient_mock, SMS_SEND_URL) == []


TRANSLATIONS = {
    language: json.loads((COMPONENT / "translations" / f"{language}.json").read_text())[
        "exceptions"
    ]
    for language in ("en", "fr")
}
NOT_UTF8 = "\ud800"
SMS_DATA = {"recipients": "0612345678", "message": "Hi"}
VOICE_DATA = {"recipients": "0612345678", "message": "Bonjour"}


def bad(service: str, data: dict[str, Any], key: str, name: str) -> Any:
    """Return a case of test_bad_input: the whole data of the call."""
    base = SMS_DATA if service == SERVICE_SEND_SMS else VOICE_DATA
    return pytest.param(service, base | data, key, id=f"{service} {name}")


@pytest.mark.parametrize(
    ("service", "data", "key"),
    [
        bad(SERVICE_SEND_SMS, {"message": ""}, "empty_message", "empty message"),
        bad(SERVICE_SEND_SMS, {"message": " \t\n "}, "empty_message", "blank"),
        bad(SERVICE_SEND_SMS, {"message": NOT_UTF8}, "invalid_text", "surrogate"),
        bad(SERVICE_SEND_SMS, {"message": f"a{NOT_UTF8}b"}, "invalid_text", "text"),
        bad(SERVICE_SEND_SMS, {"message": None}, "invalid_field", "message None"),
        bad(SERVICE_SEND_SMS, {"sender": f"Ab{NOT_UTF8}"}, "invalid_sender", "sender"),
        bad(
            SERVICE_SEND_SMS,
            {"recipients": NOT_UTF8},
            "invalid_phone_number",
            "recipient surrogate",
        ),
        bad(
            SERVICE_SEND_SMS,
            {"recipients": ["0612345678", f"06{NOT_UTF8}12345678"]},
            "invalid_phone_number",
            "recipient with surrogate",
        ),
        bad(
            SERVICE_SEND_SMS,
            {"recipients": "0" * 1_000_000},
            "invalid_phone_number",
            "enormous number",
        ),
        bad(
            SERVICE_SEND_SMS,
            {"recipients": " ,; " * 250_000},
            "no_recipients",
            "enormous blank",
        ),
        bad(SERVICE_SEND_SMS, {"recipients": None}, "no_recipients", "no recipients"),
        bad(
            SERVICE_SEND_SMS,
            {"recipients": {"to": "0612345678"}},
            "invalid_field",
            "recipients mapping",
        ),
        bad(
            SERVICE_SEND_SMS,
            {"scheduled_time": "9999-12-31 23:59:59"},
            "schedule_out_of_range",
            "year 9999",
        ),
        bad(
            SERVICE_SEND_SMS,
            {"scheduled_time": "9999-12-31T23:55:00+00:00"},
            "schedule_out_of_range",
            "year 9999 UTC",
        ),
        bad(
            SERVICE_SEND_SMS,
            {"scheduled_time": datetime.max},
            "schedule_out_of_range",
            "datetime.max",
        ),
        bad(
            SERVICE_SEND_SMS,
            {"scheduled_time": datetime.max.replace(tzinfo=UTC)},
            "schedule_out_of_range",
            "datetime.max UTC",
        ),
        bad(
            SERVICE_SEND_SMS,
            {"scheduled_time": "2027-07-15 01:05:00"},
            "schedule_out_of_range",
            "over a year ahead",
        ),
        bad(
            SERVICE_SEND_SMS,
            {"scheduled_time": "0001-01-01T00:00:00+14:00"},
            "schedule_out_of_range",
            "year 1",
        ),
        bad(
            SERVICE_SEND_SMS,
            {"scheduled_time": "tomorrow"},
            "invalid_field",
            "not a time",
        ),
        bad(SERVICE_SEND_SMS, {"sandbox": "maybe"}, "invalid_field", "sandbox"),
        bad(SERVICE_SEND_SMS, {"sandbox": []}, "invalid_field", "sandbox list"),
        bad(SERVICE_SEND_SMS, {"speech_rate": 1}, "unknown_field", "voice field"),
        bad(SERVICE_SEND_SMS, {NOT_UTF8: 1}, "unknown_field", "surrogate field"),
        bad(
            SERVICE_SEND_SMS,
            {"config_entry_id": NOT_UTF8},
            "entry_not_found",
            "entry surrogate",
        ),
        bad(
            SERVICE_SEND_SMS,
            {"config_entry_id": "x" * 100_000},
            "entry_not_found",
            "enormous entry",
        ),
        bad(SERVICE_SEND_SMS, {"config_entry_id": None}, "invalid_field", "entry"),
        bad(
            SERVICE_SEND_VOICE_MESSAGE,
            {"speech_rate": "nan"},
            "invalid_speech_rate",
            "NaN",
        ),
        bad(
            SERVICE_SEND_VOICE_MESSAGE,
            {"speech_rate": "inf"},
            "invalid_speech_rate",
            "inf",
        ),
        bad(
            SERVICE_SEND_VOICE_MESSAGE,
            {"speech_rate": 10**400},
            "invalid_speech_rate",
            "huge rate",
        ),
        bad(
            SERVICE_SEND_VOICE_MESSAGE,
            {"speech_rate": "fast"},
            "invalid_speech_rate",
            "rate text",
        ),
        bad(
            SERVICE_SEND_VOICE_MESSAGE,
            {"language": NOT_UTF8},
            "invalid_language",
            "language surrogate",
        ),
        bad(SERVICE_SEND_VOICE_MESSAGE, {"language": " "}, "invalid_language", "blank"),
        bad(
            SERVICE_SEND_VOICE_MESSAGE,
            {"language": "fr" * 50_000},
            "invalid_language",
            "enormous language",
        ),
        bad(
            SERVICE_SEND_VOICE_MESSAGE,
            {"message": NOT_UTF8},
            "invalid_text",
            "surrogate",
        ),
        bad(
            SERVICE_SEND_VOICE_MESSAGE,
            {"scheduled_time": "9999-12-31 23:59:59"},
            "schedule_out_of_range",
            "year 9999",
        ),
        bad(
            SERVICE_SEND_VOICE_MESSAGE,
            {"scheduled_time": "9999-12-31T23:59:59+00:00"},
            "schedule_out_of_range",
            "year 9999 UTC",
        ),
        bad(
            SERVICE_SEND_VOICE_MESSAGE,
            {"scheduled_time": datetime.max.replace(tzinfo=UTC)},
            "schedule_out_of_range",
            "datetime.max UTC",
        ),
        bad(
            SERVICE_SEND_VOICE_MESSAGE, {"sender": "Maison"}, "unknown_field", "sender"
        ),
        pytest.param(
            SERVICE_SEND_VOICE_MESSAGE,
            {"recipients": "0612345678"},
            "missing_field",
            id=f"{SERVICE_SEND_VOICE_MESSAGE} no message",
        ),
    ],
)
async def test_bad_input(
    hass: HomeAssistant,
    aioclient_mock: AiohttpClientMocker,
    sms: MockConfigEntry,
    voice: MockConfigEntry,
    *,
    service: str,
    data: dict[str, Any],
    key: str,
) -> None:
    """Each bad input is a translated validation error, without the API keys."""
    entry = sms if service == SERVICE_SEND_SMS else voice
    aioclient_mock.post(SMS_SEND_URL, json=SMS_SENT)
    aioclient_mock.post(VOICE_SEND_URL, json=VOICE_SENT)
    with pytest.raises(ServiceValidationError) as caught:
        await hass.services.async_call(
            DOMAIN,
            service,
            {"config_entry_id": entry.entry_id} | data,
            blocking=True,
            return_response=True,
        )

    err = caught.value
    assert type(err) is ServiceValidationError
    assert err.translation_key == key
    for text in (str(err), repr(err), str(err.args)):
        assert SMS_KEY not in text
        assert VOICE_KEY not in text
    # Fit for a log line and the frontend: valid UTF-8 and short.
    assert len(str(err).encode()) < 300
    for messages in TRANSLATIONS.values():
        messages[key]["message"].format(**err.translation_placeholders or {})
    assert requests_to(aioclient_mock, SMS_SEND_URL) == []
    assert requests_to(aioclient_mock, VOICE_SEND_URL) == []


@pytest.mark.parametrize(
    "error",
    [
        ValueError("Invalid phone number"),
        UnicodeEncodeError("utf-8", f'{{"apiKey": "{SMS_KEY}"}}', 0, 1, "surrogate"),
    ],
)
async def test_client_value_error(
    hass: HomeAssistant, sms: MockConfigEntry, error: ValueError
) -> None:
    """A ValueError of the client is a translated error, without its text."""
    with (
        patch.object(sms.runtime_data.client, "async_send_sms", side_effect=error),
        pytest.raises(ServiceValidationError) as caught,
    ):
        await send_sms(hass, sms, **SMS_DATA)
    assert caught.value.translation_key == "invalid_send_arguments"
    for text in (str(caught.value), repr(caught.value), str(caught.value.args)):
        assert SMS_KEY not in text


async def test_entry_checks(
    hass: HomeAssistant,
    aioclient_mock: AiohttpClientMocker,
    sms: MockConfigEntry,
    voice: MockConfigEntry,
) -> None:
    """The entry must exist, belong to the integration, be loaded and fit the action."""
    other = MockConfigEntry(domain="other", title="Other")
    other.add_to_hass(hass)
    message = {"recipients": "0612345678", "message": "Hi"}

    for entry_id in ("missing", other.entry_id):
        with pytest.raises(ServiceValidationError) as caught:
            await hass.services.async_call(
                DOMAIN,
                SERVICE_SEND_SMS,
                {"config_entry_id": entry_id} | message,
                blocking=True,
            )
        assert caught.value.translation_key == "entry_not_found"
        assert caught.value.translation_placeholders == {"entry_id": entry_id}

    with pytest.raises(ServiceValidationError) as caught:
        await send_sms(hass, voice, **message)
    assert caught.value.translation_key == "wrong_service"
    assert str(caught.value) == (
        "The entry Voice Partner is not for SMS Partner; choose an entry of SMS Partner"
    )

    with pytest.raises(ServiceValidationError) as caught:
        await hass.services.async_call(
            DOMAIN,
            SERVICE_SEND_VOICE_MESSAGE,
            {"config_entry_id": sms.entry_id} | message,
            blocking=True,
        )
    assert caught.value.translation_placeholders == {
        "entry": sms.title,
        "service": "Voice Partner",
    }

    await hass.config_entries.async_unload(sms.entry_id)
    with pytest.raises(ServiceValidationError) as caught:
        await send_sms(hass, sms, **message)
    assert caught.value.translation_key == "entry_not_loaded"
    assert str(caught.value) == (
        f"The entry {sms.title} is not loaded; check it on the integration page"
    )
    assert requests_to(aioclient_mock, SMS_SEND_URL) == []


@pytest.mark.parametrize(
    ("answer", "error", "message"),
    [
        (
            {
                "status": 400,
                "json": {
                    "success": False,
                    "code": 9,
                    "errors": [{"elementId": "x", "message": "Date earlier than now"}],
                },
            },
            ServiceValidationError,
            "The provider refused the request: Date earlier than now",
        ),
        (
            {"json": {"success": False, "code": 14, "message": "0612345678 en STOP"}},
            ServiceValidationError,
            (
                "A recipient is on the STOP list of the account and cannot receive"
                " SMS: 0612345678 en STOP"
            ),
        ),
        (
            {"json": {"success": False, "code": 11, "message": "Manque de crédits"}},
            HomeAssistantError,
            "Not enough credit on the account to send this message",
        ),
        (
            {"status": 400, "json": {"success": False, "code": 22, "message": "Nuit"}},
            HomeAssistantError,
            "The provider refused the message with error code 22: Nuit",
        ),
        (
            {"status": 400, "json": {"success": False, "message": "Nuit"}},
            HomeAssistantError,
            "The provider refused the message: Nuit",
        ),
        (
            {"status": 429, "headers": {"Retry-After": "30"}},
            HomeAssistantError,
            (
                "Too many requests for this API key; the next request will be sent"
                " in 30 s at the earliest"
            ),
        ),
        (
            {"status": 503, "text": "Service Unavailable"},
            HomeAssistantError,
            "The provider could not be reached or answered with a server error",
        ),
        (
            {"json": {"success": True}},
            HomeAssistantError,
            (
                "The provider's answer could not be read: the message may have been"
                " sent. Check your customer area before sending it again"
            ),
        ),
    ],
)
async def test_send_sms_provider_errors(
    hass: HomeAssistant,
    aioclient_mock: AiohttpClientMocker,
    sms: MockConfigEntry,
    *,
    answer: dict[str, Any],
    error: type[HomeAssistantError],
    message: str,
) -> None:
    """Provider errors become translated errors; the credits are not re-read."""
    aioclient_mock.post(SMS_SEND_URL, **answer)
    with pytest.raises(HomeAssistantError) as caught:
        await send_sms(hass, sms, recipients="0612345678", message="Hi")
    assert type(caught.value) is error
    assert str(caught.value) == message
    assert SMS_KEY not in str(caught.value)
    assert requests_to(aioclient_mock, SMS_URL) == [None]


async def test_send_sms_refused_key_starts_reauth(
    hass: HomeAssistant, aioclient_mock: AiohttpClientMocker, sms: MockConfigEntry
) -> None:
    """Code 10 on a send fails the action and asks for a new key."""
    aioclient_mock.post(
        SMS_SEND_URL,
        status=400,
        json={"success": False, "code": 10, "message": "Clé API incorrecte"},
    )
    with pytest.raises(HomeAssistantError) as caught:
        await send_sms(hass, sms, recipients="0612345678", message="Hi")
    await hass.async_block_till_done()

    assert type(caught.value) is HomeAssistantError
    assert caught.value.translation_key == "invalid_auth"
    flows = hass.config_entries.flow.async_progress_by_handler(DOMAIN)
    assert [flow["context"]["source"] for flow in flows] == [SOURCE_REAUTH]
    assert flows[0]["context"]["entry_id"] == sms.entry_id


async def test_send_budget(
    hass: HomeAssistant, aioclient_mock: AiohttpClientMocker, sms: MockConfigEntry
) -> None:
    """Sends stop, untouched by the credits budget, once the send budget is spent."""
    aioclient_mock.post(SMS_SEND_URL, json=SMS_SENT)
    budget, period = PRODUCTS[Product.SMS_PARTNER].send_budget
    limiter = async_get_send_limiter(hass, Product.SMS_PARTNER, SMS_KEY)
    assert sms.runtime_data.client.send_limiter is limiter
    for _ in range(budget - 1):
        limiter.acquire()

    await send_sms(hass, sms, recipients="0612345678", message="Last", sandbox=True)
    with pytest.raises(HomeAssistantError) as caught:
        await send_sms(hass, sms, recipients="0612345678", message="One too many")

    assert caught.value.translation_key == "send_budget_spent"
    assert caught.value.translation_placeholders == {"seconds": str(round(period))}
    assert len(requests_to(aioclient_mock, SMS_SEND_URL)) == 1


async def test_send_voice_message(
    hass: HomeAssistant, aioclient_mock: AiohttpClientMocker, voice: MockConfigEntry
) -> None:
    """The call is placed, the response returned and the credits read again."""
    aioclient_mock.post(VOICE_SEND_URL, json=VOICE_SENT)

    response = await hass.services.async_call(
        DOMAIN,
        SERVICE_SEND_VOICE_MESSAGE,
        {
            "config_entry_id": voice.entry_id,
            "recipients": ["06 12 34 56 78", "+33 7 12 34 56 78"],
            "message": "L'alarme sonne, , à la maison.",
            "speech_rate": "1.5",
            "scheduled_time": "2026-07-14 09:07:00",
        },
        blocking=True,
        return_response=True,
    )

    assert response == {
        "campaign_id": "Ff1tbu0lax",
        "message_count": 2,
        "cost": 0.12,
        "currency": "EUR",
        "duration": 6.3,
    }
    assert requests_to(aioclient_mock, VOICE_SEND_URL) == [
        {
            "apiKey": VOICE_KEY,
            "phoneNumbers": "0612345678,+33712345678",
            "text": "L'alarme sonne, , à la maison.",
            "lang": "fr",
            "speechRate": 1.5,
            "scheduledDate": "2026-07-14 18:07:00",
        }
    ]
    assert requests_to(aioclient_mock, VOICE_URL) == [None, None]


async def test_send_voice_message_language(
    hass: HomeAssistant, aioclient_mock: AiohttpClientMocker, voice: MockConfigEntry
) -> None:
    """A language code other than French is sent as given; no response asked."""
    aioclient_mock.post(VOICE_SEND_URL, json=VOICE_SENT)
    response = await hass.services.async_call(
        DOMAIN,
        SERVICE_SEND_VOICE_MESSAGE,
        {
            "config_entry_id": voice.entry_id,
            "recipients": "0612345678",
            "message": "The alarm is ringing.",
            "language": " en-GB ",
        },
        blocking=True,
    )
    assert response is None
    assert requests_to(aioclient_mock, VOICE_SEND_URL)[0]["lang"] == "en-GB"


@pytest.mark.parametrize(
    ("data", "key", "placeholders"),
    [
        ({"language": "French"}, "invalid_language", {"language": "French"}),
        ({"speech_rate": 3}, "invalid_speech_rate", {"low": "0.5", "high": "2.0"}),
        ({"recipients": "12"}, "invalid_phone_number", {"number": "12"}),
        ({"message": ""}, "empty_message", None),
        (
            {"scheduled_time": "2026-07-13 23:00:00"},
            "schedule_in_past",
            {"time": "2026-07-13 23:00"},
        ),
    ],
)
async def test_send_voice_message_validation(
    hass: HomeAssistant,
    aioclient_mock: AiohttpClientMocker,
    voice: MockConfigEntry,
    *,
    data: dict[str, Any],
    key: str,
    placeholders: dict[str, str] | None,
) -> None:
    """Arguments the provider would refuse are refused before anything is sent."""
    with pytest.raises(ServiceValidationError) as caught:
        await hass.services.async_call(
            DOMAIN,
            SERVICE_SEND_VOICE_MESSAGE,
            {
                "config_entry_id": voice.entry_id,
                "recipients": "0612345678",
                "message": "Bonjour",
            }
            | data,
            blocking=True,
        )
    assert caught.value.translation_key == key
    assert caught.value.translation_placeholders == placeholders
    assert requests_to(aioclient_mock, VOICE_SEND_URL) == []


async def test_send_voice_message_error(
    hass: HomeAssistant, aioclient_mock: AiohttpClientMocker, voice: MockConfigEntry
) -> None:
    """A refused text-to-speech send is a translated error."""
    aioclient_mock.post(
        VOICE_SEND_URL,
        json={"success": False, "code": 11, "message": "Crédit insuffisant"},
    )
    with pytest.raises(HomeAssistantError) as caught:
        await hass.services.async_call(
            DOMAIN,
            SERVICE_SEND_VOICE_MESSAGE,
            {
                "config_entry_id": voice.entry_id,
                "recipients": "0612345678",
                "message": "Bonjour",
            },
            blocking=True,
        )
    assert caught.value.translation_key == "insufficient_credit"
    assert voice.state is ConfigEntryState.LOADED


async def test_action_descriptions(hass: HomeAssistant) -> None:
    """services.yaml passes Home Assistant's own schema, selectors included."""
    assert await async_setup_component(hass, DOMAIN, {})
    descriptions = (await async_get_all_descriptions(hass))[DOMAIN]
    assert set(descriptions) == {SERVICE_SEND_SMS, SERVICE_SEND_VOICE_MESSAGE}
    sms_fields = descriptions[SERVICE_SEND_SMS]["fields"]
    assert sms_fields["config_entry_id"]["selector"] == {
        "config_entry": {"integration": DOMAIN}
    }
    assert set(sms_fields) == {
        "config_entry_id",
        "recipients",
        "message",
        "sender",
        "scheduled_time",
        "sandbox",
    }
    assert descriptions[SERVICE_SEND_SMS]["response"] == {"optional": True}


def test_action_translations() -> None:
    """Every action field is named and described, in English and in French."""
    services = yaml.safe_load((COMPONENT / "services.yaml").read_text())
    for language in ("en", "fr"):
        strings = json.loads(
            (COMPONENT / "translations" / f"{language}.json").read_text()
        )
        for action, spec in services.items():
            translated = strings["services"][action]
            assert translated["name"]
            assert translated["description"]
            assert set(translated["fields"]) == set(spec["fields"])
            assert all(
                field["name"] and field["description"]
                for field in translated["fields"].values()
            )
        options = services[SERVICE_SEND_VOICE_MESSAGE]["fields"]["language"]
        assert set(strings["selector"]["language"]["options"]) == set(
            options["selector"]["select"]["options"]
        )


def test_french_has_every_key() -> None:
    """The French file has exactly the keys of the English one."""

    def keys(node: Any, path: str = "") -> set[str]:
        if not isinstance(node, dict):
            return {path}
        return set().union(
            *(keys(value, f"{path}/{key}") for key, value in node.items())
        )

    en, fr = (
        json.loads((COMPONENT / "translations" / f"{lang}.json").read_text())
        for lang in ("en", "fr")
    )
    assert keys(fr) == keys(en)
