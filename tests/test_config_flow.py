"""Tests of the config flow: add, re-authenticate and reconfigure."""

from __future__ import annotations

from unittest.mock import MagicMock

import pytest

from custom_components.smspartner.api import (
    SmsPartnerApiError,
    SmsPartnerAuthenticationError,
    SmsPartnerConnectionError,
    SmsPartnerInvalidResponseError,
    SmsPartnerRateLimitError,
)
from custom_components.smspartner.const import CONF_ACCOUNT, CONF_PRODUCT
from custom_components.smspartner.identity import async_key_fingerprint
from custom_components.smspartner.product import PRODUCTS, Product
from homeassistant.const import CONF_API_KEY, CONF_WEBHOOK_ID
from homeassistant.core import HomeAssistant
from homeassistant.data_entry_flow import FlowResultType

from .conftest import (
    ACCOUNT_ID,
    SMS_KEY,
    SMS_ONLY,
    USERNAME,
    VOICE_KEY,
    VOICE_ONLY,
    sha256_hex,
    sms_entry,
    voice_entry,
)
from .flow_helpers import (
    NEW_SMS_KEY,
    NEW_VOICE_KEY,
    sms_account,
    start_flow,
    start_replace_flow,
    submit_key,
)

pytestmark = pytest.mark.usefixtures("mock_client")


@SMS_ONLY
async def test_user_sms_partner(hass: HomeAssistant) -> None:
    """An SMS Partner key, blanks trimmed, creates an entry titled with the e-mail."""
    result = await start_flow(hass, Product.SMS_PARTNER)
    result = await submit_key(hass, result, f"  {SMS_KEY} ")
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


@VOICE_ONLY
async def test_user_voice_partner(hass: HomeAssistant) -> None:
    """A Voice Partner key creates an entry titled Voice Partner."""
    result = await start_flow(hass, Product.VOICE_PARTNER)
    result = await submit_key(hass, result, VOICE_KEY)
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


@SMS_ONLY
async def test_user_sms_partner_without_username(
    hass: HomeAssistant, mock_client: MagicMock
) -> None:
    """Without a user block the title is the service name alone."""
    mock_client.async_get_credits.return_value = sms_account(None)
    result = await start_flow(hass, Product.SMS_PARTNER)
    result = await submit_key(hass, result, SMS_KEY)
    assert result["type"] is FlowResultType.CREATE_ENTRY
    assert result["title"] == "SMS Partner"
    assert result["data"][CONF_ACCOUNT] is None
    assert result["result"].unique_id == await async_key_fingerprint(
        hass, Product.SMS_PARTNER, SMS_KEY
    )


@pytest.mark.parametrize(
    ("error", "shown"),
    [
        pytest.param(SmsPartnerAuthenticationError("10"), "invalid_auth", id="auth"),
        pytest.param(SmsPartnerConnectionError("500"), "cannot_connect", id="conn"),
        pytest.param(
            SmsPartnerInvalidResponseError("HTML"), "cannot_connect", id="HTML"
        ),
        pytest.param(SmsPartnerRateLimitError(10), "rate_limited", id="429"),
        pytest.param(ValueError("boom"), "unknown", id="unexpected"),
        pytest.param(SmsPartnerApiError(1, "Clé requise"), "invalid_auth", id="no key"),
        pytest.param(SmsPartnerApiError(20, "off"), "account_deactivated", id="20"),
        pytest.param(SmsPartnerApiError(30, "blocked"), "account_blocked", id="30"),
        pytest.param(SmsPartnerApiError(99, "Maintenance"), "api_error", id="99"),
        pytest.param(SmsPartnerApiError(None, "HTTP 400"), "api_error", id="no code"),
    ],
)
async def test_user_errors_then_recovery(
    hass: HomeAssistant,
    mock_client: MagicMock,
    product: Product,
    *,
    caplog: pytest.LogCaptureFixture,
    error: Exception,
    shown: str,
) -> None:
    """Each failure shows its error; a later valid answer creates the entry.

    Only an unexpected exception logs a traceback.
    """
    mock_client.async_get_credits.side_effect = error
    result = await start_flow(hass, product)
    result = await submit_key(hass, result, VOICE_KEY)
    assert result["type"] is FlowResultType.FORM
    assert result["errors"] == {"base": shown}
    assert result["description_placeholders"] is not None
    assert result["description_placeholders"]["url"] == PRODUCTS[product].customer_site
    tracebacks = [record for record in caplog.records if record.exc_info]
    assert len(tracebacks) == (shown == "unknown")

    mock_client.async_get_credits.side_effect = None
    result = await submit_key(hass, result, VOICE_KEY)
    assert result["type"] is FlowResultType.CREATE_ENTRY


@VOICE_ONLY
async def test_api_error_shows_the_provider_message(
    hass: HomeAssistant, mock_client: MagicMock
) -> None:
    """An undocumented error code shows the provider's message (redacted by the client)."""
    mock_client.async_get_credits.side_effect = SmsPartnerApiError(
        99, "Maintenance of **REDACTED**"
    )
    result = await start_flow(hass, Product.VOICE_PARTNER)
    result = await submit_key(hass, result, VOICE_KEY)
    assert result["errors"] == {"base": "api_error"}
    assert result["description_placeholders"] is not None
    assert result["description_placeholders"]["message"] == (
        "Maintenance of **REDACTED**"
    )


