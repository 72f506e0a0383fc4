"""Tests of the send path (send.py): client errors, re-authentication, budget, cancels."""

from __future__ import annotations

from datetime import timedelta
from typing import Any
from unittest.mock import MagicMock

from freezegun.api import FrozenDateTimeFactory
import pytest
from pytest_homeassistant_custom_component.common import (
    MockConfigEntry,
    async_fire_time_changed,
)

from custom_components.smspartner import api
from custom_components.smspartner.const import DOMAIN
from custom_components.smspartner.product import Product
from custom_components.smspartner.services import SERVICE_CANCEL_SMS
from homeassistant.config_entries import SOURCE_REAUTH, ConfigEntryState
from homeassistant.core import HomeAssistant
from homeassistant.exceptions import HomeAssistantError, ServiceValidationError

from .action_helpers import call_action, client_send
from .conftest import SMS_KEY, SMS_ONLY, assert_no_key

pytestmark = pytest.mark.usefixtures("frozen_time")


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
    ("error", "raised", "message"),
    [
        (
            api.SmsPartnerInvalidRequestError(9, "Date earlier than now"),
            ServiceValidationError,
            "The provider refused the request: Date earlier than now",
        ),
        (
            api.SmsPartnerStopListError(14, "0612345678 en STOP"),
            ServiceValidationError,
            (
                "A recipient is on the STOP list of the account and cannot receive"
                " SMS: 0612345678 en STOP"
            ),
        ),
        (
            api.SmsPartnerInsufficientCreditError(11, "Manque de crédits"),
            HomeAssistantError,
            "Not enough credit on the account to send this message",
        ),
        (
            api.SmsPartnerApiError(22, "Nuit"),
            HomeAssistantError,
            "The provider refused the message with error code 22: Nuit",
        ),
        (
            api.SmsPartnerApiError(None, "Nuit"),
            HomeAssistantError,
            "The provider refused the message: Nuit",
        ),
        (
            api.SmsPartnerRateLimitError(30),
            HomeAssistantError,
            (
                "Too many requests for this API key; the next request will be sent"
                " in 30 s at the earliest"
            ),
        ),
        (
            api.SmsPartnerConnectionError("HTTP 503"),
            HomeAssistantError,
            "The provider could not be reached or answered with a server error",
        ),
        (
            api.SmsPartnerInvalidResponseError("no message_id"),
            HomeAssistantError,
            (
                "The provider's answer could not be read: the message may have been"
                " sent. Check your customer area before sending it again"
            ),
        ),
        (
            ValueError("Invalid phone number"),
            ServiceValidationError,
            "The message was not sent: one of its values cannot be sent to the provider",
        ),
        (
            UnicodeEncodeError("utf-8", f'{{"apiKey": "{SMS_KEY}"}}', 0, 1, "bad"),
            ServiceValidationError,
            "The message was not sent: one of its values cannot be sent to the provider",
        ),
    ],
    ids=lambda value: type(value).__name__ if isinstance(value, Exception) else "",
)
async def test_send_errors(
    hass: HomeAssistant,
    init_integration: MockConfigEntry,
    mock_client: MagicMock,
    product: Product,
    *,
    error: Exception,
    raised: type[HomeAssistantError],
    message: str,
) -> None:
    """Client errors become translated errors, without the key; no credits re-read."""
    client_send(mock_client, product).side_effect = error
    with pytest.raises(HomeAssistantError) as caught:
        await call_action(hass, init_integration, product)
    assert type(caught.value) is raised
    assert str(caught.value) == message
    assert_no_key(caught.value)
    assert mock_client.async_get_credits.await_count == 1
    assert init_integration.state is ConfigEntryState.LOADED


async def test_send_refused_key_starts_reauth(
    hass: HomeAssistant,
    init_integration: MockConfigEntry,
    mock_client: MagicMock,
    product: Product,
) -> None:
    """A key refused on a send fails the action and asks for a new key."""
    client_send(mock_client, product).side_effect = api.SmsPartnerAuthenticationError(
        "Clé API incorrecte"
    )
    with pytest.raises(HomeAssistantError) as caught:
        await call_action(hass, init_integration, product)
    await hass.async_block_till_done()

    assert type(caught.value) is HomeAssistantError
    assert caught.value.translation_key == "invalid_auth"
    flows = hass.config_entries.flow.async_progress_by_handler(DOMAIN)
    assert [flow["context"]["source"] for flow in flows] == [SOURCE_REAUTH]
    assert flows[0]["context"]["entry_id"] == init_integration.entry_id


