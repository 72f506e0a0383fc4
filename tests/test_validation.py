"""Tests of the checks of what a user gives to send (validation.py)."""

from __future__ import annotations

from datetime import UTC, datetime
import json
from pathlib import Path
import time
from typing import Any
from unittest.mock import patch

import pytest
from pytest_homeassistant_custom_component.common import MockConfigEntry
from pytest_homeassistant_custom_component.test_util.aiohttp import AiohttpClientMocker

from custom_components.smspartner.const import DOMAIN
from custom_components.smspartner.services import (
    SERVICE_SEND_SMS,
    SERVICE_SEND_VOICE_MESSAGE,
)
from homeassistant.core import HomeAssistant
from homeassistant.exceptions import ServiceValidationError

from .action_helpers import requests_to, send_sms
from .conftest import (
    SMS_KEY,
    SMS_SEND_URL,
    SMS_SENT,
    VOICE_KEY,
    VOICE_SEND_URL,
    VOICE_SENT as DOCUMENTED_VOICE_SENT,
)

pytestmark = pytest.mark.usefixtures("frozen_time")
# A call to two numbers.
VOICE_SENT = DOCUMENTED_VOICE_SENT | {"nbSms": 2}
COMPONENT = Path(__file__).parent.parent / "custom_components" / DOMAIN


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
        patch.object(
            sms.runtime_data.coordinator.client, "async_send_sms", side_effect=error
        ),
        pytest.raises(ServiceValidationError) as caught,
    ):
        await send_sms(hass, sms, **SMS_DATA)
    assert caught.value.translation_key == "invalid_send_arguments"
    for text in (str(caught.value), repr(caught.value), str(caught.value.args)):
        assert SMS_KEY not in text
