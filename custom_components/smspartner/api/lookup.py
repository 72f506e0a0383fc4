"""SMS Partner's free number lookup: the E.164 form, type, network and country.

Parsing is defensive like models.py: an answer that does not say, for each
number asked, whether it is valid raises SmsPartnerInvalidResponseError.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
import re
from typing import Any, Final

from .exceptions import SmsPartnerInvalidResponseError
from .models import clean_text
from .phone import normalize_phone_number

# Numbers in one lookup request: the answer (about 300 bytes a number) stays
# well under the body size the client reads (body.MAX_BODY).
LOOKUP_BATCH: Final = 100
# A provider's text kept in a result is cut to this length.
_MAX_TEXT: Final = 300
_COUNTRY: Final = re.compile(r"[A-Z]{2}")
_CALLING_CODE: Final = re.compile(r"[1-9][0-9]{0,2}")


@dataclass(frozen=True, slots=True)
class NumberLookup:
    """What the lookup says of one number; `reason` is why an invalid one is."""

    number: str
    valid: bool
    e164: str | None = None
    line_type: str | None = None
    network: str | None = None
    country: str | None = None
    calling_code: int | None = None
    reason: str | None = None


def _string(value: Any) -> str | None:
    """Return a provider's non-blank text, cleaned and cut, or None."""
    if isinstance(value, str) and (text := clean_text(value).strip()):
        return text[:_MAX_TEXT]
    return None


def _e164(entry: Mapping[str, Any]) -> str:
    """Return the E.164 form of a valid entry, which the client could send to."""
    found = entry.get("format")
    value = found.get("e164") if isinstance(found, Mapping) else None
    value = value if isinstance(value, str) else entry.get("phoneNumber")
    if isinstance(value, str) and value.startswith("+"):
        try:
            if normalize_phone_number(value) == value:
                return value
        except ValueError:
            pass
    raise SmsPartnerInvalidResponseError("Field format.e164 is not a phone number")


def _line_type(value: Any) -> str | None:
    """Return a number type as a lower-case key: Mobile → mobile (inferred words)."""
    text = _string(value)
    return None if text is None else re.sub(r"[\s-]+", "_", text.lower())


def _calling_code(value: Any) -> int | None:
    """Return a country calling code sent as a number or a string of digits."""
    text = (
        str(value) if isinstance(value, int) and not isinstance(value, bool) else value
    )
    if isinstance(text, str) and _CALLING_CODE.fullmatch(text):
        return int(text)
    return None


def _parse_entry(number: str, entry: Mapping[str, Any]) -> NumberLookup:
    """Parse the answer about one number."""
    success = entry.get("success")
    if success is False:
        return NumberLookup(number, valid=False, reason=_string(entry.get("message")))
    if success is not True:
        raise SmsPartnerInvalidResponseError("Field lookup.success is missing")
    country = _string(entry.get("countryCode"))
    return NumberLookup(
        number,
        valid=True,
        e164=_e164(entry),
        line_type=_line_type(entry.get("type")),
        network=_string(entry.get("network")),
        country=country if country and _COUNTRY.fullmatch(country) else None,
        calling_code=_calling_code(entry.get("prefixCode")),
    )


def parse_lookup(
    payload: Mapping[str, Any], numbers: Sequence[str]
) -> list[NumberLookup]:
    """Parse the body of POST /v1/lookup, one result per number of `numbers`.

    Entries are matched to the numbers by their `request` (which the provider
    echoes, blanks included), else by position when there are as many.
    """
    entries = payload.get("lookup")
    if not isinstance(entries, list) or not all(
        isinstance(entry, Mapping) for entry in entries
    ):
        raise SmsPartnerInvalidResponseError("Field lookup is missing")
    by_request = {
        entry["request"].strip(): entry
        for entry in entries
        if isinstance(entry.get("request"), str)
    }
    if all(number in by_request for number in numbers):
        entries = [by_request[number] for number in numbers]
    elif len(entries) != len(numbers):
        raise SmsPartnerInvalidResponseError("The lookup did not answer every number")
    return [
        _parse_entry(number, entry)
        for number, entry in zip(numbers, entries, strict=True)
    ]
