"""Tests for the simulated accounts: documented shapes, moving numbers."""

from __future__ import annotations

from hypothesis import given, strategies as st
import pytest

from simulator.accounts import (
    SMS_PRICE,
    SmsAccount,
    VoiceAccount,
    demo_sms_accounts,
    demo_voice_accounts,
    spent_level,
    split_duration,
)

# The providers' documented samples (api-docs), which the demo accounts start from.
DOCUMENTED_SMS_CREDITS = {
    "creditSms": 269082,
    "creditSmsLowCost": 444570,
    "creditSmsECO": 444570,
    "creditHlr": 2045023,
    "solde": "10225.119",
    "currency": "EUR",
    "balance": "10225.119",
}
DOCUMENTED_VOICE = {
    "success": True,
    "credit": "19",
    "currency": "€",
    "details": {
        "tts": {"h": 5, "m": 55, "s": 66},
        "tts_fixe": {"h": 3, "m": 44, "s": 55},
        "voice": {"message": 10},
    },
}


def _sms() -> SmsAccount:
    return demo_sms_accounts()[0]


def _voice() -> VoiceAccount:
    return demo_voice_accounts()[0]


def test_sms_payload_at_start_is_the_documented_sample() -> None:
    """At time 0 the main SMS account answers the documented numbers."""
    payload = _sms().payload(0)
    assert payload["success"] is True
    assert payload["code"] == 200
    assert payload["user"] == {
        "username": "demo@example.com",
        "firstname": "Camille",
        "lastname": "Martin",
    }
    sms_credits = payload["credits"]
    assert {k: sms_credits[k] for k in DOCUMENTED_SMS_CREDITS} == DOCUMENTED_SMS_CREDITS
    assert sms_credits["toSend"] == 120


def test_voice_payload_at_start_is_the_documented_sample() -> None:
    """At time 0 the Voice account answers the documented body, "s": 66 included."""
    assert _voice().payload(0) == DOCUMENTED_VOICE


def test_sms_numbers_move_down_over_time() -> None:
    """Credits fall as money is spent; every figure follows the balance."""
    account = _sms()
    before, after = account.payload(0)["credits"], account.payload(600)["credits"]
    assert after["balance"] == after["solde"] == "10213.119"
    for name in ("creditSms", "creditSmsECO", "creditHlr"):
        assert after[name] < before[name]
    assert after["creditSms"] == int(10213.119 / SMS_PRICE)


def test_voice_numbers_move_down_over_time() -> None:
    """Voice credit and the time and drops it buys fall together."""
    payload = _voice().payload(500)
    assert payload["credit"] == "18.5"
    details = payload["details"]
    seconds = (
        details["tts"]["h"] * 3600 + details["tts"]["m"] * 60 + details["tts"]["s"]
    )
    assert seconds == int(18.5 * 21366 / 19)
    assert details["voice"]["message"] == 9


def test_account_is_topped_up_at_its_floor() -> None:
    """The low-credit account runs down to 0 then starts again."""
    low = demo_sms_accounts()[1]
    assert low.payload(0)["credits"]["creditSms"] == 120
    assert low.payload(1195)["credits"]["creditSms"] == 0
    assert low.payload(1201)["credits"]["creditSms"] == 119


def test_debits_lower_the_balance() -> None:
    """Money debited (by sends, later) is taken from what the clock left."""
    account = _voice()
    account.debited = 1.9
    assert account.payload(0)["details"]["voice"]["message"] == 9
    account.debited = 100
    assert account.payload(0)["credit"] == "0"


@pytest.mark.parametrize(
    ("elapsed", "queued"),
    [(0, 120), (60, 60), (119, 1), (120, 0), (599, 0), (600, 120)],
)
def test_messages_to_send_drain(elapsed: float, queued: int) -> None:
    """A campaign queues messages every 10 minutes, sent out over 2 minutes."""
    assert _sms().to_send(elapsed) == queued


@given(
    start=st.floats(1, 1e5),
    gap=st.floats(0.5, 1e4),
    rate=st.floats(1e-3, 10),
    elapsed=st.floats(0, 1e7),
)
def test_spent_level_stays_between_floor_and_start(
    start: float, gap: float, rate: float, elapsed: float
) -> None:
    """Whatever the time, the money left is between the floor and the start."""
    floor = start - gap
    assert floor <= spent_level(start, floor, rate, elapsed) <= start


def test_spent_level_without_spending() -> None:
    """No rate or no room to spend leaves the start amount."""
    assert spent_level(10, 0, 0, 1000) == 10
    assert spent_level(10, 10, 1, 1000) == 10


@pytest.mark.parametrize(
    ("seconds", "expected"),
    [
        (0, {"h": 0, "m": 0, "s": 0}),
        (9, {"h": 0, "m": 0, "s": 9}),
        (59, {"h": 0, "m": 0, "s": 59}),
        (60, {"h": 0, "m": 0, "s": 60}),
        (75, {"h": 0, "m": 1, "s": 15}),
        (3600, {"h": 0, "m": 59, "s": 60}),
        (21366, {"h": 5, "m": 55, "s": 66}),
        (13495, {"h": 3, "m": 44, "s": 55}),
    ],
)
def test_split_duration(seconds: int, expected: dict[str, int]) -> None:
    """Durations split like the provider's, seconds above 59 included."""
    assert split_duration(seconds) == expected


@given(st.integers(0, 10**7))
def test_split_duration_keeps_the_total(seconds: int) -> None:
    """h/m/s always add up to the seconds, with minutes below 60 and seconds below 120."""
    parts = split_duration(seconds)
    assert parts["h"] * 3600 + parts["m"] * 60 + parts["s"] == seconds
    assert 0 <= parts["m"] < 60
    assert 0 <= parts["s"] < 120
