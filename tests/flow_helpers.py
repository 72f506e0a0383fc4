"""Helpers of the config-flow tests."""

from __future__ import annotations

from pytest_homeassistant_custom_component.common import MockConfigEntry

from custom_components.smspartner.api import SmsPartnerCredits, parse_sms_credits
from custom_components.smspartner.const import DOMAIN
from custom_components.smspartner.product import Product
from homeassistant.config_entries import SOURCE_USER, ConfigFlowResult
from homeassistant.const import CONF_API_KEY
from homeassistant.core import HomeAssistant
from homeassistant.data_entry_flow import FlowResultType

from .conftest import sms_payload

NEW_SMS_KEY = "sms-new-key-abcdef"
NEW_VOICE_KEY = "voice-new-key-abcdef"


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


async def start_replace_flow(
    hass: HomeAssistant, entry: MockConfigEntry, source: str
) -> ConfigFlowResult:
    """Open the reauth or reconfigure flow (`source`) of `entry`."""
    if source == "reauth":
        return await entry.start_reauth_flow(hass)
    return await entry.start_reconfigure_flow(hass)


async def submit_key(
    hass: HomeAssistant, result: ConfigFlowResult, api_key: str
) -> ConfigFlowResult:
    """Enter `api_key` in the form of the flow `result`."""
    return await hass.config_entries.flow.async_configure(
        result["flow_id"], {CONF_API_KEY: api_key}
    )


async def add_key(
    hass: HomeAssistant, product: Product, api_key: str
) -> ConfigFlowResult:
    """Add an entry of `product` with `api_key`; return the flow's last result."""
    return await submit_key(hass, await start_flow(hass, product), api_key)


async def replace_key(
    hass: HomeAssistant, entry: MockConfigEntry, source: str, api_key: str
) -> ConfigFlowResult:
    """Give `entry` the key `api_key` by reauth or reconfigure (`source`)."""
    return await submit_key(
        hass, await start_replace_flow(hass, entry, source), api_key
    )


def sms_account(username: str | None) -> SmsPartnerCredits:
    """Return the documented SMS Partner credits of `username` (None: no user block)."""
    payload = sms_payload()
    payload["user"] = {} if username is None else {"username": username}
    return parse_sms_credits(payload)
