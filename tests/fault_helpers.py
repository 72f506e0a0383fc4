"""A scriptable fake provider and the fault tables shared by the failure tests."""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import datetime
import importlib
import json
import logging
import re
import socket
from typing import Any

import aiohttp
from aiohttp.client_reqrep import ConnectionKey
from freezegun.api import FrozenDateTimeFactory
from multidict import CIMultiDict, CIMultiDictProxy
import pytest
from pytest_homeassistant_custom_component.common import (
    MockConfigEntry,
    async_fire_time_changed,
)
from pytest_homeassistant_custom_component.test_util.aiohttp import (
    AiohttpClientMocker,
    AiohttpClientMockResponse,
)
from yarl import URL

from custom_components.smspartner import PLATFORMS
from custom_components.smspartner.const import DOMAIN, UPDATE_INTERVAL
from custom_components.smspartner.descriptions import SMS_SENSORS, VOICE_SENSORS
from custom_components.smspartner.product import Product
from homeassistant.core import HomeAssistant
from homeassistant.helpers import entity_registry as er
from homeassistant.util import dt as dt_util

from .conftest import SMS_URL, answer_hourly_reads

# Import the platforms now: the first import of a platform otherwise runs in an
# executor thread, which async_block_till_done() does not wait for.
for _platform in PLATFORMS:
    importlib.import_module(f"custom_components.smspartner.{_platform}")

VOICE_URL_PATTERN = re.compile(r"^https://api\.voicepartner\.fr/v1/me/")
SMS_KEYS = tuple(description.key for description in SMS_SENSORS)
VOICE_KEYS = tuple(description.key for description in VOICE_SENSORS)


@dataclass(frozen=True)
class Harness:
    """The fixtures the failure tests drive Home Assistant with."""

    hass: HomeAssistant
    aioclient_mock: AiohttpClientMocker
    freezer: FrozenDateTimeFactory
    caplog: pytest.LogCaptureFixture


@dataclass(frozen=True)
class Reply:
    """One answer of the fake provider: a response, or an error aiohttp would raise."""

    status: int = 200
    body: bytes = b""
    headers: Mapping[str, str] = field(default_factory=dict)
    error: Callable[[URL], BaseException] | None = None


def json_reply(value: Any, status: int = 200, **headers: str) -> Reply:
    """Answer `value` as JSON."""
    return Reply(status, json.dumps(value).encode(), headers)


def text_reply(text: str, status: int = 200, **headers: str) -> Reply:
    """Answer a text body."""
    return Reply(status, text.encode(), headers)


def error_reply(error: Callable[[URL], BaseException]) -> Reply:
    """Raise `error(url)` instead of answering."""
    return Reply(error=error)


class FakeProvider:
    """The aioclient_mock side effect: answers `reply` and records each request."""

    def __init__(self, reply: Reply) -> None:
        """Start with `reply`."""
        self.reply = reply
        self.requests: list[tuple[datetime, URL]] = []
        self.release = asyncio.Event()
        self.hang = False

    async def __call__(
        self, method: str, url: URL, data: Any
    ) -> AiohttpClientMockResponse:
        """Record the request and answer the current reply."""
        self.requests.append((dt_util.utcnow(), url))
        if self.hang:
            await self.release.wait()
        reply = self.reply
        return AiohttpClientMockResponse(
            method,
            url,
            status=reply.status,
            response=reply.body,
            headers=dict(reply.headers),
            exc=reply.error(url) if reply.error else None,
        )

    def register(self, aioclient_mock: AiohttpClientMocker, service: str) -> None:
        """Answer the credit requests of `service` (its hourly reads as documented)."""
        url = SMS_URL if service == Product.SMS_PARTNER else VOICE_URL_PATTERN
        aioclient_mock.get(url, side_effect=self)
        answer_hourly_reads(aioclient_mock)

    @property
    def times(self) -> list[float]:
        """Return when each request arrived, in seconds of (frozen) time."""
        return [when.timestamp() for when, _ in self.requests]


def max_in_window(times: list[float], period: float) -> int:
    """Return the most requests that fall in any half-open window of `period` s."""
    ordered = sorted(times)
    return max(
        (
            sum(1 for later in ordered[index:] if later - start < period)
            for index, start in enumerate(ordered)
        ),
        default=0,
    )


