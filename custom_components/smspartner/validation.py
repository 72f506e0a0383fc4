"""Checks of what a user gives to send: each rule of the providers, in one place.

Each failed check is a translated ServiceValidationError; the config flow shows
the same errors next to its fields.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime, timedelta
import math
import re
from typing import Any, Final

import voluptuous as vol

from homeassistant.exceptions import ServiceValidationError
from homeassistant.util import dt as dt_util

from .api import (
    MAX_RECIPIENTS,
    SENDER_PATTERN,
    SPEECH_RATE_RANGE,
    normalize_phone_number,
)
from .const import DOMAIN

LANGUAGE_PATTERN: Final = re.compile(r"[a-z]{2,3}([-_][A-Za-z]{2})?")
# One recipient: from a character that is neither blank nor a separator up to the
# next separator. Found by the regex engine, so runs of blanks and separators cost
# no Python loop.
_RECIPIENT: Final = re.compile(r"[^\s,;][^,;]*")
# Neither provider documents how far ahead a send can be scheduled. A year covers
# any real use, catches a mistyped year, and keeps the time zone conversions (here
# and on the providers' clock) far from the year 9999 where datetime ends.
MAX_SCHEDULE_AHEAD: Final = timedelta(days=366)
_TIME_FORMAT: Final = "%Y-%m-%d %H:%M"
# User text quoted in an error is cut to this length.
_SHOWN_LENGTH: Final = 40


def shown(value: str) -> str:
    """Return user text to quote in an error: short, and valid UTF-8."""
    if len(value) > _SHOWN_LENGTH:
        value = f"{value[: _SHOWN_LENGTH - 1]}…"
    return value.encode(errors="backslashreplace").decode()


def invalid(key: str, **placeholders: str) -> ServiceValidationError:
    """Return a translated validation error."""
    return ServiceValidationError(
        translation_domain=DOMAIN,
        translation_key=key,
        translation_placeholders=placeholders or None,
    )


def translated(schema: vol.Schema) -> vol.Schema:
    """Return `schema` with translated errors that name the field at fault.

    A plain function inside a Schema, rather than a subclass: voluptuous (Home
    Assistant 2025) and probatio (2026) call a schema with other signatures.
    """

    def validate(data: Any) -> Any:
        try:
            return schema(data)
        except vol.Invalid as err:
            error = err.errors[0] if isinstance(err, vol.MultipleInvalid) else err
            field = error.path[0] if error.path else ""
            if isinstance(error, vol.RequiredFieldInvalid):
                key = "missing_field"
            elif field in schema.schema:
                key = "invalid_field"
            else:
                key = "unknown_field"
            raise invalid(key, field=shown(str(field))) from None

    return vol.Schema(validate)


def speech_rate(value: Any) -> float:
    """Return a speech rate within the provider's range (NaN is not)."""
    try:
        rate = float(value)
    except (TypeError, ValueError, OverflowError):
        rate = math.nan
    low, high = SPEECH_RATE_RANGE
    if not low <= rate <= high:
        raise invalid("invalid_speech_rate", low=str(low), high=str(high))
    return rate


def check_recipients(values: Iterable[str]) -> list[str]:
    """Return the normalized numbers of a recipient list, without duplicates.

    Items may hold several numbers separated by commas or semicolons. The check
    stops at the first number over the limit, however long the list.
    """
    numbers: dict[str, None] = {}
    for value in values:
        for found in _RECIPIENT.finditer(value):
            raw = found[0].rstrip()
            try:
                numbers[normalize_phone_number(raw)] = None
            except ValueError:
                raise invalid("invalid_phone_number", number=shown(raw)) from None
            if len(numbers) > MAX_RECIPIENTS:
                raise invalid("too_many_recipients", max=str(MAX_RECIPIENTS))
    if not numbers:
        raise invalid("no_recipients")
    return list(numbers)


def check_sender(value: str | None) -> str | None:
    """Return the sender name, None when empty; refuse what the provider would."""
    if not (sender := (value or "").strip()):
        return None
    if not SENDER_PATTERN.fullmatch(sender):
        raise invalid("invalid_sender", sender=shown(sender))
    return sender


def check_message(value: str) -> str:
    """Return a message that is not blank and can be sent as UTF-8."""
    if not value.strip():
        raise invalid("empty_message")
    try:
        value.encode()
    except UnicodeEncodeError:
        raise invalid("invalid_text") from None
    return value


def check_language(value: str) -> str:
    """Return a language code such as fr, en or en-GB."""
    language = value.strip()
    if not LANGUAGE_PATTERN.fullmatch(language):
        raise invalid("invalid_language", language=shown(language))
    return language


def check_schedule(value: datetime | None, *, sms: bool) -> datetime | None:
    """Return a future send time as an aware datetime (seconds dropped).

    A time without a zone is Home Assistant's local time. SMS Partner only
    takes minutes in steps of 5.
    """
    if value is None:
        return None
    now = dt_util.now()
    try:
        when: datetime | None = dt_util.as_local(dt_util.as_utc(value))
    except OverflowError:
        when = None
    if when is None or when > now + MAX_SCHEDULE_AHEAD:
        raise invalid("schedule_out_of_range", time=value.strftime(_TIME_FORMAT))
    when = when.replace(second=0, microsecond=0)
    if sms and when.minute % 5:
        raise invalid("schedule_minute", time=when.strftime("%H:%M"))
    if when <= now:
        raise invalid("schedule_in_past", time=when.strftime(_TIME_FORMAT))
    return when
