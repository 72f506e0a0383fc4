"""Numbers, senders and message text as the providers take them.

These are the providers' rules; the caller checks its input with them, and the
clients send what they are given.
"""

from __future__ import annotations

import re
from typing import Final

MAX_RECIPIENTS: Final = 500
SENDER_PATTERN: Final = re.compile(r"[A-Za-z0-9 ]{3,11}")
SPEECH_RATE_RANGE: Final = (0.5, 2.0)
_LINE_BREAK: Final = re.compile(r"\r\n|\r|\n")
_PHONE_SEPARATORS: Final = re.compile(r"[\s.\-]")
_FRENCH_MOBILE: Final = re.compile(r"0[67][0-9]{8}")
_FRENCH_INTERNATIONAL: Final = re.compile(r"\+33[1-9][0-9]{8}")
_INTERNATIONAL: Final = re.compile(r"\+[1-9][0-9]{7,14}")
# An international number without its +, as long numbers write them (33612…).
_BARE_INTERNATIONAL: Final = re.compile(r"[1-9][0-9]{7,14}")
_FRENCH_NATIONAL: Final = re.compile(r"0[1-9][0-9]{8}")


def normalize_phone_number(value: str) -> str:
    """Return a recipient as the providers accept it, or raise ValueError.

    French mobiles in national form (06/07 and 8 digits), French numbers in
    international form (+33 and 9 digits) or any other E.164 number (8 to 15
    digits); spaces, dots and hyphens are removed and a 00 prefix becomes +.
    """
    number = _PHONE_SEPARATORS.sub("", value)
    if number.startswith("00"):
        number = f"+{number[2:]}"
    if _FRENCH_MOBILE.fullmatch(number) or _FRENCH_INTERNATIONAL.fullmatch(number):
        return number
    if _INTERNATIONAL.fullmatch(number) and not number.startswith("+33"):
        return number
    raise ValueError(f"Invalid phone number: {value}")


def to_e164(value: str) -> str | None:
    """Return a number the providers report in E.164 form, or None when it is not one.

    French numbers in national form (0 and 9 digits) get +33; a 00 prefix
    becomes +; a bare international number (33612…, as long numbers write
    them) gets its +.
    """
    number = _PHONE_SEPARATORS.sub("", value)
    if number.startswith("00"):
        number = f"+{number[2:]}"
    elif _FRENCH_NATIONAL.fullmatch(number):
        number = f"+33{number[1:]}"
    elif _BARE_INTERNATIONAL.fullmatch(number):
        number = f"+{number}"
    french = number.startswith("+33")
    valid = (_FRENCH_INTERNATIONAL if french else _INTERNATIONAL).fullmatch(number)
    return number if valid else None


def encode_sms_message(message: str) -> str:
    r"""Write line breaks as :br: and the euro sign as :euro:, as SMS Partner wants.

    The escaping of `"` as \" that the provider requires is done by the JSON
    encoding of the request body.
    """
    return _LINE_BREAK.sub(":br:", message).replace("€", ":euro:")
