"""Actions of the SMS Partner integration: send SMS and text-to-speech calls."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import asdict
from datetime import datetime, timedelta
import math
import re
from typing import Any, Final

import voluptuous as vol

from homeassistant.config_entries import ConfigEntryState
from homeassistant.core import (
    HomeAssistant,
    ServiceCall,
    ServiceResponse,
    SupportsResponse,
    callback,
)
from homeassistant.exceptions import HomeAssistantError, ServiceValidationError
from homeassistant.helpers import config_validation as cv
from homeassistant.util import dt as dt_util

from .api import (
    MAX_RECIPIENTS,
    SENDER_PATTERN,
    SPEECH_RATE_RANGE,
    SmsPartnerApiError,
    SmsPartnerAuthenticationError,
    SmsPartnerError,
    SmsPartnerInsufficientCreditError,
    SmsPartnerInvalidRequestError,
    SmsPartnerInvalidResponseError,
    SmsPartnerRateLimitError,
    SmsPartnerStopListError,
    SmsPartnerThrottledError,
    SmsSendResult,
    normalize_phone_number,
)
from .const import CONF_SERVICE, DOMAIN, SERVICE_NAMES, SERVICE_SMS, SERVICE_VOICE
from .coordinator import SmsPartnerConfigEntry

SERVICE_SEND_SMS: Final = "send_sms"
SERVICE_SEND_VOICE_MESSAGE: Final = "send_voice_message"

ATTR_CONFIG_ENTRY_ID: Final = "config_entry_id"
ATTR_RECIPIENTS: Final = "recipients"
ATTR_MESSAGE: Final = "message"
ATTR_SENDER: Final = "sender"
ATTR_SCHEDULED_TIME: Final = "scheduled_time"
ATTR_SANDBOX: Final = "sandbox"
ATTR_LANGUAGE: Final = "language"
ATTR_SPEECH_RATE: Final = "speech_rate"

DEFAULT_LANGUAGE: Final = "fr"
LANGUAGE_PATTERN: Final = re.compile(r"[a-z]{2,3}([-_][A-Za-z]{2})?")
# One recipient: from a character that is neither blank nor a separator up to the
# next separator. Found by the regex engine, so runs of blanks and separators cost
# no Python loop.
_RECIPIENT: Final = re.compile(r"[^\s,;][^,;]*")
# Neither provider documents how far ahead a send can be scheduled. A year covers
# any real use, catches a mistyped year, and keeps the time zone conversions (here
# and on the providers' clock) far from the year 9999 where datetime ends.
MAX_SCHEDULE_AHEAD: Final = timedelta(days=366)
_TIME_FORMAT: Final = "%Y-%m-%d %H:%M"
# User text quoted in an error is cut to this length.
_SHOWN_LENGTH: Final = 40


def _shown(value: str) -> str:
    """Return user text to quote in an error: short, and valid UTF-8."""
    if len(value) > _SHOWN_LENGTH:
        value = f"{value[: _SHOWN_LENGTH - 1]}…"
    return value.encode(errors="backslashreplace").decode()


def _invalid(key: str, **placeholders: str) -> ServiceValidationError:
    """Return a translated validation error."""
    return ServiceValidationError(
        translation_domain=DOMAIN,
        translation_key=key,
        translation_placeholders=placeholders or None,
    )


def _translated(schema: vol.Schema) -> vol.Schema:
    """Return `schema` with translated errors that name the field at fault.

    A plain function inside a Schema, rather than a subclass: voluptuous (Home
    Assistant 2025) and probatio (2026) call a schema with other signatures.
    """

    def validate(data: Any) -> Any:
        try:
            return schema(data)
        except vol.Invalid as err:
            error = err.errors[0] if isinstance(err, vol.MultipleInvalid) else err
            field = error.path[0] if error.path else ""
            if isinstance(error, vol.RequiredFieldInvalid):
                key = "missing_field"
            elif field in schema.schema:
                key = "invalid_field"
            else:
                key = "unknown_field"
            raise _invalid(key, field=_shown(str(field))) from None

    return vol.Schema(validate)


def _speech_rate(value: Any) -> float:
    """Return a speech rate within the provider's range (NaN is not)."""
    try:
        rate = float(value)
    except (TypeError, ValueError, OverflowError):
        rate = math.nan
    low, high = SPEECH_RATE_RANGE
    if not low <= rate <= high:
        raise _invalid("invalid_speech_rate", low=str(low), high=str(high))
    return rate