async def advance(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    seconds: float = UPDATE_INTERVAL.total_seconds(),
) -> None:
    """Move the frozen time on (by one polling interval by default) and run timers."""
    freezer.tick(seconds)
    async_fire_time_changed(hass)
    # Polls and set-up retries run as background tasks.
    await hass.async_block_till_done(wait_background_tasks=True)


def is_noise(record: logging.LogRecord) -> bool:
    """Tell whether a log record is test-environment noise, not the integration's.

    The loader warns about every custom integration, aiohttp-fast-zlib about
    missing accelerators, and asyncio (debug mode) about a "slow" callback
    whenever the frozen clock is moved on.
    """
    message = record.getMessage()
    return (
        (record.name == "homeassistant.loader" and "custom integration" in message)
        or record.name == "aiohttp_fast_zlib"
        or (record.name == "asyncio" and message.startswith("Executing"))
    )


def problems(caplog: pytest.LogCaptureFixture) -> list[tuple[str, str, str]]:
    """Return the warnings and errors logged, as (level, logger, message), less noise."""
    return [
        (record.levelname, record.name, record.getMessage())
        for record in caplog.records
        if record.levelno >= logging.WARNING and not is_noise(record)
    ]


def entity_ids(hass: HomeAssistant, entry: MockConfigEntry) -> dict[str, str]:
    """Return the entity ID of each sensor key of an entry."""
    registry = er.async_get(hass)
    keys = SMS_KEYS if entry.title.startswith("SMS") else VOICE_KEYS
    ids = {
        key: registry.async_get_entity_id("sensor", DOMAIN, f"{entry.entry_id}_{key}")
        for key in keys
    }
    assert None not in ids.values()
    return {key: str(entity_id) for key, entity_id in ids.items()}


def states(hass: HomeAssistant, entry: MockConfigEntry) -> dict[str, str | None]:
    """Return the state of each sensor key of an entry."""
    return {
        key: (state.state if (state := hass.states.get(entity_id)) else None)
        for key, entity_id in entity_ids(hass, entry).items()
    }


# Errors as aiohttp raises them; those that print a URL carry the real one, key included.


def _connection_key(url: URL) -> ConnectionKey:
    """Return the connection key of a direct HTTPS request to `url`."""
    assert url.host is not None
    return ConnectionKey(
        host=url.host,
        port=url.port,
        is_ssl=True,
        ssl=True,
        proxy=None,
        proxy_auth=None,
        proxy_headers_hash=None,
    )


def connection_refused(url: URL) -> aiohttp.ClientConnectorError:
    """Return the error of a refused TCP connection."""
    return aiohttp.ClientConnectorError(
        _connection_key(url), ConnectionRefusedError(111, "Connection refused")
    )


def dns_failure(url: URL) -> aiohttp.ClientConnectorError:
    """Return the error of a failed DNS lookup (ClientConnectorDNSError if it exists)."""
    error_type = getattr(aiohttp, "ClientConnectorDNSError", None)
    if error_type is None:
        error_type = aiohttp.ClientConnectorError
    return error_type(
        _connection_key(url),
        socket.gaierror(socket.EAI_NONAME, "Name or service not known"),
    )


def response_error(url: URL) -> aiohttp.ClientResponseError:
    """Return a ClientResponseError, whose text quotes the request URL."""
    info = aiohttp.RequestInfo(url, "GET", CIMultiDictProxy(CIMultiDict()), url)
    return aiohttp.ClientResponseError(info, (), status=502, message="Bad Gateway")


def too_many_redirects(url: URL) -> aiohttp.TooManyRedirects:
    """Return a redirect loop error, whose text quotes the request URL."""
    info = aiohttp.RequestInfo(url, "GET", CIMultiDictProxy(CIMultiDict()), url)
    return aiohttp.TooManyRedirects(info, (), status=302, message="Found")


def invalid_url(url: URL) -> aiohttp.InvalidURL:
    """Return an InvalidURL error, whose text is the URL."""
    return aiohttp.InvalidURL(url)
