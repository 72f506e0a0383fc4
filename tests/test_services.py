"""Tests of the send_sms and send_voice_message actions (services.py)."""

from __future__ import annotations

from datetime import UTC, datetime
import json
from pathlib import Path
from typing import Any
from unittest.mock import MagicMock, call

import pytest
from pytest_homeassistant_custom_component.common import MockConfigEntry
import yaml

from custom_components.smspartner.const import DOMAIN
from custom_components.smspartner.product import PRODUCTS, Product
from custom_components.smspartner.services import (
    SERVICE_CANCEL_SMS,
    SERVICE_LOOKUP_NUMBER,
    SERVICE_SEND_SMS,
    SERVICE_SEND_VOICE_MESSAGE,
)
from homeassistant.core import HomeAssistant
from homeassistant.exceptions import ServiceValidationError
from homeassistant.helpers.service import async_get_all_descriptions
from homeassistant.setup import async_setup_component

from .action_helpers import (
    ACTION_SMS_OPTIONS,
    ACTIONS,
    MINIMAL,
    call_action,
    client_send,
    sms_sent,
)
from .conftest import SMS_ONLY, VOICE_ONLY

pytestmark = pytest.mark.usefixtures("frozen_time")
COMPONENT = Path(__file__).parent.parent / "custom_components" / DOMAIN


async def test_actions_registered_without_entries(hass: HomeAssistant) -> None:
    """Both actions exist once the integration is set up, even with no account."""
    assert await async_setup_component(hass, DOMAIN, {})
    assert hass.services.has_service(DOMAIN, SERVICE_SEND_SMS)
    assert hass.services.has_service(DOMAIN, SERVICE_SEND_VOICE_MESSAGE)


# Per product: the fields of a call, its response, and what the client is given.
SENDS: dict[Product, tuple[dict[str, Any], dict[str, Any], Any]] = {
    Product.SMS_PARTNER: (
        {
            "recipients": ["06 12 34 56 78", "+49 151 2345 6789, 0612345678"],
            "message": 'Door "garage" open\nCost: 5 €',
        },
        {
            "message_id": "307",
            "sms_count": 1,
            "cost": 0.038,
            "currency": "EUR",
            "sandbox": False,
            "characters": 30,
            "encoding": "gsm7",
            "segments": 1,
        },
        sms_sent(
            ["0612345678", "+4915123456789"],
            'Door "garage" open\nCost: 5 €',
            **ACTION_SMS_OPTIONS,
        ),
    ),
    Product.VOICE_PARTNER: (
        {
            "recipients": ["06 12 34 56 78", "+33 7 12 34 56 78"],
            "message": "L'alarme sonne, , à la maison.",
            "speech_rate": "1.5",
            "scheduled_time": "2026-07-14 09:07:00",  # Los Angeles, = 16:07 UTC
        },
        {
            "campaign_id": "Ff1tbu0lax",
            "message_count": 1,
            "cost": 0.12,
            "currency": "EUR",
            "duration": 6.3,
        },
        call(
            ["0612345678", "+33712345678"],
            "L'alarme sonne, , à la maison.",
            language="fr",
            speech_rate=1.5,
            scheduled=datetime(2026, 7, 14, 16, 7, tzinfo=UTC),
            notify_url=None,
        ),
    ),
}


async def test_send(
    hass: HomeAssistant,
    init_integration: MockConfigEntry,
    mock_client: MagicMock,
    product: Product,
) -> None:
    """What is sent is checked, the response returned and the credits read again."""
    data, expected, sent = SENDS[product]
    assert await call_action(hass, init_integration, product, **data) == expected
    assert client_send(mock_client, product).await_args_list == [sent]
    assert mock_client.async_get_credits.await_count == 2


