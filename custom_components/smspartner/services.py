"""Actions of the SMS Partner integration: send, cancel a scheduled SMS, look up."""

from __future__ import annotations

from dataclasses import asdict
from typing import Final

import voluptuous as vol

from homeassistant.config_entries import ConfigEntryState
from homeassistant.core import (
    HomeAssistant,
    ServiceCall,
    ServiceResponse,
    SupportsResponse,
    callback,
)
from homeassistant.helpers import config_validation as cv
from homeassistant.util.json import JsonValueType

from .api import NumberLookup, sms_length
from .const import DOMAIN
from .coordinator import SmsPartnerConfigEntry
from .lookup import async_lookup_numbers
from .product import Product, product_of
from .send import (
    async_cancel_sms,
    async_send_sms,
    async_send_voice_message,
    wrong_product,
)
from .validation import (
    check_language,
    check_message,
    check_recipients,
    check_schedule,
    check_sender,
    invalid,
    shown,
    speech_rate,
    translated,
)

SERVICE_SEND_SMS: Final = "send_sms"
SERVICE_SEND_VOICE_MESSAGE: Final = "send_voice_message"
SERVICE_LOOKUP_NUMBER: Final = "lookup_number"
SERVICE_CANCEL_SMS: Final = "cancel_sms"

ATTR_CONFIG_ENTRY_ID: Final = "config_entry_id"
ATTR_RECIPIENTS: Final = "recipients"
ATTR_MESSAGE: Final = "message"
ATTR_SENDER: Final = "sender"
ATTR_SCHEDULED_TIME: Final = "scheduled_time"
ATTR_SANDBOX: Final = "sandbox"
ATTR_UNICODE: Final = "unicode"
ATTR_NUMBERS: Final = "numbers"
ATTR_LANGUAGE: Final = "language"
ATTR_SPEECH_RATE: Final = "speech_rate"
ATTR_MESSAGE_ID: Final = "message_id"
DEFAULT_LANGUAGE: Final = "fr"

_COMMON_FIELDS: Final = {
    vol.Required(ATTR_CONFIG_ENTRY_ID): cv.string,
    vol.Required(ATTR_RECIPIENTS): vol.All(cv.ensure_list, [cv.string]),
    vol.Required(ATTR_MESSAGE): cv.string,
    vol.Optional(ATTR_SCHEDULED_TIME): cv.datetime,
}
SEND_SMS_SCHEMA: Final = translated(
    vol.Schema(
        {
            **_COMMON_FIELDS,
            vol.Optional(ATTR_SENDER): cv.string,
            vol.Optional(ATTR_SANDBOX, default=False): cv.boolean,
            vol.Optional(ATTR_UNICODE, default=False): cv.boolean,
        }
    )
)
LOOKUP_NUMBER_SCHEMA: Final = translated(
    vol.Schema(
        {
            vol.Required(ATTR_CONFIG_ENTRY_ID): cv.string,
            vol.Required(ATTR_NUMBERS): vol.All(cv.ensure_list, [cv.string]),
        }
    )
)
SEND_VOICE_MESSAGE_SCHEMA: Final = translated(
    vol.Schema(
        {
            **_COMMON_FIELDS,
            vol.Optional(ATTR_LANGUAGE, default=DEFAULT_LANGUAGE): cv.string,
            vol.Optional(ATTR_SPEECH_RATE): speech_rate,
        }
    )
)

CANCEL_SMS_SCHEMA: Final = translated(
    vol.Schema(
        {
            vol.Required(ATTR_CONFIG_ENTRY_ID): cv.string,
            # The provider's ids are numbers; any short text is passed on.
            vol.Required(ATTR_MESSAGE_ID): vol.All(
                cv.string, vol.Strip, vol.Length(min=1, max=64)
            ),
        }
    )
)


def _loaded_entry(call: ServiceCall, product: Product) -> SmsPartnerConfigEntry:
    """Return the loaded entry of `product` an action names."""
    entry_id = call.data[ATTR_CONFIG_ENTRY_ID]
    entry: SmsPartnerConfigEntry | None = call.hass.config_entries.async_get_entry(
        entry_id
    )
    if entry is None or entry.domain != DOMAIN:
        raise invalid("entry_not_found", entry_id=shown(entry_id))
    if entry.state is not ConfigEntryState.LOADED:
        raise invalid("entry_not_loaded", entry=entry.title)
    if product_of(entry).product is not product:
        raise wrong_product(entry, product)
    return entry


