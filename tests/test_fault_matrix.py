"""Fault matrix: every way the providers can fail, at start-up and while running.

Each fault of the table (tests/fault_table.py) has one expected outcome: the
entities become unavailable with one log line, a re-authentication flow starts,
or the answer still parses into values. Then the provider answers normally again
and the entry must recover. Each test runs a whole table and lists every fault
whose outcome differs.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from freezegun.api import FrozenDateTimeFactory
import pytest
from pytest_homeassistant_custom_component.test_util.aiohttp import AiohttpClientMocker

from custom_components.smspartner.product import Product
from homeassistant.core import HomeAssistant

from .fault_helpers import Harness
from .fault_table import Row, check_at_start_up, check_while_running, run_faults


@pytest.fixture(autouse=True)
def enable_event_loop_debug() -> None:
    """Leave asyncio's debug mode off (the test plugin turns it on for each test).

    It records a stack trace for every task and callback, which makes the
    hundreds of set-ups of this table three times slower; the start-up test keeps
    it on to catch callbacks that hold the loop.
    """


@pytest.fixture
def harness(
    hass: HomeAssistant,
    aioclient_mock: AiohttpClientMocker,
    freezer: FrozenDateTimeFactory,
    caplog: pytest.LogCaptureFixture,
) -> Harness:
    """Bundle the fixtures the fault table runs with."""
    return Harness(hass, aioclient_mock, freezer, caplog)


@pytest.mark.parametrize("service", [Product.SMS_PARTNER, Product.VOICE_PARTNER])
@pytest.mark.parametrize(
    "check",
    [
        pytest.param(check_while_running, id="while running"),
        pytest.param(check_at_start_up, id="at start-up"),
    ],
)
async def test_fault_matrix(
    harness: Harness, service: str, check: Callable[[Row], Awaitable[None]]
) -> None:
    """Every fault of the service's table has its expected outcome, then recovers."""
    failures = await run_faults(harness, service, check)
    assert not failures, "\n".join(f"{fault}: {why}" for fault, why in failures.items())
