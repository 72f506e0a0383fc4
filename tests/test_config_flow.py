"""Tests of the config flow: add, re-authenticate and reconfigure."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from freezegun.api import FrozenDateTimeFactory
import pytest
from pytest_homeassistant_custom_component.test_util.aiohttp import AiohttpClientMocker

from custom_components.smspartner.const import CONF_ACCOUNT, CONF_PRODUCT, DOMAIN
from custom_components.smspartner.identity import async_key_fingerprint
from custom_components.smspartner.product import Product
from homeassistant.const import CONF_API_KEY, CONF_WEBHOOK_ID
from homeassistant.core import HomeAssistant
from homeassistant.data_entry_flow import FlowResultType

from .conftest import (
    ACCOUNT_ID,
    ERROR_BODY,
    SMS_KEY,
    SMS_URL,
    USERNAME,
    VOICE_KEY,
    VOICE_URL,
    sha256_hex,
    sms_entry,
    sms_payload,
    voice_entry,
    voice_payload,
)
from .flow_helpers import start_flow

COMPONENT = Path(__file__).parent.parent / "custom_components" / DOMAIN
NEW_SMS_KEY = "sms-new-key-abcdef"
NEW_VOICE_KEY = "voice-new-key-abcdef"


async def test_user_sms_partner(
    hass: HomeAssistant, aioclient_mock: AiohttpClientMocker
) -> None:
    """An SMS Partner key creates an entry titled with the account e-mail."""
    aioclient_mock.get(SMS_URL, json=sms_payload())
    result = await start_flow(hass, Product.SMS_PARTNER)
    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], {CONF_API_KEY: f"  {SMS_KEY} "}
    )
    assert result["type"] is FlowResultType.CREATE_ENTRY
    assert result["title"] == f"SMS Partner ({USERNAME})"
    assert result["data"] == {
        CONF_PRODUCT: Product.SMS_PARTNER,
        CONF_API_KEY: SMS_KEY,
        CONF_ACCOUNT: ACCOUNT_ID,
        CONF_WEBHOOK_ID: result["data"][CONF_WEBHOOK_ID],
    }
    # A webhook ID of its own, as hard to guess as core's.
    assert len(bytes.fromhex(result["data"][CONF_WEBHOOK_ID])) == 32
    assert result["result"].unique_id == ACCOUNT_ID


async def test_user_voice_partner(
    hass: HomeAssistant, aioclient_mock: AiohttpClientMocker
) -> None:
    """A Voice Partner key creates an entry titled Voice Partner."""
    aioclient_mock.get(VOICE_URL, json=voice_payload())
    result = await start_flow(hass, Product.VOICE_PARTNER)
    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], {CONF_API_KEY: VOICE_KEY}
    )
    assert result["type"] is FlowResultType.CREATE_ENTRY
    assert result["title"] == "Voice Partner"
    assert result["data"] == {
        CONF_PRODUCT: Product.VOICE_PARTNER,
        CONF_API_KEY: VOICE_KEY,
        CONF_ACCOUNT: None,
        CONF_WEBHOOK_ID: result["data"][CONF_WEBHOOK_ID],
    }
    assert len(bytes.fromhex(result["data"][CONF_WEBHOOK_ID])) == 32
    fingerprint = await async_key_fingerprint(hass, Product.VOICE_PARTNER, VOICE_KEY)
    assert result["result"].unique_id == fingerprint
    assert fingerprint not in (sha256_hex(VOICE_KEY), VOICE_KEY)


async def test_user_sms_partner_without_username(
    hass: HomeAssistant, aioclient_mock: AiohttpClientMocker
) -> None:
    """Without a user block the title is the service name alone."""
    aioclient_mock.get(SMS_URL, json={**sms_payload(), "user": {}})
    result = await start_flow(hass, Product.SMS_PARTNER)
    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], {CONF_API_KEY: SMS_KEY}
    )
    assert result["type"] is FlowResultType.CREATE_ENTRY
    assert result["title"] == "SMS Partner"
    assert result["data"][CONF_ACCOUNT] is None
    assert result["result"].unique_id == await async_key_fingerprint(
        hass, Product.SMS_PARTNER, SMS_KEY
    )


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
            {"json": {"success": False, "code": 1, "message": "Clé requise"}},
            "invalid_auth",
            id="key missing",
        ),
        pytest.param(
            {"json": {"success": False, "code": 20, "message": "Compte désactivé"}},
            "account_deactivated",
            id="account deactivated",
        ),
        pytest.param(
            {"json": {"success": False, "code": 30, "message": "blocked"}},
            "account_blocked",
            id="account blocked",
        ),
        pytest.param(
            {"json": {"success": False, "code": 99, "message": "Maintenance"}},
            "api_error",
            id="other code",
        ),
        pytest.param(
            {"status": 400, "json": {"success": False}}, "api_error", id="no code"
        ),
    ],
)
async def test_user_errors_then_recovery(
    hass: HomeAssistant,
    aioclient_mock: AiohttpClientMocker,
    freezer: FrozenDateTimeFactory,
    *,
    caplog: pytest.LogCaptureFixture,
    response: dict[str, Any],
    error: str,
) -> None:
    """Each failure shows its error; a later valid answer creates the entry.

    Only an unexpected exception logs a traceback.
    """
    aioclient_mock.get(VOICE_URL, **response)
    result = await start_flow(hass, Product.VOICE_PARTNER)
    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], {CONF_API_KEY: VOICE_KEY}
    )
    assert result["type"] is FlowResultType.FORM
    assert result["errors"] == {"base": error}
    assert result["description_placeholders"] is not None
    assert result["description_placeholders"]["url"] == "https://my.voicepartner.fr/"
    tracebacks = [record for record in caplog.records if record.exc_info]
    assert len(tracebacks) == (error == "unknown")

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
    result = await start_flow(hass, Product.VOICE_PARTNER)
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
    result = await start_flow(hass, Product.SMS_PARTNER)
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
    assert result["description_placeholders"] is not None
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
    assert entry.unique_id == ACCOUNT_ID
    await hass.async_block_till_done()


async def test_reauth_voice_partner(
    hass: HomeAssistant, aioclient_mock: AiohttpClientMocker
) -> None:
    """Voice Partner has no account identity: any valid key is taken.

    The new key's fingerprint becomes the unique ID.
    """
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
    assert entry.unique_id == await async_key_fingerprint(
        hass, Product.VOICE_PARTNER, NEW_VOICE_KEY
    )
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


async def test_api_error_shows_the_provider_message(
    hass: HomeAssistant, aioclient_mock: AiohttpClientMocker
) -> None:
    """An undocumented error code shows the provider's message, without the key."""
    aioclient_mock.get(
        VOICE_URL,
        json={"success": False, "code": 99, "message": f"Maintenance of {VOICE_KEY}"},
    )
    result = await start_flow(hass, Product.VOICE_PARTNER)
    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], {CONF_API_KEY: VOICE_KEY}
    )
    assert result["errors"] == {"base": "api_error"}
    assert result["description_placeholders"] is not None
    assert result["description_placeholders"]["message"] == (
        "Maintenance of **REDACTED**"
    )


