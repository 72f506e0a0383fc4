"""A real HTTP server on 127.0.0.1 that plays the provider, for tests of real aiohttp.

It speaks just enough HTTP/1.1 by hand to answer, hang, send half a body or
hang up, so that the client's own timeout and aiohttp's own errors are exercised.
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass, field
from enum import Enum
import json
from pathlib import Path
from typing import Any, Final, Self

FIXTURES: Final = Path(__file__).parent / "fixtures"
# The fixtures answering the hourly reads, by path.
HOURLY_READS: Final = {
    "/v1/statistics/cost-resume": "sms_partner_cost_resume",
    "/v1/subaccount/list": "sms_partner_subaccounts",
}


class Mode(Enum):
    """How the server treats the next requests."""

    ANSWER = "answer"
    HANG = "hang before the headers"
    HALF_BODY = "send the headers and half the body, then hang"
    HANG_UP = "close the connection without answering"


@dataclass
class LocalApi:
    """The provider on a local port; `requests` holds each request line."""

    mode: Mode = Mode.ANSWER
    status: int = 200
    body: bytes = b"{}"
    headers: dict[str, str] = field(default_factory=dict)
    requests: list[str] = field(default_factory=list)
    # Bodies answered instead of `body` on the paths they are keyed by (under /v1).
    routes: dict[str, bytes] = field(default_factory=dict)
    received: asyncio.Event = field(default_factory=asyncio.Event)
    _server: asyncio.Server | None = None
    _handlers: set[asyncio.Task[None]] = field(default_factory=set)

    def answer(self, value: Any, status: int = 200, **headers: str) -> None:
        """Answer `value` as JSON from now on."""
        self.mode, self.status, self.headers = Mode.ANSWER, status, headers
        self.body = json.dumps(value).encode()

    def answer_hourly_reads(self) -> None:
        """Answer the hourly reads of SMS Partner (spend, sub-accounts) as documented."""
        for path, name in HOURLY_READS.items():
            self.routes[path] = (FIXTURES / f"{name}.json").read_bytes()

    def requests_to(self, path: str) -> list[str]:
        """Return the request lines for `path` (under /v1)."""
        return [line for line in self.requests if line.split(" ")[1].startswith(path)]

    @property
    def port(self) -> int:
        """Return the port the server listens on."""
        assert self._server is not None
        return int(self._server.sockets[0].getsockname()[1])

    def url(self, path: str = "/v1") -> str:
        """Return the base URL of the server."""
        return f"http://127.0.0.1:{self.port}{path}"

    async def __aenter__(self) -> Self:
        """Start listening on a free port."""
        self._server = await asyncio.start_server(self._handle, "127.0.0.1", 0)
        return self

    async def __aexit__(self, *args: object) -> None:
        """Stop listening, drop the connections and end every handler."""
        assert self._server is not None
        self._server.close()
        self._server.close_clients()
        for task in self._handlers:
            task.cancel()
        await asyncio.gather(*self._handlers, return_exceptions=True)
        await self._server.wait_closed()

    async def _handle(
        self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter
    ) -> None:
        """Read one request and treat it as `mode` says."""
        task = asyncio.current_task()
        assert task is not None
        self._handlers.add(task)
        try:
            head = await reader.readuntil(b"\r\n\r\n")
            line = head.split(b"\r\n", 1)[0].decode()
            self.requests.append(line)
            self.received.set()
            path = line.split(" ")[1].split("?", 1)[0]
            await self._respond(reader, writer, self.routes.get(path, self.body))
        except (asyncio.IncompleteReadError, ConnectionError):
            pass
        finally:
            writer.close()
            self._handlers.discard(task)

    async def _respond(
        self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter, body: bytes
    ) -> None:
        """Write the response the mode calls for."""
        if self.mode is Mode.HANG_UP:
            return
        if self.mode is Mode.HANG:
            await reader.read()  # until the client gives up and closes
            return
        headers = {
            "Content-Type": "application/json",
            "Content-Length": str(len(body)),
            "Connection": "close",
            **self.headers,
        }
        if self.mode is Mode.HALF_BODY:
            headers["Content-Length"] = str(len(body) * 2 + 10)
        head = "".join(f"{name}: {value}\r\n" for name, value in headers.items())
        writer.write(f"HTTP/1.1 {self.status} X\r\n{head}\r\n".encode() + body)
        await writer.drain()
        if self.mode is Mode.HALF_BODY:
            await reader.read()
