"""Log lines: each failure names its account; debug logging tells the story, keyless.

The client's own lines of each request are tested in tests/api/test_logging.py.
"""

from __future__ import annotations

import logging
from unittest.mock import MagicMock

import pytest
from pytest_homeassistant_custom_component.common import MockConfigEntry

from custom_components.smspartner.api import (
    SmsPartnerAuthenticationError,
    SmsPartnerConnectionError,
    SmsPartnerInvalidRequestError,
    SmsPartnerRateLimitError,
    SmsPartnerThrottledError,
)
from custom_components.smspartner.identity import account_label
from custom_components.smspartner.product import Product
from homeassistant.core import HomeAssistant
from homeassistant.data_entry_flow import FlowResultType
from homeassistant.exceptions import ServiceValidationError

from .action_helpers import call_action
from .conftest import (
    OTHER_SMS_KEY,
    OTHER_USERNAME,
    SMS_KEY,
    SMS_ONLY,
    USERNAME,
    VOICE_KEY,
    VOICE_ONLY,
    log_lines,
    other_sms_entry,
    setup_integration,
    sms_entry,
    voice_entry,
)
from .flow_helpers import start_flow, submit_key

SMS_LABEL = "SMS Partner (e…@email.com)"
NUMBERS = ["0612345678", "+33712345678"]
TEXT = "The secret text of the message"


def errors(caplog: pytest.LogCaptureFixture) -> list[str]:
    """Return the lines of level error or above, of any logger."""
    return [r.getMessage() for r in caplog.records if r.levelno >= logging.ERROR]


def assert_no_secret(caplog: pytest.LogCaptureFixture, *secrets: str) -> None:
    """Check that no log record, of any logger, holds a secret."""
    for record in caplog.records:
        text = f"{record.getMessage()} {record.exc_text or ''}"
        for secret in secrets:
            assert secret not in text, record.getMessage()


def test_account_label() -> None:
    """A label shortens the e-mail of the title; without one, it ends the entry ID."""
    assert account_label(sms_entry()) == SMS_LABEL
    voice = voice_entry()
    assert account_label(voice) == f"Voice Partner (entry …{voice.entry_id[-4:]})"


@SMS_ONLY
async def test_poll_failures_name_their_account(
    hass: HomeAssistant,
    init_integration: MockConfigEntry,
    mock_client: MagicMock,
    caplog: pytest.LogCaptureFixture,
) -> None:
    """With two accounts failing, each error line says which, without its e-mail."""
    second = other_sms_entry()
    await setup_integration(hass, second)
    mock_client.async_get_credits.side_effect = SmsPartnerConnectionError("HTTP 503")
    caplog.clear()

    for entry in (init_integration, second):
        await entry.runtime_data.coordinator.async_refresh()

    lines = errors(caplog)
    assert len(lines) == 2
    assert SMS_LABEL in lines[0]
    assert "SMS Partner (s…@else.fr)" in lines[1]
    assert_no_secret(caplog, USERNAME, OTHER_USERNAME, SMS_KEY, OTHER_SMS_KEY)


@VOICE_ONLY
async def test_debug_story_of_polls(
    hass: HomeAssistant,
    init_integration: MockConfigEntry,
    mock_client: MagicMock,
    debug: pytest.LogCaptureFixture,
) -> None:
    """A throttled poll keeps the credits and says so; a 429 is one error line."""
    label = account_label(init_integration)
    coordinator = init_integration.runtime_data.coordinator
    mock_client.async_get_credits.side_effect = SmsPartnerThrottledError(60)
    debug.clear()
    await coordinator.async_refresh()
    assert f"{label}: request budget spent, keeping the last credits" in log_lines(
        debug
    )
    assert coordinator.last_update_success

    mock_client.async_get_credits.side_effect = SmsPartnerRateLimitError(30)
    await coordinator.async_refresh()
    (error,) = errors(debug)
    assert label in error
    assert_no_secret(debug, VOICE_KEY)


@VOICE_ONLY
async def test_debug_story_of_a_key_check(
    hass: HomeAssistant, mock_client: MagicMock, debug: pytest.LogCaptureFixture
) -> None:
    """The config flow logs each key check and its outcome, not the key."""
    mock_client.async_get_credits.side_effect = SmsPartnerAuthenticationError("10")
    result = await start_flow(hass, Product.VOICE_PARTNER)
    result = await submit_key(hass, result, VOICE_KEY)
    assert result["type"] is FlowResultType.FORM
    assert log_lines(debug) == [
        "Checking a key for a new Voice Partner entry",
        "The key for a new Voice Partner entry was not accepted: invalid_auth",
    ]
    assert_no_secret(debug, VOICE_KEY)


@SMS_ONLY
async def test_unexpected_key_check_error_names_the_entry(
    hass: HomeAssistant, mock_client: MagicMock, caplog: pytest.LogCaptureFixture
) -> None:
    """An unexpected error while checking a new key names the entry it is for."""
    entry = sms_entry()
    entry.add_to_hass(hass)
    mock_client.async_get_credits.side_effect = RuntimeError("boom")
    result = await entry.start_reconfigure_flow(hass)
    result = await submit_key(hass, result, OTHER_SMS_KEY)
    assert result["errors"] == {"base": "unknown"}
    assert errors(caplog) == [f"Unexpected error while checking a key for {SMS_LABEL}"]
    assert_no_secret(caplog, USERNAME, SMS_KEY, OTHER_SMS_KEY)


@SMS_ONLY
async def test_debug_story_of_a_send(
    hass: HomeAssistant,
    init_integration: MockConfigEntry,
    mock_client: MagicMock,
    debug: pytest.LogCaptureFixture,
) -> None:
    """A send logs its account, how many numbers and its result; not the text."""
    debug.clear()
    await call_action(
        hass, init_integration, Product.SMS_PARTNER, recipients=NUMBERS, message=TEXT
    )
    assert log_lines(debug)[:2] == [
        f"Sending an SMS from {SMS_LABEL} to 2 numbers",
        f"SMS sent from {SMS_LABEL}: message 307, 1 SMS, cost 0.038 EUR",
    ]

    mock_client.async_send_sms.side_effect = SmsPartnerInvalidRequestError(9, "x")
    debug.clear()
    with pytest.raises(ServiceValidationError):
        await call_action(
            hass,
            init_integration,
            Product.SMS_PARTNER,
            recipients=NUMBERS,
            message=TEXT,
        )
    assert f"Send from {SMS_LABEL} failed: SmsPartnerInvalidRequestError (code 9)" in (
        log_lines(debug)
    )
    assert_no_secret(debug, SMS_KEY, USERNAME, TEXT, *NUMBERS, "612345678")
