"""Tests of the send_sms and send_voice_message actions."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from pytest_homeassistant_custom_component.common import MockConfigEntry
from pytest_homeassistant_custom_component.test_util.aiohttp import AiohttpClientMocker
import yaml

from custom_components.smspartner.const import DOMAIN
from custom_components.smspartner.services import (
    SERVICE_CANCEL_SMS,
    SERVICE_LOOKUP_NUMBER,
    SERVICE_SEND_SMS,
    SERVICE_SEND_VOICE_MESSAGE,
)
from homeassistant.config_entries import ConfigEntryState
from homeassistant.core import HomeAssistant
from homeassistant.exceptions import HomeAssistantError, ServiceValidationError
from homeassistant.helpers.service import async_get_all_descriptions
from homeassistant.setup import async_setup_component

from .action_helpers import requests_to, send_sms
from .conftest import (
    SMS_KEY,
    SMS_SEND_URL,
    SMS_SENT,
    SMS_URL,
    VOICE_KEY,
    VOICE_SEND_URL,
    VOICE_SENT as DOCUMENTED_VOICE_SENT,
    VOICE_URL,
)

pytestmark = pytest.mark.usefixtures("frozen_time")
# A call to two numbers.
VOICE_SENT = DOCUMENTED_VOICE_SENT | {"nbSms": 2}
COMPONENT = Path(__file__).parent.parent / "custom_components" / DOMAIN


async def test_actions_registered_without_entries(hass: HomeAssistant) -> None:
    """Both actions exist once the integration is set up, even with no account."""
    assert await async_setup_component(hass, DOMAIN, {})
    assert hass.services.has_service(DOMAIN, SERVICE_SEND_SMS)
    assert hass.services.has_service(DOMAIN, SERVICE_SEND_VOICE_MESSAGE)


async def test_send_sms(
    hass: HomeAssistant, aioclient_mock: AiohttpClientMocker, sms: MockConfigEntry
) -> None:
    """The SMS is sent, the response returned and the credits read again."""
    aioclient_mock.post(SMS_SEND_URL, json=SMS_SENT)

    response = await send_sms(
        hass,
        sms,
        recipients=["06 12 34 56 78", "+49 151 2345 6789, 0612345678"],
        message='Door "garage" open\nCost: 5 €',
    )

    assert response == {
        "message_id": "307",
        "sms_count": 1,
        "cost": 0.038,
        "currency": "EUR",
        "sandbox": False,
        "characters": 30,
        "encoding": "gsm7",
        "segments": 1,
    }
    assert requests_to(aioclient_mock, SMS_SEND_URL) == [
        {
            "apiKey": SMS_KEY,
            "phoneNumbers": "0612345678,+4915123456789",
            "message": 'Door "garage" open:br:Cost: 5 :euro:',
        }
    ]
    assert requests_to(aioclient_mock, SMS_URL) == [None, None]


async def test_send_sms_without_response(
    hass: HomeAssistant, aioclient_mock: AiohttpClientMocker, sms: MockConfigEntry
) -> None:
    """Called without return_response, the action returns nothing."""
    aioclient_mock.post(SMS_SEND_URL, json=SMS_SENT)
    response = await hass.services.async_call(
        DOMAIN,
        SERVICE_SEND_SMS,
        {"config_entry_id": sms.entry_id, "recipients": "0612345678", "message": "Hi"},
        blocking=True,
    )
    assert response is None
    assert len(requests_to(aioclient_mock, SMS_SEND_URL)) == 1


async def test_send_sms_sandbox(
    hass: HomeAssistant, aioclient_mock: AiohttpClientMocker, sms: MockConfigEntry
) -> None:
    """A sandbox send asks for nothing to be sent and does not re-read the credits.

    Its response says it was a sandbox send, and what the message would cost.
    """
    aioclient_mock.post(SMS_SEND_URL, json=SMS_SENT | {"cost": 0})

    response = await send_sms(
        hass,
        sms,
        recipients=["0612345678"],
        message="Bientôt 🎄 " + "x" * 60,
        sandbox=True,
        unicode=True,
    )

    assert response is not None
    assert response["cost"] == 0
    assert response["sandbox"] is True
    assert (response["characters"], response["encoding"]) == (71, "unicode")
    assert response["segments"] == 2
    assert requests_to(aioclient_mock, SMS_SEND_URL)[0]["sandbox"] == 1
    assert requests_to(aioclient_mock, SMS_SEND_URL)[0]["isUnicode"] == 1
    assert requests_to(aioclient_mock, SMS_URL) == [None]


async def test_send_sms_sender_and_schedule(
    hass: HomeAssistant, aioclient_mock: AiohttpClientMocker, sms: MockConfigEntry
) -> None:
    """A local schedule is sent on the French clock; seconds are dropped."""
    aioclient_mock.post(SMS_SEND_URL, json=SMS_SENT)

    await send_sms(
        hass,
        sms,
        recipients=["0612345678"],
        message="Later",
        sender=" Maison ",
        scheduled_time="2026-07-14 09:05:42",  # Los Angeles, = 18:05 in Paris
    )

    body = requests_to(aioclient_mock, SMS_SEND_URL)[0]
    assert {key: body[key] for key in body if key != "apiKey"} == {
        "phoneNumbers": "0612345678",
        "message": "Later",
        "sender": "Maison",
        "scheduledDeliveryDate": "14/07/2026",
        "time": 18,
        "minute": 5,
    }


async def test_entry_checks(
    hass: HomeAssistant,
    aioclient_mock: AiohttpClientMocker,
    sms: MockConfigEntry,
    voice: MockConfigEntry,
) -> None:
    """The entry must exist, belong to the integration, be loaded and fit the action."""
    other = MockConfigEntry(domain="other", title="Other")
    other.add_to_hass(hass)
    message = {"recipients": "0612345678", "message": "Hi"}

    for entry_id in ("missing", other.entry_id):
        with pytest.raises(ServiceValidationError) as caught:
            await hass.services.async_call(
                DOMAIN,
                SERVICE_SEND_SMS,
                {"config_entry_id": entry_id} | message,
                blocking=True,
            )
        assert caught.value.translation_key == "entry_not_found"
        assert caught.value.translation_placeholders == {"entry_id": entry_id}

    with pytest.raises(ServiceValidationError) as caught:
        await send_sms(hass, voice, **message)
    assert caught.value.translation_key == "wrong_service"
    assert str(caught.value) == (
        "The entry Voice Partner is not for SMS Partner; choose an entry of SMS Partner"
    )

    with pytest.raises(ServiceValidationError) as caught:
        await hass.services.async_call(
            DOMAIN,
            SERVICE_SEND_VOICE_MESSAGE,
            {"config_entry_id": sms.entry_id} | message,
            blocking=True,
        )
    assert caught.value.translation_placeholders == {
        "entry": sms.title,
        "service": "Voice Partner",
    }

    await hass.config_entries.async_unload(sms.entry_id)
    with pytest.raises(ServiceValidationError) as caught:
        await send_sms(hass, sms, **message)
    assert caught.value.translation_key == "entry_not_loaded"
    assert str(caught.value) == (
        f"The entry {sms.title} is not loaded; check it on the integration page"
    )
    assert requests_to(aioclient_mock, SMS_SEND_URL) == []


async def test_send_voice_message(
    hass: HomeAssistant, aioclient_mock: AiohttpClientMocker, voice: MockConfigEntry
) -> None:
    """The call is placed, the response returned and the credits read again."""
    aioclient_mock.post(VOICE_SEND_URL, json=VOICE_SENT)

    response = await hass.services.async_call(
        DOMAIN,
        SERVICE_SEND_VOICE_MESSAGE,
        {
            "config_entry_id": voice.entry_id,
            "recipients": ["06 12 34 56 78", "+33 7 12 34 56 78"],
            "message": "L'alarme sonne, , à la maison.",
            "speech_rate": "1.5",
            "scheduled_time": "2026-07-14 09:07:00",
        },
        blocking=True,
        return_response=True,
    )

    assert response == {
        "campaign_id": "Ff1tbu0lax",
        "message_count": 2,
        "cost": 0.12,
        "currency": "EUR",
        "duration": 6.3,
    }
    assert requests_to(aioclient_mock, VOICE_SEND_URL) == [
        {
            "apiKey": VOICE_KEY,
            "phoneNumbers": "0612345678,+33712345678",
            "text": "L'alarme sonne, , à la maison.",
            "lang": "fr",
            "speechRate": 1.5,
            "scheduledDate": "2026-07-14 18:07:00",
        }
    ]
    assert requests_to(aioclient_mock, VOICE_URL) == [None, None]


async def test_send_voice_message_language(
    hass: HomeAssistant, aioclient_mock: AiohttpClientMocker, voice: MockConfigEntry
) -> None:
    """A language code other than French is sent as given; no response asked."""
    aioclient_mock.post(VOICE_SEND_URL, json=VOICE_SENT)
    response = await hass.services.async_call(
        DOMAIN,
        SERVICE_SEND_VOICE_MESSAGE,
        {
            "config_entry_id": voice.entry_id,
            "recipients": "0612345678",
            "message": "The alarm is ringing.",
            "language": " en-GB ",
        },
        blocking=True,
    )
    assert response is None
    assert requests_to(aioclient_mock, VOICE_SEND_URL)[0]["lang"] == "en-GB"


@pytest.mark.parametrize(
    ("data", "key", "placeholders"),
    [
        ({"language": "French"}, "invalid_language", {"language": "French"}),
        ({"speech_rate": 3}, "invalid_speech_rate", {"low": "0.5", "high": "2.0"}),
        ({"recipients": "12"}, "invalid_phone_number", {"number": "12"}),
        ({"message": ""}, "empty_message", None),
        (
            {"scheduled_time": "2026-07-13 23:00:00"},
            "schedule_in_past",
            {"time": "2026-07-13 23:00"},
        ),
    ],
)
async def test_send_voice_message_validation(
    hass: HomeAssistant,
    aioclient_mock: AiohttpClientMocker,
    voice: MockConfigEntry,
    *,
    data: dict[str, Any],
    key: str,
    placeholders: dict[str, str] | None,
) -> None:
    """Arguments the provider would refuse are refused before anything is sent."""
    with pytest.raises(ServiceValidationError) as caught:
        await hass.services.async_call(
            DOMAIN,
            SERVICE_SEND_VOICE_MESSAGE,
            {
                "config_entry_id": voice.entry_id,
                "recipients": "0612345678",
                "message": "Bonjour",
            }
            | data,
            blocking=True,
        )
    assert caught.value.translation_key == key
    assert caught.value.translation_placeholders == placeholders
    assert requests_to(aioclient_mock, VOICE_SEND_URL) == []


async def test_send_voice_message_error(
    hass: HomeAssistant, aioclient_mock: AiohttpClientMocker, voice: MockConfigEntry
) -> None:
    """A refused text-to-speech send is a translated error."""
    aioclient_mock.post(
        VOICE_SEND_URL,
        json={"success": False, "code": 11, "message": "Crédit insuffisant"},
    )
    with pytest.raises(HomeAssistantError) as caught:
        await hass.services.async_call(
            DOMAIN,
            SERVICE_SEND_VOICE_MESSAGE,
            {
                "config_entry_id": voice.entry_id,
                "recipients": "0612345678",
                "message": "Bonjour",
            },
            blocking=True,
        )
    assert caught.value.translation_key == "insufficient_credit"
    assert voice.state is ConfigEntryState.LOADED


async def test_action_descriptions(hass: HomeAssistant) -> None:
    """services.yaml passes Home Assistant's own schema, selectors included."""
    assert await async_setup_component(hass, DOMAIN, {})
    descriptions = (await async_get_all_descriptions(hass))[DOMAIN]
    assert set(descriptions) == {
        SERVICE_SEND_SMS,
        SERVICE_SEND_VOICE_MESSAGE,
        SERVICE_CANCEL_SMS,
        SERVICE_LOOKUP_NUMBER,
    }
    sms_fields = descriptions[SERVICE_SEND_SMS]["fields"]
    assert sms_fields["config_entry_id"]["selector"] == {
        "config_entry": {"integration": DOMAIN}
    }
    assert set(sms_fields) == {
        "config_entry_id",
        "recipients",
        "message",
        "sender",
        "scheduled_time",
        "sandbox",
        "unicode",
    }
    assert descriptions[SERVICE_SEND_SMS]["response"] == {"optional": True}
    assert descriptions[SERVICE_LOOKUP_NUMBER]["response"] == {"optional": False}


def test_action_translations() -> None:
    """Every action field is named and described, in English and in French."""
    services = yaml.safe_load((COMPONENT / "services.yaml").read_text())
    for language in ("en", "fr"):
        strings = json.loads(
            (COMPONENT / "translations" / f"{language}.json").read_text()
        )
        for action, spec in services.items():
            translated = strings["services"][action]
            assert translated["name"]
            assert translated["description"]
            assert set(translated["fields"]) == set(spec["fields"])
            assert all(
                field["name"] and field["description"]
                for field in translated["fields"].values()
            )
        options = services[SERVICE_SEND_VOICE_MESSAGE]["fields"]["language"]
        assert set(strings["selector"]["language"]["options"]) == set(
            options["selector"]["select"]["options"]
        )


def test_french_has_every_key() -> None:
    """The French file has exactly the keys of the English one."""

    def keys(node: Any, path: str = "") -> set[str]:
        if not isinstance(node, dict):
            return {path}
        return set().union(
            *(keys(value, f"{path}/{key}") for key, value in node.items())
        )

    en, fr = (
        json.loads((COMPONENT / "translations" / f"{lang}.json").read_text())
        for lang in ("en", "fr")
    )
    assert keys(fr) == keys(en)
