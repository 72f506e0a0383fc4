"""Fixtures for the simulator tests: a fake clock and a test client on 127.0.0.1."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
import json
from typing import Any

from aiohttp import web
from aiohttp.test_utils import TestClient, TestServer
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
    """Return a simulator with the demo accounts and the fake clock.

    Its reports come after 50 ms, so the callback tests wait little.
    """
    return Simulator(clock=clock, report_delay=0.05)


@pytest.fixture
async def client(
    sim: Simulator, aiohttp_client: ClientFactory, socket_enabled: None
) -> Client:
    """Return a client of the simulator served on 127.0.0.1."""
    return await aiohttp_client(create_app(sim))


@dataclass(frozen=True)
class Call:
    """One request a callback receiver got."""

    method: str
    path: str
    content_type: str
    query: dict[str, str]
    form: dict[str, str]
    json: Any


class Receiver:
    """A web server on 127.0.0.1 that records the callbacks it gets."""

    def __init__(self, server: TestServer) -> None:
        """Wrap the running server."""
        self.server = server
        self.calls: list[Call] = []
        self.status = 200

    def url(self, path: str) -> str:
        """Return the URL of a path on the receiver."""
        return str(self.server.make_url(path))

    async def handle(self, request: web.Request) -> web.Response:
        """Record a request."""
        raw = await request.read()
        form: dict[str, str] = {}
        body: Any = None
        if request.content_type == "application/json":
            body = json.loads(raw)
        elif request.content_type == "application/x-www-form-urlencoded":
            form = dict((await request.post()).items())  # type: ignore[arg-type]
        self.calls.append(
            Call(
                method=request.method,
                path=request.path,
                content_type=request.content_type,
                query=dict(request.query),
                form=form,
                json=body,
            )
        )
        return web.Response(status=self.status)

    async def wait(self, count: int, timeout: float = 5.0) -> list[Call]:
        """Wait until `count` calls arrived, then return them all."""
        async with asyncio.timeout(timeout):
            while len(self.calls) < count:
                await asyncio.sleep(0.01)
        return self.calls

    def on(self, path: str) -> list[Call]:
        """Return the calls made to one path."""
        return [call for call in self.calls if call.path == path]


@pytest.fixture
async def receiver(
    aiohttp_server: Callable[..., Awaitable[TestServer]], socket_enabled: None
) -> Receiver:
    """Return a callback receiver served on 127.0.0.1."""
    holder: list[Receiver] = []

    async def handle(request: web.Request) -> web.Response:
        return await holder[0].handle(request)

    app = web.Application()
    app.router.add_route("*", "/{tail:.*}", handle)
    holder.append(Receiver(await aiohttp_server(app)))
    return holder[0]