_COMMON_FIELDS: Final = {
    vol.Required(ATTR_CONFIG_ENTRY_ID): cv.string,
    vol.Required(ATTR_RECIPIENTS): vol.All(cv.ensure_list, [cv.string]),
    vol.Required(ATTR_MESSAGE): cv.string,
    vol.Optional(ATTR_SCHEDULED_TIME): cv.datetime,
}
SEND_SMS_SCHEMA: Final = _translated(
    vol.Schema(
        {
            **_COMMON_FIELDS,
            vol.Optional(ATTR_SENDER): cv.string,
            vol.Optional(ATTR_SANDBOX, default=False): cv.boolean,
        }
    )
)
SEND_VOICE_MESSAGE_SCHEMA: Final = _translated(
    vol.Schema(
        {
            **_COMMON_FIELDS,
            vol.Optional(ATTR_LANGUAGE, default=DEFAULT_LANGUAGE): cv.string,
            vol.Optional(ATTR_SPEECH_RATE): _speech_rate,
        }
    )
)


def _failed(key: str, **placeholders: str) -> HomeAssistantError:
    """Return a translated error of the provider or the connection."""
    return HomeAssistantError(
        translation_domain=DOMAIN,
        translation_key=key,
        translation_placeholders=placeholders or None,
    )


def _loaded_entry(
    hass: HomeAssistant, entry_id: str, service: str
) -> SmsPartnerConfigEntry:
    """Return the loaded entry of `service` an action names."""
    entry: SmsPartnerConfigEntry | None = hass.config_entries.async_get_entry(entry_id)
    if entry is None or entry.domain != DOMAIN:
        raise _invalid("entry_not_found", entry_id=_shown(entry_id))
    if entry.state is not ConfigEntryState.LOADED:
        raise _invalid("entry_not_loaded", entry=entry.title)
    if entry.data[CONF_SERVICE] != service:
        raise _invalid(
            "wrong_service", entry=entry.title, service=SERVICE_NAMES[service]
        )
    return entry


def check_recipients(values: Iterable[str]) -> list[str]:
    """Return the normalized numbers of a recipient list, without duplicates.

    Items may hold several numbers separated by commas or semicolons. The check
    stops at the first number over the limit, however long the list.
    """
    numbers: dict[str, None] = {}
    for value in values:
        for found in _RECIPIENT.finditer(value):
            raw = found[0].rstrip()
            try:
                numbers[normalize_phone_number(raw)] = None
            except ValueError:
                raise _invalid("invalid_phone_number", number=_shown(raw)) from None
            if len(numbers) > MAX_RECIPIENTS:
                raise _invalid("too_many_recipients", max=str(MAX_RECIPIENTS))
    if not numbers:
        raise _invalid("no_recipients")
    return list(numbers)


def check_sender(value: str | None) -> str | None:
    """Return the sender name, None when empty; refuse what the provider would."""
    if not (sender := (value or "").strip()):
        return None
    if not SENDER_PATTERN.fullmatch(sender):
        raise _invalid("invalid_sender", sender=_shown(sender))
    return sender


def _message(value: str) -> str:
    """Return a message that is not blank and can be sent as UTF-8."""
    if not value.strip():
        raise _invalid("empty_message")
    try:
        value.encode()
    except UnicodeEncodeError:
        raise _invalid("invalid_text") from None
    return value


def _scheduled(value: datetime | None, *, sms: bool) -> datetime | None:
    """Return a future send time as an aware datetime (seconds dropped).

    A time without a zone is Home Assistant's local time. SMS Partner only
    takes minutes in steps of 5.
    """
    if value is None:
        return None
    now = dt_util.now()
    try:
        when: datetime | None = dt_util.as_local(dt_util.as_utc(value))
    except OverflowError:
        when = None
    if when is None or when > now + MAX_SCHEDULE_AHEAD:
        raise _invalid("schedule_out_of_range", time=value.strftime(_TIME_FORMAT))
    when = when.replace(second=0, microsecond=0)
    if sms and when.minute % 5:
        raise _invalid("schedule_minute", time=when.strftime("%H:%M"))
    if when <= now:
        raise _invalid("schedule_in_past", time=when.strftime(_TIME_FORMAT))
    return when


