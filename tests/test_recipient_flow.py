"""Tests of the SMS-recipient subentry flow (recipient_flow.py)."""

from __future__ import annotations

from pathlib import Path

from pytest_homeassistant_custom_component.test_util.aiohttp import AiohttpClientMocker

from custom_components.smspartner.const import (
    CONF_PHONE_NUMBERS,
    DOMAIN,
    SUBENTRY_RECIPIENT,
)
from homeassistant.config_entries import SOURCE_USER
from homeassistant.const import CONF_NAME
from homeassistant.core import HomeAssistant
from homeassistant.data_entry_flow import FlowResultType
from homeassistant.helpers.json import json_bytes
from homeassistant.util.json import json_loads

from .conftest import SMS_URL, setup_integration, sms_entry, sms_payload

COMPONENT = Path(__file__).parent.parent / "custom_components" / DOMAIN
NEW_SMS_KEY = "sms-new-key-abcdef"
NEW_VOICE_KEY = "voice-new-key-abcdef"


async def test_recipient_that_cannot_be_stored(
    hass: HomeAssistant, aioclient_mock: AiohttpClientMocker
) -> None:
    """A name with a lone surrogate is a field error; the form can be shown again."""
    aioclient_mock.get(SMS_URL, json=sms_payload())
    entry = sms_entry()
    await setup_integration(hass, entry)
    result = await hass.config_entries.subentries.async_init(
        (entry.entry_id, SUBENTRY_RECIPIENT), context={"source": SOURCE_USER}
    )
    result = await hass.config_entries.subentries.async_configure(
        result["flow_id"],
        {CONF_NAME: "Fam\ud800", CONF_PHONE_NUMBERS: ["06 12 34 56 78", "\udfff"]},
    )
    assert result["type"] is FlowResultType.FORM
    assert result["errors"] == {
        CONF_NAME: "invalid_name",
        CONF_PHONE_NUMBERS: "invalid_phone_number",
    }
    assert result["data_schema"] is not None
    suggested = {
        str(key): key.description["suggested_value"]
        for key in result["data_schema"].schema
        if key.description
    }
    assert json_loads(json_bytes(suggested)) == {
        CONF_NAME: "Fam?",
        CONF_PHONE_NUMBERS: ["06 12 34 56 78", "?"],
    }
    assert json_loads(json_bytes(result["description_placeholders"])) == {
        "number": "\\udfff"
    }

    result = await hass.config_entries.subentries.async_configure(
        result["flow_id"], {CONF_NAME: "Family", CONF_PHONE_NUMBERS: ["0612345678"]}
    )
    assert result["type"] is FlowResultType.CREATE_ENTRY
    await hass.async_block_till_done()
