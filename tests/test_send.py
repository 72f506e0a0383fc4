"""Tests of the send path: provider errors, re-authentication, the send budget, cancels."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from freezegun.api import FrozenDateTimeFactory
import pytest
from pytest_homeassistant_custom_component.common import (
    MockConfigEntry,
    async_fire_time_changed,
)
from pytest_homeassistant_custom_component.test_util.aiohttp import AiohttpClientMocker

from custom_components.smspartner.budgets import async_get_send_limiter
from custom_components.smspartner.const import DOMAIN
from custom_components.smspartner.product import PRODUCTS, Product
from custom_components.smspartner.services import SERVICE_CANCEL_SMS
from homeassistant.config_entries import SOURCE_REAUTH
from homeassistant.core import HomeAssistant
from homeassistant.exceptions import HomeAssistantError, ServiceValidationError

from .action_helpers import requests_to, send_sms
from .conftest import SMS_KEY, SMS_SEND_URL, SMS_SENT, SMS_URL, load_fixture

pytestmark = pytest.mark.usefixtures("frozen_time")

CANCEL_URL = "https://api.smspartner.fr/v1/message-cancel"


async def cancel_sms(
    hass: HomeAssistant, entry: MockConfigEntry, message_id: Any
) -> None:
    """Call smspartner.cancel_sms for `entry`."""
    await hass.services.async_call(
        DOMAIN,
        SERVICE_CANCEL_SMS,
        {"config_entry_id": entry.entry_id, "message_id": message_id},
        blocking=True,
    )


@pytest.mark.parametrize(
    ("answer", "error", "message"),
    [
        (
            {
                "status": 400,
                "json": {
                    "success": False,
                    "code": 9,
                    "errors": [{"elementId": "x", "message": "Date earlier than now"}],
                },
            },
            ServiceValidationError,
            "The provider refused the request: Date earlier than now",
        ),
        (
            {"json": {"success": False, "code": 14, "message": "0612345678 en STOP"}},
            ServiceValidationError,
            (
                "A recipient is on the STOP list of the account and cannot receive"
                " SMS: 0612345678 en STOP"
            ),
        ),
        (
            {"json": {"success": False, "code": 11, "message": "Manque de crédits"}},
            HomeAssistantError,
            "Not enough credit on the account to send this message",
        ),
        (
            {"status": 400, "json": {"success": False, "code": 22, "message": "Nuit"}},
            HomeAssistantError,
            "The provider refused the message with error code 22: Nuit",
        ),
        (
            {"status": 400, "json": {"success": False, "message": "Nuit"}},
            HomeAssistantError,
            "The provider refused the message: Nuit",
        ),
        (
            {"status": 429, "headers": {"Retry-After": "30"}},
            HomeAssistantError,
            (
                "Too many requests for this API key; the next request will be sent"
                " in 30 s at the earliest"
            ),
        ),
        (
            {"status": 503, "text": "Service Unavailable"},
            HomeAssistantError,
            "The provider could not be reached or answered with a server error",
        ),
        (
            {"json": {"success": True}},
            HomeAssistantError,
            (
                "The provider's answer could not be read: the message may have been"
                " sent. Check your customer area before sending it again"
            ),
        ),
    ],
)
async def test_send_sms_provider_errors(
    hass: HomeAssistant,
    aioclient_mock: AiohttpClientMocker,
    sms: MockConfigEntry,
    *,
    answer: dict[str, Any],
    error: type[HomeAssistantError],
    message: str,
) -> None:
    """Provider errors become translated errors; the credits are not re-read."""
    aioclient_mock.post(SMS_SEND_URL, **answer)
    with pytest.raises(HomeAssistantError) as caught:
        await send_sms(hass, sms, recipients="0612345678", message="Hi")
    assert type(caught.value) is error
    assert str(caught.value) == message
    assert SMS_KEY not in str(caught.value)
    assert requests_to(aioclient_mock, SMS_URL) == [None]


async def test_send_sms_refused_key_starts_reauth(
    hass: HomeAssistant, aioclient_mock: AiohttpClientMocker, sms: MockConfigEntry
) -> None:
    """Code 10 on a send fails the action and asks for a new key."""
    aioclient_mock.post(
        SMS_SEND_URL,
        status=400,
        json={"success": False, "code": 10, "message": "Clé API incorrecte"},
    )
    with pytest.raises(HomeAssistantError) as caught:
        await send_sms(hass, sms, recipients="0612345678", message="Hi")
    await hass.async_block_till_done()

    assert type(caught.value) is HomeAssistantError
    assert caught.value.translation_key == "invalid_auth"
    flows = hass.config_entries.flow.async_progress_by_handler(DOMAIN)
    assert [flow["context"]["source"] for flow in flows] == [SOURCE_REAUTH]
    assert flows[0]["context"]["entry_id"] == sms.entry_id


async def test_send_budget(
    hass: HomeAssistant, aioclient_mock: AiohttpClientMocker, sms: MockConfigEntry
) -> None:
    """Sends stop, untouched by the credits budget, once the send budget is spent."""
    aioclient_mock.post(SMS_SEND_URL, json=SMS_SENT)
    budget, period = PRODUCTS[Product.SMS_PARTNER].send_budget
    limiter = async_get_send_limiter(hass, Product.SMS_PARTNER, SMS_KEY)
    assert sms.runtime_data.coordinator.client.send_limiter is limiter
    for _ in range(budget - 1):
        limiter.acquire()

    await send_sms(hass, sms, recipients="0612345678", message="Last", sandbox=True)
    with pytest.raises(HomeAssistantError) as caught:
        await send_sms(hass, sms, recipients="0612345678", message="One too many")

    assert caught.value.translation_key == "send_budget_spent"
    assert caught.value.translation_placeholders == {"seconds": str(round(period))}
    assert len(requests_to(aioclient_mock, SMS_SEND_URL)) == 1


@pytest.mark.parametrize(
    ("answer", "key"),
    [
        (
            {"success": False, "code": 9, "message": "Unicode non activé"},
            "unicode_refused",
        ),
        ({"success": False, "message": "Unicode non activé"}, "unicode_refused"),
        ({"success": False, "code": 11, "message": "Crédits"}, "insufficient_credit"),
        ({"success": False, "code": 14, "message": "STOP"}, "stop_list"),
    ],
)
async def test_send_unicode_refused(
    hass: HomeAssistant,
    aioclient_mock: AiohttpClientMocker,
    sms: MockConfigEntry,
    *,
    answer: dict[str, Any],
    key: str,
) -> None:
    """A refused unicode send says unicode must be enabled on the account."""
    aioclient_mock.post(SMS_SEND_URL, status=400, json=answer)
    with pytest.raises(HomeAssistantError) as caught:
        await send_sms(hass, sms, recipients="0612345678", message="🎄", unicode=True)
    assert caught.value.translation_key == key
    if key == "unicode_refused":
        assert str(caught.value) == (
            "The provider refused the unicode SMS: Unicode non activé. SMS Partner's"
            " support must enable unicode on the account; otherwise send without"
            " unicode"
        )


async def test_cancel_sms(
    hass: HomeAssistant,
    aioclient_mock: AiohttpClientMocker,
    freezer: FrozenDateTimeFactory,
    sms: MockConfigEntry,
) -> None:
    """A scheduled SMS is cancelled by id, no longer followed; the credits re-read."""
    aioclient_mock.post(SMS_SEND_URL, json=SMS_SENT)
    aioclient_mock.get(CANCEL_URL, json=load_fixture("sms_partner_cancel"))
    response = await send_sms(
        hass,
        sms,
        recipients="0612345678",
        message="Hi",
        scheduled_time="2026-07-14 03:00:00",
    )
    tracker = sms.runtime_data.tracker
    assert response is not None
    assert tracker.diagnostics()["messages_followed"] == 1

    await cancel_sms(hass, sms, response["message_id"])

    cancels = [
        url.query["messageId"]
        for _, url, _, _ in aioclient_mock.mock_calls
        if str(url).startswith(CANCEL_URL)
    ]
    assert cancels == ["307"]
    assert tracker.diagnostics()["messages_remembered"] == 0
    # The refunded credits are read once the refresh after the send has cooled down.
    freezer.tick(timedelta(seconds=11))
    async_fire_time_changed(hass)
    await hass.async_block_till_done()
    assert len(requests_to(aioclient_mock, SMS_URL)) == 3


@pytest.mark.parametrize(
    ("body", "error", "message"),
    [
        (
            {
                "success": False,
                "code": 6,
                "message": (
                    "It is not possible to cancel an SMS if it is due to be sent"
                    " within the next 5 minutes"
                ),
            },
            ServiceValidationError,
            "Message 307 cannot be cancelled: it is due to be sent within 5 minutes",
        ),
        (
            {"success": False, "code": 7, "message": "Already sent"},
            ServiceValidationError,
            "The provider refused to cancel message 307: Already sent",
        ),
        (
            {"success": False, "code": 10, "message": "Invalid API key"},
            HomeAssistantError,
            "The API key was refused by the provider",
        ),
    ],
)
async def test_cancel_sms_refused(
    hass: HomeAssistant,
    aioclient_mock: AiohttpClientMocker,
    sms: MockConfigEntry,
    *,
    body: dict[str, Any],
    error: type[HomeAssistantError],
    message: str,
) -> None:
    """The provider's refusals are translated errors; the message is still followed."""
    aioclient_mock.get(CANCEL_URL, status=400, json=body)
    tracker = sms.runtime_data.tracker
    tracker.async_track("307", ["0612345678"])

    with pytest.raises(HomeAssistantError) as caught:
        await cancel_sms(hass, sms, 307)

    assert type(caught.value) is error
    assert str(caught.value) == message
    assert tracker.diagnostics()["messages_followed"] == 1


async def test_cancel_sms_without_id(hass: HomeAssistant, sms: MockConfigEntry) -> None:
    """A blank message id is refused before any request."""
    with pytest.raises(ServiceValidationError) as caught:
        await cancel_sms(hass, sms, "  ")
    assert caught.value.translation_key == "invalid_field"
    assert caught.value.translation_placeholders == {"field": "message_id"}