async def _async_send_sms(call: ServiceCall) -> ServiceResponse:
    """Handle smspartner.send_sms."""
    entry = _loaded_entry(call, Product.SMS_PARTNER)
    message = check_message(call.data[ATTR_MESSAGE])
    result = await async_send_sms(
        entry,
        check_recipients(call.data[ATTR_RECIPIENTS]),
        message,
        sender=check_sender(call.data.get(ATTR_SENDER)),
        scheduled=check_schedule(call.data.get(ATTR_SCHEDULED_TIME), sms=True),
        sandbox=call.data[ATTR_SANDBOX],
        unicode=call.data[ATTR_UNICODE],
    )
    if not call.return_response:
        return None
    # Whether nothing was sent (the provider's answer does not say), and the
    # length of the message as the provider counts it, per recipient.
    length = sms_length(message, unicode=call.data[ATTR_UNICODE])
    return {
        **asdict(result),
        ATTR_SANDBOX: call.data[ATTR_SANDBOX],
        "characters": length.characters,
        "encoding": str(length.encoding),
        "segments": length.segments,
    }


async def _async_send_voice_message(call: ServiceCall) -> ServiceResponse:
    """Handle smspartner.send_voice_message."""
    entry = _loaded_entry(call, Product.VOICE_PARTNER)
    result = await async_send_voice_message(
        entry,
        check_recipients(call.data[ATTR_RECIPIENTS]),
        check_message(call.data[ATTR_MESSAGE]),
        language=check_language(call.data[ATTR_LANGUAGE]),
        speech_rate=call.data.get(ATTR_SPEECH_RATE),
        scheduled=check_schedule(call.data.get(ATTR_SCHEDULED_TIME), sms=False),
    )
    return dict(asdict(result)) if call.return_response else None


def _lookup_item(result: NumberLookup) -> JsonValueType:
    """Return what the lookup_number action answers of one number."""
    return {
        "number": result.number,
        "valid": result.valid,
        "e164": result.e164,
        "type": result.line_type,
        "network": result.network,
        "country": result.country,
        "calling_code": result.calling_code,
        "reason": result.reason,
    }


async def _async_lookup_number(call: ServiceCall) -> ServiceResponse:
    """Handle smspartner.lookup_number."""
    entry = _loaded_entry(call, Product.SMS_PARTNER)
    numbers = check_recipients(call.data[ATTR_NUMBERS])
    results = await async_lookup_numbers(entry, numbers)
    return {ATTR_NUMBERS: [_lookup_item(result) for result in results]}


async def _async_cancel_sms(call: ServiceCall) -> None:
    """Handle smspartner.cancel_sms."""
    entry = _loaded_entry(call, Product.SMS_PARTNER)
    await async_cancel_sms(entry, call.data[ATTR_MESSAGE_ID])


@callback
def async_setup_services(hass: HomeAssistant) -> None:
    """Register the integration's actions."""
    hass.services.async_register(
        DOMAIN,
        SERVICE_SEND_SMS,
        _async_send_sms,
        schema=SEND_SMS_SCHEMA,
        supports_response=SupportsResponse.OPTIONAL,
    )
    hass.services.async_register(
        DOMAIN,
        SERVICE_SEND_VOICE_MESSAGE,
        _async_send_voice_message,
        schema=SEND_VOICE_MESSAGE_SCHEMA,
        supports_response=SupportsResponse.OPTIONAL,
    )
    hass.services.async_register(
        DOMAIN,
        SERVICE_LOOKUP_NUMBER,
        _async_lookup_number,
        schema=LOOKUP_NUMBER_SCHEMA,
        supports_response=SupportsResponse.ONLY,
    )
    hass.services.async_register(
        DOMAIN, SERVICE_CANCEL_SMS, _async_cancel_sms, schema=CANCEL_SMS_SCHEMA
    )