@pytest.mark.parametrize(
    ("data", "sandbox", "credit_reads"),
    [
        pytest.param({}, False, 2, id="real"),
        pytest.param({"sandbox": True}, True, 1, id="sandbox"),
    ],
)
@SMS_ONLY
async def test_send_sms_sandbox(
    hass: HomeAssistant,
    init_integration: MockConfigEntry,
    mock_client: MagicMock,
    *,
    data: dict[str, Any],
    sandbox: bool,
    credit_reads: int,
) -> None:
    """A sandbox send says so in its response and does not re-read the credits."""
    response = await call_action(hass, init_integration, Product.SMS_PARTNER, **data)
    assert response is not None
    assert response["sandbox"] is sandbox
    assert mock_client.async_send_sms.call_args.kwargs["sandbox"] is sandbox
    assert mock_client.async_get_credits.await_count == credit_reads


@SMS_ONLY
async def test_send_sms_unicode(
    hass: HomeAssistant, init_integration: MockConfigEntry, mock_client: MagicMock
) -> None:
    """A unicode send asks for unicode; the response says what the message costs."""
    response = await call_action(
        hass,
        init_integration,
        Product.SMS_PARTNER,
        message="Bientôt 🎄 " + "x" * 60,
        unicode=True,
    )
    assert response is not None
    assert (response["characters"], response["encoding"]) == (71, "unicode")
    assert response["segments"] == 2
    assert mock_client.async_send_sms.call_args.kwargs["unicode"] is True


@SMS_ONLY
async def test_send_sms_sender_and_schedule(
    hass: HomeAssistant, init_integration: MockConfigEntry, mock_client: MagicMock
) -> None:
    """The sender is trimmed; a local schedule keeps its instant, without seconds."""
    await call_action(
        hass,
        init_integration,
        Product.SMS_PARTNER,
        sender=" Maison ",
        scheduled_time="2026-07-14 09:05:42",  # Los Angeles, = 16:05 UTC
    )
    kwargs = mock_client.async_send_sms.call_args.kwargs
    assert kwargs["sender"] == "Maison"
    assert kwargs["scheduled"] == datetime(2026, 7, 14, 16, 5, tzinfo=UTC)


async def test_send_without_response(
    hass: HomeAssistant,
    init_integration: MockConfigEntry,
    mock_client: MagicMock,
    product: Product,
) -> None:
    """Called without return_response, each action sends and returns nothing."""
    response = await call_action(hass, init_integration, product, return_response=False)
    assert response is None
    client_send(mock_client, product).assert_awaited_once()


async def test_entry_checks(
    hass: HomeAssistant,
    init_integration: MockConfigEntry,
    mock_client: MagicMock,
    product: Product,
) -> None:
    """The entry must exist, belong to the integration, fit the action and be loaded."""
    other = MockConfigEntry(domain="other", title="Other")
    other.add_to_hass(hass)
    for entry_id in ("missing", other.entry_id):
        with pytest.raises(ServiceValidationError) as caught:
            await hass.services.async_call(
                DOMAIN,
                ACTIONS[product],
                {"config_entry_id": entry_id} | MINIMAL,
                blocking=True,
            )
        assert caught.value.translation_key == "entry_not_found"
        assert caught.value.translation_placeholders == {"entry_id": entry_id}

    (other_product,) = set(Product) - {product}
    with pytest.raises(ServiceValidationError) as caught:
        await call_action(hass, init_integration, other_product)
    assert caught.value.translation_key == "wrong_service"
    assert str(caught.value) == (
        f"The entry {init_integration.title} is not for"
        f" {PRODUCTS[other_product].name}; choose an entry of"
        f" {PRODUCTS[other_product].name}"
    )

    await hass.config_entries.async_unload(init_integration.entry_id)
    with pytest.raises(ServiceValidationError) as caught:
        await call_action(hass, init_integration, product)
    assert caught.value.translation_key == "entry_not_loaded"
    assert str(caught.value) == (
        f"The entry {init_integration.title} is not loaded;"
        " check it on the integration page"
    )
    client_send(mock_client, product).assert_not_called()


@VOICE_ONLY
async def test_send_voice_message_language(
    hass: HomeAssistant, init_integration: MockConfigEntry, mock_client: MagicMock
) -> None:
    """A language code other than French is sent as given, trimmed."""
    await call_action(hass, init_integration, Product.VOICE_PARTNER, language=" en-GB ")
    assert mock_client.async_send_voice_message.call_args.kwargs["language"] == "en-GB"


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
