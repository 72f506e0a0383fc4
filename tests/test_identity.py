"""Account identity in the flows: one entry per account, keys of other accounts refused."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from pytest_homeassistant_custom_component.common import MockConfigEntry
from pytest_homeassistant_custom_component.test_util.aiohttp import AiohttpClientMocker

from custom_components.smspartner.const import CONF_ACCOUNT, CONF_PRODUCT, DOMAIN
from custom_components.smspartner.identity import async_key_fingerprint
from custom_components.smspartner.product import Product
from homeassistant.config_entries import SOURCE_USER
from homeassistant.const import CONF_API_KEY
from homeassistant.core import HomeAssistant
from homeassistant.data_entry_flow import FlowResultType

from .conftest import (
    ACCOUNT_ID,
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


@pytest.mark.parametrize("source", ["reauth", "reconfigure"])
async def test_key_of_another_configured_account(
    hass: HomeAssistant, aioclient_mock: AiohttpClientMocker, source: str
) -> None:
    """A new key of another configured account says so, not "add it as new"."""
    entry = sms_entry()
    entry.add_to_hass(hass)
    other = MockConfigEntry(
        domain=DOMAIN,
        title="SMS Partner (someone@else.fr)",
        version=2,
        unique_id=sha256_hex("someone@else.fr"),
        data={
            CONF_PRODUCT: Product.SMS_PARTNER,
            CONF_API_KEY: "sms-other-key-0000",
            CONF_ACCOUNT: sha256_hex("someone@else.fr"),
        },
    )
    other.add_to_hass(hass)
    answer = sms_payload()
    answer["user"] = {"username": "someone@else.fr"}
    aioclient_mock.get(SMS_URL, json=answer)
    if source == "reauth":
        result = await entry.start_reauth_flow(hass)
    else:
        result = await entry.start_reconfigure_flow(hass)
    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], {CONF_API_KEY: NEW_SMS_KEY}
    )
    assert result["type"] is FlowResultType.ABORT
    assert result["reason"] == "another_account"
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
    path = COMPONENT / "translations" / f"{language}.json"
    text = json.loads(path.read_text())["config"]["abort"][reason]
    assert all(word in text for word in words)


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
    assert result["reason"] == "another_account"
    assert aioclient_mock.call_count == 0


async def test_user_same_account_other_key(
    hass: HomeAssistant, aioclient_mock: AiohttpClientMocker
) -> None:
    """Another key of a configured SMS Partner account aborts, e-mail case aside."""
    sms_entry().add_to_hass(hass)
    same = sms_payload()
    same["user"] = {"username": USERNAME.upper()}
    aioclient_mock.get(SMS_URL, params={"apiKey": NEW_SMS_KEY}, json=same)
    result = await start_flow(hass, Product.SMS_PARTNER)
    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], {CONF_API_KEY: NEW_SMS_KEY}
    )
    assert result["type"] is FlowResultType.ABORT
    assert result["reason"] == "already_configured"
    assert len(hass.config_entries.async_entries(DOMAIN)) == 1


async def test_user_account_in_progress(
    hass: HomeAssistant, aioclient_mock: AiohttpClientMocker
) -> None:
    """A key of an account another open flow is adding aborts as in progress."""
    await hass.config_entries.flow.async_init(
        DOMAIN, context={"source": SOURCE_USER, "unique_id": ACCOUNT_ID}
    )
    aioclient_mock.get(SMS_URL, json=sms_payload())
    result = await start_flow(hass, Product.SMS_PARTNER)
    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], {CONF_API_KEY: SMS_KEY}
    )
    assert result["type"] is FlowResultType.ABORT
    assert result["reason"] == "already_in_progress"


async def test_reconfigure_voice_frees_the_old_key(
    hass: HomeAssistant, aioclient_mock: AiohttpClientMocker
) -> None:
    """After a new key, the old one can be added again as another account."""
    entry = voice_entry()
    entry.add_to_hass(hass)
    hass.config_entries.async_update_entry(
        entry,
        unique_id=await async_key_fingerprint(hass, Product.VOICE_PARTNER, VOICE_KEY),
    )
    aioclient_mock.get(
        f"https://api.voicepartner.fr/v1/me/{NEW_VOICE_KEY}", json=voice_payload()
    )
    aioclient_mock.get(VOICE_URL, json=voice_payload())
    result = await entry.start_reconfigure_flow(hass)
    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], {CONF_API_KEY: NEW_VOICE_KEY}
    )
    assert result["reason"] == "reconfigure_successful"
    await hass.async_block_till_done()

    result = await start_flow(hass, Product.VOICE_PARTNER)
    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], {CONF_API_KEY: VOICE_KEY}
    )
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
async def test_reconfigure_entry_without_account(
    hass: HomeAssistant,
    aioclient_mock: AiohttpClientMocker,
    username: str,
    reason: str,
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
    answer = sms_payload()
    answer["user"] = {"username": username}
    aioclient_mock.get(SMS_URL, json=answer)
    result = await entry.start_reconfigure_flow(hass)
    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], {CONF_API_KEY: NEW_SMS_KEY}
    )
    assert result["type"] is FlowResultType.ABORT
    assert result["reason"] == reason
    if reason == "reconfigure_successful":
        account = sha256_hex(username)
        assert entry.unique_id == entry.data[CONF_ACCOUNT] == account
        await hass.async_block_till_done()
    else:
        assert entry.data[CONF_API_KEY] == "old"
