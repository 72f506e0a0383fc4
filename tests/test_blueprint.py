"""Tests for the low-credit automation blueprint."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

from freezegun.api import FrozenDateTimeFactory
import pytest
from pytest_homeassistant_custom_component.common import async_mock_service

from homeassistant.components.automation.const import DOMAIN as AUTOMATION_DOMAIN
from homeassistant.const import STATE_UNAVAILABLE
from homeassistant.core import HomeAssistant, ServiceCall
from homeassistant.setup import async_setup_component

BLUEPRINTS = Path(__file__).parent.parent / "blueprints"
SENSOR = "sensor.sms_partner_sms_credits"
ATTRIBUTES = {"friendly_name": "SMS credits", "unit_of_measurement": "SMS"}


@pytest.fixture
async def calls(hass: HomeAssistant, tmp_path: Path) -> list[ServiceCall]:
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
                            {
                                "action": "test.notify",
                                "data": {
                                    "message": "{{ sensor_name }}: {{ value }} {{ unit }} < {{ threshold }}"
                                },
                            }
                        ],
                    },
                }
            }
        },
    )
    await hass.async_block_till_done()
    return calls


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
