"""Tests of the request budgets (api/limiter.py) as the clients use them."""

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
    SMS_SEND_URL,
    SMS_SENT,
    SMS_URL,
    VOICE_KEY,
    VOICE_URL,
    FakeClock,
    voice_payload,
)
from .conftest import sms_client


def test_limiter_sliding_window() -> None:
    """The budget allows `max_requests` in any window and frees slots as they age."""
    clock = FakeClock()
    limiter = RequestLimiter(5, 60, clock)
    for second in range(5):
        clock.now = float(second)
        limiter.acquire()
    assert limiter.requests_in_window == 5
    with pytest.raises(SmsPartnerThrottledError) as info:
        limiter.acquire()
    assert info.value.retry_after == pytest.approx(56)
    clock.now = 60.0
    limiter.acquire()
    assert limiter.requests_in_window == 5
    clock.now = 200.0
    assert limiter.requests_in_window == 0
    limiter.pause(30)
    assert limiter.delay() == pytest.approx(30)
    with pytest.raises(SmsPartnerThrottledError):
        limiter.acquire()
    clock.now = 230.0
    limiter.acquire()


async def test_throttled_request_is_not_sent(
    session: aiohttp.ClientSession, aioclient_mock: AiohttpClientMocker
) -> None:
    """When the budget is spent the client raises without sending anything."""
    aioclient_mock.get(VOICE_URL, json=voice_payload())
    client = VoicePartnerClient(
        session, VOICE_KEY, limiter=RequestLimiter(2, 60, FakeClock())
    )
    await client.async_get_credits()
    await client.async_get_credits()
    with pytest.raises(SmsPartnerThrottledError):
        await client.async_get_credits()
    assert aioclient_mock.call_count == 2


async def test_sends_have_their_own_budget(
    session: aiohttp.ClientSession, aioclient_mock: AiohttpClientMocker
) -> None:
    """A spent credits budget does not stop sends, and the other way round."""
    aioclient_mock.post(SMS_SEND_URL, json=SMS_SENT)
    clock = FakeClock()
    limiter = RequestLimiter(5, 60, clock)
    send_limiter = RequestLimiter(2, 3600, clock)
    for _ in range(5):
        limiter.acquire()
    client = sms_client(session, limiter=limiter, send_limiter=send_limiter)

    await client.async_send_sms(["0612345678"], "1")
    await client.async_send_sms(["0612345678"], "2")
    with pytest.raises(SmsPartnerThrottledError) as caught:
        await client.async_send_sms(["0612345678"], "3")

    assert caught.value.retry_after == 3600
    assert aioclient_mock.call_count == 2
    assert limiter.requests_in_window == 5
    clock.now = 3600
    await client.async_send_sms(["0612345678"], "4")
    assert aioclient_mock.call_count == 3


async def test_send_without_send_budget_uses_credits_budget(
    session: aiohttp.ClientSession, aioclient_mock: AiohttpClientMocker
) -> None:
    """A client given no send budget counts sends in its credits budget."""
    aioclient_mock.post(SMS_SEND_URL, json=SMS_SENT)
    limiter = RequestLimiter(1, 60)

    await sms_client(session, limiter=limiter).async_send_sms(["0612345678"], "Hi")

    assert limiter.requests_in_window == 1


async def test_send_429_pauses_only_sends(
    session: aiohttp.ClientSession, aioclient_mock: AiohttpClientMocker
) -> None:
    """A 429 answer to a send pauses the send budget, not the credits one."""
    aioclient_mock.post(SMS_SEND_URL, status=429, headers={"Retry-After": "120"})
    aioclient_mock.get(SMS_URL, status=500)
    clock = FakeClock()
    limiter = RequestLimiter(5, 60, clock)
    send_limiter = RequestLimiter(60, 3600, clock)
    client = sms_client(session, limiter=limiter, send_limiter=send_limiter)

    with pytest.raises(SmsPartnerRateLimitError) as caught:
        await client.async_send_sms(["0612345678"], "Hi")

    assert caught.value.retry_after == 120
    assert send_limiter.delay() == 120
    assert limiter.delay() == 0
