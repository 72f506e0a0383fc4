"""Log lines: each failure names its account; debug logging tells the story, keyless."""

from __future__ import annotations

from collections.abc import Iterator
import logging
import re

from freezegun.api import FrozenDateTimeFactory
import pytest
from pytest_homeassistant_custom_component.common import MockConfigEntry
from pytest_homeassistant_custom_component.test_util.aiohttp import AiohttpClientMocker

from custom_components.smspartner.api import VoicePartnerClient
from custom_components.smspartner.const import CONF_ACCOUNT, CONF_PRODUCT, DOMAIN
from custom_components.smspartner.identity import account_label
from custom_components.smspartner.product import Product
from homeassistant.config_entries import SOURCE_USER
from homeassistant.const import CONF_API_KEY
from homeassistant.core import HomeAssistant
from homeassistant.data_entry_flow import FlowResultType
from homeassistant.exceptions import ServiceValidationError
from homeassistant.helpers.aiohttp_client import async_get_clientsession

from .conftest import (
    SMS_KEY,
    SMS_SEND_URL,
    SMS_SENT,
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

SMS_LABEL = "SMS Partner (e…@email.com)"
LOGGER = "custom_components.smspartner"
OTHER_USER = "jane@example.org"
OTHER_KEY = "sms-other-key-0123456789"
NUMBERS = ["0612345678", "+33712345678"]
TEXT = "The secret text of the message"


@pytest.fixture
def debug(caplog: pytest.LogCaptureFixture) -> Iterator[pytest.LogCaptureFixture]:
    """Turn on the integration's debug logging, as `logger:` in configuration.yaml."""
    with caplog.at_level(logging.DEBUG, logger=LOGGER):
        yield caplog


def story(caplog: pytest.LogCaptureFixture) -> list[str]:
    """Return the integration's lines (the client's too), durations as N."""
    return [
        re.sub(r"in \d+ ms", "in N ms", record.getMessage())
        for record in caplog.records
        if record.name.startswith(LOGGER)
    ]


def assert_no_secret(caplog: pytest.LogCaptureFixture, *secrets: str) -> None:
    """Check that no log record, of any logger, holds a secret."""
    for record in caplog.records:
        text = f"{record.getMessage()} {record.exc_text or ''}"
        for secret in secrets:
            assert secret not in text, record.getMessage()


def other_sms_entry() -> MockConfigEntry:
    """Return the entry of a second SMS Partner account."""
    account = sha256_hex(OTHER_USER)
    return MockConfigEntry(
        domain=DOMAIN,
        title=f"SMS Partner ({OTHER_USER})",
        version=2,
        unique_id=account,
        data={
            CONF_PRODUCT: Product.SMS_PARTNER,
            CONF_API_KEY: OTHER_KEY,
            CONF_ACCOUNT: account,
        },
    )


def test_account_label() -> None:
    """A label shortens the e-mail of the title; without one, it ends the entry ID."""
    assert account_label(sms_entry()) == SMS_LABEL
    voice = voice_entry()
    assert account_label(voice) == f"Voice Partner (entry …{voice.entry_id[-4:]})"


async def test_poll_failures_name_their_account(
    hass: HomeAssistant,
    aioclient_mock: AiohttpClientMocker,
    caplog: pytest.LogCaptureFixture,
) -> None:
    """With two accounts failing, each error line says which, without its e-mail."""
    aioclient_mock.get(SMS_URL, params={"apiKey": SMS_KEY}, json=sms_payload())
    aioclient_mock.get(SMS_URL, params={"apiKey": OTHER_KEY}, json=sms_payload())
    first, second = sms_entry(), other_sms_entry()
    await setup_integration(hass, first)
    await setup_integration(hass, second)
    aioclient_mock.clear_requests()
    aioclient_mock.get(SMS_URL, status=503)
    caplog.clear()

    for entry in (first, second):
        await entry.runtime_data.coordinator.async_refresh()

    errors = [r.getMessage() for r in caplog.records if r.levelno >= logging.ERROR]
    assert len(errors) == 2
    assert SMS_LABEL in errors[0]
    assert "SMS Partner (j…@example.org)" in errors[1]
    assert_no_secret(caplog, USERNAME, OTHER_USER, SMS_KEY, OTHER_KEY)


async def test_debug_story_of_polls(
    hass: HomeAssistant,
    aioclient_mock: AiohttpClientMocker,
    freezer: FrozenDateTimeFactory,
    debug: pytest.LogCaptureFixture,
) -> None:
    """A poll, a throttled poll and a 429, keyless (the Voice key is in the path)."""
    aioclient_mock.get(VOICE_URL, json=voice_payload())
    entry = voice_entry()
    await setup_integration(hass, entry)
    label = account_label(entry)
    coordinator = entry.runtime_data.coordinator
    assert story(debug)[:2] == [
        "GET /me/**REDACTED** sent (read budget: 1 of 5 in 60 s)",
        "GET /me/**REDACTED** answered HTTP 200 in N ms",
    ]

    # Voice Partner's host budget allows 5 a minute: the 6th poll is throttled.
    for _ in range(4):
        await coordinator.async_refresh()
    debug.clear()
    await coordinator.async_refresh()
    lines = story(debug)
    assert "GET /me/**REDACTED** not sent: read budget spent, next request in 60 s" in (
        lines
    )
    assert f"{label}: request budget spent, keeping the last credits" in lines

    freezer.tick(61)
    aioclient_mock.clear_requests()
    aioclient_mock.get(VOICE_URL, status=429, headers={"Retry-After": "30"})
    debug.clear()
    await coordinator.async_refresh()
    lines = story(debug)
    assert lines[:3] == [
        "GET /me/**REDACTED** sent (read budget: 1 of 5 in 60 s)",
        "GET /me/**REDACTED** answered HTTP 429 in N ms",
        "GET /me/**REDACTED**: too many requests, read budget paused for 30 s",
    ]
    errors = [r.getMessage() for r in debug.records if r.levelno >= logging.ERROR]
    assert len(errors) == 1
    assert label in errors[0]
    assert_no_secret(debug, VOICE_KEY)


async def test_debug_story_of_a_key_check(
    hass: HomeAssistant,
    aioclient_mock: AiohttpClientMocker,
    debug: pytest.LogCaptureFixture,
) -> None:
    """The config flow logs each key check and its outcome, not the key."""
    aioclient_mock.get(VOICE_URL, json={"success": False, "code": 10})
    result = await hass.config_entries.flow.async_init(
        DOMAIN, context={"source": SOURCE_USER}
    )
    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], {"next_step_id": Product.VOICE_PARTNER}
    )
    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], {CONF_API_KEY: VOICE_KEY}
    )
    assert result["type"] is FlowResultType.FORM
    assert story(debug) == [
        "Checking a key for a new Voice Partner entry",
        "GET /me/**REDACTED** sent (read budget: 1 of 5 in 60 s)",
        "GET /me/**REDACTED** answered HTTP 200 in N ms",
        "The key for a new Voice Partner entry was not accepted: invalid_auth",
    ]
    assert_no_secret(debug, VOICE_KEY)


