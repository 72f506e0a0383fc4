"""Tests for the simulator's phone-number parsing (lookup, statuses, replies)."""

from __future__ import annotations

import pytest

from simulator.numbers import InvalidNumber, e164, lookup_entry, parse
from simulator.tracking import outcome


@pytest.mark.parametrize(
    ("raw", "expected", "kind"),
    [
        ("0612345678", "+33612345678", "Mobile"),
        ("07.12.34.56.78", "+33712345678", "Mobile"),
        ("+33 1 23 45 67 89", "+33123456789", "Fixed line"),
        ("0033912345678", "+33912345678", "VoIP"),
        ("0800123456", "+33800123456", "Toll free"),
        ("0892123456", "+33892123456", "Premium rate"),
        ("+4915123456789", "+4915123456789", "Mobile"),
        ("+32471234567", "+32471234567", "Mobile"),
        ("+390612345678", "+390612345678", "Fixed line"),
        ("+352621123456", "+352621123456", "Mobile"),
    ],
)
def test_parse(raw: str, expected: str, kind: str) -> None:
    """National French numbers, 00 and + prefixes, separators, types."""
    number = parse(raw)

    assert number.e164 == expected
    assert number.kind == kind
    assert e164(raw) == expected


@pytest.mark.parametrize(
    ("raw", "reason"),
    [
        ("abc", "not valid"),
        ("", "not valid"),
        ("+1555123456", "country code"),
        ("+3361234", "too short"),
        ("06123456789", "not valid"),
        ("+330612345678", "not valid"),
        ("+4915123", "too short"),
    ],
)
def test_invalid(raw: str, reason: str) -> None:
    """Invalid numbers come with the reason the lookup gives."""
    with pytest.raises(InvalidNumber, match=reason):
        parse(raw)
    assert e164(raw) == raw
    assert lookup_entry(raw)["success"] is False


def test_lookup_formats() -> None:
    """The formats of a French mobile, written as the French do."""
    assert lookup_entry("0612345678")["format"] == {
        "e164": "+33612345678",
        "international": "+33 6 12 34 56 78",
        "national": "06 12 34 56 78",
        "rfc3966": "tel:+33-6-12-34-56-78",
    }


@pytest.mark.parametrize(
    ("number", "expected"),
    [
        ("0612345678", "delivered"),
        ("0612345691", "failed"),
        ("+33612345692", "not_answered"),
        ("0612345693", "reply"),
        ("0612345694", "stop"),
        ("0612345695", "long_reply"),
        ("0612345699", "silent"),
    ],
)
def test_outcome(number: str, expected: str) -> None:
    """The last two digits choose what happens to a message."""
    assert outcome(number) == expected
