"""The recorder's long-term statistics of the spend sensors: right by month."""

from __future__ import annotations

from datetime import timedelta
from unittest.mock import MagicMock

from freezegun.api import FrozenDateTimeFactory
import pytest
from pytest_homeassistant_custom_component.common import MockConfigEntry
from pytest_homeassistant_custom_component.components.recorder.common import (
    async_wait_recording_done,
    do_adhoc_statistics,
    statistics_during_period,
)

from custom_components.smspartner.api import Spend
from custom_components.smspartner.hourly import HOURLY
from custom_components.smspartner.product import Product
from homeassistant.components.recorder.core import Recorder
from homeassistant.core import HomeAssistant
from homeassistant.helpers.recorder import get_instance
from homeassistant.util import dt as dt_util

from .conftest import setup_integration, state_of
from .fault_helpers import advance

SPENT = "sensor.sms_partner_spent_this_month"


@pytest.fixture(autouse=True)
def auto_enable_custom_integrations(
    recorder_mock: Recorder, enable_custom_integrations: None
) -> None:
    """Start the recorder before Home Assistant, then load the integration."""


@pytest.mark.parametrize("product", [Product.SMS_PARTNER], ids=str)
async def test_long_term_statistics_by_month(
    recorder_mock: Recorder,
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    mock_config_entry: MockConfigEntry,
    mock_client: MagicMock,
) -> None:
    """The recorder's monthly change of "Spent this month" is each month's spend.

    Installed on 31 January at 21:05 in Paris with 40.00 spent, the sensor reads
    45.00, then 49.174; February then reads 0.50 and 2.00. January's change is
    what was spent since the install, February's all that February spent.
    """
    await hass.config.async_set_time_zone("Europe/Paris")
    freezer.move_to("2026-01-31 20:05:00+00:00")
    mock_client.async_get_spend.side_effect = [
        Spend(cost, 0)
        for this_month in (40.0, 45.0, 49.174, 0.5, 2.0)
        for cost in (this_month, 1.0)  # this month, then last month
    ]
    await setup_integration(hass, mock_config_entry)
    for _ in range(4):
        await advance(hass, freezer, HOURLY.total_seconds())
    assert state_of(hass, SPENT) == "2.0"
    await async_wait_recording_done(hass)

    # The recorder compiles each hour (from 20:00 UTC) in its last 5 minutes.
    first = dt_util.parse_datetime("2026-01-31T20:55:00+00:00")
    assert first is not None
    for hour in range(5):
        do_adhoc_statistics(hass, start=first + timedelta(hours=hour))
        await async_wait_recording_done(hass)
    stats = await get_instance(hass).async_add_executor_job(
        statistics_during_period,
        hass,
        dt_util.parse_datetime("2026-01-01T00:00:00+01:00"),
        None,
        {SPENT},
        "month",
        None,
        {"change"},
    )
    assert [round(row["change"], 3) for row in stats[SPENT]] == [9.174, 2.0]
