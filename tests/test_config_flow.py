"""Tests of the config flow: add, re-authenticate and reconfigure."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
import json
from pathlib import Path
import time
from typing import Any

from freezegun.api import FrozenDateTimeFactory
import pytest
from pytest_homeassistant_custom_component.common import (
    MockConfigEntry,
    async_fire_time_changed,
)
from pytest_homeassistant_custom_component.test_util.aiohttp import (
    AiohttpClientMocker,
    AiohttpClientMockResponse,
)

from custom_components.smspartner.const import (
    CONF_ACCOUNT,
    CONF_PHONE_NUMBERS,
    CONF_PRODUCT,
    DOMAIN,
    SUBENTRY_RECIPIENT,
    UPDATE_INTERVAL,
)
from custom_components.smspartner.identity import async_key_fingerprint
from custom_components.smspartner.product import Product
from homeassistant.config_entries import SOURCE_USER, ConfigFlowResult
from homeassistant.const import CONF_API_KEY, CONF_NAME
from homeassistant.core import HomeAssistant
from homeassistant.data_entry_flow import FlowResultType
from homeassistant.helpers.json import json_bytes
from homeassistant.util.json import json_loads

from .conftest import (
    ACCOUNT_ID,
    ERROR_BODY,
    SMS_KEY,
    SMS_URL,
    USERNAME,
    VOICE_KEY,
    VOICE_URL,
    setup_integration,
    sha256_hex,
    sms_entry,
    sms_payload,
    voice_entry,
    voice_payload,
)

COMPONENT = Path(__file__).parent.parent / "custom_components" / DOMAIN
NEW_SMS_KEY = "sms-new-key-abcdef"
NEW_VOICE_KEY = "voice-new-key-abcdef"


async def _start(hass: HomeAssistant, service: str) -> ConfigFlowResult:
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


async def test_user_sms_partner(
    hass: HomeAssistant, aioclient_mock: AiohttpClientMocker
) -> None:
    """An SMS Partner key creates an entry titled with the account e-mail."""
    aioclient_mock.get(SMS_URL, json=sms_payload())
    result = await _start(hass, Product.SMS_PARTNER)
    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], {CONF_API_KEY: f"  {SMS_KEY} "}
    )
    assert result["type"] is FlowResultType.CREATE_ENTRY
    assert result["title"] == f"SMS Partner ({USERNAME})"
    assert result["data"] == {
        CONF_PRODUCT: Product.SMS_PARTNER,
        CONF_API_KEY: SMS_KEY,
        CONF_ACCOUNT: ACCOUNT_ID,
    }
    assert result["result"].unique_id == ACCOUNT_ID


async def test_user_voice_partner(
    hass: HomeAssistant, aioclient_mock: AiohttpClientMocker
) -> None:
    """A Voice Partner key creates an entry titled Voice Partner."""
    aioclient_mock.get(VOICE_URL, json=voice_payload())
    result = await _start(hass, Product.VOICE_PARTNER)
    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], {CONF_API_KEY: VOICE_KEY}
    )
    assert result["type"] is FlowResultType.CREATE_ENTRY
    assert result["title"] == "Voice Partner"
    assert result["data"] == {
        CONF_PRODUCT: Product.VOICE_PARTNER,
        CONF_API_KEY: VOICE_KEY,
        CONF_ACCOUNT: None,
    }
    fingerprint = await async_key_fingerprint(hass, Product.VOICE_PARTNER, VOICE_KEY)
    assert result["result"].unique_id == fingerprint
    assert fingerprint not in (sha256_hex(VOICE_KEY), VOICE_KEY)


async def test_user_sms_partner_without_username(
    hass: HomeAssistant, aioclient_mock: AiohttpClientMocker
) -> None:
    """Without a user block the title is the service name alone."""
    aioclient_mock.get(SMS_URL, json={**sms_payload(), "user": {}})
    result = await _start(hass, Product.SMS_PARTNER)
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
    result = await _start(hass, Product.VOICE_PARTNER)
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
    result = await _start(hass, Product.VOICE_PARTNER)
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
    result = await _start(hass, Product.SMS_PARTNER)
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
    result = await _start(hass, Product.SMS_PARTNER)
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
    result = await _start(hass, Product.SMS_PARTNER)
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

    result = await _start(hass, Product.VOICE_PARTNER)
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


async def test_api_error_shows_the_provider_message(
    hass: HomeAssistant, aioclient_mock: AiohttpClientMocker
) -> None:
    """An undocumented error code shows the provider's message, without the key."""
    aioclient_mock.get(
        VOICE_URL,
        json={"success": False, "code": 99, "message": f"Maintenance of {VOICE_KEY}"},
    )
    result = await _start(hass, Product.VOICE_PARTNER)
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
    result = await _start(hass, service)
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


async def test_wrong_keys_stay_within_the_host_budget(
    hass: HomeAssistant,
    aioclient_mock: AiohttpClientMocker,
    freezer: FrozenDateTimeFactory,
) -> None:
    """Key after wrong key, with polling, Voice Partner gets 5 requests a minute at most."""
    times: list[float] = []

    def answer(body: dict[str, Any]) -> Callable[..., Awaitable[Any]]:
        async def record(method: str, url: Any, data: Any) -> Any:
            times.append(time.monotonic())
            return AiohttpClientMockResponse(method, url, json=body)

        return record

    aioclient_mock.get(VOICE_URL, side_effect=answer(voice_payload()))
    wrong_keys = [f"wrong-key-{index:02d}" for index in range(40)]
    for key in wrong_keys:
        aioclient_mock.get(
            f"https://api.voicepartner.fr/v1/me/{key}", side_effect=answer(ERROR_BODY)
        )
    entry = voice_entry()
    await setup_integration(hass, entry)

    errors: list[str] = []
    result = await _start(hass, Product.VOICE_PARTNER)
    for batch in (wrong_keys[:20], wrong_keys[20:]):
        for key in batch:
            result = await hass.config_entries.flow.async_configure(
                result["flow_id"], {CONF_API_KEY: key}
            )
            assert result["errors"] is not None
            errors.append(result["errors"]["base"])
            freezer.tick(2)
        # The next poll, then twenty more keys at once.
        freezer.tick(UPDATE_INTERVAL)
        async_fire_time_changed(hass)
        await hass.async_block_till_done()

    assert errors.count("invalid_auth") + errors.count("rate_limited") == 40
    assert "rate_limited" in errors
    assert entry.runtime_data.last_update_success
    assert len(times) > 5
    assert max(sum(start <= t < start + 60 for t in times) for start in times) <= 5
