"""Tests of the webhook's URL (the external one, or none) and of the sends' URLs."""

from __future__ import annotations

from unittest.mock import MagicMock

import pytest
from pytest_homeassistant_custom_component.common import MockConfigEntry

from custom_components.smspartner.api import (
    ReportKind,
    parse_sms_send,
    parse_voice_send,
)
from custom_components.smspartner.const import DOMAIN
from custom_components.smspartner.product import Product
from custom_components.smspartner.services import SERVICE_SEND_VOICE_MESSAGE
from custom_components.smspartner.webhook import webhook_url
from homeassistant.core import HomeAssistant

from .action_helpers import send_sms
from .conftest import SMS_SENT, SMS_WEBHOOK_ID, VOICE_SENT, VOICE_WEBHOOK_ID

EXTERNAL = "https://ha.example.com:8443"
WEBHOOK_IDS = {
    Product.SMS_PARTNER: SMS_WEBHOOK_ID,
    Product.VOICE_PARTNER: VOICE_WEBHOOK_ID,
}


async def test_external_url(
    hass: HomeAssistant, init_integration: MockConfigEntry, product: Product
) -> None:
    """The external URL as configured, whatever its port or form; a kind per report."""
    entry = init_integration
    await hass.config.async_update(
        external_url=EXTERNAL, internal_url="http://192.168.1.2:8123"
    )
    webhook_id = WEBHOOK_IDS[product]
    assert webhook_url(hass, entry) == f"{EXTERNAL}/api/webhook/{webhook_id}"
    assert webhook_url(hass, entry, ReportKind.DELIVERY) == (
        f"{EXTERNAL}/api/webhook/{webhook_id}?report=delivery"
    )


@pytest.mark.parametrize("product", [Product.SMS_PARTNER], ids=str)
async def test_no_url(hass: HomeAssistant, init_integration: MockConfigEntry) -> None:
    """An internal URL alone is no URL the providers can reach."""
    await hass.config.async_update(internal_url="http://192.168.1.2:8123")
    assert webhook_url(hass, init_integration) is None


@pytest.mark.usefixtures("frozen_time")
@pytest.mark.parametrize("product", [Product.SMS_PARTNER], ids=str)
@pytest.mark.parametrize(
    ("external", "sandbox", "urls"),
    [
        (True, False, ("?report=delivery", "?report=reply")),
        (True, True, (None, None)),
        (False, False, (None, None)),
    ],
    ids=["url", "sandbox", "no url"],
)
async def test_sms_send_urls(
    hass: HomeAssistant,
    *,
    init_integration: MockConfigEntry,
    mock_client: MagicMock,
    external: bool,
    sandbox: bool,
    urls: tuple[str | None, str | None],
) -> None:
    """SMS sends ask for reports at the webhook when it has a URL, not in sandbox."""
    if external:
        await hass.config.async_update(external_url=EXTERNAL)
    mock_client.async_send_sms.return_value = parse_sms_send(SMS_SENT)
    await send_sms(
        hass, init_integration, recipients=["0612345678"], message="Hi", sandbox=sandbox
    )
    kwargs = mock_client.async_send_sms.call_args.kwargs
    base = f"{EXTERNAL}/api/webhook/{SMS_WEBHOOK_ID}"
    assert (kwargs["url_dlr"], kwargs["url_response"]) == tuple(
        url and f"{base}{url}" for url in urls
    )


@pytest.mark.usefixtures("frozen_time")
@pytest.mark.parametrize("product", [Product.VOICE_PARTNER], ids=str)
@pytest.mark.parametrize("external", [True, False])
async def test_voice_send_url(
    hass: HomeAssistant,
    init_integration: MockConfigEntry,
    mock_client: MagicMock,
    external: bool,
) -> None:
    """Text-to-speech sends ask for the calls' results at the webhook, if it has a URL."""
    if external:
        await hass.config.async_update(external_url=EXTERNAL)
    mock_client.async_send_voice_message.return_value = parse_voice_send(VOICE_SENT)
    await hass.services.async_call(
        DOMAIN,
        SERVICE_SEND_VOICE_MESSAGE,
        {
            "config_entry_id": init_integration.entry_id,
            "recipients": ["0612345678"],
            "message": "Bonjour",
        },
        blocking=True,
    )
    notify_url = mock_client.async_send_voice_message.call_args.kwargs["notify_url"]
    expected = f"{EXTERNAL}/api/webhook/{VOICE_WEBHOOK_ID}?report=call"
    assert notify_url == (expected if external else None)
