"""Tests for the simulator state and its control commands."""

from __future__ import annotations

from typing import Any

import pytest

from simulator import DEMO_SMS_KEY, DEMO_VOICE_KEY, Simulator, key_id
from simulator.accounts import SmsAccount

from .conftest import FakeClock


def test_key_id_is_short_stable_and_not_the_key() -> None:
    """A key's fingerprint names it in logs without revealing it."""
    assert key_id(DEMO_SMS_KEY) == key_id(DEMO_SMS_KEY)
    assert key_id(DEMO_SMS_KEY) != key_id(DEMO_VOICE_KEY)
    assert len(key_id(DEMO_SMS_KEY)) == 8
    assert key_id(DEMO_SMS_KEY) not in DEMO_SMS_KEY


def test_elapsed_follows_the_clock_and_speed(clock: FakeClock) -> None:
    """Simulated time is the clock's, scaled by speed."""
    sim = Simulator(clock=clock, speed=60)
    clock.advance(2)
    assert sim.elapsed() == 120


def test_accounts_are_per_service(sim: Simulator) -> None:
    """An SMS key opens no Voice account, and the reverse."""
    assert sim.sms_account(DEMO_SMS_KEY) is not None
    assert sim.voice_account(DEMO_SMS_KEY) is None
    assert sim.voice_account(DEMO_VOICE_KEY) is not None
    assert sim.sms_account(DEMO_VOICE_KEY) is None


def test_custom_accounts_replace_the_demo_ones() -> None:
    """Accounts given to the constructor are the only ones."""
    account = SmsAccount(
        api_key="mine",
        username="me@example.com",
        firstname="A",
        lastname="B",
        balance=1.0,
        floor=0.0,
        spend_per_second=0.0,
    )
    sim = Simulator(sms_accounts=[account], voice_accounts=[])
    assert sim.sms_account("mine") is account
    assert sim.sms_account(DEMO_SMS_KEY) is None
    assert sim.snapshot()["keys"] == {"sms": [key_id("mine")], "voice": []}


def test_mode_for_both_services_or_one(sim: Simulator) -> None:
    """A command without service changes both; with one, only that one."""
    sim.control({"mode": "500"})
    assert [b.mode for b in sim.behaviour.values()] == ["500", "500"]
    sim.control({"mode": "ok", "service": "voice", "retry_after": 7, "delay": 0.5})
    assert sim.behaviour["sms"].mode == "500"
    assert sim.behaviour["voice"].mode == "ok"
    assert sim.behaviour["voice"].retry_after == 7
    assert sim.behaviour["voice"].delay == 0.5
    assert sim.behaviour["sms"].retry_after is None


def test_revoke_restore_and_reset(sim: Simulator) -> None:
    """A revoked key opens nothing until restored or reset."""
    sim.control({"revoke": DEMO_SMS_KEY})
    assert sim.sms_account(DEMO_SMS_KEY) is None
    assert sim.snapshot()["revoked"] == [key_id(DEMO_SMS_KEY)]
    sim.control({"restore": DEMO_SMS_KEY})
    assert sim.sms_account(DEMO_SMS_KEY) is not None
    sim.control({"revoke": DEMO_VOICE_KEY, "mode": "html"})
    sim.record(
        method="GET",
        path="/x",
        service=None,
        api_key=None,
        status=404,
        rate_limited=False,
    )
    sim.limiters["voice"].acquire(DEMO_VOICE_KEY, sim.now())
    sim.control({"reset": True})
    assert sim.voice_account(DEMO_VOICE_KEY) is not None
    assert sim.behaviour["voice"].mode == "ok"
    assert sim.requests() == []
    assert sim.limiters["voice"].remaining(DEMO_VOICE_KEY, sim.now()) == 5


def test_reset_false_changes_nothing(sim: Simulator) -> None:
    """reset: false is accepted and leaves the state alone."""
    sim.control({"mode": "html"})
    sim.control({"reset": False})
    assert sim.behaviour["sms"].mode == "html"


@pytest.mark.parametrize(
    ("command", "message"),
    [
        ({"mood": "ok"}, "unknown fields: mood"),
        ({"mode": "broken"}, "mode must be one of"),
        ({"mode": "ok", "service": "mail"}, "service must be one of"),
        ({"retry_after": -1}, "retry_after must be"),
        ({"retry_after": 1.5}, "retry_after must be"),
        ({"retry_after": True}, "retry_after must be"),
        ({"delay": "long"}, "delay must be"),
        ({"delay": -1}, "delay must be"),
        ({"delay": False}, "delay must be"),
        ({"error_status": 99}, "error_status must be"),
        ({"error_status": "400"}, "error_status must be"),
        ({"revoke": ""}, "revoke must be"),
        ({"restore": 3}, "restore must be"),
        ({"reset": "yes"}, "reset must be"),
    ],
)
def test_invalid_commands_change_nothing(
    sim: Simulator, command: dict[str, Any], message: str
) -> None:
    """An invalid command raises ValueError and leaves the state as it was."""
    before = sim.snapshot()
    with pytest.raises(ValueError, match=message):
        sim.control(command)
    assert sim.snapshot() == before


def test_retry_after_can_be_cleared(sim: Simulator) -> None:
    """retry_after: null removes the header again."""
    sim.control({"retry_after": 5})
    sim.control({"retry_after": None})
    assert sim.behaviour["sms"].retry_after is None


def test_requests_since(sim: Simulator) -> None:
    """The log can be read from a sequence number on."""
    for status in (200, 400, 500):
        sim.record(
            method="GET",
            path="/p",
            service="sms",
            api_key=DEMO_SMS_KEY,
            status=status,
            rate_limited=False,
        )
    assert [r["status"] for r in sim.requests(since=1)] == [400, 500]
    assert sim.requests()[0]["key_id"] == key_id(DEMO_SMS_KEY)