NOT_KEYS = [
    pytest.param("", id="empty"),
    pytest.param("   ", id="blank"),
    pytest.param("key\ud800", id="lone surrogate"),
    pytest.param("clé-api", id="non-ASCII"),
    pytest.param("two words", id="space inside"),
    pytest.param("tab\tkey", id="tab inside"),
    pytest.param(".", id="dot"),
    pytest.param("..", id="two dots"),
]


@pytest.mark.parametrize("service", [Product.SMS_PARTNER, Product.VOICE_PARTNER])
@pytest.mark.parametrize("api_key", NOT_KEYS)
async def test_user_refuses_what_is_no_key(
    hass: HomeAssistant, aioclient_mock: AiohttpClientMocker, service: str, api_key: str
) -> None:
    """What cannot be a key is a field error, before any request."""
    result = await start_flow(hass, service)
    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], {CONF_API_KEY: api_key}
    )
    assert result["type"] is FlowResultType.FORM
    assert result["errors"] == {CONF_API_KEY: "invalid_api_key"}
    assert aioclient_mock.call_count == 0


@pytest.mark.parametrize("source", ["reauth", "reconfigure"])
@pytest.mark.parametrize("api_key", NOT_KEYS)
async def test_replace_key_refuses_what_is_no_key(
    hass: HomeAssistant, aioclient_mock: AiohttpClientMocker, source: str, api_key: str
) -> None:
    """Reauth and reconfigure refuse what cannot be a key, before any request."""
    entry = voice_entry()
    entry.add_to_hass(hass)
    if source == "reauth":
        result = await entry.start_reauth_flow(hass)
    else:
        result = await entry.start_reconfigure_flow(hass)
    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], {CONF_API_KEY: api_key}
    )
    assert result["type"] is FlowResultType.FORM
    assert result["errors"] == {CONF_API_KEY: "invalid_api_key"}
    assert aioclient_mock.call_count == 0
    assert entry.data[CONF_API_KEY] == VOICE_KEY
