"""Tests of the config flow: add, re-authenticate and reconfigure."""

from __future__ import annotations

from typing import Any

from freezegun.api import FrozenDateTimeFactory
import pytest
from pytest_homeassistant_custom_component.test_util.aiohttp import AiohttpClientMocker

from custom_components.smspartner.const import (
    CONF_ACCOUNT,
    CONF_SERVICE,
    DOMAIN,
    SERVICE_SMS,
    SERVICE_VOICE,
)
from custom_components.smspartner.coordinator import hash_api_key
from homeassistant.config_entries import SOURCE_USER
from homeassistant.const import CONF_API_KEY
from homeassistant.core import HomeAssistant
from homeassistant.data_entry_flow import FlowResultType

from .conftest import (
    SMS_KEY,
    SMS_URL,
    USERNAME,
    VOICE_KEY,
    VOICE_URL,
    sms_entry,
    sms_payload,
    voice_entry,
    voice_payload,
)

NEW_SMS_KEY = "sms-new-key-abcdef"
NEW_VOICE_KEY = "voice-new-key-abcdef"
ERROR_BODY = {"success": False, "code": 10, "message": "Clé API incorrecte"}


async def _start(hass: HomeAssistant, service: str) -> dict[str, Any]:
    """Open the flow and pick `service` in the menu."""
    result = await hass.config_entries.flow.async_init(
        DOMAIN, context={"source": SOURCE_USER}
    )
    assert result["type"] is FlowResultType.MENU
    assert result["menu_options"] == [SERVICE_SMS, SERVICE_VOICE]
    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], {"next_step_id": service}
    )
    assert result["type"] is FlowResultType.FORM
    assert result["step_id"] == service
    assert result["errors"] == {}
    return result


async def test_user_sms_partner(
    hass: HomeAssistant, aioclient_mock: AiohttpClientMocker
) -> None:
    """An SMS Partner key creates an entry titled with the account e-mail."""
    aioclient_mock.get(SMS_URL, json=sms_payload())
    result = await _start(hass, SERVICE_SMS)
    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], {CONF_API_KEY: f"  {SMS_KEY} "}
    )
    assert result["type"] is FlowResultType.CREATE_ENTRY
    assert result["title"] == f"SMS Partner ({USERNAME})"
    assert result["data"] == {
        CONF_SERVICE: SERVICE_SMS,
        CONF_API_KEY: SMS_KEY,
        CONF_ACCOUNT: hash_api_key(USERNAME),
    }
    assert result["result"].unique_id == f"{SERVICE_SMS}_{hash_api_key(SMS_KEY)}"
    assert SMS_KEY not in result["result"].unique_id


async def test_user_voice_partner(
    hass: HomeAssistant, aioclient_mock: AiohttpClientMocker
) -> None:
    """A Voice Partner key creates an entry titled Voice Partner."""
    aioclient_mock.get(VOICE_URL, json=voice_payload())
    result = await _start(hass, SERVICE_VOICE)
    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], {CONF_API_KEY: VOICE_KEY}
    )
    assert result["type"] is FlowResultType.CREATE_ENTRY
    assert result["title"] == "Voice Partner"
    assert result["data"] == {
        CONF_SERVICE: SERVICE_VOICE,
        CONF_API_KEY: VOICE_KEY,
        CONF_ACCOUNT: None,
    }


async def test_user_sms_partner_without_username(
    hass: HomeAssistant, aioclient_mock: AiohttpClientMocker
) -> None:
    """Without a user block the title is the service name alone."""
    aioclient_mock.get(SMS_URL, json={**sms_payload(), "user": {}})
    result = await _start(hass, SERVICE_SMS)
    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], {CONF_API_KEY: SMS_KEY}
    )
    assert result["type"] is FlowResultType.CREATE_ENTRY
    assert result["title"] == "SMS Partner"
    assert result["data"][CONF_ACCOUNT] is None


