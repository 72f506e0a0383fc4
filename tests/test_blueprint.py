"""Tests for the low-credit automation blueprint."""

from __future__ import annotations

from collections.abc import AsyncGenerator
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
from homeassistant.const import (
    ATTR_ENTITY_ID,
    ENTITY_MATCH_ALL,
    SERVICE_TURN_OFF,
    STATE_UNAVAILABLE,
    STATE_UNKNOWN,
)
from homeassistant.core import HomeAssistant, ServiceCall
from homeassistant.setup import async_setup_component
from homeassistant.util import dt as dt_util

from .conftest import NOW

BLUEPRINTS = Path(__file__).parent.parent / "blueprints"
SENSOR = "sensor.sms_partner_sms_credits"
ATTRIBUTES = {"friendly_name": "SMS credits", "unit_of_measurement": "SMS"}


async def _automation(
    hass: HomeAssistant, tmp_path: Path, message: str, **inputs: Any
) -> list[ServiceCall]:
    """Set up an automation from the blueprint; return the calls of its action."""
    hass.config.config_dir = str(tmp_path)
    (tmp_path / "blueprints").symlink_to(BLUEPRINTS, target_is_directory=True)
    hass.states.async_set(SENSOR, "150", ATTRIBUTES)
    calls = async_mock_service(hass, "test", "notify")
    assert await async_setup_component(
        hass,
        AUTOMATION_DOMAIN,
        {
            AUTOMATION_DOMAIN: {
                "use_blueprint": {
                    "path": "smspartner/low_credit.yaml",
                    "input": {
                        "credit_sensor": SENSOR,
                        "threshold": 100,
                        "notify_actions": [
                            {"action": "test.notify", "data": {"message": message}}
                        ],
                    }
                    | inputs,
                }
            }
        },
    )
    await hass.async_block_till_done()
    return calls


@pytest.fixture
async def calls(hass: HomeAssistant, tmp_path: Path) -> list[ServiceCall]:
    """Set up an automation with the threshold alone (no forecast sensor)."""
    return await _automation(
        hass, tmp_path, "{{ sensor_name }}: {{ value }} {{ unit }} < {{ threshold }}"
    )


async def _set(hass: HomeAssistant, state: str) -> None:
    hass.states.async_set(SENSOR, state, ATTRIBUTES)
    await hass.async_block_till_done()


async def test_fires_once_per_crossing(
    hass: HomeAssistant, calls: list[ServiceCall]
) -> None:
    """It runs when the credit crosses below, not on later values below."""
    await _set(hass, "120")
    assert calls == []
    await _set(hass, "99")
    assert len(calls) == 1
    assert calls[0].data["message"] == "SMS credits: 99 SMS < 100"
    await _set(hass, "50")
    await _set(hass, "10")
    assert len(calls) == 1
    await _set(hass, "500")
    await _set(hass, "80")
    assert len(calls) == 2


async def test_outage_does_not_repeat_the_alert(
    hass: HomeAssistant, calls: list[ServiceCall], freezer: FrozenDateTimeFactory
) -> None:
    """Back from unavailable below the threshold: no new alert within 24 hours."""
    await _set(hass, "90")
    assert len(calls) == 1
    freezer.tick(timedelta(hours=23))
    await _set(hass, STATE_UNAVAILABLE)
    await _set(hass, "85")
    assert len(calls) == 1
    freezer.tick(timedelta(hours=2))
    await _set(hass, STATE_UNAVAILABLE)
    await _set(hass, "80")
    assert len(calls) == 2


async def test_crossing_during_an_outage_alerts(
    hass: HomeAssistant, calls: list[ServiceCall]
) -> None:
    """Above before an outage and below after it: the drop is reported."""
    await _set(hass, STATE_UNAVAILABLE)
    await _set(hass, "40")
    assert len(calls) == 1


FORECAST = "sensor.sms_partner_balance_runs_out"
FORECAST_ATTRIBUTES = {"friendly_name": "Balance runs out", "device_class": "timestamp"}


@pytest.fixture
async def forecast_calls(
    hass: HomeAssistant, tmp_path: Path, freezer: FrozenDateTimeFactory
) -> AsyncGenerator[list[ServiceCall]]:
    """Set up an automation warning 7 days before the balance runs out too."""
    freezer.move_to(NOW)
    hass.states.async_set(FORECAST, STATE_UNKNOWN, FORECAST_ATTRIBUTES)
    yield await _automation(
        hass,
        tmp_path,
        "{{ trigger.id }}: {{ sensor_name }} {{ value }}{{ unit }} ({{ days }} days)",
        runs_out_sensor=FORECAST,
        days=7,
    )
    # Turned off, the template trigger stops its minute timer.
    await hass.services.async_call(
        AUTOMATION_DOMAIN,
        SERVICE_TURN_OFF,
        {ATTR_ENTITY_ID: ENTITY_MATCH_ALL},
        blocking=True,
    )


async def _runs_out(hass: HomeAssistant, after: timedelta | str) -> None:
    """Set the forecast to `after` from now (or to a state)."""
    state = after if isinstance(after, str) else (dt_util.utcnow() + after).isoformat()
    hass.states.async_set(FORECAST, state, FORECAST_ATTRIBUTES)
    await hass.async_block_till_done()


async def test_runs_out_within_days(
    hass: HomeAssistant, forecast_calls: list[ServiceCall]
) -> None:
    """It runs once when the date comes within 7 days, with the date in local time."""
    await _runs_out(hass, timedelta(days=10))
    assert forecast_calls == []
    await _runs_out(hass, timedelta(days=5))
    assert [call.data["message"] for call in forecast_calls] == [
        # NOW + 5 days, in Home Assistant's zone (Los Angeles) in tests.
        "runs_out: Balance runs out 2026-07-19 01:00 (7 days)"
    ]
    await _runs_out(hass, timedelta(days=4))
    assert len(forecast_calls) == 1


async def test_time_brings_the_date_within_days(
    hass: HomeAssistant,
    forecast_calls: list[ServiceCall],
    freezer: FrozenDateTimeFactory,
) -> None:
    """Days passing bring a date within reach: it runs, even just after a low credit."""
    await _runs_out(hass, timedelta(days=7, hours=2))
    await _set(hass, "50")
    assert len(forecast_calls) == 1
    freezer.tick(timedelta(hours=3))
    async_fire_time_changed(hass)
    await hass.async_block_till_done()
    assert len(forecast_calls) == 2
    assert forecast_calls[1].data["message"].startswith("runs_out: ")


async def test_forecast_back_from_an_outage_does_not_repeat(
    hass: HomeAssistant, forecast_calls: list[ServiceCall]
) -> None:
    """A date already near, back from unavailable within 24 hours: no new alert."""
    await _runs_out(hass, timedelta(days=3))
    assert len(forecast_calls) == 1
    await _runs_out(hass, STATE_UNAVAILABLE)
    await _runs_out(hass, timedelta(days=3))
    assert len(forecast_calls) == 1
