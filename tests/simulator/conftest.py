"""Fixtures for the simulator tests: a fake clock and a test client on 127.0.0.1."""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from aiohttp import web
from aiohttp.test_utils import TestClient
import pytest

from simulator import Simulator, create_app

type Client = TestClient[web.Request, web.Application]
type ClientFactory = Callable[..., Awaitable[Client]]


class FakeClock:
    """A monotonic clock the test moves by hand."""

    def __init__(self) -> None:
        """Start at an arbitrary point."""
        self.now = 1000.0

    def __call__(self) -> float:
        """Return the current time."""
        return self.now

    def advance(self, seconds: float) -> None:
        """Move the clock forward."""
        self.now += seconds


@pytest.fixture(autouse=True)
def auto_enable_custom_integrations() -> None:
    """Override the package-wide fixture: these tests need no Home Assistant."""


@pytest.fixture
def clock() -> FakeClock:
    """Return a clock for the simulator."""
    return FakeClock()


@pytest.fixture
def sim(clock: FakeClock) -> Simulator:
    """Return a simulator with the demo accounts and the fake clock."""
    return Simulator(clock=clock)


@pytest.fixture
async def client(
    sim: Simulator, aiohttp_client: ClientFactory, socket_enabled: None
) -> Client:
    """Return a client of the simulator served on 127.0.0.1."""
    return await aiohttp_client(create_app(sim))
