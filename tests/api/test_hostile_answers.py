"""Hostile answers: what a broken proxy or a hostile network may send the client.

Each ends as the client's own error, with no traceback logged; the integration
turns those errors into the flow's `cannot_connect` and the action's
`send_unconfirmed` (test_config_flow.py, test_send.py), and the coordinator's
side is in the fault matrix.
"""

from __future__ import annotations

import logging

import aiohttp
import pytest
from pytest_homeassistant_custom_component.test_util.aiohttp import AiohttpClientMocker

from custom_components.smspartner.api import (
    SmsPartnerConnectionError,
    SmsPartnerInvalidResponseError,
)

from ..conftest import SMS_SEND_URL, SMS_SENT, SMS_URL, sms_payload
from ..fault_helpers import FakeProvider
from ..wire_faults import hostile_replies
from .conftest import sms_client

HOSTILE = hostile_replies(sms_payload())
SENT_HOSTILE = hostile_replies(SMS_SENT)


def _tracebacks(caplog: pytest.LogCaptureFixture) -> list[str]:
    """Return the log lines that carry a traceback or are errors."""
    return [
        record.getMessage()
        for record in caplog.records
        if record.exc_info or record.levelno >= logging.ERROR
    ]


@pytest.mark.parametrize("name", HOSTILE)
async def test_credits(
    session: aiohttp.ClientSession,
    aioclient_mock: AiohttpClientMocker,
    caplog: pytest.LogCaptureFixture,
    name: str,
) -> None:
    """A credit read answered this way fails as unreachable or unreadable, once."""
    provider = FakeProvider(HOSTILE[name])
    aioclient_mock.get(SMS_URL, side_effect=provider)
    with pytest.raises((SmsPartnerConnectionError, SmsPartnerInvalidResponseError)):
        await sms_client(session).async_get_credits()
    assert len(provider.requests) == 1
    assert _tracebacks(caplog) == []


@pytest.mark.parametrize("name", SENT_HOSTILE)
async def test_send_sms(
    session: aiohttp.ClientSession,
    aioclient_mock: AiohttpClientMocker,
    caplog: pytest.LogCaptureFixture,
    name: str,
) -> None:
    """A send answered this way is not confirmed, with no traceback."""
    aioclient_mock.post(SMS_SEND_URL, side_effect=FakeProvider(SENT_HOSTILE[name]))
    with pytest.raises(SmsPartnerInvalidResponseError):
        await sms_client(session).async_send_sms(["0612345678"], "Alarm")
    assert _tracebacks(caplog) == []