async def test_unexpected_key_check_error_names_the_entry(
    hass: HomeAssistant,
    aioclient_mock: AiohttpClientMocker,
    caplog: pytest.LogCaptureFixture,
) -> None:
    """An unexpected error while checking a new key names the entry it is for."""
    entry = sms_entry()
    entry.add_to_hass(hass)
    aioclient_mock.get(SMS_URL, exc=RuntimeError("boom"))
    result = await entry.start_reconfigure_flow(hass)
    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], {CONF_API_KEY: OTHER_KEY}
    )
    assert result["errors"] == {"base": "unknown"}
    (error,) = [r for r in caplog.records if r.levelno >= logging.ERROR]
    assert (
        error.getMessage() == f"Unexpected error while checking a key for {SMS_LABEL}"
    )
    assert_no_secret(caplog, USERNAME, SMS_KEY, OTHER_KEY)


async def test_debug_story_of_a_send(
    hass: HomeAssistant,
    aioclient_mock: AiohttpClientMocker,
    debug: pytest.LogCaptureFixture,
) -> None:
    """A send logs its account, how many numbers and its result; not the text."""
    aioclient_mock.get(SMS_URL, json=sms_payload())
    aioclient_mock.post(SMS_SEND_URL, json=SMS_SENT)
    entry = sms_entry()
    await setup_integration(hass, entry)
    debug.clear()
    await hass.services.async_call(
        DOMAIN,
        "send_sms",
        {"config_entry_id": entry.entry_id, "recipients": NUMBERS, "message": TEXT},
        blocking=True,
    )
    assert story(debug)[:4] == [
        f"Sending an SMS from {SMS_LABEL} to 2 numbers",
        "POST /send sent (send budget: 1 of 60 in 3600 s)",
        "POST /send answered HTTP 200 in N ms",
        f"SMS sent from {SMS_LABEL}: message 307, 1 SMS, cost 0.038 EUR",
    ]

    aioclient_mock.clear_requests()
    aioclient_mock.post(SMS_SEND_URL, json={"success": False, "code": 9})
    debug.clear()
    with pytest.raises(ServiceValidationError):
        await hass.services.async_call(
            DOMAIN,
            "send_sms",
            {"config_entry_id": entry.entry_id, "recipients": NUMBERS, "message": TEXT},
            blocking=True,
        )
    assert f"Send from {SMS_LABEL} failed: SmsPartnerInvalidRequestError (code 9)" in (
        story(debug)
    )
    assert_no_secret(debug, SMS_KEY, USERNAME, TEXT, *NUMBERS, "612345678")


async def test_short_voice_key_redacted_from_the_path(
    hass: HomeAssistant,
    aioclient_mock: AiohttpClientMocker,
    debug: pytest.LogCaptureFixture,
) -> None:
    """A key too short to be searched for is still cut from the path it sits in."""
    aioclient_mock.get("https://api.voicepartner.fr/v1/me/k3y", json=voice_payload())
    client = VoicePartnerClient(async_get_clientsession(hass), "k3y")
    await client.async_get_credits()
    assert story(debug) == ["GET /me/**REDACTED** answered HTTP 200 in N ms"]
    assert_no_secret(debug, "k3y")