def send_error(
    hass: HomeAssistant, entry: SmsPartnerConfigEntry, err: SmsPartnerError
) -> HomeAssistantError:
    """Translate a failed send; a refused key also starts re-authentication."""
    if isinstance(err, SmsPartnerAuthenticationError):
        entry.async_start_reauth(hass)
        return _failed("invalid_auth")
    if isinstance(err, SmsPartnerThrottledError):
        return _failed("send_budget_spent", seconds=str(round(err.retry_after)))
    if isinstance(err, SmsPartnerRateLimitError):
        return _failed("rate_limited", seconds=str(round(err.retry_after)))
    if isinstance(err, SmsPartnerInvalidRequestError):
        return _invalid("invalid_parameters", detail=err.detail)
    if isinstance(err, SmsPartnerStopListError):
        return _invalid("stop_list", detail=err.detail)
    if isinstance(err, SmsPartnerInsufficientCreditError):
        return _failed("insufficient_credit")
    if isinstance(err, SmsPartnerApiError) and err.code is not None:
        return _failed("send_failed", code=str(err.code), detail=err.detail)
    if isinstance(err, SmsPartnerApiError):
        return _failed("send_refused", detail=err.detail)
    if isinstance(err, SmsPartnerInvalidResponseError):
        return _failed("send_unconfirmed")
    return _failed("cannot_connect")


@contextmanager
def _send_errors(hass: HomeAssistant, entry: SmsPartnerConfigEntry) -> Iterator[None]:
    """Translate the errors of a send by the client.

    The arguments are checked before; a ValueError of the client is refused
    without its text, which could quote the request.
    """
    try:
        yield
    except SmsPartnerError as err:
        raise send_error(hass, entry, err) from err
    except ValueError:
        raise _invalid("invalid_send_arguments") from None


async def async_send_sms(
    hass: HomeAssistant,
    entry: SmsPartnerConfigEntry,
    numbers: Sequence[str],
    message: str,
    *,
    sender: str | None = None,
    scheduled: datetime | None = None,
    sandbox: bool = False,
) -> SmsSendResult:
    """Send checked arguments as an SMS, then refresh the credits (not in sandbox)."""
    coordinator = entry.runtime_data
    message = _message(message)
    with _send_errors(hass, entry):
        result = await coordinator.client.async_send_sms(
            numbers, message, sender=sender, scheduled=scheduled, sandbox=sandbox
        )
    if not sandbox:
        await coordinator.async_request_refresh()
    return result


async def _async_send_sms_action(call: ServiceCall) -> ServiceResponse:
    """Handle smspartner.send_sms."""
    entry = _loaded_entry(call.hass, call.data[ATTR_CONFIG_ENTRY_ID], SERVICE_SMS)
    result = await async_send_sms(
        call.hass,
        entry,
        check_recipients(call.data[ATTR_RECIPIENTS]),
        call.data[ATTR_MESSAGE],
        sender=check_sender(call.data.get(ATTR_SENDER)),
        scheduled=_scheduled(call.data.get(ATTR_SCHEDULED_TIME), sms=True),
        sandbox=call.data[ATTR_SANDBOX],
    )
    return dict(asdict(result)) if call.return_response else None


async def _async_send_voice_message_action(call: ServiceCall) -> ServiceResponse:
    """Handle smspartner.send_voice_message."""
    entry = _loaded_entry(call.hass, call.data[ATTR_CONFIG_ENTRY_ID], SERVICE_VOICE)
    numbers = check_recipients(call.data[ATTR_RECIPIENTS])
    message = _message(call.data[ATTR_MESSAGE])
    language = call.data[ATTR_LANGUAGE].strip()
    if not LANGUAGE_PATTERN.fullmatch(language):
        raise _invalid("invalid_language", language=_shown(language))
    scheduled = _scheduled(call.data.get(ATTR_SCHEDULED_TIME), sms=False)
    coordinator = entry.runtime_data
    with _send_errors(call.hass, entry):
        result = await coordinator.client.async_send_voice_message(
            numbers,
            message,
            language=language,
            speech_rate=call.data.get(ATTR_SPEECH_RATE),
            scheduled=scheduled,
        )
    await coordinator.async_request_refresh()
    return dict(asdict(result)) if call.return_response else None


@callback
def async_setup_services(hass: HomeAssistant) -> None:
    """Register the integration's actions."""
    hass.services.async_register(
        DOMAIN,
        SERVICE_SEND_SMS,
        _async_send_sms_action,
        schema=SEND_SMS_SCHEMA,
        supports_response=SupportsResponse.OPTIONAL,
    )
    hass.services.async_register(
        DOMAIN,
        SERVICE_SEND_VOICE_MESSAGE,
        _async_send_voice_message_action,
        schema=SEND_VOICE_MESSAGE_SCHEMA,
        supports_response=SupportsResponse.OPTIONAL,
    )
