"""Tests of the providers' rules for numbers and message text (api/phone.py)."""

from __future__ import annotations

from hypothesis import given, strategies as st
import pytest

from custom_components.smspartner.api import (
    encode_sms_message,
    normalize_phone_number,
    to_e164,
)


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("0612345678", "0612345678"),
        ("07 12 34 56 78", "0712345678"),
        ("06.12.34.56.78", "0612345678"),
        ("06-12-34-56-78", "0612345678"),
        ("+33612345678", "+33612345678"),
        ("+33 6 12 34 56 78", "+33612345678"),
        ("+33 1 23 45 67 89", "+33123456789"),
        ("0033612345678", "+33612345678"),
        ("+4915123456789", "+4915123456789"),
        ("+1 415 555 2671", "+14155552671"),
        ("+32 470 12 34 56", "+32470123456"),
        ("+12345678", "+12345678"),
        ("+123456789012345", "+123456789012345"),
    ],
)
def test_normalize_phone_number(raw: str, expected: str) -> None:
    """Accepted numbers lose their separators; 00 becomes +."""
    assert normalize_phone_number(raw) == expected


@pytest.mark.parametrize(
    "raw",
    [
        "",
        "0123456789",  # a French landline in national form
        "0812345678",
        "061234567",  # 9 digits
        "06123456789",  # 11 digits
        "+3361234567",  # +33 with 8 digits
        "+330612345678",  # +33 then a national 0
        "+1234567",  # 7 digits
        "+1234567890123456",  # 16 digits
        "+0612345678",
        "612345678",
        "06١٢٣٤٥٦٧٨",  # Arabic-Indic digits
        "+٣٣612345678",
        "06 12 34 56 7a",
        "+33 6 12 34 56 78 ext 2",
    ],
)
def test_normalize_phone_number_refuses(raw: str) -> None:
    """Numbers the providers would refuse raise ValueError."""
    with pytest.raises(ValueError, match="Invalid phone number"):
        normalize_phone_number(raw)


@given(st.from_regex(r"\A(0[67][0-9]{8}|\+33[1-9][0-9]{8}|\+[1-9][0-9]{7,14})\Z"))
def test_normalize_phone_number_is_stable(number: str) -> None:
    """A normalized number, with separators added back, normalizes to itself."""
    try:
        expected = normalize_phone_number(number)
    except ValueError:
        # Only other +33 forms (wrong length) are refused among these.
        assert number.startswith("+33")
        return
    spaced = " ".join(expected[i : i + 2] for i in range(0, len(expected), 2))
    assert normalize_phone_number(spaced) == expected


@pytest.mark.parametrize(
    ("message", "expected"),
    [
        ("Hello", "Hello"),
        ("Line 1\nLine 2", "Line 1:br:Line 2"),
        ("Line 1\r\nLine 2\rLine 3", "Line 1:br:Line 2:br:Line 3"),
        ("Total: 12 €", "Total: 12 :euro:"),
        ('He said "hi"\n€5', 'He said "hi":br::euro:5'),
        ("Café à 8h", "Café à 8h"),
    ],
)
def test_encode_sms_message(message: str, expected: str) -> None:
    """Line breaks and the euro sign get the provider's tags."""
    assert encode_sms_message(message) == expected


@pytest.mark.parametrize(
    ("reported", "e164"),
    [
        ("+33612345678", "+33612345678"),
        ("06 12 34 56 78", "+33612345678"),
        ("0145678901", "+33145678901"),
        ("33612345678", "+33612345678"),
        ("0033612345678", "+33612345678"),
        ("+4915123456789", "+4915123456789"),
        ("4915123456789", "+4915123456789"),
        ("+3361234567", None),
        ("36665", None),
        ("SMS Partner", None),
        ("", None),
    ],
)
def test_to_e164(reported: str, e164: str | None) -> None:
    """Numbers the providers report, in E.164 form when they can be."""
    assert to_e164(reported) == e164
