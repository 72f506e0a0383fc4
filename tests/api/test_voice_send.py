"""Tests of the API client's text-to-speech calls: options, answers, errors."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import aiohttp
import pytest
from pytest_homeassistant_custom_component.test_util.aiohttp import AiohttpClientMocker

from custom_components.smspartner import api

from ..conftest import VOICE_KEY, VOICE_SEND_URL, VOICE_SENT
from .conftest import sent_body


async def test_send_voice_message(
    session: aiohttp.ClientSession, aioclient_mock: AiohttpClientMocker
) -> None:
    """The documented text-to-speech answer is parsed; options reach the body."""
    aioclient_mock.post(VOICE_SEND_URL, json=VOICE_SENT)
    client = api.VoicePartnerClient(session, VOICE_KEY)

    result = await client.async_send_voice_message(
        ["0612345678", "+33712345678"],
        'Le portail est "ouvert", vérifiez.',
        language="fr",
        speech_rate=0.8,
        scheduled=datetime(2026, 2, 2, 13, 15, 42, tzinfo=UTC),
        notify_url="https://ha.example/call",
    )

    assert result == api.VoiceSendResult(
        campaign_id="Ff1tbu0lax",
        message_count=1,
        cost=0.12,
        currency="EUR",
        duration=6.3,
    )
    method, url, _, _ = aioclient_mock.mock_calls[0]
    assert (method, str(url)) == ("POST", VOICE_SEND_URL)
    assert sent_body(aioclient_mock) == {
        "apiKey": VOICE_KEY,
        "phoneNumbers": "0612345678,+33712345678",
        "text": 'Le portail est "ouvert", vérifiez.',
        "lang": "fr",
        "speechRate": 0.8,
        "scheduledDate": "2026-02-02 14:15:00",
        "notifyUrl": "https://ha.example/call",
    }


async def test_send_voice_message_minimal(
    session: aiohttp.ClientSession, aioclient_mock: AiohttpClientMocker
) -> None:
    """Without options only the required fields go; a missing duration is None."""
    body = {key: value for key, value in VOICE_SENT.items() if key != "duration"}
    aioclient_mock.post(VOICE_SEND_URL, json=body)

    result = await api.VoicePartnerClient(session, VOICE_KEY).async_send_voice_message(
        ["0612345678"], "Bonjour", language="en"
    )

    assert result.duration is None
    assert sent_body(aioclient_mock) == {
        "apiKey": VOICE_KEY,
        "phoneNumbers": "0612345678",
        "text": "Bonjour",
        "lang": "en",
    }


@pytest.mark.parametrize(
    "body",
    [
        {"success": True},
        VOICE_SENT | {"campaignId": 12, "duration": "long"},
        VOICE_SENT | {"nbSms": None},
    ],
)
async def test_send_voice_message_unusable_answer(
    body: dict[str, Any],
    session: aiohttp.ClientSession,
    aioclient_mock: AiohttpClientMocker,
) -> None:
    """A success without a usable payload is an invalid response."""
    aioclient_mock.post(VOICE_SEND_URL, json=body)
    with pytest.raises(api.SmsPartnerInvalidResponseError):
        await api.VoicePartnerClient(session, VOICE_KEY).async_send_voice_message(
            ["0612345678"], "Bonjour", language="fr"
        )
