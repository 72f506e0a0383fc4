"""Number lookups (SMS Partner): the lookup_number action and the recipients' check."""

from __future__ import annotations

from collections.abc import Sequence

from homeassistant.config_entries import ConfigEntryState
from homeassistant.exceptions import HomeAssistantError

from .api import NumberLookup, SmsPartnerAuthenticationError, SmsPartnerError
from .const import DOMAIN, LOGGER
from .coordinator import SmsPartnerConfigEntry, update_error
from .send import sms_client
from .validation import invalid, shown


async def async_lookup_numbers(
    entry: SmsPartnerConfigEntry, numbers: Sequence[str]
) -> list[NumberLookup]:
    """Look checked numbers up; a failure is a translated error.

    A refused key starts re-authentication, as a send does.
    """
    client = sms_client(entry)
    try:
        return await client.async_lookup(numbers)
    except SmsPartnerAuthenticationError as err:
        entry.async_start_reauth(entry.runtime_data.coordinator.hass)
        raise HomeAssistantError(
            translation_domain=DOMAIN, translation_key="invalid_auth"
        ) from err
    except SmsPartnerError as err:
        failure = update_error(err)
        raise HomeAssistantError(
            translation_domain=DOMAIN,
            translation_key=failure.translation_key,
            translation_placeholders=failure.translation_placeholders,
        ) from err


async def async_e164_numbers(
    entry: SmsPartnerConfigEntry, numbers: list[str]
) -> list[str]:
    """Return locally checked numbers in their E.164 forms, once looked up.

    A number the provider finds invalid is refused (ServiceValidationError) with
    its reason. When the lookup cannot be made (entry not loaded, provider not
    reached or refusing), the numbers are returned as they are.
    """
    if entry.state is not ConfigEntryState.LOADED:
        return numbers
    try:
        results = await sms_client(entry).async_lookup(numbers)
    except SmsPartnerError as err:
        LOGGER.debug(
            "Lookup from %s failed (%s): numbers checked locally only",
            entry.runtime_data.coordinator.label,
            type(err).__name__,
        )
        return numbers
    if refused := next((result for result in results if not result.valid), None):
        number = shown(refused.number)
        if refused.reason:
            raise invalid("number_refused", number=number, reason=refused.reason)
        raise invalid("invalid_phone_number", number=number)
    return list(dict.fromkeys(result.e164 or result.number for result in results))
