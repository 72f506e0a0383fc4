"""Tests of the client's cancel of a scheduled SMS (no Home Assistant)."""

from __future__ import annotations

from typing import Any

import aiohttp
import pytest
from pytest_homeassistant_custom_component.test_util.aiohttp import AiohttpClientMocker

from custom_components.smspartner.api import (
    RequestLimiter,
    SmsPartnerApiError,
    SmsPartnerAuthenticationError,
    SmsPartnerCancelTooLateError,
)

from ..conftest import SMS_KEY, FakeClock, load_fixture
from .conftest import sms_client

CANCEL_URL = "https://api.smspartner.fr/v1/message-cancel"


async def test_cancel(
    session: aiohttp.ClientSession, aioclient_mock: AiohttpClientMocker
) -> None:
    """A cancel is a GET with the message id, counted in the send budget."""
    aioclient_mock.get(CANCEL_URL, json=load_fixture("sms_partner_cancel"))
    clock = FakeClock()
    reads, sends = RequestLimiter(5, 60, clock), RequestLimiter(5, 60, clock)

    await sms_client(session, limiter=reads, send_limiter=sends).async_cancel_sms("307")

    method, url, _, _ = aioclient_mock.mock_calls[0]
    assert method == "GET"
    assert dict(url.query) == {"apiKey": SMS_KEY, "messageId": "307"}
    assert (sends.requests_in_window, reads.requests_in_window) == (1, 0)


# The documented refusals of message-cancel.
@pytest.mark.parametrize(
    ("code", "message", "error"),
    [
        (
            6,
            (
                "It is not possible to cancel an SMS if it is due to be sent within"
                " the next 5 minutes"
            ),
            SmsPartnerCancelTooLateError,
        ),
        (4, "Message not found", SmsPartnerApiError),
        (5, "The SMS has already been canceled", SmsPartnerApiError),
        (7, "You cannot cancel an SMS already sent", SmsPartnerApiError),
        (10, "Invalid API key", SmsPartnerAuthenticationError),
    ],
)
@pytest.mark.parametrize("status", [200, 400])
async def test_cancel_refused(
    session: aiohttp.ClientSession,
    aioclient_mock: AiohttpClientMocker,
    *,
    code: int,
    message: str,
    error: type[Exception],
    status: int,
) -> None:
    """Each refusal is typed; the one within 5 minutes has its own error."""
    body: dict[str, Any] = {"success": False, "code": code, "message": message}
    aioclient_mock.get(CANCEL_URL, status=status, json=body)

    with pytest.raises(error) as info:
        await sms_client(session).async_cancel_sms("307")

    assert type(info.value) is error
    if isinstance(info.value, SmsPartnerApiError):
        assert (info.value.code, info.value.detail) == (code, message)
