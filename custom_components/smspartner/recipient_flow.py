"""The subentry flow of SMS recipients: a name, phone numbers and a sender.

Numbers pass the local check, then SMS Partner's lookup, and are saved in their
E.164 forms (as they are when the lookup cannot be made).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import voluptuous as vol

from homeassistant.config_entries import ConfigSubentryFlow, SubentryFlowResult
from homeassistant.const import CONF_NAME
from homeassistant.exceptions import ServiceValidationError
from homeassistant.helpers.selector import (
    TextSelector,
    TextSelectorConfig,
    TextSelectorType,
)

from .const import CONF_PHONE_NUMBERS, CONF_SENDER
from .coordinator import SmsPartnerConfigEntry
from .lookup import async_e164_numbers
from .validation import check_recipients, check_sender

RECIPIENT_FIELDS = {
    vol.Required(CONF_PHONE_NUMBERS): TextSelector(
        TextSelectorConfig(type=TextSelectorType.TEL, multiple=True)
    ),
    vol.Optional(CONF_SENDER): TextSelector(),
}
NEW_RECIPIENT_SCHEMA = vol.Schema({vol.Required(CONF_NAME): TextSelector()}).extend(
    RECIPIENT_FIELDS
)
RECIPIENT_SCHEMA = vol.Schema(RECIPIENT_FIELDS)


class RecipientSubentryFlow(ConfigSubentryFlow):
    """Add or change a recipient of SMS notifications (a notify entity)."""

    async def async_step_user(
        self, user_input: dict[str, Any] | None = None
    ) -> SubentryFlowResult:
        """Add a recipient: a name, phone numbers and an optional sender."""
        errors: dict[str, str] = {}
        placeholders: dict[str, str] = {}
        if user_input is not None:
            title = user_input[CONF_NAME].strip()
            if not _storable(title):
                errors[CONF_NAME] = "invalid_name"
            data = await _async_recipient_data(
                self._get_entry(), user_input, errors, placeholders
            )
            if data is not None:
                return self.async_create_entry(
                    title=title or ", ".join(data[CONF_PHONE_NUMBERS]), data=data
                )
        return self.async_show_form(
            step_id="user",
            data_schema=self.add_suggested_values_to_schema(
                NEW_RECIPIENT_SCHEMA, _shown(user_input)
            ),
            errors=errors,
            description_placeholders=placeholders,
        )

    async def async_step_reconfigure(
        self, user_input: dict[str, Any] | None = None
    ) -> SubentryFlowResult:
        """Change the phone numbers or the sender of a recipient."""
        subentry = self._get_reconfigure_subentry()
        errors: dict[str, str] = {}
        placeholders: dict[str, str] = {"name": subentry.title}
        if user_input is not None:
            data = await _async_recipient_data(
                self._get_entry(), user_input, errors, placeholders
            )
            if data is not None:
                return self.async_update_and_abort(
                    self._get_entry(), subentry, data=data
                )
        return self.async_show_form(
            step_id="reconfigure",
            data_schema=self.add_suggested_values_to_schema(
                RECIPIENT_SCHEMA, _shown(user_input) or subentry.data
            ),
            errors=errors,
            description_placeholders=placeholders,
        )


async def _async_recipient_data(
    entry: SmsPartnerConfigEntry,
    user_input: Mapping[str, Any],
    errors: dict[str, str],
    placeholders: dict[str, str],
) -> dict[str, Any] | None:
    """Return the checked data of a recipient, or None after filling `errors`."""
    data: dict[str, Any] = {}
    try:
        data[CONF_PHONE_NUMBERS] = await async_e164_numbers(
            entry, check_recipients(user_input[CONF_PHONE_NUMBERS])
        )
    except ServiceValidationError as err:
        _add_error(errors, placeholders, CONF_PHONE_NUMBERS, err)
    try:
        if sender := check_sender(user_input.get(CONF_SENDER)):
            data[CONF_SENDER] = sender
    except ServiceValidationError as err:
        _add_error(errors, placeholders, CONF_SENDER, err)
    return None if errors else data


def _add_error(
    errors: dict[str, str],
    placeholders: dict[str, str],
    field: str,
    err: ServiceValidationError,
) -> None:
    """Show a failed check next to `field`, with the check's own message."""
    errors[field] = str(err.translation_key)
    placeholders.update(_shown(err.translation_placeholders) or {})


def _storable(text: str) -> bool:
    """Return whether UTF-8, and so storage, can hold `text` (no lone surrogates)."""
    try:
        text.encode()
    except UnicodeEncodeError:
        return False
    return True


def _shown(values: Mapping[str, Any] | None) -> dict[str, Any] | None:
    """Return form values with what UTF-8 cannot hold replaced, to show them again."""
    if values is None:
        return None
    return {key: _replace_unencodable(value) for key, value in values.items()}


def _replace_unencodable(value: str | list[str]) -> str | list[str]:
    """Replace lone surrogates in a text or a list of texts."""
    if isinstance(value, list):
        return [item.encode(errors="replace").decode() for item in value]
    return value.encode(errors="replace").decode()
