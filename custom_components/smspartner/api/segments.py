"""How many SMS a message makes, counted the way SMS Partner counts and sends it.

In GSM 7-bit, one SMS holds 160 characters, then each SMS of a longer message
153; in unicode, 70 then 67. A line break (sent as :br:) counts 2, and so does a
character of the GSM extension table (the euro sign, sent as :euro:).

Without unicode, SMS Partner replaces characters before sending: its table of
special characters (docpartner.dev, "Caractères spéciaux") is applied here, so
the count is that of the text the recipient gets. Characters neither in that
table nor in the GSM alphabet (emoji, other scripts) are replaced too; the page
does not say by what, so each is counted as one character (inferred).
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
import math
import re
from typing import Final

from .phone import encode_sms_message


class Encoding(StrEnum):
    """How the text of an SMS is encoded."""

    GSM7 = "gsm7"
    UNICODE = "unicode"


@dataclass(frozen=True, slots=True)
class SmsLength:
    """The length of a message as the provider counts it, and its SMS count."""

    characters: int
    encoding: Encoding
    segments: int


# (characters in one SMS, characters in each SMS of a longer message)
_LIMITS: Final = {Encoding.GSM7: (160, 153), Encoding.UNICODE: (70, 67)}
# What the provider writes for a line break and the euro sign, and their length.
_TOKEN: Final = re.compile(r":br:|:euro:|.", re.DOTALL)
_TOKEN_LENGTH: Final = {
    Encoding.GSM7: {":br:": 2, ":euro:": 2},
    Encoding.UNICODE: {":br:": 2, ":euro:": 1},
}
_GSM_EXTENSION: Final = frozenset("\f^{}\\[~]|€")
# SMS Partner's table, as lengths of what each character becomes: replaced by
# one character (its quotes by plain ones), by two (œ → oe), or removed.
_REPLACED: Final = dict.fromkeys(
    "ąÿçûüïôöóîëê[]{}`µÄÀÁÂÃÈÊËÎÜÙÚÛÝäáâãÖÔ°‘’“ñÑ«»", 1
) | {"œ": 2, "^": 0, "~": 0, "|": 0, "\\": 0, "¨": 0, "§": 0}


def _gsm_length(character: str) -> int:
    """Return the GSM 7-bit length of one character once the provider replaced it."""
    if character in _REPLACED:
        return _REPLACED[character]
    if character in _GSM_EXTENSION:
        return 2
    # A GSM character, or one the provider replaces by a character (inferred).
    return 1


def _unicode_length(character: str) -> int:
    """Return the unicode (UTF-16) length of one character: 2 for an emoji."""
    return 2 if ord(character) > 0xFFFF else 1


def sms_length(message: str, *, unicode: bool = False) -> SmsLength:
    """Return the length and SMS count of `message` as SMS Partner sends it.

    `message` is the text given to the client, which encodes it first
    (phone.encode_sms_message); `unicode` is the client's option of that name.
    """
    encoding = Encoding.UNICODE if unicode else Encoding.GSM7
    length = _unicode_length if unicode else _gsm_length
    tokens = _TOKEN_LENGTH[encoding]
    characters = sum(
        tokens[token] if token in tokens else length(token)
        for token in _TOKEN.findall(encode_sms_message(message))
    )
    single, multi = _LIMITS[encoding]
    segments = 1 if characters <= single else math.ceil(characters / multi)
    return SmsLength(characters, encoding, segments)