@pytest.mark.parametrize(
    ("response", "error"),
    [
        pytest.param({"json": ERROR_BODY}, "invalid_auth", id="code 10"),
        pytest.param({"status": 403, "json": ERROR_BODY}, "invalid_auth", id="403"),
        pytest.param({"status": 500}, "cannot_connect", id="500"),
        pytest.param({"exc": TimeoutError()}, "cannot_connect", id="timeout"),
        pytest.param({"text": "<html></html>"}, "cannot_connect", id="HTML page"),
        pytest.param({"status": 429}, "rate_limited", id="429"),
        pytest.param({"exc": ValueError("boom")}, "unknown", id="unexpected"),
        pytest.param(
            {"json": {"success": False, "code": 30, "message": "blocked"}},
            "unknown",
            id="account blocked",
        ),
    ],
)
async def test_user_errors_then_recovery(
    hass: HomeAssistant,
    aioclient_mock: AiohttpClientMocker,
    freezer: FrozenDateTimeFactory,
    response: dict[str, Any],
    error: str,
) -> None:
    """Each failure shows its error; a later valid answer creates the entry."""
    aioclient_mock.get(VOICE_URL, **response)
    result = await _start(hass, SERVICE_VOICE)
    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], {CONF_API_KEY: VOICE_KEY}
    )
    assert result["type"] is FlowResultType.FORM
    assert result["errors"] == {"base": error}
    assert result["description_placeholders"]["url"] == "https://my.voicepartner.fr/"

    freezer.tick(61)
    aioclient_mock.clear_requests()
    aioclient_mock.get(VOICE_URL, json=voice_payload())
    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], {CONF_API_KEY: VOICE_KEY}
    )
    assert result["type"] is FlowResultType.CREATE_ENTRY


async def test_user_budget_spent(
    hass: HomeAssistant, aioclient_mock: AiohttpClientMocker
) -> None:
    """Retrying a key quickly stops sending requests after five a minute."""
    aioclient_mock.get(VOICE_URL, status=500)
    result = await _start(hass, SERVICE_VOICE)
    for _ in range(5):
        result = await hass.config_entries.flow.async_configure(
            result["flow_id"], {CONF_API_KEY: VOICE_KEY}
        )
        assert result["errors"] == {"base": "cannot_connect"}
    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], {CONF_API_KEY: VOICE_KEY}
    )
    assert result["errors"] == {"base": "rate_limited"}
    assert aioclient_mock.call_count == 5


@pytest.mark.parametrize(
    "entry_key",
    [pytest.param(SMS_KEY, id="same key"), pytest.param("other", id="renamed")],
)
async def test_user_already_configured(
    hass: HomeAssistant, aioclient_mock: AiohttpClientMocker, entry_key: str
) -> None:
    """The same key twice aborts before any request, whatever the entry's unique ID."""
    entry = sms_entry()
    entry.add_to_hass(hass)
    if entry_key != SMS_KEY:
        hass.config_entries.async_update_entry(entry, unique_id=entry_key)
    result = await _start(hass, SERVICE_SMS)
    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], {CONF_API_KEY: SMS_KEY}
    )
    assert result["type"] is FlowResultType.ABORT
    assert result["reason"] == "already_configured"
    assert aioclient_mock.call_count == 0


async def test_reauth(hass: HomeAssistant, aioclient_mock: AiohttpClientMocker) -> None:
    """A refused key is replaced through the reauth flow; the entry reloads."""
    entry = sms_entry()
    entry.add_to_hass(hass)
    result = await entry.start_reauth_flow(hass)
    assert result["type"] is FlowResultType.FORM
    assert result["step_id"] == "reauth_confirm"
    assert result["description_placeholders"]["title"] == entry.title

    aioclient_mock.get(SMS_URL, params={"apiKey": NEW_SMS_KEY}, json=ERROR_BODY)
    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], {CONF_API_KEY: NEW_SMS_KEY}
    )
    assert result["errors"] == {"base": "invalid_auth"}

    aioclient_mock.clear_requests()
    aioclient_mock.get(SMS_URL, json=sms_payload())
    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], {CONF_API_KEY: NEW_SMS_KEY}
    )
    assert result["type"] is FlowResultType.ABORT
    assert result["reason"] == "reauth_successful"
    assert entry.data[CONF_API_KEY] == NEW_SMS_KEY
    assert entry.unique_id == f"{SERVICE_SMS}_{hash_api_key(SMS_KEY)}"
    await hass.async_block_till_done()


