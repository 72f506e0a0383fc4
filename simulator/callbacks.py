"""Calls to the URLs a send gave (urlDlr, urlResponse, notifyUrl), as the providers make.

Each call runs in a task of its own; whatever the URL does (refuses, times out,
answers 500, does not exist), the simulator only records it. GET /_callbacks shows
the record: the target without its path (a webhook id is a secret), the body sent
and what came back.
"""

from __future__ import annotations

import asyncio
from collections import deque
from collections.abc import Callable, Coroutine
from dataclasses import asdict, dataclass, replace
import logging
from typing import Any, Final, Literal, get_args
from urllib.parse import urlsplit

import aiohttp

_LOGGER = logging.getLogger(__name__)

Encoding = Literal["json", "form", "query"]
ENCODINGS: Final[tuple[Encoding, ...]] = get_args(Encoding)
TIMEOUT: Final = aiohttp.ClientTimeout(total=10)
LOG_SIZE: Final = 10_000


@dataclass
class CallbackSettings:
    """When reports come and how the undocumented bodies are encoded."""

    # Seconds from a send (or its scheduled time) to its reports; the same again
    # to the replies.
    delay: float = 2.0
    # Delivery reports and long-number replies: JSON, form-encoded POST, or a GET
    # with the fields in the query string. Short-number replies and text-to-speech
    # results are always JSON, as documented.
    encoding: Encoding = "json"


@dataclass(frozen=True, kw_only=True)
class CallbackRecord:
    """One call made to a callback URL."""

    seq: int
    time: float  # when the call started (wall clock)
    kind: str  # dlr, reply, call
    target: str  # scheme://host:port, never the path
    method: str
    encoding: Encoding
    payload: dict[str, Any]
    status: int | None  # HTTP status answered, None when the call failed
    error: str | None


class Callbacks:
    """The callback calls made and under way."""

    def __init__(self, wall_clock: Callable[[], float], delay: float = 2.0) -> None:
        """Start with no call; reports come `delay` seconds after a send."""
        self.wall_clock = wall_clock
        self._defaults = CallbackSettings(delay=delay)
        self.settings = replace(self._defaults)
        self.log: deque[CallbackRecord] = deque(maxlen=LOG_SIZE)
        self._tasks: dict[object, asyncio.Task[None]] = {}
        self._session: aiohttp.ClientSession | None = None
        self._seq = 0
        self.inbound = 0  # ids of the replies to long numbers

    def start(self, work: Coroutine[Any, Any, None], key: object = None) -> None:
        """Run `work` in the background; `key` lets cancel() stop it."""
        task = asyncio.get_running_loop().create_task(work)
        name = task if key is None else key
        self._tasks[name] = task

        def forget(_: asyncio.Task[None]) -> None:
            if self._tasks.get(name) is task:
                del self._tasks[name]

        task.add_done_callback(forget)

    def cancel(self, key: object) -> None:
        """Stop the work started with `key`, if it still runs."""
        if (task := self._tasks.pop(key, None)) is not None:
            task.cancel()

    def call(
        self, kind: str, url: str, payload: dict[str, Any], encoding: Encoding
    ) -> None:
        """Call `url` with `payload` in the background."""
        self.start(self._call(kind, url, payload, encoding))

    async def _call(
        self, kind: str, url: str, payload: dict[str, Any], encoding: Encoding
    ) -> None:
        """Make one call and record how it went; never raise."""
        if self._session is None or self._session.closed:
            self._session = aiohttp.ClientSession(timeout=TIMEOUT)
        fields = {k: "" if v is None else str(v) for k, v in payload.items()}
        method = "GET" if encoding == "query" else "POST"
        status: int | None = None
        error: str | None = None
        started = self.wall_clock()
        try:
            async with self._session.request(
                method,
                url,
                json=payload if encoding == "json" else None,
                data=fields if encoding == "form" else None,
                params=fields if encoding == "query" else None,
            ) as response:
                status = response.status
                await response.read()
        except (aiohttp.ClientError, TimeoutError, OSError, ValueError) as err:
            error = type(err).__name__
        self._seq += 1
        record = CallbackRecord(
            seq=self._seq,
            time=started,
            kind=kind,
            target=_target(url),
            method=method,
            encoding=encoding,
            payload=payload,
            status=status,
            error=error,
        )
        self.log.append(record)
        _LOGGER.info(
            "callback %s %s %s -> %s", kind, method, record.target, status or error
        )

    def history(self, since: int = 0) -> list[dict[str, Any]]:
        """Return the calls whose sequence number is above `since`."""
        return [asdict(r) for r in self.log if r.seq > since]

    def reset(self) -> None:
        """Back to the default settings; forget the calls, stop those under way."""
        for task in self._tasks.values():
            task.cancel()
        self._tasks.clear()
        self.settings = replace(self._defaults)
        self.log.clear()

    async def close(self) -> None:
        """Stop every call under way and close the HTTP session."""
        tasks = list(self._tasks.values())
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)
        if self._session is not None:
            await self._session.close()


def _target(url: str) -> str:
    """Return the scheme, host and port of a URL: the path may hold a secret."""
    try:
        parts = urlsplit(url)
        return f"{parts.scheme}://{parts.hostname}:{parts.port or ''}".rstrip(":")
    except ValueError:
        return "(invalid URL)"
