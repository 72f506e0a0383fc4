"""Phone numbers as the simulated lookup sees them: country, type, network, formats.

The providers' free `lookup` answers the E.164 form, the type and the network of a
number, or `"success": false` with a reason. The type words other than "Mobile" and
the reasons' wording are not documented (inferred); the networks are made up from
the digits, so that one number always gets the same answer.
"""

from __future__ import annotations

from dataclasses import dataclass
import re
from typing import Any, Final


@dataclass(frozen=True)
class Country:
    """What the simulator knows of one calling code."""

    iso: str
    lengths: tuple[int, ...]  # digits after the calling code
    mobile: tuple[str, ...]  # national prefixes of mobiles
    networks: tuple[str, ...]
    trunk: str = "0"  # prefix of the national form


COUNTRIES: Final = {
    "33": Country(
        "FR", (9,), ("6", "7"), ("Orange", "SFR", "Bouygues Telecom", "Free Mobile")
    ),
    "32": Country("BE", (8, 9), ("4",), ("Proximus", "Orange Belgium", "Telenet")),
    "41": Country("CH", (9,), ("7",), ("Swisscom", "Sunrise", "Salt")),
    "49": Country("DE", (10, 11), ("15", "16", "17"), ("Telekom", "Vodafone", "O2")),
    "44": Country("GB", (10,), ("7",), ("EE", "Vodafone", "O2", "Three")),
    "34": Country("ES", (9,), ("6", "7"), ("Movistar", "Vodafone", "Orange")),
    "39": Country("IT", (9, 10), ("3",), ("TIM", "Vodafone", "WindTre"), trunk=""),
    "352": Country("LU", (9,), ("6",), ("POST", "Tango", "Orange")),
}
_SEPARATORS: Final = re.compile(r"[\s.\-()/]")


class InvalidNumber(ValueError):
    """A number the lookup refuses; the argument is the reason it gives."""


@dataclass(frozen=True)
class PhoneNumber:
    """A valid number: its calling code and its national significant digits."""

    prefix: str
    digits: str

    @property
    def country(self) -> Country:
        """Return the number's country."""
        return COUNTRIES[self.prefix]

    @property
    def e164(self) -> str:
        """Return the E.164 form, e.g. +33612345678."""
        return f"+{self.prefix}{self.digits}"

    @property
    def kind(self) -> str:
        """Return the type the lookup answers (Mobile, Fixed line, ...)."""
        if self.digits.startswith(self.country.mobile):
            return "Mobile"
        if self.prefix == "33" and self.digits[0] == "9":
            return "VoIP"
        if self.prefix == "33" and self.digits[0] == "8":
            return "Toll free" if self.digits[1] == "0" else "Premium rate"
        return "Fixed line"

    @property
    def network(self) -> str:
        """Return a network that stays the same for the same number."""
        networks = self.country.networks
        if self.kind != "Mobile":
            return networks[0]
        return networks[int(self.digits[-3]) % len(networks)]

    def grouped(self) -> str:
        """Return the digits in the pairs the French write them in."""
        if self.prefix != "33":
            return self.digits
        return " ".join([self.digits[0], *re.findall("..", self.digits[1:])])


def parse(raw: str) -> PhoneNumber:
    """Return the number `raw` names, or raise InvalidNumber with the reason.

    National French numbers (06..., 01...) need no calling code, as on the API.
    """
    text = _SEPARATORS.sub("", raw)
    if text.startswith("00"):
        text = "+" + text[2:]
    elif text.startswith("0"):
        text = "+33" + text[1:]
    text = text.removeprefix("+")
    if not text.isdigit():
        raise InvalidNumber("The phone number is not valid")
    prefix = next((p for p in COUNTRIES if text.startswith(p)), None)
    if prefix is None:
        raise InvalidNumber("The country code is not supported")
    digits = text[len(prefix) :]
    lengths = COUNTRIES[prefix].lengths
    if len(digits) < min(lengths):
        raise InvalidNumber("The phone number is too short")
    if len(digits) > max(lengths) or digits.startswith(COUNTRIES[prefix].trunk or "-"):
        raise InvalidNumber("The phone number is not valid")
    if len(digits) not in lengths:
        raise InvalidNumber("The phone number is too short")
    return PhoneNumber(prefix, digits)


def e164(raw: str) -> str:
    """Return the E.164 form of a number, or the number as given if it has none."""
    try:
        return parse(raw).e164
    except InvalidNumber:
        return raw


def lookup_entry(raw: str) -> dict[str, Any]:
    """Return one entry of the `lookup` answer, shaped as documented."""
    try:
        number = parse(raw)
    except InvalidNumber as err:
        return {"request": raw, "success": False, "message": str(err)}
    national = f"{number.country.trunk}{number.grouped()}"
    return {
        "request": raw,
        "success": True,
        "countryCode": number.country.iso,
        "prefixCode": int(number.prefix),
        "phoneNumber": national.replace(" ", ""),
        "type": number.kind,
        "network": number.network,
        "format": {
            "e164": number.e164,
            "international": f"+{number.prefix} {number.grouped()}",
            "national": national,
            "rfc3966": f"tel:+{number.prefix}-{number.grouped().replace(' ', '-')}",
        },
    }
