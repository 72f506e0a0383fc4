"""Tests of the lookup_number action (lookup.py, services.py)."""

from __future__ import annotations

from typing import Any

import pytest
from pytest_homeassistant_custom_component.common import MockConfigEntry
from pytest_homeassistant_custom_component.test_util.aiohttp import AiohttpClientMocker

from custom_components.smspartner.budgets import LOOKUP_BUDGET, async_get_lookup_limiter
from custom_components.smspartner.const import DOMAIN
from custom_components.smspartner.services import SERVICE_LOOKUP_NUMBER
from homeassistant.config_entries import SOURCE_REAUTH
from homeassistant.core import HomeAssistant
from homeassistant.exceptions import HomeAssistantError, ServiceValidationError

from .action_helpers import requests_to
from .conftest import SMS_KEY, SMS_LOOKUP_URL, SMS_URL, load_fixture

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


async def test_lookup_number(
    hass: HomeAssistant, aioclient_mock: AiohttpClientMocker, sms: MockConfigEntry
) -> None:
    """Each number's E.164 form, type, network and country, or why it is invalid."""
    aioclient_mock.post(SMS_LOOKUP_URL, json=load_fixture("sms_partner_lookup"))

    response = await lookup(hass, sms, ["06 12 34 56 78", "+212 666 123 456"])

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
    assert requests_to(aioclient_mock, SMS_LOOKUP_URL) == [
        {"apiKey": SMS_KEY, "phoneNumbers": "0612345678,+212666123456"}
    ]
    # Free: the credits are not read again.
    assert requests_to(aioclient_mock, SMS_URL) == [None]


async def test_lookup_number_needs_response(
    hass: HomeAssistant, sms: MockConfigEntry
) -> None:
    """The action only answers: called without asking for it, it is refused."""
    with pytest.raises(ServiceValidationError):
        await hass.services.async_call(
            DOMAIN,
            SERVICE_LOOKUP_NUMBER,
            {"config_entry_id": sms.entry_id, "numbers": "0612345678"},
            blocking=True,
        )


@pytest.mark.parametrize(
    ("answer", "key", "placeholders"),
    [
        ({"status": 503}, "cannot_connect", None),
        (
            {"status": 429, "headers": {"Retry-After": "20"}},
            "rate_limited",
            {"seconds": "20"},
        ),
        ({"json": {"success": True}}, "invalid_response", None),
        (
            {"json": {"success": False, "code": 30, "message": "Compte bloqué"}},
            "api_error",
            {"message": "Compte bloqué"},
        ),
    ],
)
async def test_lookup_number_errors(
    hass: HomeAssistant,
    aioclient_mock: AiohttpClientMocker,
    sms: MockConfigEntry,
    *,
    answer: dict[str, Any],
    key: str,
    placeholders: dict[str, str] | None,
) -> None:
    """A failed lookup is a translated error."""
    aioclient_mock.post(SMS_LOOKUP_URL, **answer)
    with pytest.raises(HomeAssistantError) as caught:
        await lookup(hass, sms, "0612345678")
    assert caught.value.translation_key == key
    assert caught.value.translation_placeholders == placeholders


async def test_lookup_number_refused_key(
    hass: HomeAssistant, aioclient_mock: AiohttpClientMocker, sms: MockConfigEntry
) -> None:
    """A refused key fails the action and asks for a new key."""
    aioclient_mock.post(
        SMS_LOOKUP_URL, json={"success": False, "code": 10, "message": "Clé"}
    )
    with pytest.raises(HomeAssistantError) as caught:
        await lookup(hass, sms, "0612345678")
    await hass.async_block_till_done()

    assert caught.value.translation_key == "invalid_auth"
    assert len(list(sms.async_get_active_flows(hass, {SOURCE_REAUTH}))) == 1


async def test_lookup_number_checks(
    hass: HomeAssistant,
    aioclient_mock: AiohttpClientMocker,
    sms: MockConfigEntry,
    voice: MockConfigEntry,
) -> None:
    """Numbers are checked locally first; the entry must be an SMS Partner one."""
    with pytest.raises(ServiceValidationError) as caught:
        await lookup(hass, sms, ["0612345678", "12"])
    assert caught.value.translation_key == "invalid_phone_number"

    with pytest.raises(ServiceValidationError) as caught:
        await lookup(hass, voice, "0612345678")
    assert caught.value.translation_key == "wrong_service"
    assert requests_to(aioclient_mock, SMS_LOOKUP_URL) == []


async def test_lookup_budget(
    hass: HomeAssistant, aioclient_mock: AiohttpClientMocker, sms: MockConfigEntry
) -> None:
    """Lookups stop at 360 a minute, for all keys together, without the credits'."""
    aioclient_mock.post(SMS_LOOKUP_URL, json=load_fixture("sms_partner_lookup"))
    budget, period = LOOKUP_BUDGET
    limiter = async_get_lookup_limiter(hass)
    assert sms.runtime_data.coordinator.client.lookup_limiter is limiter
    for _ in range(budget - 1):
        limiter.acquire()

    await lookup(hass, sms, ["0612345678", "+212666123456"])
    with pytest.raises(HomeAssistantError) as caught:
        await lookup(hass, sms, "0612345678")

    assert caught.value.translation_key == "rate_limited"
    assert caught.value.translation_placeholders == {"seconds": str(round(period))}
    assert len(requests_to(aioclient_mock, SMS_LOOKUP_URL)) == 1
    assert requests_to(aioclient_mock, SMS_URL) == [None]
