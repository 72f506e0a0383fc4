"""Simulated SMS Partner and Voice Partner accounts whose credit moves over time.

Every figure derives from one amount of money, as the providers' documented samples
do: 10225.119 EUR buys 269082 Premium SMS, 444570 ECO SMS or 2045023 HLR lookups, and
19 EUR buys 10 voice-mail drops or 5 h 56 min 6 s of text-to-speech to mobiles.
The money is spent at a steady rate and topped up when it reaches a floor, so the
numbers keep moving in long runs too.
"""

from __future__ import annotations

from dataclasses import dataclass
import math
from typing import Any

SMS_PRICE = 0.038
ECO_SMS_PRICE = 0.023
HLR_PRICE = 0.005
VOICE_DROP_PRICE = 1.9
TTS_MOBILE_SECONDS_PER_EURO = 21366 / 19
TTS_LANDLINE_SECONDS_PER_EURO = 13495 / 19

# Guards floor() against binary rounding just below an integer.
_EPSILON = 1e-6


def spent_level(start: float, floor: float, rate: float, elapsed: float) -> float:
    """Return the money left after spending `rate` per second from `start`.

    On reaching `floor` the account is topped up to `start` again (a sawtooth).
    """
    span = start - floor
    if span <= 0 or rate <= 0:
        return start
    return start - (rate * elapsed) % span


def split_duration(seconds: int) -> dict[str, int]:
    """Split seconds into the provider's h/m/s object.

    The documented sample shows ``"s": 66``: the provider sometimes leaves a minute
    in the seconds. This does the same whenever the seconds would be below 10.
    """
    hours, rest = divmod(seconds, 3600)
    minutes, secs = divmod(rest, 60)
    if secs < 10 and (hours or minutes):
        if minutes:
            minutes -= 1
        else:
            hours, minutes = hours - 1, 59
        secs += 60
    return {"h": hours, "m": minutes, "s": secs}


def _count(money: float, price: float) -> int:
    """Return how many units of `price` the money buys."""
    return max(0, math.floor(money / price + _EPSILON))


def _euros(value: float) -> str:
    """Format euros as Voice Partner does: "19", "18.5"."""
    return f"{value:.2f}".rstrip("0").rstrip(".")


@dataclass(kw_only=True)
class SmsAccount:
    """An SMS Partner account."""

    api_key: str
    username: str
    firstname: str
    lastname: str
    balance: float
    floor: float
    spend_per_second: float
    campaign_size: int = 120
    campaign_period: float = 600.0
    campaign_drain: float = 120.0
    debited: float = 0.0
    # Statistics and sub-accounts (statistics.py, subaccounts.py).
    daily_sms: float = 3.0
    subaccount_count: int = 0

    def money(self, elapsed: float) -> float:
        """Return the balance in euros after `elapsed` seconds."""
        level = spent_level(self.balance, self.floor, self.spend_per_second, elapsed)
        return max(0.0, level - self.debited)

    def to_send(self, elapsed: float) -> int:
        """Return the messages still queued from the current campaign."""
        phase = elapsed % self.campaign_period
        if phase >= self.campaign_drain:
            return 0
        return math.ceil(self.campaign_size * (1 - phase / self.campaign_drain))

    def payload(self, elapsed: float) -> dict[str, Any]:
        """Return the body of GET /v1/me, shaped as documented."""
        money = self.money(elapsed)
        eco = _count(money, ECO_SMS_PRICE)
        amount = f"{money:.3f}"
        return {
            "success": True,
            "code": 200,
            "user": {
                "username": self.username,
                "firstname": self.firstname,
                "lastname": self.lastname,
            },
            "credits": {
                "creditSms": _count(money, SMS_PRICE),
                "creditSmsLowCost": eco,
                "creditSmsECO": eco,
                "creditHlr": _count(money, HLR_PRICE),
                "toSend": self.to_send(elapsed),
                "solde": amount,
                "currency": "EUR",
                "balance": amount,
            },
        }


@dataclass(kw_only=True)
class VoiceAccount:
    """A Voice Partner account."""

    api_key: str
    credit: float
    floor: float
    spend_per_second: float
    debited: float = 0.0

    def money(self, elapsed: float) -> float:
        """Return the credit in euros after `elapsed` seconds."""
        level = spent_level(self.credit, self.floor, self.spend_per_second, elapsed)
        return max(0.0, level - self.debited)

    def payload(self, elapsed: float) -> dict[str, Any]:
        """Return the body of GET /v1/me/KEY, shaped as documented."""
        money = round(self.money(elapsed), 2)
        return {
            "success": True,
            "credit": _euros(money),
            "currency": "€",
            "details": {
                "tts": split_duration(_count(money, 1 / TTS_MOBILE_SECONDS_PER_EURO)),
                "tts_fixe": split_duration(
                    _count(money, 1 / TTS_LANDLINE_SECONDS_PER_EURO)
                ),
                "voice": {"message": _count(money, VOICE_DROP_PRICE)},
            },
        }


DEMO_SMS_KEY = "demo-sms-partner-key"
DEMO_SMS_LOW_KEY = "demo-sms-partner-low-credit"
DEMO_VOICE_KEY = "demo-voice-partner-key"
# A second Voice Partner account: the demo adds the first one, so this one lets a
# person try the Voice Partner config flow there without deleting the demo's entry.
DEMO_VOICE_SECOND_KEY = "demo-voice-partner-second"


def demo_sms_accounts() -> list[SmsAccount]:
    """Return the built-in SMS Partner accounts."""
    return [
        SmsAccount(
            api_key=DEMO_SMS_KEY,
            username="demo@example.com",
            firstname="Camille",
            lastname="Martin",
            balance=10225.119,
            floor=100.0,
            spend_per_second=0.02,
            subaccount_count=3,
        ),
        SmsAccount(
            api_key=DEMO_SMS_LOW_KEY,
            username="low-credit@example.com",
            firstname="Louis",
            lastname="Bernard",
            balance=4.56,
            floor=0.0,
            spend_per_second=SMS_PRICE / 10,
            campaign_size=12,
            daily_sms=0.4,
        ),
    ]


def demo_voice_accounts() -> list[VoiceAccount]:
    """Return the built-in Voice Partner accounts."""
    return [
        VoiceAccount(
            api_key=DEMO_VOICE_KEY, credit=19.0, floor=2.0, spend_per_second=0.001
        ),
        VoiceAccount(
            api_key=DEMO_VOICE_SECOND_KEY,
            credit=7.6,
            floor=0.0,
            spend_per_second=VOICE_DROP_PRICE / 600,
        ),
    ]
