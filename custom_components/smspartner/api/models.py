"""What the providers answer, as frozen dataclasses, and how their bodies are parsed.

Parsing is defensive: numbers may come as strings, some fields have two
spellings, and anything unusable raises SmsPartnerInvalidResponseError.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
import math
from typing import Any, Final

from .exceptions import SmsPartnerInvalidResponseError

# The largest whole number a float, and so a sensor state, holds exactly.
MAX_COUNT: Final = 2**53
_CURRENCY_SYMBOLS: Final = {"€": "EUR", "$": "USD", "£": "GBP", "CHF": "CHF"}


@dataclass(frozen=True, slots=True)
class SmsPartnerCredits:
    """Credits of an SMS Partner account."""

    username: str | None
    sms: int
    eco_sms: int
    hlr: int
    to_send: int
    balance: float
    currency: str


@dataclass(frozen=True, slots=True)
class VoicePartnerCredits:
    """Credits of a Voice Partner account; durations in seconds."""

    balance: float
    currency: str
    voice_messages: int
    tts_mobile: int
    tts_landline: int


def _number(value: Any, field: str) -> float:
    """Return a finite number from a JSON number or numeric string."""
    if isinstance(value, bool) or not isinstance(value, int | float | str):
        raise SmsPartnerInvalidResponseError(f"Field {field} is not a number")
    try:
        number = float(value)
    except (ValueError, OverflowError):
        raise SmsPartnerInvalidResponseError(f"Field {field} is not a number") from None
    if not math.isfinite(number):
        raise SmsPartnerInvalidResponseError(f"Field {field} is not a finite number")
    return number


def _count(value: Any, field: str) -> int:
    """Return a whole number from a JSON number or numeric string."""
    if isinstance(value, int) and not isinstance(value, bool):
        count = value
    else:
        number = _number(value, field)
        if not number.is_integer():
            raise SmsPartnerInvalidResponseError(f"Field {field} is not a whole number")
        count = int(number)
    if abs(count) > MAX_COUNT:
        raise SmsPartnerInvalidResponseError(f"Field {field} is out of range")
    return count


def _section(payload: Mapping[str, Any], key: str) -> Mapping[str, Any]:
    """Return a nested object or raise when it is missing."""
    section = payload.get(key)
    if not isinstance(section, Mapping):
        raise SmsPartnerInvalidResponseError(f"Field {key} is missing")
    return section


def _first(section: Mapping[str, Any], *fields: str) -> tuple[str, Any]:
    """Return the first of `fields` present in `section` (with its name)."""
    for field in fields:
        if section.get(field) is not None:
            return field, section[field]
    raise SmsPartnerInvalidResponseError(f"Field {fields[0]} is missing")


def clean_text(text: str) -> str:
    """Return a provider's text with lone surrogates (from JSON escapes) replaced."""
    return text.encode("utf-8", "replace").decode()


def _currency(value: Any) -> str:
    """Return an ISO 4217 code for a currency code or symbol (EUR by default)."""
    code = clean_text(value).strip() if isinstance(value, str) else ""
    if not code:
        return "EUR"
    return _CURRENCY_SYMBOLS.get(code, code.upper())


def _seconds(section: Mapping[str, Any], field: str) -> int:
    """Return h/m/s as seconds; seconds and minutes may exceed 59."""
    duration = _section(section, field)
    return sum(
        _count(duration.get(unit, 0), f"{field}.{unit}") * factor
        for unit, factor in (("h", 3600), ("m", 60), ("s", 1))
    )


def parse_sms_credits(payload: Mapping[str, Any]) -> SmsPartnerCredits:
    """Parse the body of GET /v1/me (SMS Partner)."""
    section = _section(payload, "credits")
    user = payload.get("user")
    username = user.get("username") if isinstance(user, Mapping) else None

    def count(*fields: str) -> int:
        field, value = _first(section, *fields)
        return _count(value, field)

    field, balance = _first(section, "balance", "solde")
    return SmsPartnerCredits(
        username=clean_text(username)
        if isinstance(username, str) and username
        else None,
        sms=count("creditSms"),
        eco_sms=count("creditSmsECO", "creditSmsLowCost"),
        hlr=count("creditHlr"),
        to_send=count("toSend"),
        balance=_number(balance, field),
        currency=_currency(section.get("currency")),
    )


def parse_voice_credits(payload: Mapping[str, Any]) -> VoicePartnerCredits:
    """Parse the body of GET /v1/me/KEY (Voice Partner)."""
    details = _section(payload, "details")
    _, credit = _first(payload, "credit")
    _, messages = _first(_section(details, "voice"), "message")
    return VoicePartnerCredits(
        balance=_number(credit, "credit"),
        currency=_currency(payload.get("currency")),
        voice_messages=_count(messages, "voice.message"),
        tts_mobile=_seconds(details, "tts"),
        tts_landline=_seconds(details, "tts_fixe"),
    )


type Credits = SmsPartnerCredits | VoicePartnerCredits


@dataclass(frozen=True, slots=True)
class SmsSendResult:
    """What SMS Partner answered to a send."""

    message_id: str
    sms_count: int
    cost: float
    currency: str


@dataclass(frozen=True, slots=True)
class VoiceSendResult:
    """What Voice Partner answered to a text-to-speech send; duration in seconds."""

    campaign_id: str
    message_count: int
    cost: float
    currency: str
    duration: float | None


def _text(value: Any, field: str) -> str:
    """Return an identifier sent as a JSON string or number."""
    if isinstance(value, bool) or not isinstance(value, str | int) or value == "":
        raise SmsPartnerInvalidResponseError(f"Field {field} is missing")
    return clean_text(str(value))


def parse_sms_send(payload: Mapping[str, Any]) -> SmsSendResult:
    """Parse the body of POST /v1/send (SMS Partner)."""
    return SmsSendResult(
        message_id=_text(payload.get("message_id"), "message_id"),
        sms_count=_count(_first(payload, "nb_sms")[1], "nb_sms"),
        cost=_number(_first(payload, "cost")[1], "cost"),
        currency=_currency(payload.get("currency")),
    )


def parse_voice_send(payload: Mapping[str, Any]) -> VoiceSendResult:
    """Parse the body of POST /v1/tts/send (Voice Partner)."""
    duration = payload.get("duration")
    return VoiceSendResult(
        campaign_id=_text(payload.get("campaignId"), "campaignId"),
        message_count=_count(_first(payload, "nbSms")[1], "nbSms"),
        cost=_number(_first(payload, "cost")[1], "cost"),
        currency=_currency(payload.get("currency")),
        duration=None if duration is None else _number(duration, "duration"),
    )
