"""Helpers of the config-flow tests."""

from __future__ import annotations

from custom_components.smspartner.const import DOMAIN
from custom_components.smspartner.product import Product
from homeassistant.config_entries import SOURCE_USER, ConfigFlowResult
from homeassistant.core import HomeAssistant
from homeassistant.data_entry_flow import FlowResultType


async def start_flow(hass: HomeAssistant, service: str) -> ConfigFlowResult:
    """Open the flow and pick `service` in the menu."""
    result = await hass.config_entries.flow.async_init(
        DOMAIN, context={"source": SOURCE_USER}
    )
    assert result["type"] is FlowResultType.MENU
    assert result["menu_options"] == [Product.SMS_PARTNER, Product.VOICE_PARTNER]
    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], {"next_step_id": service}
    )
    assert result["type"] is FlowResultType.FORM
    assert result["step_id"] == service
    assert result["errors"] == {}
    return result
