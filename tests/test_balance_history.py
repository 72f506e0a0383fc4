"""Tests of the "Balance runs out" sensor and its readings kept across restarts."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime, timedelta
import logging
from typing import Any
from unittest.mock import MagicMock

from freezegun.api import FrozenDateTimeFactory
import pytest
from pytest_homeassistant_custom_component.common import (
    MockConfigEntry,
    async_fire_time_changed,
)

from custom_components.smspartner.api import SmsPartnerConnectionError
from custom_components.smspartner.const import DOMAIN
from custom_components.smspartner.forecast import Reading, to_stored
from homeassistant.const import STATE_UNAVAILABLE, STATE_UNKNOWN
from homeassistant.core import HomeAssistant
from homeassistant.helpers import entity_registry as er

from .conftest import NOW, setup_integration, state_of

DAY = timedelta(days=1)
START = datetime.fromisoformat(NOW)


def _sensor(hass: HomeAssistant, entry: MockConfigEntry) -> str:
    """Return the entity ID of the entry's "Balance runs out" sensor."""
    entity_id = er.async_get(hass).async_get_entity_id(
        "sensor", DOMAIN, f"{entry.entry_id}_balance_runs_out"
    )
    assert entity_id is not None
    return entity_id


def _key(entry: MockConfigEntry) -> str:
    """Return the Store key of the entry's readings."""
    return f"{DOMAIN}.{entry.entry_id}.balance"


def _answer(client: MagicMock, balance: float) -> None:
    """Make the client's next credit reads answer `balance`."""
    answer = client.async_get_credits.return_value
    client.async_get_credits.return_value = replace(answer, balance=balance)


async def _read(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    client: MagicMock,
    balance: float,
) -> None:
    """Let a day pass; the next poll reads `balance`."""
    _answer(client, balance)
    freezer.tick(DAY)
    async_fire_time_changed(hass)
    await hass.async_block_till_done()


def _at(when: datetime) -> str:
    """Return a timestamp sensor's state for `when`."""
    return when.isoformat(timespec="seconds")


# Daily reads: (balance, the date it runs out in days after the first, or None).
@pytest.mark.parametrize(
    "reads",
    [
        # 2 a day; unknown until 3 days of readings, then 94 lasts 47 days.
        [(100, None), (98, None), (96, None), (94, 50)],
        # An unchanged balance, which the credit sensors do not show as a
        # change, slows the rate: 6 over 3 days, then over 4 days.
        [(12, None), (10, None), (8, None), (6, 6), (6, 8)],
        # Flat: unknown. Then 4 fell over 4 days: 26 lasts 26 days; and with
        # the top-up of 100 left out, 4 over 5 days: 126 lasts 157.5 days.
        [(30, None), (30, None), (30, None), (30, None), (26, 30), (126, 162.5)],
    ],
    ids=["falling", "unchanged", "flat_then_top_up"],
)
@pytest.mark.usefixtures("frozen_time")
async def test_date_after_daily_reads(
    hass: HomeAssistant,
    mock_config_entry: MockConfigEntry,
    mock_client: MagicMock,
    freezer: FrozenDateTimeFactory,
    reads: list[tuple[float, float | None]],
) -> None:
    """Each read gives the date the balance falls to zero at its rate, top-ups left out."""
    (first, _), *later = reads
    _answer(mock_client, first)
    await setup_integration(hass, mock_config_entry)
    sensor = _sensor(hass, mock_config_entry)
    assert state_of(hass, sensor) == STATE_UNKNOWN
    for balance, days in later:
        await _read(hass, freezer, mock_client, balance)
        expected = STATE_UNKNOWN if days is None else _at(START + days * DAY)
        assert state_of(hass, sensor) == expected


@pytest.mark.usefixtures("frozen_time")
async def test_readings_survive_a_restart(
    hass: HomeAssistant,
    hass_storage: dict[str, Any],
    mock_config_entry: MockConfigEntry,
    mock_client: MagicMock,
    freezer: FrozenDateTimeFactory,
) -> None:
    """Readings stored by the last run give a date at once; unloading saves them."""
    balance = 100
    _answer(mock_client, balance)
    earlier = [
        Reading(START - 4 * DAY, balance + 8),
        Reading(START - 1 * DAY, balance + 2, 6),
    ]
    hass_storage[_key(mock_config_entry)] = {
        "version": 1,
        "minor_version": 1,
        "key": _key(mock_config_entry),
        "data": to_stored(earlier),
    }
    await setup_integration(hass, mock_config_entry)
    sensor = _sensor(hass, mock_config_entry)
    # 8 fell over 4 days: 2 a day from the read at START.
    expected = _at(START + balance / 2 * DAY)
    assert state_of(hass, sensor) == expected

    freezer.tick(timedelta(minutes=30))
    assert await hass.config_entries.async_reload(mock_config_entry.entry_id)
    await hass.async_block_till_done()
    assert len(hass_storage[_key(mock_config_entry)]["data"]) == 3
    # The unchanged balance read again half an hour later.
    rate = 8 / (4 * DAY + timedelta(minutes=30)).total_seconds()
    later = START + timedelta(minutes=30) + timedelta(seconds=balance / rate)
    assert state_of(hass, sensor) == _at(later)


async def test_readings_removed_with_the_entry(
    hass: HomeAssistant, hass_storage: dict[str, Any], init_integration: MockConfigEntry
) -> None:
    """Removing the entry deletes its stored readings."""
    assert await hass.config_entries.async_unload(init_integration.entry_id)
    assert _key(init_integration) in hass_storage
    await hass.config_entries.async_remove(init_integration.entry_id)
    await hass.async_block_till_done()
    assert _key(init_integration) not in hass_storage


@pytest.mark.parametrize("version", [2, 1])
@pytest.mark.usefixtures("mock_client")
async def test_unreadable_readings_start_afresh(
    hass: HomeAssistant,
    hass_storage: dict[str, Any],
    mock_config_entry: MockConfigEntry,
    caplog: pytest.LogCaptureFixture,
    version: int,
) -> None:
    """Readings a later version wrote, or damaged ones: the entry loads, no date."""
    hass_storage[_key(mock_config_entry)] = {
        "version": version,
        "minor_version": 1,
        "key": _key(mock_config_entry),
        "data": {"readings": "damaged"},
    }
    with caplog.at_level(logging.WARNING):
        await setup_integration(hass, mock_config_entry)
    assert state_of(hass, _sensor(hass, mock_config_entry)) == STATE_UNKNOWN
    assert ("starting afresh" in caplog.text) is (version == 2)


async def test_unavailable_with_the_credits(
    hass: HomeAssistant, init_integration: MockConfigEntry, mock_client: MagicMock
) -> None:
    """When the credits cannot be read, the date is unavailable too."""
    mock_client.async_get_credits.side_effect = SmsPartnerConnectionError
    coordinator = init_integration.runtime_data.coordinator
    await coordinator.async_refresh()
    await hass.async_block_till_done()
    assert state_of(hass, _sensor(hass, init_integration)) == STATE_UNAVAILABLE
