"""Tests of the checks of what a user gives to send (validation.py)."""

from __future__ import annotations

from datetime import UTC, datetime
import time
from typing import Any
from unittest.mock import MagicMock

import pytest
from pytest_homeassistant_custom_component.common import MockConfigEntry

from custom_components.smspartner.product import Product
from homeassistant.core import HomeAssistant
from homeassistant.exceptions import ServiceValidationError

from .action_helpers import ABSENT, call_action, client_send
from .conftest import SMS_ONLY, assert_no_key, load_translations

pytestmark = pytest.mark.usefixtures("frozen_time")
SMS = Product.SMS_PARTNER
VOICE = Product.VOICE_PARTNER
NOT_UTF8 = "\ud800"
# Placeholders a case does not check.
UNCHECKED: Any = object()


def bad(
    product: Product,
    field: str,
    value: Any,
    key: str,
    name: str,
    *,
    placeholders: dict[str, str] | None = UNCHECKED,
) -> Any:
    """Return a case of test_bad_input: one field of a valid call changed."""
    return pytest.param(
        product, {field: value}, key, placeholders, id=f"{product} {name}"
    )


ENTRY, MESSAGE, RECIPIENTS, WHEN = (
    "config_entry_id",
    "message",
    "recipients",
    "scheduled_time",
)
OUT_OF_RANGE = "schedule_out_of_range"
MAX_UTC = datetime.max.replace(tzinfo=UTC)