@pytest.mark.parametrize(
    "entry_key",
    [pytest.param(SMS_KEY, id="same key"), pytest.param("other", id="renamed")],
)
@SMS_ONLY
async def test_user_already_configured(
    hass: HomeAssistant, mock_client: MagicMock, entry_key: str
) -> None:
    """The same key twice aborts before any request, whatever the entry's unique ID."""
    entry = sms_entry()
    entry.add_to_hass(hass)
    if entry_key != SMS_KEY:
        hass.config_entries.async_update_entry(entry, unique_id=entry_key)
    result = await start_flow(hass, Product.SMS_PARTNER)
    result = await submit_key(hass, result, SMS_KEY)
    assert result["type"] is FlowResultType.ABORT
    assert result["reason"] == "already_configured"
    mock_client.async_get_credits.assert_not_called()


@SMS_ONLY
async def test_reauth(hass: HomeAssistant, mock_client: MagicMock) -> None:
    """A refused key is replaced through the reauth flow; the entry reloads."""
    entry = sms_entry()
    entry.add_to_hass(hass)
    result = await entry.start_reauth_flow(hass)
    assert result["type"] is FlowResultType.FORM
    assert result["step_id"] == "reauth_confirm"
    assert result["description_placeholders"] is not None
    assert result["description_placeholders"]["title"] == entry.title

    mock_client.async_get_credits.side_effect = SmsPartnerAuthenticationError("10")
    result = await submit_key(hass, result, NEW_SMS_KEY)
    assert result["errors"] == {"base": "invalid_auth"}

    mock_client.async_get_credits.side_effect = None
    result = await submit_key(hass, result, NEW_SMS_KEY)
    assert result["type"] is FlowResultType.ABORT
    assert result["reason"] == "reauth_successful"
    assert entry.data[CONF_API_KEY] == NEW_SMS_KEY
    assert entry.unique_id == ACCOUNT_ID
    await hass.async_block_till_done()


@VOICE_ONLY
async def test_reauth_voice_partner(hass: HomeAssistant) -> None:
    """Voice Partner has no account identity: any valid key is taken.

    The new key's fingerprint becomes the unique ID.
    """
    entry = voice_entry()
    entry.add_to_hass(hass)
    result = await entry.start_reauth_flow(hass)
    result = await submit_key(hass, result, NEW_VOICE_KEY)
    assert result["type"] is FlowResultType.ABORT
    assert result["reason"] == "reauth_successful"
    assert entry.data[CONF_API_KEY] == NEW_VOICE_KEY
    assert entry.unique_id == await async_key_fingerprint(
        hass, Product.VOICE_PARTNER, NEW_VOICE_KEY
    )
    await hass.async_block_till_done()


@SMS_ONLY
async def test_reconfigure(hass: HomeAssistant, mock_client: MagicMock) -> None:
    """The key can be changed for one of the same account, e-mail case aside."""
    entry = sms_entry()
    entry.add_to_hass(hass)
    mock_client.async_get_credits.return_value = sms_account(USERNAME.upper())
    result = await entry.start_reconfigure_flow(hass)
    assert result["type"] is FlowResultType.FORM
    assert result["step_id"] == "reconfigure"
    result = await submit_key(hass, result, NEW_SMS_KEY)
    assert result["type"] is FlowResultType.ABORT
    assert result["reason"] == "reconfigure_successful"
    assert entry.data[CONF_API_KEY] == NEW_SMS_KEY
    assert entry.title == f"SMS Partner ({USERNAME.upper()})"
    await hass.async_block_till_done()


@SMS_ONLY
async def test_reconfigure_errors(hass: HomeAssistant, mock_client: MagicMock) -> None:
    """A failing check keeps the form open and the old key."""
    entry = sms_entry()
    entry.add_to_hass(hass)
    mock_client.async_get_credits.side_effect = SmsPartnerConnectionError("503")
    result = await entry.start_reconfigure_flow(hass)
    result = await submit_key(hass, result, NEW_SMS_KEY)
    assert result["type"] is FlowResultType.FORM
    assert result["errors"] == {"base": "cannot_connect"}
    assert entry.data[CONF_API_KEY] == SMS_KEY


# What cannot be a key, by what it is.
NOT_KEYS = {
    "empty": "",
    "blank": "   ",
    "lone surrogate": "key\ud800",
    "non-ASCII": "clé-api",
    "space inside": "two words",
    "tab inside": "tab\tkey",
    "dot": ".",
    "two dots": "..",
}


@pytest.mark.parametrize("api_key", NOT_KEYS.values(), ids=list(NOT_KEYS))
async def test_user_refuses_what_is_no_key(
    hass: HomeAssistant, mock_client: MagicMock, product: Product, api_key: str
) -> None:
    """What cannot be a key is a field error, before any request."""
    result = await start_flow(hass, product)
    result = await submit_key(hass, result, api_key)
    assert result["type"] is FlowResultType.FORM
    assert result["errors"] == {CONF_API_KEY: "invalid_api_key"}
    mock_client.async_get_credits.assert_not_called()


@pytest.mark.parametrize("source", ["reauth", "reconfigure"])
@pytest.mark.parametrize("api_key", NOT_KEYS.values(), ids=list(NOT_KEYS))
@VOICE_ONLY
async def test_replace_key_refuses_what_is_no_key(
    hass: HomeAssistant, mock_client: MagicMock, source: str, api_key: str
) -> None:
    """Reauth and reconfigure refuse what cannot be a key, before any request."""
    entry = voice_entry()
    entry.add_to_hass(hass)
    result = await start_replace_flow(hass, entry, source)
    result = await submit_key(hass, result, api_key)
    assert result["type"] is FlowResultType.FORM
    assert result["errors"] == {CONF_API_KEY: "invalid_api_key"}
    mock_client.async_get_credits.assert_not_called()
    assert entry.data[CONF_API_KEY] == VOICE_KEY
