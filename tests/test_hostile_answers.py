"""Hostile answers as a user meets them: in the config flow and in the actions.

The coordinator's side (entities unavailable, one log line) is in the fault
matrix; here the same replies must give the flow's `cannot_connect` and a
translated error of the action, never a traceback.
"""

from __future__ import annotations

import logging

import pytest
from pytest_homeassistant_custom_component.test_util.aiohttp import AiohttpClientMocker

from custom_components.smspartner.const import DOMAIN
from custom_components.smspartner.product import Product
from custom_components.smspartner.services import SERVICE_SEND_SMS
from homeassistant.config_entries import SOURCE_USER
from homeassistant.const import CONF_API_KEY
from homeassistant.core import HomeAssistant
from homeassistant.exceptions import HomeAssistantError

from .conftest import (
    SMS_KEY,
    SMS_SEND_URL,
    SMS_SENT,
    SMS_URL,
    setup_integration,
    sms_entry,
    sms_payload,
)
from .fault_helpers import FakeProvider, Reply
from .fault_table import hostile_replies

HOSTILE = hostile_replies(sms_payload())
SENT_HOSTILE = hostile_replies(SMS_SENT)


def _tracebacks(caplog: pytest.LogCaptureFixture) -> list[str]:
    """Return the log lines that carry a traceback or are errors."""
    return [
        record.getMessage()
        for record in caplog.records
        if record.exc_info or record.levelno >= logging.ERROR
    ]


@pytest.mark.parametrize("name", HOSTILE)
async def test_config_flow(
    hass: HomeAssistant,
    aioclient_mock: AiohttpClientMocker,
    caplog: pytest.LogCaptureFixture,
    name: str,
) -> None:
    """The key check shows `cannot_connect`, with no traceback."""
    provider = FakeProvider(HOSTILE[name])
    aioclient_mock.get(SMS_URL, side_effect=provider)
    result = await hass.config_entries.flow.async_init(
        DOMAIN, context={"source": SOURCE_USER}
    )
    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], {"next_step_id": Product.SMS_PARTNER}
    )
    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], {CONF_API_KEY: SMS_KEY}
    )
    assert result["errors"] == {"base": "cannot_connect"}
    assert len(provider.requests) == 1
    assert _tracebacks(caplog) == []


@pytest.mark.parametrize("name", SENT_HOSTILE)
async def test_send_sms(
    hass: HomeAssistant,
    aioclient_mock: AiohttpClientMocker,
    caplog: pytest.LogCaptureFixture,
    name: str,
) -> None:
    """A send answered this way is not confirmed: a translated error, no traceback."""
    aioclient_mock.get(SMS_URL, json=sms_payload())
    reply: Reply = SENT_HOSTILE[name]
    aioclient_mock.post(SMS_SEND_URL, side_effect=FakeProvider(reply))
    entry = sms_entry()
    await setup_integration(hass, entry)
    with pytest.raises(HomeAssistantError) as caught:
        await hass.services.async_call(
            DOMAIN,
            SERVICE_SEND_SMS,
            {
                "config_entry_id": entry.entry_id,
                "recipients": "0612345678",
                "message": "Alarm",
            },
            blocking=True,
            return_response=True,
        )
    assert caught.value.translation_key == "send_unconfirmed"
    assert _tracebacks(caplog) == []