async def test_send_budget_spent(
    hass: HomeAssistant,
    init_integration: MockConfigEntry,
    mock_client: MagicMock,
    product: Product,
) -> None:
    """A send the budget holds back says when the next one can go."""
    client_send(mock_client, product).side_effect = api.SmsPartnerThrottledError(59.6)
    with pytest.raises(HomeAssistantError) as caught:
        await call_action(hass, init_integration, product)
    assert caught.value.translation_key == "send_budget_spent"
    assert caught.value.translation_placeholders == {"seconds": "60"}


@pytest.mark.parametrize(
    ("error", "key"),
    [
        (api.SmsPartnerInvalidRequestError(9, "Unicode non activé"), "unicode_refused"),
        (api.SmsPartnerApiError(None, "Unicode non activé"), "unicode_refused"),
        (api.SmsPartnerInsufficientCreditError(11, "Crédits"), "insufficient_credit"),
        (api.SmsPartnerStopListError(14, "STOP"), "stop_list"),
    ],
)
@SMS_ONLY
async def test_send_unicode_refused(
    hass: HomeAssistant,
    init_integration: MockConfigEntry,
    mock_client: MagicMock,
    *,
    error: Exception,
    key: str,
) -> None:
    """A refused unicode send says unicode must be enabled on the account."""
    mock_client.async_send_sms.side_effect = error
    with pytest.raises(HomeAssistantError) as caught:
        await call_action(
            hass, init_integration, Product.SMS_PARTNER, message="🎄", unicode=True
        )
    assert caught.value.translation_key == key
    if key == "unicode_refused":
        assert str(caught.value) == (
            "The provider refused the unicode SMS: Unicode non activé. SMS Partner's"
            " support must enable unicode on the account; otherwise send without"
            " unicode"
        )


@SMS_ONLY
async def test_cancel_sms(
    hass: HomeAssistant,
    init_integration: MockConfigEntry,
    mock_client: MagicMock,
    freezer: FrozenDateTimeFactory,
) -> None:
    """A scheduled SMS is cancelled by id, no longer followed; the credits re-read."""
    response = await call_action(
        hass,
        init_integration,
        Product.SMS_PARTNER,
        scheduled_time="2026-07-14 03:00:00",
    )
    tracker = init_integration.runtime_data.tracker
    assert response is not None
    assert tracker.diagnostics()["messages_followed"] == 1

    await cancel_sms(hass, init_integration, response["message_id"])

    mock_client.async_cancel_sms.assert_awaited_once_with("307")
    assert tracker.diagnostics()["messages_remembered"] == 0
    # The refunded credits are read once the refresh after the send has cooled down.
    freezer.tick(timedelta(seconds=11))
    async_fire_time_changed(hass)
    await hass.async_block_till_done()
    assert mock_client.async_get_credits.await_count == 3


@pytest.mark.parametrize(
    ("error", "raised", "message"),
    [
        (
            api.SmsPartnerCancelTooLateError(6, "Due within 5 minutes"),
            ServiceValidationError,
            "Message 307 cannot be cancelled: it is due to be sent within 5 minutes",
        ),
        (
            api.SmsPartnerApiError(7, "Already sent"),
            ServiceValidationError,
            "The provider refused to cancel message 307: Already sent",
        ),
        (
            api.SmsPartnerAuthenticationError("10"),
            HomeAssistantError,
            "The API key was refused by the provider",
        ),
    ],
)
@SMS_ONLY
async def test_cancel_sms_refused(
    hass: HomeAssistant,
    init_integration: MockConfigEntry,
    mock_client: MagicMock,
    *,
    error: Exception,
    raised: type[HomeAssistantError],
    message: str,
) -> None:
    """The provider's refusals are translated errors; the message is still followed."""
    mock_client.async_cancel_sms.side_effect = error
    tracker = init_integration.runtime_data.tracker
    tracker.async_track("307", ["0612345678"])

    with pytest.raises(HomeAssistantError) as caught:
        await cancel_sms(hass, init_integration, 307)

    assert type(caught.value) is raised
    assert str(caught.value) == message
    assert tracker.diagnostics()["messages_followed"] == 1


@SMS_ONLY
async def test_cancel_sms_without_id(
    hass: HomeAssistant, init_integration: MockConfigEntry, mock_client: MagicMock
) -> None:
    """A blank message id is refused before any request."""
    with pytest.raises(ServiceValidationError) as caught:
        await cancel_sms(hass, init_integration, "  ")
    assert caught.value.translation_key == "invalid_field"
    assert caught.value.translation_placeholders == {"field": "message_id"}
    mock_client.async_cancel_sms.assert_not_called()
