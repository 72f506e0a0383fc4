"""The fault table of each product: the wire faults, then its payload variations.

Used by the client's fault tests (api/test_faults.py: each reply's outcome at the
client) and the secrets test (the whole chain through every fault with debug
logging, scanned for the API keys).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from custom_components.smspartner.product import Product

from .conftest import SMS_KEY, VOICE_KEY, sms_payload, voice_payload
from .fault_helpers import json_reply
from .wire_faults import Fault, Outcome, common_faults, missing, without

_UNAVAILABLE, _PARSED = Outcome.UNAVAILABLE, Outcome.PARSED
# What each documented field of the /me body, left out in turn, leads to.
SMS_MISSING: Mapping[str, Outcome] = {
    "success": _UNAVAILABLE,
    "code": _PARSED,
    "user": _PARSED,
    "user.username": _PARSED,
    "user.firstname": _PARSED,
    "user.lastname": _PARSED,
    "credits": _UNAVAILABLE,
    "credits.creditSms": _UNAVAILABLE,
    "credits.creditSmsLowCost": _PARSED,
    "credits.creditHlr": _UNAVAILABLE,
    "credits.toSend": _UNAVAILABLE,
    "credits.solde": _PARSED,
    "credits.currency": _PARSED,  # EUR
}
VOICE_MISSING: Mapping[str, Outcome] = {
    "success": _UNAVAILABLE,
    "credit": _UNAVAILABLE,
    "currency": _PARSED,  # EUR
    "details": _UNAVAILABLE,
    "details.tts": _UNAVAILABLE,
    "details.tts_fixe": _UNAVAILABLE,
    "details.voice": _UNAVAILABLE,
    "details.voice.message": _UNAVAILABLE,
}


def _sms_variations(documented: dict[str, Any]) -> list[Fault]:
    """Return the SMS Partner payload variations: fallbacks, numbers in other shapes."""
    unavailable, parsed = _UNAVAILABLE, _PARSED
    return [
        Fault(
            "no credits.creditSmsECO (falls back to creditSmsLowCost)",
            json_reply(
                without(sms_payload(creditSmsLowCost=7), "credits", "creditSmsECO")
            ),
            parsed,
            {"eco_sms_credits": "7"},
        ),
        Fault(
            "no credits.balance (falls back to solde)",
            json_reply(without(sms_payload(solde="12.5"), "credits", "balance")),
            parsed,
            {"balance": "12.5"},
        ),
        Fault(
            "no balance and no solde",
            json_reply(
                without(without(documented, "credits", "solde"), "credits", "balance")
            ),
            unavailable,
        ),
        # Numbers in other shapes.
        Fault(
            "counts as strings",
            json_reply(sms_payload(creditSms="12", creditHlr=" 3 ", toSend="4")),
            parsed,
            {"sms_credits": "12", "hlr_credits": "3", "messages_to_send": "4"},
        ),
        Fault(
            "whole floats",
            json_reply(sms_payload(creditSms=12.0, creditSmsECO=5e3)),
            parsed,
            {"sms_credits": "12", "eco_sms_credits": "5000"},
        ),
        Fault(
            "balance as a number",
            json_reply(sms_payload(balance=42.5)),
            parsed,
            {"balance": "42.5"},
        ),
        Fault(
            "negative values",
            json_reply(sms_payload(creditSms=-3, balance="-12.75")),
            parsed,
            {"sms_credits": "-3", "balance": "-12.75"},
        ),
        Fault(
            "huge values",
            json_reply(sms_payload(creditSms=10**15, balance="1e12")),
            parsed,
            {"sms_credits": str(10**15), "balance": "1000000000000.0"},
        ),
        Fault("fractional count", json_reply(sms_payload(creditSms=1.5)), unavailable),
        Fault(
            "count not a number", json_reply(sms_payload(creditSms="n/a")), unavailable
        ),
        Fault("count is a boolean", json_reply(sms_payload(toSend=True)), unavailable),
        Fault("balance NaN", json_reply(sms_payload(balance="NaN")), unavailable),
        Fault(
            "balance beyond a float",
            json_reply(sms_payload(balance=10**400)),
            unavailable,
        ),
        Fault(
            "count too long for a state",
            json_reply(sms_payload(creditHlr=10**300)),
            unavailable,
        ),
        Fault(
            "count beyond a float",
            json_reply(sms_payload(creditSms=10**400)),
            unavailable,
        ),
    ]


# Text-to-speech times of 151.5 and 75.5 minutes, and the minutes left when one
# unit is missing (sensor key: state).
DURATIONS = voice_payload(
    tts={"h": 2, "m": 30, "s": 90}, tts_fixe={"h": 1, "m": 15, "s": 30}
)
TTS_SENSORS = {"tts": "tts_mobile", "tts_fixe": "tts_landline"}
MINUTES_WITHOUT_UNIT = {
    ("tts", "h"): "31.5",
    ("tts", "m"): "121.5",
    ("tts", "s"): "150.0",
    ("tts_fixe", "h"): "15.5",
    ("tts_fixe", "m"): "60.5",
    ("tts_fixe", "s"): "75.0",
}


def _voice_variations(documented: dict[str, Any]) -> list[Fault]:
    """Return the Voice Partner payload variations: units missing, other shapes."""
    unavailable, parsed = _UNAVAILABLE, _PARSED
    return [
        *(
            Fault(
                f"no details.{section}.{unit} (counts as 0)",
                json_reply(without(DURATIONS, "details", section, unit)),
                parsed,
                {"tts_mobile": "151.5", "tts_landline": "75.5"}
                | {TTS_SENSORS[section]: minutes},
            )
            for (section, unit), minutes in MINUTES_WITHOUT_UNIT.items()
        ),
        Fault(
            "numbers as strings",
            json_reply(
                {
                    **voice_payload(tts={"h": "1", "m": "0", "s": "30"}),
                    "credit": "7.5",
                }
            ),
            parsed,
            {"balance": "7.5", "tts_mobile": "60.5"},
        ),
        Fault(
            "numbers as floats",
            json_reply({**voice_payload(voice={"message": 4.0}), "credit": 7.25}),
            parsed,
            {"balance": "7.25", "voice_messages": "4"},
        ),
        Fault(
            "negative values",
            json_reply(
                {**voice_payload(tts={"h": 0, "m": 0, "s": -120}), "credit": "-1"}
            ),
            parsed,
            {"balance": "-1.0", "tts_mobile": "-2.0"},
        ),
        Fault(
            "huge values",
            json_reply({**voice_payload(voice={"message": 10**12}), "credit": "1e9"}),
            parsed,
            {"balance": "1000000000.0", "voice_messages": str(10**12)},
        ),
        Fault(
            "fractional count",
            json_reply(voice_payload(voice={"message": 2.5})),
            unavailable,
        ),
        Fault(
            "duration not a number",
            json_reply(voice_payload(tts={"h": "x", "m": 0, "s": 0})),
            unavailable,
        ),
        Fault(
            "credit infinite",
            json_reply({**documented, "credit": "Infinity"}),
            unavailable,
        ),
        Fault(
            "credit beyond a float",
            json_reply({**documented, "credit": 10**400}),
            unavailable,
        ),
        Fault(
            "count too long for a state",
            json_reply(voice_payload(voice={"message": 10**300})),
            unavailable,
        ),
        Fault(
            "count beyond a float",
            json_reply(voice_payload(voice={"message": 10**400})),
            unavailable,
        ),
    ]


PAYLOADS: dict[str, Callable[[], dict[str, Any]]] = {
    Product.SMS_PARTNER: sms_payload,
    Product.VOICE_PARTNER: voice_payload,
}


def _faults(
    documented: dict[str, Any],
    missing_fields: Mapping[str, Outcome],
    variations: Callable[[dict[str, Any]], list[Fault]],
) -> list[Fault]:
    """Return a product's faults: the wire's, its fields missing, its variations."""
    return [
        *common_faults(documented),
        *missing(documented, missing_fields),
        *variations(documented),
    ]


FAULTS: dict[str, list[Fault]] = {
    Product.SMS_PARTNER: _faults(sms_payload(), SMS_MISSING, _sms_variations),
    Product.VOICE_PARTNER: _faults(voice_payload(), VOICE_MISSING, _voice_variations),
}
BASE_KEYS: dict[str, str] = {
    Product.SMS_PARTNER: SMS_KEY,
    Product.VOICE_PARTNER: VOICE_KEY,
}
