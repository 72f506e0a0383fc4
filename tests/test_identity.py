"""Account identity in the flows: one entry per account, keys of other accounts refused."""

from __future__ import annotations

from unittest.mock import MagicMock

import pytest
from pytest_homeassistant_custom_component.common import MockConfigEntry

from custom_components.smspartner.const import CONF_ACCOUNT, CONF_PRODUCT, DOMAIN
from custom_components.smspartner.identity import async_key_fingerprint
from custom_components.smspartner.product import Product
from homeassistant.config_entries import SOURCE_USER
from homeassistant.const import CONF_API_KEY
from homeassistant.core import HomeAssistant
from homeassistant.data_entry_flow import FlowResultType

from .conftest import (
    ACCOUNT_ID,
    OTHER_USERNAME,
    SMS_KEY,
    SMS_ONLY,
    USERNAME,
    VOICE_KEY,
    VOICE_ONLY,
    load_translations,
    other_sms_entry,
    sha256_hex,
    sms_entry,
    voice_entry,
)
from .flow_helpers import NEW_SMS_KEY, NEW_VOICE_KEY, add_key, replace_key, sms_account

pytestmark = pytest.mark.usefixtures("mock_client")


@pytest.mark.parametrize("source", ["reauth", "reconfigure"])
@pytest.mark.parametrize(
    ("configured", "reason"),
    [
        pytest.param(False, "wrong_account", id="unconfigured account"),
        pytest.param(True, "another_account", id="configured account"),
    ],
)
@SMS_ONLY
async def test_key_of_another_account(
    hass: HomeAssistant,
    mock_client: MagicMock,
    *,
    source: str,
    configured: bool,
    reason: str,
) -> None:
    """A key of another account is refused, saying whether that one is set up."""
    entry = sms_entry()
    entry.add_to_hass(hass)
    if configured:
        other_sms_entry().add_to_hass(hass)
    mock_client.async_get_credits.return_value = sms_account(OTHER_USERNAME)
    result = await replace_key(hass, entry, source, NEW_SMS_KEY)
    assert result["type"] is FlowResultType.ABORT
    assert result["reason"] == reason
    assert entry.data[CONF_API_KEY] == SMS_KEY


@pytest.mark.parametrize(
    ("language", "reason", "words"),
    [
        ("en", "another_account", ("another account", "already set up")),
        ("en", "wrong_account", ("another SMS Partner account", "this entry")),
        ("fr", "another_account", ("un autre compte déjà configuré", "propre compte")),
        ("fr", "wrong_account", ("un autre compte SMS Partner", "cette entrée")),
    ],
)
def test_account_abort_texts(
    language: str, reason: str, words: tuple[str, ...]
) -> None:
    """The aborts of a key of another account say whose the key is."""
    text = load_translations(language)["config"]["abort"][reason]
    assert all(word in text for word in words)


@SMS_ONLY
async def test_reconfigure_key_of_another_entry(
    hass: HomeAssistant, mock_client: MagicMock
) -> None:
    """A key another entry already uses aborts without a request."""
    entry = sms_entry()
    entry.add_to_hass(hass)
    other = voice_entry()
    other.add_to_hass(hass)
    result = await replace_key(hass, entry, "reconfigure", VOICE_KEY)
    assert result["type"] is FlowResultType.ABORT
    assert result["reason"] == "another_account"
    mock_client.async_get_credits.assert_not_called()


@SMS_ONLY
async def test_user_same_account_other_key(
    hass: HomeAssistant, mock_client: MagicMock
) -> None:
    """Another key of a configured SMS Partner account aborts, e-mail case aside."""
    sms_entry().add_to_hass(hass)
    mock_client.async_get_credits.return_value = sms_account(USERNAME.upper())
    result = await add_key(hass, Product.SMS_PARTNER, NEW_SMS_KEY)
    assert result["type"] is FlowResultType.ABORT
    assert result["reason"] == "already_configured"
    assert len(hass.config_entries.async_entries(DOMAIN)) == 1


@SMS_ONLY
async def test_user_account_in_progress(hass: HomeAssistant) -> None:
    """A key of an account another open flow is adding aborts as in progress."""
    await hass.config_entries.flow.async_init(
        DOMAIN, context={"source": SOURCE_USER, "unique_id": ACCOUNT_ID}
    )
    result = await add_key(hass, Product.SMS_PARTNER, SMS_KEY)
    assert result["type"] is FlowResultType.ABORT
    assert result["reason"] == "already_in_progress"


@VOICE_ONLY
async def test_reconfigure_voice_frees_the_old_key(hass: HomeAssistant) -> None:
    """After a new key, the old one can be added again as another account."""
    entry = voice_entry()
    entry.add_to_hass(hass)
    hass.config_entries.async_update_entry(
        entry,
        unique_id=await async_key_fingerprint(hass, Product.VOICE_PARTNER, VOICE_KEY),
    )
    result = await replace_key(hass, entry, "reconfigure", NEW_VOICE_KEY)
    assert result["reason"] == "reconfigure_successful"
    await hass.async_block_till_done()

    result = await add_key(hass, Product.VOICE_PARTNER, VOICE_KEY)
    assert result["type"] is FlowResultType.CREATE_ENTRY
    assert result["result"].unique_id == await async_key_fingerprint(
        hass, Product.VOICE_PARTNER, VOICE_KEY
    )
    assert result["result"].unique_id != entry.unique_id


@pytest.mark.parametrize(
    ("username", "reason"),
    [
        pytest.param(USERNAME, "another_account", id="account of another entry"),
        pytest.param("new@example.com", "reconfigure_successful", id="new account"),
    ],
)
@SMS_ONLY
async def test_reconfigure_entry_without_account(
    hass: HomeAssistant, mock_client: MagicMock, username: str, reason: str
) -> None:
    """An entry whose account was unknown takes a key of no configured account."""
    sms_entry().add_to_hass(hass)
    entry = MockConfigEntry(
        domain=DOMAIN,
        title="SMS Partner",
        version=2,
        unique_id="sms-key-fingerprint",
        data={
            CONF_PRODUCT: Product.SMS_PARTNER,
            CONF_API_KEY: "old",
            CONF_ACCOUNT: None,
        },
    )
    entry.add_to_hass(hass)
    mock_client.async_get_credits.return_value = sms_account(username)
    result = await replace_key(hass, entry, "reconfigure", NEW_SMS_KEY)
    assert result["type"] is FlowResultType.ABORT
    assert result["reason"] == reason
    if reason == "reconfigure_successful":
        account = sha256_hex(username)
        assert entry.unique_id == entry.data[CONF_ACCOUNT] == account
        await hass.async_block_till_done()
    else:
        assert entry.data[CONF_API_KEY] == "old"
