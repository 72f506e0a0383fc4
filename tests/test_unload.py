"""Unload and reload leave no task, timer or listener behind.

Besides these checks, the test plugin's own lingering-task and lingering-timer
checks stay on: each test fails at teardown if anything outlives Home Assistant.
"""

from __future__ import annotations

import asyncio
from collections import Counter
from dataclasses import replace
from typing import Any
from unittest.mock import MagicMock

from freezegun.api import FrozenDateTimeFactory
import pytest
from pytest_homeassistant_custom_component.common import (
    MockConfigEntry,
    async_fire_time_changed,
)

from custom_components.smspartner.product import Product
from homeassistant.config_entries import ConfigEntryState
from homeassistant.core import HomeAssistant
from homeassistant.util.async_ import get_scheduled_timer_handles
from homeassistant.util.event_type import EventType

from .conftest import VOICE_ONLY
from .fault_helpers import advance

# What in a timer's or task's description tells it belongs to the integration.
OURS = (
    "DataUpdateCoordinator",
    "Debouncer",
    "smspartner",
    "SMS Partner",
    "Voice Partner",
)

# Per product: the coordinators an entry polls with (SMS Partner adds the
# hourly spend and sub-accounts reads), one timer each.
COORDINATORS: dict[str, int] = {Product.SMS_PARTNER: 3, Product.VOICE_PARTNER: 1}


def _ours(description: str) -> bool:
    """Tell whether a timer or task description names the integration."""
    return any(word in description for word in OURS)


def timers(hass: HomeAssistant) -> list[str]:
    """Return the integration's pending timers: one per coordinator of each entry."""
    return [
        repr(handle)
        for handle in get_scheduled_timer_handles(hass.loop)
        if not handle.cancelled() and _ours(repr(handle))
    ]


def tasks() -> list[str]:
    """Return the integration's unfinished tasks."""
    return [
        repr(task)
        for task in asyncio.all_tasks()
        if not task.done() and _ours(repr(task))
    ]


async def listened_to(hass: HomeAssistant, coordinator: Any) -> bool:
    """Tell whether any entity still follows `coordinator`: push new data, look."""
    before = hass.states.async_all("sensor")
    data = coordinator.data
    coordinator.async_set_updated_data(replace(data, balance=data.balance + 1))
    await hass.async_block_till_done()
    changed = hass.states.async_all("sensor") != before
    coordinator.async_set_updated_data(data)
    await hass.async_block_till_done()
    return changed


def listeners(hass: HomeAssistant) -> Counter[EventType[Any] | str]:
    """Return how many listeners each event has on the bus."""
    return Counter(hass.bus.async_listeners())


async def _set_up(hass: HomeAssistant, entry: MockConfigEntry) -> MockConfigEntry:
    """Set up `entry` and wait for its platforms."""
    if hass.config_entries.async_get_entry(entry.entry_id) is None:
        entry.add_to_hass(hass)
    assert await hass.config_entries.async_setup(entry.entry_id)
    await hass.async_block_till_done()
    return entry


@pytest.mark.usefixtures("mock_client")
async def test_unload_leaves_nothing(
    hass: HomeAssistant, mock_config_entry: MockConfigEntry, product: Product
) -> None:
    """After unloading, the entry's timers, tasks, listeners and entities are gone."""
    # A first set-up and unload loads the platforms, which stay.
    entry = await _set_up(hass, mock_config_entry)
    assert await hass.config_entries.async_unload(entry.entry_id)
    await hass.async_block_till_done()
    listeners_before = listeners(hass)
    await _set_up(hass, entry)
    coordinator = entry.runtime_data.coordinator
    # The checks can see what the entry runs: its polling timer and listeners.
    assert len(timers(hass)) == COORDINATORS[product]
    assert await listened_to(hass, coordinator)
    assert listeners(hass) != listeners_before

    assert await hass.config_entries.async_unload(entry.entry_id)
    await hass.async_block_till_done()
    assert entry.state is ConfigEntryState.NOT_LOADED
    assert timers(hass) == []
    assert tasks() == []
    assert not await listened_to(hass, coordinator)
    assert timers(hass) == []
    assert listeners(hass) == listeners_before


async def test_reloads_do_not_pile_up(
    hass: HomeAssistant, init_integration: MockConfigEntry, product: Product
) -> None:
    """Four reloads leave what one set-up has."""
    entry = init_integration
    timers_once, listeners_once = timers(hass), listeners(hass)
    assert len(timers_once) == COORDINATORS[product], timers_once
    coordinators = [entry.runtime_data.coordinator]
    for _ in range(4):
        assert await hass.config_entries.async_reload(entry.entry_id)
        await hass.async_block_till_done()
        coordinators.append(entry.runtime_data.coordinator)
    assert entry.state is ConfigEntryState.LOADED
    assert len(timers(hass)) == COORDINATORS[product]
    assert listeners(hass) == listeners_once
    assert tasks() == []
    # Only the current coordinator still has entities following it.
    assert [await listened_to(hass, c) for c in coordinators] == [False] * 4 + [True]
    assert len(timers(hass)) == COORDINATORS[product]


@VOICE_ONLY
async def test_unload_during_a_hanging_poll(
    hass: HomeAssistant,
    init_integration: MockConfigEntry,
    mock_client: MagicMock,
    freezer: FrozenDateTimeFactory,
) -> None:
    """Unloading while a poll waits for the provider ends that poll too."""
    release = asyncio.Event()
    answer = mock_client.async_get_credits.return_value

    async def hang() -> Any:
        await release.wait()
        return answer

    mock_client.async_get_credits.side_effect = hang
    freezer.tick(300)
    async_fire_time_changed(hass)
    await asyncio.sleep(0)
    assert mock_client.async_get_credits.await_count == 2
    assert tasks() != []

    assert await hass.config_entries.async_unload(init_integration.entry_id)
    await hass.async_block_till_done()
    assert tasks() == []
    assert timers(hass) == []
    release.set()
    await hass.async_block_till_done()
    await advance(hass, freezer)
    assert mock_client.async_get_credits.await_count == 2
