"""The client's debug lines of each request: budget, status, timing; never the key."""

from __future__ import annotations

import aiohttp
import pytest
from pytest_homeassistant_custom_component.test_util.aiohttp import AiohttpClientMocker

from custom_components.smspartner.api import (
    RequestLimiter,
    SmsPartnerRateLimitError,
    SmsPartnerThrottledError,
    VoicePartnerClient,
)

from ..conftest import (
    SMS_KEY,
    SMS_SEND_URL,
    SMS_SENT,
    VOICE_KEY,
    VOICE_URL,
    FakeClock,
    log_lines,
    voice_payload,
)
from .conftest import sms_client

LOGGER = "custom_components.smspartner.api"


def story(caplog: pytest.LogCaptureFixture) -> list[str]:
    """Return the client's lines; check that none holds a key."""
    lines = log_lines(caplog, LOGGER)
    for line in lines:
        assert SMS_KEY not in line
        assert VOICE_KEY not in line
    return lines


async def test_story_of_credit_reads(
    session: aiohttp.ClientSession,
    aioclient_mock: AiohttpClientMocker,
    debug: pytest.LogCaptureFixture,
) -> None:
    """A read, a throttled read and a 429 (the Voice key is in the path)."""
    clock = FakeClock()
    client = VoicePartnerClient(
        session, VOICE_KEY, limiter=RequestLimiter(2, 60, clock=clock)
    )
    aioclient_mock.get(VOICE_URL, json=voice_payload())
    await client.async_get_credits()
    await client.async_get_credits()
    with pytest.raises(SmsPartnerThrottledError):
        await client.async_get_credits()
    clock.now = 61
    aioclient_mock.clear_requests()
    aioclient_mock.get(VOICE_URL, status=429, headers={"Retry-After": "30"})
    with pytest.raises(SmsPartnerRateLimitError):
        await client.async_get_credits()

    assert story(debug) == [
        "GET /me/**REDACTED** sent (read budget: 1 of 2 in 60 s)",
        "GET /me/**REDACTED** answered HTTP 200 in N ms",
        "GET /me/**REDACTED** sent (read budget: 2 of 2 in 60 s)",
        "GET /me/**REDACTED** answered HTTP 200 in N ms",
        "GET /me/**REDACTED** not sent: read budget spent, next request in 60 s",
        "GET /me/**REDACTED** sent (read budget: 1 of 2 in 60 s)",
        "GET /me/**REDACTED** answered HTTP 429 in N ms",
        "GET /me/**REDACTED**: too many requests, read budget paused for 30 s",
    ]


async def test_story_of_a_send(
    session: aiohttp.ClientSession,
    aioclient_mock: AiohttpClientMocker,
    debug: pytest.LogCaptureFixture,
) -> None:
    """A send names its budget, not the numbers nor the text."""
    aioclient_mock.post(SMS_SEND_URL, json=SMS_SENT)
    client = sms_client(session, send_limiter=RequestLimiter(60, 3600))
    await client.async_send_sms(["0612345678"], "The secret text")
    lines = story(debug)
    assert lines == [
        "POST /send sent (send budget: 1 of 60 in 3600 s)",
        "POST /send answered HTTP 200 in N ms",
    ]


async def test_short_voice_key_redacted_from_the_path(
    session: aiohttp.ClientSession,
    aioclient_mock: AiohttpClientMocker,
    debug: pytest.LogCaptureFixture,
) -> None:
    """A key too short to be searched for is still cut from the path it sits in."""
    aioclient_mock.get("https://api.voicepartner.fr/v1/me/k3y", json=voice_payload())
    await VoicePartnerClient(session, "k3y").async_get_credits()
    assert story(debug) == ["GET /me/**REDACTED** answered HTTP 200 in N ms"]
