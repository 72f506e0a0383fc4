"""Checks and prices of the simulated sends (SMS Partner /v1/send, Voice Partner /v1/tts/send).

They follow the providers' documentation: code 2 without numbers, 9 for any
constraint not met (with the documented `errors` list), 11 without enough credit,
14 for a number on the STOP list. Times are read on the French clock.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
import math
import re
from typing import Any, Final
from zoneinfo import ZoneInfo

from .accounts import SMS_PRICE, TTS_MOBILE_SECONDS_PER_EURO

PARIS: Final = ZoneInfo("Europe/Paris")
MAX_NUMBERS: Final = 500
# Numbers on the STOP list of every demo SMS account.
STOP_LIST: Final = frozenset({"0600000014", "+33600000014"})
SPOKEN_CHARACTERS_PER_SECOND: Final = 15.0
_NUMBER: Final = re.compile(r"0[67]\d{8}|\+33[1-9]\d{8}|\+[1-9]\d{7,14}")
_SENDER: Final = re.compile(r"[A-Za-z0-9 ]{3,11}")


class SendRefused(Exception):
    """A send the provider refuses, with its error body."""

    def __init__(self, code: int, *errors: tuple[str, str]) -> None:
        """Store the code and the (field, message) pairs."""
        super().__init__(code)
        self.body: dict[str, Any] = {"success": False, "code": code}
        if code == 9:
            self.body["errors"] = [
                {"elementId": f"children[{field}].data", "message": message}
                for field, message in errors
            ]
        else:
            self.body["message"] = errors[0][1]


@dataclass(frozen=True, kw_only=True)
class SmsSend:
    """An SMS send that passed the checks."""

    numbers: list[str]
    message: str
    sender: str | None
    scheduled: datetime | None
    sandbox: bool
    sms_count: int
    cost: float


@dataclass(frozen=True, kw_only=True)
class VoiceSend:
    """A text-to-speech send that passed the checks; duration in seconds."""

    numbers: list[str]
    text: str
    lang: str
    scheduled: datetime | None
    duration: float
    cost: float


def sms_segments(message: str) -> int:
    """Return the SMS a message takes: 160 characters, then one per 153 more.

    A line break (:br:) and the euro sign (:euro:) count as two characters.
    """
    length = len(message.replace(":br:", "..").replace(":euro:", ".."))
    return 1 if length <= 160 else 1 + math.ceil((length - 160) / 153)


def _numbers(body: dict[str, Any]) -> list[str]:
    """Return the recipients of a send."""
    raw = body.get("phoneNumbers")
    if not isinstance(raw, str) or not raw.strip():
        raise SendRefused(2, ("phoneNumbers", "Le numéro de téléphone est requis"))
    numbers = [number.strip() for number in raw.split(",")]
    if invalid := [n for n in numbers if not _NUMBER.fullmatch(n)]:
        raise SendRefused(
            9,
            *(
                ("phoneNumbers", f"This phone number is not valid ({n})")
                for n in invalid
            ),
        )
    if len(numbers) > MAX_NUMBERS:
        raise SendRefused(9, ("phoneNumbers", f"At most {MAX_NUMBERS} numbers"))
    return numbers


def _text(body: dict[str, Any], field: str) -> str:
    """Return a required text field."""
    value = body.get(field)
    if not isinstance(value, str) or not value.strip():
        raise SendRefused(9, (field, f"The {field} is required"))
    return value


def _future(when: datetime, field: str, now: datetime) -> datetime:
    """Return `when` if it is after `now`."""
    if when <= now:
        raise SendRefused(
            9,
            (
                field,
                f"The date ({when:%d/%m/%Y %H:%M}) is earlier than the current date.",
            ),
        )
    return when


def _sms_schedule(body: dict[str, Any], now: datetime) -> datetime | None:
    """Return the scheduled time of an SMS (date, hour, minute in steps of 5)."""
    if (date := body.get("scheduledDeliveryDate")) is None:
        return None
    hour, minute = body.get("time"), body.get("minute")
    if not isinstance(hour, int) or not 0 <= hour <= 23:
        raise SendRefused(9, ("time", "The time is required"))
    if not isinstance(minute, int) or minute % 5 or not 0 <= minute <= 55:
        raise SendRefused(9, ("minute", "The minute is required"))
    try:
        day = datetime.strptime(str(date), "%d/%m/%Y")
    except ValueError:
        raise SendRefused(
            9, ("scheduledDeliveryDate", f"Invalid date ({date})")
        ) from None
    return _future(
        day.replace(hour=hour, minute=minute, tzinfo=PARIS),
        "scheduledDeliveryDate",
        now,
    )


def check_sms(body: dict[str, Any], money: float, now: datetime) -> SmsSend:
    """Return an SMS send as the provider would accept it, or raise SendRefused."""
    numbers = _numbers(body)
    message = _text(body, "message")
    sender = body.get("sender")
    if sender is not None and not (
        isinstance(sender, str) and _SENDER.fullmatch(sender)
    ):
        raise SendRefused(9, ("sender", "The sender must have 3 to 11 characters"))
    scheduled = _sms_schedule(body, now)
    if stopped := [n for n in numbers if n in STOP_LIST]:
        raise SendRefused(14, ("phoneNumbers", f"{stopped[0]} est dans la liste STOP"))
    sandbox = body.get("sandbox") in (1, "1", True)
    sms_count = sms_segments(message) * len(numbers)
    cost = round(sms_count * SMS_PRICE, 3)
    if not sandbox and cost > money:
        raise SendRefused(11, ("", "Manque de crédits"))
    return SmsSend(
        numbers=numbers,
        message=message,
        sender=sender,
        scheduled=scheduled,
        sandbox=sandbox,
        sms_count=sms_count,
        cost=cost,
    )


def check_voice(body: dict[str, Any], money: float, now: datetime) -> VoiceSend:
    """Return a text-to-speech send as the provider would accept it, or raise."""
    numbers = _numbers(body)
    text = _text(body, "text")
    lang = _text(body, "lang")
    rate = body.get("speechRate", 1)
    if isinstance(rate, bool) or not isinstance(rate, int | float):
        raise SendRefused(9, ("speechRate", "The speech rate must be a number"))
    scheduled = None
    if (date := body.get("scheduledDate")) is not None:
        try:
            when = datetime.strptime(str(date), "%Y-%m-%d %H:%M:%S")
        except ValueError:
            raise SendRefused(9, ("scheduledDate", f"Invalid date ({date})")) from None
        scheduled = _future(when.replace(tzinfo=PARIS), "scheduledDate", now)
    # The provider replaces rates outside 0.5-2 by the nearest bound.
    speed = min(max(float(rate), 0.5), 2.0)
    duration = round(len(text) / SPOKEN_CHARACTERS_PER_SECOND / speed, 1)
    duration += 0.5 * text.count(",")
    cost = round(len(numbers) * duration / TTS_MOBILE_SECONDS_PER_EURO, 3)
    if cost > money:
        raise SendRefused(11, ("", "Crédit insuffisant"))
    return VoiceSend(
        numbers=numbers,
        text=text,
        lang=lang,
        scheduled=scheduled,
        duration=duration,
        cost=cost,
    )
