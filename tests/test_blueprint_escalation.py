"""Tests for the escalation blueprint: an SMS, then a call if it is not answered."""

from __future__ import annotations

import asyncio
from datetime import timedelta
from pathlib import Path
from typing import Any

from freezegun.api import FrozenDateTimeFactory
import pytest
from pytest_homeassistant_custom_component.common import (
    async_fire_time_changed,
    async_mock_service,
)

from homeassistant.components.automation.const import DOMAIN as AUTOMATION_DOMAIN
from homeassistant.core import HomeAssistant, ServiceCall, SupportsResponse
from homeassistant.setup import async_setup_component

BLUEPRINTS = Path(__file__).parent.parent / "blueprints"
ALARM = "binary_sensor.alarm"
SMS_ENTRY = "01JSMS"
VOICE_ENTRY = "01JVOICE"
OURS = "4242"
RECEIVED = "smspartner_sms_received"
STATUS = "smspartner_message_status"


async def _set_up(hass: HomeAssistant, tmp_path: Path, wait_for: str) -> None:
    """Set up an automation from the blueprint, waiting 10 minutes for `wait_for`."""
    hass.config.config_dir = str(tmp_path)
    (tmp_path / "blueprints").symlink_to(BLUEPRINTS, target_is_directory=True)
    hass.states.async_set(ALARM, "off")
    inputs = {
        "alert_entity": ALARM,
        "phone_number": "0612345678",
        "sms_account": SMS_ENTRY,
        "wait_for": wait_for,
        "minutes": 10,
        "voice_account": VOICE_ENTRY,
    }
    blueprint = {"path": "smspartner/sms_then_call.yaml", "input": inputs}
    config = {AUTOMATION_DOMAIN: {"use_blueprint": blueprint}}
    assert await async_setup_component(hass, AUTOMATION_DOMAIN, config)
    await hass.async_block_till_done()


async def _run_loop() -> None:
    """Let the automation run; it waits, so `async_block_till_done` would not return."""
    for _ in range(50):
        await asyncio.sleep(0)


@pytest.fixture
async def actions(hass: HomeAssistant) -> dict[str, list[ServiceCall]]:
    """Fake the integration's send actions; return their calls by action."""
    return {
        "sms": async_mock_service(
            hass,
            "smspartner",
            "send_sms",
            response={"message_id": OURS},
            supports_response=SupportsResponse.OPTIONAL,
        ),
        "call": async_mock_service(hass, "smspartner", "send_voice_message"),
    }


def _received(kind: str, message_id: str | None = OURS) -> tuple[str, dict[str, Any]]:
    data = {"kind": kind, "phone_number": "+33612345678", "text": "OK", "to": None}
    return RECEIVED, {**data, "message_id": message_id}


def _status(status: str, message_id: str = OURS) -> tuple[str, dict[str, Any]]:
    data = {"phone_number": "+33612345678", "provider_status": "x", "source": "webhook"}
    return STATUS, {**data, "message_id": message_id, "status": status}


@pytest.mark.parametrize(
    ("wait_for", "events", "called_at_once", "called_later"),
    [
        ("reply", [_status("delivered"), _received("reply")], False, False),
        ("reply", [_received("reply", "17")], False, True),
        ("reply", [_received("reply", None)], False, True),
        ("reply", [_status("delivered")], False, True),
        ("reply", [_status("not_delivered")], True, True),
        ("reply", [_received("stop")], True, True),
        ("delivery", [_status("pending"), _status("delivered")], False, False),
        ("delivery", [_status("delivered", "17")], False, True),
        ("delivery", [_received("reply")], False, True),
        ("delivery", [_status("not_delivered")], True, True),
        ("reply", [], False, True),
    ],
)
async def test_escalation(
    hass: HomeAssistant,
    tmp_path: Path,
    freezer: FrozenDateTimeFactory,
    actions: dict[str, list[ServiceCall]],
    *,
    wait_for: str,
    events: list[tuple[str, dict[str, Any]]],
    called_at_once: bool,
    called_later: bool,
) -> None:
    """The call comes at once, after the wait, or not at all, as the events say."""
    await _set_up(hass, tmp_path, wait_for)
    hass.states.async_set(ALARM, "on")
    await _run_loop()
    assert [call.data["recipients"] for call in actions["sms"]] == [["0612345678"]]
    for event_type, data in events:
        hass.bus.async_fire(event_type, {"config_entry_id": SMS_ENTRY, **data})
        await _run_loop()
    assert len(actions["call"]) == called_at_once
    freezer.tick(timedelta(minutes=10, seconds=1))
    async_fire_time_changed(hass)
    await _run_loop()
    assert len(actions["call"]) == called_later
    if called_later:
        assert actions["call"][0].data == {
            "config_entry_id": VOICE_ENTRY,
            "recipients": ["0612345678"],
            "message": "Alert at home. Nobody acknowledged the SMS.",
            "language": "fr",
        }


async def test_other_account_is_ignored(
    hass: HomeAssistant,
    tmp_path: Path,
    actions: dict[str, list[ServiceCall]],
) -> None:
    """A reply that reached another account does not acknowledge the SMS."""
    await _set_up(hass, tmp_path, "reply")
    hass.states.async_set(ALARM, "on")
    await _run_loop()
    _, data = _received("reply")
    hass.bus.async_fire(RECEIVED, {**data, "config_entry_id": "01JOTHER"})
    _, data = _status("not_delivered")
    hass.bus.async_fire(STATUS, {**data, "config_entry_id": "01JOTHER"})
    await _run_loop()
    assert actions["call"] == []
