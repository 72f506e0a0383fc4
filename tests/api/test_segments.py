"""Tests of the SMS length and count as SMS Partner sends a message (api/segments.py)."""

from __future__ import annotations

import pytest

from custom_components.smspartner.api import Encoding, SmsLength, sms_length


@pytest.mark.parametrize(
    ("message", "gsm7", "unicode"),
    [
        # (characters, SMS) in GSM 7-bit (160, then 153 an SMS) and in unicode
        # (70, then 67 an SMS).
        ("Hello", (5, 1), (5, 1)),
        ("a" * 70, (70, 1), (70, 1)),
        ("a" * 71, (71, 1), (71, 2)),
        ("a" * 134, (134, 1), (134, 2)),
        ("a" * 135, (135, 1), (135, 3)),
        ("a" * 160, (160, 1), (160, 3)),
        ("a" * 161, (161, 2), (161, 3)),
        ("a" * 306, (306, 2), (306, 5)),
        ("a" * 307, (307, 3), (307, 5)),
        # Accents of the GSM alphabet count 1 and stay.
        ("é è à ù ì ò É Ç Ø å Δ ß ¿ ¡", (27, 1), (27, 1)),
        # A line break is sent as :br: and counts 2, however it is written.
        ("a\nb", (4, 1), (4, 1)),
        ("a\r\nb\rc", (7, 1), (7, 1)),
        ("a:br:b", (4, 1), (4, 1)),
        ("a" * 158 + "\n", (160, 1), (160, 3)),
        ("a" * 159 + "\n", (161, 2), (161, 3)),
        # The euro sign, sent as :euro:, is in GSM's extension table: 2.
        ("5 €", (4, 1), (3, 1)),
        ("5 :euro:", (4, 1), (3, 1)),
        ("€" * 80, (160, 1), (80, 2)),
        ("€" * 81, (162, 2), (81, 2)),
        ("\f", (2, 1), (1, 1)),
        # SMS Partner replaces GSM's other extension characters, or removes them.
        ("[x]{y}", (6, 1), (6, 1)),
        ("a^b~c|d\\e", (5, 1), (9, 1)),
        # Accents outside GSM lose them; œ becomes oe; § ¨ removed; ° a dot.
        ("ê ô ç î", (7, 1), (7, 1)),
        ("cœur", (5, 1), (4, 1)),
        ("§¨°", (1, 1), (3, 1)),
        ("« l’été »", (9, 1), (9, 1)),
        # Emoji and other scripts: one replaced character each in GSM
        # (inferred); an emoji is 2 in unicode (UTF-16).
        ("Hi 👋", (4, 1), (5, 1)),
        ("Привет", (6, 1), (6, 1)),
        ("👋" * 35, (35, 1), (70, 1)),
        ("👋" * 36, (36, 1), (72, 2)),
    ],
)
def test_sms_length(
    message: str, gsm7: tuple[int, int], unicode: tuple[int, int]
) -> None:
    """Characters, encoding and SMS count follow the provider's rules."""
    for encoding, (characters, segments) in (
        (Encoding.GSM7, gsm7),
        (Encoding.UNICODE, unicode),
    ):
        assert sms_length(message, unicode=encoding is Encoding.UNICODE) == SmsLength(
            characters, encoding, segments
        )


def test_sms_length_153_per_segment() -> None:
    """Each further SMS of a long GSM message holds 153 characters."""
    for segments in range(2, 8):
        assert sms_length("a" * 153 * segments).segments == segments
        assert sms_length("a" * (153 * segments + 1)).segments == segments + 1
