"""Fixtures of the client's tests: no Home Assistant, a session aioclient_mock answers."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
import json
from typing import Any

import aiohttp
import pytest
from pytest_homeassistant_custom_component.test_util.aiohttp import AiohttpClientMocker

from custom_components.smspartner.api import RequestLimiter, SmsPartnerClient

from ..conftest import SMS_KEY


@pytest.fixture(autouse=True)
def auto_enable_custom_integrations() -> None:
    """Load no integration: the client has no Home Assistant import."""


@pytest.fixture(autouse=True)
def hourly_reads_answered() -> None:
    """Register no answer: each client test registers its own."""


@pytest.fixture
async def session(
    aioclient_mock: AiohttpClientMocker,
) -> AsyncIterator[aiohttp.ClientSession]:
    """Return an aiohttp session whose requests go to aioclient_mock."""
    session = aioclient_mock.create_session(asyncio.get_running_loop())
    yield session
    await session.close()


def sent_body(aioclient_mock: AiohttpClientMocker, index: int = -1) -> dict[str, Any]:
    """Return the JSON body of a recorded request."""
    body: dict[str, Any] = json.loads(aioclient_mock.mock_calls[index][2])
    return body


def sms_client(
    session: aiohttp.ClientSession,
    *,
    limiter: RequestLimiter | None = None,
    send_limiter: RequestLimiter | None = None,
) -> SmsPartnerClient:
    """Return a client for the SMS Partner key."""
    return SmsPartnerClient(
        session, SMS_KEY, limiter=limiter, send_limiter=send_limiter
    )