async def test_reauth_voice_partner(
    hass: HomeAssistant, aioclient_mock: AiohttpClientMocker
) -> None:
    """Voice Partner has no account identity: any valid key is taken."""
    entry = voice_entry()
    entry.add_to_hass(hass)
    aioclient_mock.get(
        f"https://api.voicepartner.fr/v1/me/{NEW_VOICE_KEY}", json=voice_payload()
    )
    aioclient_mock.get(VOICE_URL, json=voice_payload())
    result = await entry.start_reauth_flow(hass)
    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], {CONF_API_KEY: NEW_VOICE_KEY}
    )
    assert result["type"] is FlowResultType.ABORT
    assert result["reason"] == "reauth_successful"
    assert entry.data[CONF_API_KEY] == NEW_VOICE_KEY
    await hass.async_block_till_done()


async def test_reconfigure(
    hass: HomeAssistant, aioclient_mock: AiohttpClientMocker
) -> None:
    """The key can be changed for one of the same account, e-mail case aside."""
    entry = sms_entry()
    entry.add_to_hass(hass)
    same = sms_payload()
    same["user"] = {"username": USERNAME.upper()}
    aioclient_mock.get(SMS_URL, json=same)
    result = await entry.start_reconfigure_flow(hass)
    assert result["type"] is FlowResultType.FORM
    assert result["step_id"] == "reconfigure"
    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], {CONF_API_KEY: NEW_SMS_KEY}
    )
    assert result["type"] is FlowResultType.ABORT
    assert result["reason"] == "reconfigure_successful"
    assert entry.data[CONF_API_KEY] == NEW_SMS_KEY
    assert entry.title == f"SMS Partner ({USERNAME.upper()})"
    await hass.async_block_till_done()


async def test_reconfigure_errors(
    hass: HomeAssistant, aioclient_mock: AiohttpClientMocker
) -> None:
    """A failing check keeps the form open and the old key."""
    entry = sms_entry()
    entry.add_to_hass(hass)
    aioclient_mock.get(SMS_URL, status=503)
    result = await entry.start_reconfigure_flow(hass)
    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], {CONF_API_KEY: NEW_SMS_KEY}
    )
    assert result["type"] is FlowResultType.FORM
    assert result["errors"] == {"base": "cannot_connect"}
    assert entry.data[CONF_API_KEY] == SMS_KEY


@pytest.mark.parametrize("source", ["reauth", "reconfigure"])
async def test_wrong_account(
    hass: HomeAssistant, aioclient_mock: AiohttpClientMocker, source: str
) -> None:
    """A key of another SMS Partner account is refused and the entry is kept."""
    entry = sms_entry()
    entry.add_to_hass(hass)
    other = sms_payload()
    other["user"] = {"username": "someone@else.fr"}
    aioclient_mock.get(SMS_URL, json=other)
    if source == "reauth":
        result = await entry.start_reauth_flow(hass)
    else:
        result = await entry.start_reconfigure_flow(hass)
    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], {CONF_API_KEY: NEW_SMS_KEY}
    )
    assert result["type"] is FlowResultType.ABORT
    assert result["reason"] == "wrong_account"
    assert entry.data[CONF_API_KEY] == SMS_KEY


async def test_reconfigure_key_of_another_entry(
    hass: HomeAssistant, aioclient_mock: AiohttpClientMocker
) -> None:
    """A key another entry already uses aborts without a request."""
    entry = sms_entry()
    entry.add_to_hass(hass)
    other = voice_entry()
    other.add_to_hass(hass)
    result = await entry.start_reconfigure_flow(hass)
    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], {CONF_API_KEY: VOICE_KEY}
    )
    assert result["type"] is FlowResultType.ABORT
    assert result["reason"] == "already_configured"
    assert aioclient_mock.call_count == 0
