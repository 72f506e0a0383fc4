"""Benchmark: one refresh of an entry against a bare json.loads of the same body.

A refresh is what every poll does: the request through the budget and the
(mocked) session, the body checked and parsed, the coordinator updated and every
sensor of the entry written to the state machine. pytest-benchmark prints the
table at the end of the run; the target is under 2 ms per refresh. Nothing here
asserts a duration: the numbers are for reading.
"""

from __future__ import annotations

from collections.abc import Callable, Coroutine
from functools import partial
import json
from typing import Any
from unittest.mock import patch

import pytest
from pytest_benchmark.fixture import BenchmarkFixture
from pytest_homeassistant_custom_component.common import MockConfigEntry
from pytest_homeassistant_custom_component.test_util.aiohttp import AiohttpClientMocker

from custom_components.smspartner.api import RequestLimiter
from custom_components.smspartner.const import KEY_BUDGET
from custom_components.smspartner.product import Product
from homeassistant.core import HomeAssistant

from .conftest import sms_entry, sms_payload, voice_entry, voice_payload
from .fault_helpers import FakeProvider, Reply, json_reply, states

ROUNDS = 300

# Two answers that differ in every sensor, so that each refresh writes new states.
BODIES: dict[str, tuple[dict[str, Any], dict[str, Any]]] = {
    Product.SMS_PARTNER: (
        sms_payload(),
        sms_payload(creditSms=1, creditSmsECO=2, creditHlr=3, toSend=4, balance="5.5"),
    ),
    Product.VOICE_PARTNER: (
        voice_payload(),
        {
            **voice_payload(
                tts={"h": 1, "m": 0, "s": 0},
                tts_fixe={"h": 2, "m": 0, "s": 0},
                voice={"message": 3},
            ),
            "credit": "4.5",
        },
    ),
}
ENTRIES: dict[str, Callable[[], MockConfigEntry]] = {
    Product.SMS_PARTNER: sms_entry,
    Product.VOICE_PARTNER: voice_entry,
}


@pytest.fixture(autouse=True)
def enable_event_loop_debug() -> None:
    """Time with asyncio's debug mode off, as Home Assistant runs.

    The test plugin turns it on for each test; it records a stack trace for every
    callback, which would be timed here too.
    """


def run[T](coroutine: Coroutine[Any, Any, T]) -> T:
    """Run a coroutine that never waits (the mocked session answers at once)."""
    try:
        coroutine.send(None)
    except StopIteration as done:
        return done.value  # type: ignore[no-any-return]
    coroutine.close()
    raise AssertionError("the refresh waited for something")


@pytest.mark.parametrize("service", [Product.SMS_PARTNER, Product.VOICE_PARTNER])
async def test_refresh(
    hass: HomeAssistant,
    aioclient_mock: AiohttpClientMocker,
    benchmark: BenchmarkFixture,
    service: str,
) -> None:
    """Time one refresh: request, parse, coordinator update, every sensor written."""
    replies: list[Reply] = [json_reply(body) for body in BODIES[service]]
    provider = FakeProvider(replies[0])
    provider.register(aioclient_mock, service)
    # The request budget reads a clock moved on by hand (frozen time would add
    # freezegun's own cost to every timing).
    clock = [0.0]
    entry = ENTRIES[service]()
    entry.add_to_hass(hass)
    with patch(
        "custom_components.smspartner.budgets.RequestLimiter",
        partial(RequestLimiter, clock=lambda: clock[0]),
    ):
        assert await hass.config_entries.async_setup(entry.entry_id)
    await hass.async_block_till_done()
    coordinator = entry.runtime_data.coordinator
    seen: set[tuple[str | None, ...]] = set()

    def next_answer() -> None:
        """Switch answers and let the request budget refill (not timed)."""
        provider.reply = replies[len(provider.requests) % 2]
        clock[0] += KEY_BUDGET[1]

    def refresh() -> None:
        run(coordinator.async_refresh())
        seen.add(tuple(states(hass, entry).values()))

    benchmark.group = f"{service} refresh"
    benchmark.name = "refresh"
    benchmark.pedantic(refresh, setup=next_answer, rounds=ROUNDS, warmup_rounds=10)
    await hass.async_block_till_done()

    # Every round reached the provider and wrote the sensors, both answers shown.
    assert len(provider.requests) == 1 + ROUNDS + 10
    assert coordinator.last_update_success
    assert len(seen) == 2


@pytest.mark.parametrize("service", [Product.SMS_PARTNER, Product.VOICE_PARTNER])
def test_json_loads(benchmark: BenchmarkFixture, service: str) -> None:
    """Time a bare json.loads of the same body, for comparison."""
    body = json.dumps(BODIES[service][0])
    benchmark.group = f"{service} refresh"
    benchmark.name = "json.loads"
    result = benchmark.pedantic(json.loads, (body,), rounds=ROUNDS * 10)
    assert result == BODIES[service][0]
