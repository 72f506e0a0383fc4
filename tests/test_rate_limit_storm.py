"""Rate-limit storms: whatever the user does, a key gets at most 5 requests a minute.

Voice Partner allows 5 requests per 60 s. Every request is counted where it
reaches the HTTP layer (the mocked session), stamped with the frozen test time,
which the request budget reads too; the tests move that time on by hand.
On the wire on purpose: the budgets live in the real client, so only the
requests that reach the session prove them.
"""

from __future__ import annotations

from freezegun.api import FrozenDateTimeFactory
import pytest
from pytest_homeassistant_custom_component.common import MockConfigEntry
from pytest_homeassistant_custom_component.test_util.aiohttp import AiohttpClientMocker

from custom_components.smspartner.const import KEY_BUDGET
from custom_components.smspartner.product import Product
from homeassistant.config_entries import ConfigEntryState
from homeassistant.const import ATTR_ENTITY_ID, CONF_API_KEY, STATE_UNAVAILABLE
from homeassistant.core import HomeAssistant
from homeassistant.data_entry_flow import FlowResultType
from homeassistant.setup import async_setup_component
from homeassistant.util import dt as dt_util

from .conftest import voice_entry, voice_payload
from .fault_helpers import (
    FakeProvider,
    advance,
    entity_ids,
    json_reply,
    max_in_window,
    states,
    text_reply,
)


@pytest.fixture
async def provider(
    hass: HomeAssistant, aioclient_mock: AiohttpClientMocker
) -> FakeProvider:
    """Answer Voice Partner requests, and load the update_entity action."""
    assert await async_setup_component(hass, "homeassistant", {})
    fake = FakeProvider(json_reply(voice_payload()))
    fake.register(aioclient_mock, Product.VOICE_PARTNER)
    return fake


async def _set_up(hass: HomeAssistant) -> MockConfigEntry:
    """Set up a Voice Partner entry."""
    entry = voice_entry()
    entry.add_to_hass(hass)
    assert await hass.config_entries.async_setup(entry.entry_id)
    await hass.async_block_till_done()
    return entry


async def _update_entity(hass: HomeAssistant, entity_id: str | list[str]) -> None:
    """Ask Home Assistant to update entities now, as a user or automation can."""
    await hass.services.async_call(
        "homeassistant",
        "update_entity",
        {ATTR_ENTITY_ID: entity_id},
        blocking=True,
    )


async def _reconfigure(hass: HomeAssistant, entry: MockConfigEntry) -> str:
    """Submit the reconfigure form with the entry's key; return the outcome."""
    result = await entry.start_reconfigure_flow(hass)
    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], {CONF_API_KEY: entry.data[CONF_API_KEY]}
    )
    await hass.async_block_till_done(wait_background_tasks=True)
    if result["type"] is FlowResultType.ABORT:
        return str(result["reason"])
    hass.config_entries.flow.async_abort(result["flow_id"])
    assert result["errors"] is not None
    return str(result["errors"]["base"])


async def test_update_entity_storm(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory, provider: FakeProvider
) -> None:
    """50 update_entity calls in 10 s, a reload and a reconfigure: 5 requests a minute."""
    entry = await _set_up(hass)
    sensors = list(entity_ids(hass, entry).values())

    for call in range(50):
        # Every fifth call names all sensors at once, the others one each.
        target = sensors if call % 5 == 0 else sensors[call % len(sensors)]
        await _update_entity(hass, target)
        await advance(hass, freezer, 0.2)
    assert await hass.config_entries.async_reload(entry.entry_id)
    await hass.async_block_till_done(wait_background_tasks=True)
    # The budget may or may not leave room to check the key again.
    assert await _reconfigure(hass, entry) in {"reconfigure_successful", "rate_limited"}
    # Let retries and debounced refreshes run for three more minutes.
    for _ in range(18):
        await advance(hass, freezer, 10)

    times = provider.times
    first_minute = [t for t in times if t - times[0] < KEY_BUDGET[1]]
    assert len(first_minute) <= KEY_BUDGET[0]
    assert max_in_window(times, KEY_BUDGET[1]) <= KEY_BUDGET[0]
    # Whatever was refused, the entry ends up loaded with fresh values.
    assert entry.state is ConfigEntryState.LOADED
    assert STATE_UNAVAILABLE not in states(hass, entry).values()


async def test_reload_and_reconfigure_storm(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory, provider: FakeProvider
) -> None:
    """Ten reloads and ten reconfigure attempts in 10 s spend the budget, no more."""
    entry = await _set_up(hass)
    outcomes = []
    for _ in range(10):
        await hass.config_entries.async_reload(entry.entry_id)
        await hass.async_block_till_done(wait_background_tasks=True)
        outcomes.append(await _reconfigure(hass, entry))
        await advance(hass, freezer, 1)

    # Demand far exceeds the budget, so the budget alone sets the count.
    assert len(provider.requests) == KEY_BUDGET[0]
    assert outcomes.count("rate_limited") >= 10 - KEY_BUDGET[0]
    for _ in range(30):
        await advance(hass, freezer, 10)
    assert max_in_window(provider.times, KEY_BUDGET[1]) <= KEY_BUDGET[0]
    assert entry.state is ConfigEntryState.LOADED
    assert STATE_UNAVAILABLE not in states(hass, entry).values()


@pytest.mark.parametrize(
    ("headers", "pause"),
    [
        pytest.param({"Retry-After": "600"}, 600, id="Retry-After 600 s"),
        pytest.param({}, 60, id="no Retry-After: 60 s"),
    ],
)
async def test_nothing_sent_before_retry_after(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    provider: FakeProvider,
    headers: dict[str, str],
    pause: int,
) -> None:
    """After a 429 no request is sent, and no value shown, until Retry-After."""
    entry = await _set_up(hass)
    sensors = list(entity_ids(hass, entry).values())
    provider.reply = text_reply("Too Many Requests", 429, **headers)
    await advance(hass, freezer)
    limited_at = provider.times[-1]
    assert len(provider.requests) == 2
    assert set(states(hass, entry).values()) == {STATE_UNAVAILABLE}

    # update_entity every 10 s, and the regular polls, until the pause is over.
    provider.reply = json_reply(voice_payload(voice={"message": 9}))
    resume_at = limited_at + pause
    while (now := dt_util.utcnow().timestamp()) + 10 < resume_at:
        await _update_entity(hass, sensors)
        await advance(hass, freezer, 10)
        assert len(provider.requests) == 2, f"sent {now + 10 - limited_at} s after 429"
        assert set(states(hass, entry).values()) == {STATE_UNAVAILABLE}

    # Once the pause is over the next update reaches the provider again.
    await advance(hass, freezer, resume_at + 1 - now)
    await _update_entity(hass, sensors)
    await hass.async_block_till_done()
    assert len(provider.requests) >= 3
    assert provider.times[2] >= resume_at
    assert states(hass, entry)["voice_messages"] == "9"