@pytest.mark.parametrize(
    ("product", "data", "key", "placeholders"),
    [
        bad(
            SMS,
            RECIPIENTS,
            ["0512345678"],
            "invalid_phone_number",
            "landline",
            placeholders={"number": "0512345678"},
        ),
        bad(
            SMS,
            RECIPIENTS,
            ["0612345678, +33 1"],
            "invalid_phone_number",
            "short",
            placeholders={"number": "+33 1"},
        ),
        bad(
            VOICE,
            RECIPIENTS,
            "12",
            "invalid_phone_number",
            "12",
            placeholders={"number": "12"},
        ),
        bad(
            SMS,
            RECIPIENTS,
            [" ", ","],
            "no_recipients",
            "separators",
            placeholders=None,
        ),
        bad(
            SMS,
            RECIPIENTS,
            [f"+3361234{i:04d}" for i in range(501)],
            "too_many_recipients",
            "501",
            placeholders={"max": "500"},
        ),
        bad(SMS, MESSAGE, " \n ", "empty_message", "newline", placeholders=None),
        bad(VOICE, MESSAGE, "", "empty_message", "empty", placeholders=None),
        bad(
            SMS,
            "sender",
            "AB",
            "invalid_sender",
            "short",
            placeholders={"sender": "AB"},
        ),
        bad(
            SMS,
            "sender",
            "Mon-Alarme",
            "invalid_sender",
            "dash",
            placeholders={"sender": "Mon-Alarme"},
        ),
        bad(
            SMS,
            WHEN,
            "2026-07-14 09:07:00",
            "schedule_minute",
            "minute 7",
            placeholders={"time": "09:07"},
        ),
        bad(
            SMS,
            WHEN,
            "2026-07-14 00:55:00",
            "schedule_in_past",
            "past",
            placeholders={"time": "2026-07-14 00:55"},
        ),
        bad(
            SMS,
            WHEN,
            "2026-07-14T08:00:00+00:00",
            "schedule_in_past",
            "now UTC",
            placeholders={"time": "2026-07-14 01:00"},
        ),
        bad(
            VOICE,
            WHEN,
            "2026-07-13 23:00:00",
            "schedule_in_past",
            "past",
            placeholders={"time": "2026-07-13 23:00"},
        ),
        bad(
            VOICE,
            "language",
            "French",
            "invalid_language",
            "name",
            placeholders={"language": "French"},
        ),
        bad(
            VOICE,
            "speech_rate",
            3,
            "invalid_speech_rate",
            "3",
            placeholders={"low": "0.5", "high": "2.0"},
        ),
        bad(SMS, MESSAGE, "", "empty_message", "empty message"),
        bad(SMS, MESSAGE, " \t\n ", "empty_message", "blank"),
        bad(SMS, MESSAGE, NOT_UTF8, "invalid_text", "surrogate"),
        bad(SMS, MESSAGE, f"a{NOT_UTF8}b", "invalid_text", "text"),
        bad(SMS, MESSAGE, None, "invalid_field", "message None"),
        bad(SMS, "sender", f"Ab{NOT_UTF8}", "invalid_sender", "sender"),
        bad(SMS, RECIPIENTS, NOT_UTF8, "invalid_phone_number", "surrogate number"),
        bad(
            SMS,
            RECIPIENTS,
            ["0612345678", f"06{NOT_UTF8}12345678"],
            "invalid_phone_number",
            "recipient with surrogate",
        ),
        bad(SMS, RECIPIENTS, "0" * 1_000_000, "invalid_phone_number", "enormous"),
        bad(
            SMS,
            RECIPIENTS,
            " ,; " * 250_000,
            "no_recipients",
            "enormous blank",
        ),
        bad(SMS, RECIPIENTS, None, "no_recipients", "no recipients"),
        bad(SMS, RECIPIENTS, {"to": "0612345678"}, "invalid_field", "mapping"),
        bad(SMS, WHEN, "9999-12-31 23:59:59", OUT_OF_RANGE, "year 9999"),
        bad(SMS, WHEN, "9999-12-31T23:55:00+00:00", OUT_OF_RANGE, "year 9999 UTC"),
        bad(SMS, WHEN, datetime.max, OUT_OF_RANGE, "datetime.max"),
        bad(SMS, WHEN, MAX_UTC, OUT_OF_RANGE, "datetime.max UTC"),
        bad(SMS, WHEN, "2027-07-15 01:05:00", OUT_OF_RANGE, "over a year ahead"),
        bad(SMS, WHEN, "0001-01-01T00:00:00+14:00", OUT_OF_RANGE, "year 1"),
        bad(SMS, WHEN, "tomorrow", "invalid_field", "not a time"),
        bad(SMS, "sandbox", "maybe", "invalid_field", "sandbox"),
        bad(SMS, "sandbox", [], "invalid_field", "sandbox list"),
        bad(SMS, "speech_rate", 1, "unknown_field", "voice field"),
        bad(SMS, NOT_UTF8, 1, "unknown_field", "surrogate field"),
        bad(SMS, ENTRY, NOT_UTF8, "entry_not_found", "entry surrogate"),
        bad(SMS, ENTRY, "x" * 100_000, "entry_not_found", "enormous entry"),
        bad(SMS, ENTRY, None, "invalid_field", "entry"),
        bad(VOICE, "speech_rate", "nan", "invalid_speech_rate", "NaN"),
        bad(VOICE, "speech_rate", "inf", "invalid_speech_rate", "inf"),
        bad(VOICE, "speech_rate", 10**400, "invalid_speech_rate", "huge rate"),
        bad(VOICE, "speech_rate", "fast", "invalid_speech_rate", "rate text"),
        bad(VOICE, "language", NOT_UTF8, "invalid_language", "language surrogate"),
        bad(VOICE, "language", " ", "invalid_language", "blank"),
        bad(VOICE, "language", "fr" * 50_000, "invalid_language", "enormous"),
        bad(VOICE, MESSAGE, NOT_UTF8, "invalid_text", "surrogate"),
        bad(VOICE, WHEN, "9999-12-31 23:59:59", OUT_OF_RANGE, "year 9999"),
        bad(VOICE, WHEN, "9999-12-31T23:59:59+00:00", OUT_OF_RANGE, "year 9999 UTC"),
        bad(VOICE, WHEN, MAX_UTC, OUT_OF_RANGE, "datetime.max UTC"),
        bad(VOICE, "sender", "Maison", "unknown_field", "sender"),
        bad(VOICE, MESSAGE, ABSENT, "missing_field", "no message"),
    ],
)
async def test_bad_input(
    hass: HomeAssistant,
    init_integration: MockConfigEntry,
    mock_client: MagicMock,
    product: Product,
    *,
    data: dict[str, Any],
    key: str,
    placeholders: dict[str, str] | None,
) -> None:
    """Each bad input is refused before anything is sent: a translated error.

    The error has no API key, fits a log line, and each language has its text.
    """
    with pytest.raises(ServiceValidationError) as caught:
        await call_action(hass, init_integration, product, **data)

    err = caught.value
    assert type(err) is ServiceValidationError
    assert err.translation_key == key
    if placeholders is not UNCHECKED:
        assert err.translation_placeholders == placeholders
    assert_no_key(err)
    assert len(str(err).encode()) < 300
    for language in ("en", "fr"):
        message = load_translations(language)["exceptions"][key]["message"]
        message.format(**err.translation_placeholders or {})
    client_send(mock_client, product).assert_not_called()


MANY_NUMBERS = [f"+3361{i:07d}" for i in range(50_000)]


@pytest.mark.parametrize(
    "recipients",
    [MANY_NUMBERS, ",".join(MANY_NUMBERS)],
    ids=["list", "one string"],
)
@SMS_ONLY
async def test_many_recipients_refused_quickly(
    hass: HomeAssistant,
    init_integration: MockConfigEntry,
    mock_client: MagicMock,
    recipients: list[str] | str,
) -> None:
    """50 000 numbers are refused without blocking the event loop."""
    start = time.thread_time()  # CPU time of the loop's thread; freezegun leaves it
    with pytest.raises(ServiceValidationError) as caught:
        await call_action(hass, init_integration, SMS, recipients=recipients)
    elapsed = time.thread_time() - start
    print(f"50 000 recipients refused in {elapsed * 1000:.1f} ms")  # noqa: T201
    assert caught.value.translation_key == "too_many_recipients"
    assert caught.value.translation_placeholders == {"max": "500"}
    assert elapsed < 0.25
    mock_client.async_send_sms.assert_not_called()
