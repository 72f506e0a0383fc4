"""Tests of the options step, which shows the webhook URL."""

from __future__ import annotations

import pytest
from pytest_homeassistant_custom_component.common import MockConfigEntry

from custom_components.smspartner.product import Product
from homeassistant.core import HomeAssistant
from homeassistant.data_entry_flow import FlowResultType

from .conftest import SMS_WEBHOOK_ID

EXTERNAL = "https://ha.example.com"


@pytest.mark.parametrize("product", [Product.SMS_PARTNER], ids=str)
async def test_options_show_the_url(
    hass: HomeAssistant, init_integration: MockConfigEntry
) -> None:
    """The URL to set in the customer area; submitting changes nothing."""
    await hass.config.async_update(external_url=EXTERNAL)
    entry = init_integration
    options = dict(entry.options)
    result = await hass.config_entries.options.async_init(entry.entry_id)
    assert result["type"] is FlowResultType.FORM
    assert result["step_id"] == "init"
    assert result["description_placeholders"] == {
        "url": f"{EXTERNAL}/api/webhook/{SMS_WEBHOOK_ID}",
        "service": "SMS Partner",
        "site": "https://my.smspartner.fr/",
    }
    result = await hass.config_entries.options.async_configure(result["flow_id"], {})
    assert result["type"] is FlowResultType.CREATE_ENTRY
    assert entry.options == options


@pytest.mark.parametrize("product", [Product.VOICE_PARTNER], ids=str)
async def test_options_without_url(
    hass: HomeAssistant, init_integration: MockConfigEntry
) -> None:
    """Without a URL the providers can reach, the step says what gives one."""
    result = await hass.config_entries.options.async_init(init_integration.entry_id)
    assert result["type"] is FlowResultType.ABORT
    assert result["reason"] == "no_webhook_url"
