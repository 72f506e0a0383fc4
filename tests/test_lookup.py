"""Tests of the lookup_number action (lookup.py, services.py).

On the client mock; the lookup on the wire is tests/api/test_lookup.py's, its
shared budget test_budgets.py's.
"""

from __future__ import annotations

from typing import Any
from unittest.mock import MagicMock

import pytest
from pytest_homeassistant_custom_component.common import MockConfigEntry

from custom_components.smspartner import api
from custom_components.smspartner.const import DOMAIN
from custom_components.smspartner.product import Product
from custom_components.smspartner.services import SERVICE_LOOKUP_NUMBER
from homeassistant.config_entries import SOURCE_REAUTH
from homeassistant.core import HomeAssistant
from homeassistant.exceptions import HomeAssistantError, ServiceValidationError

from .conftest import SMS_ONLY, load_fixture

pytestmark = pytest.mark.usefixtures("frozen_time")


async def lookup(
    hass: HomeAssistant, entry: MockConfigEntry, numbers: Any
) -> dict[str, Any] | None:
    """Call smspartner.lookup_number for `entry` and return its response."""
    return await hass.services.async_call(
        DOMAIN,
        SERVICE_LOOKUP_NUMBER,
        {"config_entry_id": entry.entry_id, "numbers": numbers},
        blocking=True,
        return_response=True,
    )


@SMS_ONLY
async def test_lookup_number(
    hass: HomeAssistant, init_integration: MockConfigEntry, mock_client: MagicMock
) -> None:
    """Each number's E.164 form, type, network and country, or why it is invalid."""
    numbers = ["0612345678", "+212666123456"]
    mock_client.async_lookup.return_value = api.parse_lookup(
        load_fixture("sms_partner_lookup"), numbers
    )

    response = await lookup(
        hass, init_integration, ["06 12 34 56 78", "+212 666 123 456"]
    )

    assert response == {
        "numbers": [
            {
                "number": "0612345678",
                "valid": True,
                "e164": "+33612345678",
                "type": "mobile",
                "network": "Orange",
                "country": "FR",
                "calling_code": 33,
                "reason": None,
            },
            {
                "number": "+212666123456",
                "valid": False,
                "e164": None,
                "type": None,
                "network": None,
                "country": None,
                "calling_code": None,
                "reason": "Le numéro de téléphone est vide ou n'est pas valide.",
            },
        ]
    }
    mock_client.async_lookup.assert_awaited_once_with(numbers)
    # Free: the credits are not read again.
    assert mock_client.async_get_credits.await_count == 1


@SMS_ONLY
async def test_lookup_number_needs_response(
    hass: HomeAssistant, init_integration: MockConfigEntry
) -> None:
    """The action only answers: called without asking for it, it is refused."""
    with pytest.raises(ServiceValidationError):
        await hass.services.async_call(
            DOMAIN,
            SERVICE_LOOKUP_NUMBER,
            {"config_entry_id": init_integration.entry_id, "numbers": "0612345678"},
            blocking=True,
        )


@SMS_ONLY
@pytest.mark.parametrize(
    ("error", "key", "placeholders"),
    [
        (api.SmsPartnerConnectionError("HTTP 503"), "cannot_connect", None),
        (api.SmsPartnerRateLimitError(20), "rate_limited", {"seconds": "20"}),
        (api.SmsPartnerInvalidResponseError("no lookup"), "invalid_response", None),
        (
            api.SmsPartnerApiError(30, "Compte bloqué"),
            "api_error",
            {"message": "Compte bloqué"},
        ),
    ],
)
async def test_lookup_number_errors(
    hass: HomeAssistant,
    init_integration: MockConfigEntry,
    mock_client: MagicMock,
    *,
    error: api.SmsPartnerError,
    key: str,
    placeholders: dict[str, str] | None,
) -> None:
    """A failed lookup is a translated error."""
    mock_client.async_lookup.side_effect = error
    with pytest.raises(HomeAssistantError) as caught:
        await lookup(hass, init_integration, "0612345678")
    assert caught.value.translation_key == key
    assert caught.value.translation_placeholders == placeholders


@SMS_ONLY
async def test_lookup_number_refused_key(
    hass: HomeAssistant, init_integration: MockConfigEntry, mock_client: MagicMock
) -> None:
    """A refused key fails the action and asks for a new key."""
    mock_client.async_lookup.side_effect = api.SmsPartnerAuthenticationError("Clé")
    with pytest.raises(HomeAssistantError) as caught:
        await lookup(hass, init_integration, "0612345678")
    await hass.async_block_till_done()

    assert caught.value.translation_key == "invalid_auth"
    flows = init_integration.async_get_active_flows(hass, {SOURCE_REAUTH})
    assert len(list(flows)) == 1


@pytest.mark.parametrize(
    ("product", "numbers", "key"),
    [
        (Product.SMS_PARTNER, ["0612345678", "12"], "invalid_phone_number"),
        (Product.VOICE_PARTNER, "0612345678", "wrong_service"),
    ],
)
async def test_lookup_number_checks(
    hass: HomeAssistant,
    init_integration: MockConfigEntry,
    mock_client: MagicMock,
    *,
    numbers: Any,
    key: str,
) -> None:
    """Numbers are checked locally first; the entry must be an SMS Partner one."""
    with pytest.raises(ServiceValidationError) as caught:
        await lookup(hass, init_integration, numbers)
    assert caught.value.translation_key == key
    assert "async_lookup" not in {name for name, _, _ in mock_client.method_calls}
