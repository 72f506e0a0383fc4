"""Tests of the SMS length and count as SMS Partner sends a message (api/segments.py)."""

from __future__ import annotations

import pytest

from custom_components.smspartner.api import Encoding, SmsLength, sms_length

GSM7 = Encoding.GSM7
UNICODE = Encoding.UNICODE


@pytest.mark.parametrize(
    ("message", "unicode", "expected"),
    [
        # GSM 7-bit: 160 characters in one SMS, then 153 in each.
        ("Hello", False, SmsLength(5, GSM7, 1)),
        ("a" * 160, False, SmsLength(160, GSM7, 1)),
        ("a" * 161, False, SmsLength(161, GSM7, 2)),
        ("a" * 306, False, SmsLength(306, GSM7, 2)),
        ("a" * 307, False, SmsLength(307, GSM7, 3)),
        # Accents of the GSM alphabet count 1 and stay.
        ("é è à ù ì ò É Ç Ø å Δ ß ¿ ¡", False, SmsLength(27, GSM7, 1)),
        # A line break is sent as :br: and counts 2, however it is written.
        ("a\nb", False, SmsLength(4, GSM7, 1)),
        ("a\r\nb\rc", False, SmsLength(7, GSM7, 1)),
        ("a:br:b", False, SmsLength(4, GSM7, 1)),
        ("a" * 158 + "\n", False, SmsLength(160, GSM7, 1)),
        ("a" * 159 + "\n", False, SmsLength(161, GSM7, 2)),
        # The euro sign, sent as :euro:, is in the extension table: 2.
        ("5 €", False, SmsLength(4, GSM7, 1)),
        ("5 :euro:", False, SmsLength(4, GSM7, 1)),
        ("€" * 80, False, SmsLength(160, GSM7, 1)),
        ("€" * 81, False, SmsLength(162, GSM7, 2)),
        ("\f", False, SmsLength(2, GSM7, 1)),
        # The other extension characters are replaced or removed by SMS Partner.
        ("[x]{y}", False, SmsLength(6, GSM7, 1)),
        ("a^b~c|d\\e", False, SmsLength(5, GSM7, 1)),
        # Accents outside GSM lose them; œ becomes oe; § ¨ removed; ° a dot.
        ("ê ô ç î", False, SmsLength(7, GSM7, 1)),
        ("cœur", False, SmsLength(5, GSM7, 1)),
        ("§¨°", False, SmsLength(1, GSM7, 1)),
        ("« l’été »", False, SmsLength(9, GSM7, 1)),
        # Emoji and other scripts: one replaced character each (inferred).
        ("Hi 👋", False, SmsLength(4, GSM7, 1)),
        ("Привет", False, SmsLength(6, GSM7, 1)),
        # Unicode: 70 in one SMS, then 67 in each; an emoji is 2 (UTF-16).
        ("Hello", True, SmsLength(5, UNICODE, 1)),
        ("é" * 70, True, SmsLength(70, UNICODE, 1)),
        ("é" * 71, True, SmsLength(71, UNICODE, 2)),
        ("é" * 134, True, SmsLength(134, UNICODE, 2)),
        ("é" * 135, True, SmsLength(135, UNICODE, 3)),
        ("👋" * 35, True, SmsLength(70, UNICODE, 1)),
        ("👋" * 36, True, SmsLength(72, UNICODE, 2)),
        ("ê{^}œ", True, SmsLength(5, UNICODE, 1)),
        ("a\nb €", True, SmsLength(6, UNICODE, 1)),
    ],
)
def test_sms_length(message: str, unicode: bool, expected: SmsLength) -> None:
    """Characters, encoding and SMS count follow the provider's rules."""
    assert sms_length(message, unicode=unicode) == expected


def test_sms_length_153_per_segment() -> None:
    """Each further SMS of a long GSM message holds 153 characters."""
    for segments in range(2, 8):
        assert sms_length("a" * 153 * segments).segments == segments
        assert sms_length("a" * (153 * segments + 1)).segments == segments + 1
