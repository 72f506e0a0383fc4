"""Config flow for SMS Partner and Voice Partner accounts."""

from __future__ import annotations

from collections.abc import Mapping
import logging
from typing import Any

import voluptuous as vol

from homeassistant.config_entries import (
    ConfigEntry,
    ConfigFlow,
    ConfigFlowResult,
    ConfigSubentryFlow,
    SubentryFlowResult,
)
from homeassistant.const import CONF_API_KEY, CONF_NAME
from homeassistant.core import callback
from homeassistant.exceptions import ServiceValidationError
from homeassistant.helpers.selector import (
    TextSelector,
    TextSelectorConfig,
    TextSelectorType,
)

from .api import (
    SmsPartnerApiError,
    SmsPartnerAuthenticationError,
    SmsPartnerConnectionError,
    SmsPartnerCredits,
    SmsPartnerInvalidResponseError,
    SmsPartnerRateLimitError,
    check_api_key,
)
from .const import (
    CONF_ACCOUNT,
    CONF_PHONE_NUMBERS,
    CONF_SENDER,
    CONF_SERVICE,
    CUSTOMER_SITES,
    DOMAIN,
    SERVICE_NAMES,
    SERVICE_SMS,
    SERVICE_VOICE,
    SUBENTRY_RECIPIENT,
)
from .coordinator import Credits, async_create_client, credits_fetcher
from .identity import account_hash, async_unique_id
from .services import check_recipients, check_sender

_LOGGER = logging.getLogger(__name__)

API_KEY_SCHEMA = vol.Schema(
    {
        vol.Required(CONF_API_KEY): TextSelector(
            TextSelectorConfig(type=TextSelectorType.PASSWORD, autocomplete="off")
        )
    }
)
# Documented error codes of the account, each with its own message; other codes
# show the provider's message.
ACCOUNT_ERRORS: dict[int, str] = {
    1: "invalid_auth",
    20: "account_deactivated",
    30: "account_blocked",
}


def _title(service: str, account: Credits) -> str:
    """Return the entry title: the service, and the account e-mail when known."""
    name = SERVICE_NAMES[service]
    if isinstance(account, SmsPartnerCredits) and account.username:
        return f"{name} ({account.username})"
    return name


def _checked_key(user_input: Mapping[str, Any], errors: dict[str, str]) -> str | None:
    """Return the entered key without blanks, or None after filling `errors`."""
    try:
        return check_api_key(user_input[CONF_API_KEY])
    except ValueError:
        errors[CONF_API_KEY] = "invalid_api_key"
        return None


class SmsPartnerConfigFlow(ConfigFlow, domain=DOMAIN):
    """Add, re-authenticate and reconfigure SMS Partner and Voice Partner accounts.

    The unique ID of an entry is the hash of its SMS Partner user name, else a
    fingerprint of its key (Voice Partner has no account identifier).
    """

    VERSION = 2

    @classmethod
    @callback
    def async_get_supported_subentry_types(
        cls, config_entry: ConfigEntry
    ) -> dict[str, type[ConfigSubentryFlow]]:
        """Return the subentries of an entry: SMS recipients for SMS Partner."""
        if config_entry.data[CONF_SERVICE] == SERVICE_SMS:
            return {SUBENTRY_RECIPIENT: RecipientSubentryFlow}
        return {}

    async def async_step_user(
        self, user_input: dict[str, Any] | None = None
    ) -> ConfigFlowResult:
        """Let the user pick the service."""
        return self.async_show_menu(
            step_id="user", menu_options=[SERVICE_SMS, SERVICE_VOICE]
        )

    async def async_step_sms_partner(
        self, user_input: dict[str, Any] | None = None
    ) -> ConfigFlowResult:
        """Ask for an SMS Partner API key."""
        return await self._async_step_new_key(SERVICE_SMS, user_input)

    async def async_step_voice_partner(
        self, user_input: dict[str, Any] | None = None
    ) -> ConfigFlowResult:
        """Ask for a Voice Partner API key."""
        return await self._async_step_new_key(SERVICE_VOICE, user_input)

    async def _async_step_new_key(
        self, service: str, user_input: dict[str, Any] | None
    ) -> ConfigFlowResult:
        """Check a new key and create its entry, unless its account has one."""
        errors: dict[str, str] = {}
        placeholders: dict[str, str] = {}
        if user_input is not None and (api_key := _checked_key(user_input, errors)):
            self._async_abort_entries_match({CONF_API_KEY: api_key})
            answer = await self._async_check_key(service, api_key, errors, placeholders)
            if answer is not None:
                account = account_hash(answer)
                await self.async_set_unique_id(
                    await async_unique_id(self.hass, service, api_key, account)
                )
                self._abort_if_unique_id_configured()
                return self.async_create_entry(
                    title=_title(service, answer),
                    data={
                        CONF_SERVICE: service,
                        CONF_API_KEY: api_key,
                        CONF_ACCOUNT: account,
                    },
                )
        return self._show_key_form(service, service, errors, placeholders)

    async def async_step_reauth(
        self, entry_data: Mapping[str, Any]
    ) -> ConfigFlowResult:
        """Start re-authentication after the key was refused."""
        return await self.async_step_reauth_confirm()

    async def async_step_reauth_confirm(
        self, user_input: dict[str, Any] | None = None
    ) -> ConfigFlowResult:
        """Ask for a new key for the account."""
        return await self._async_step_replace_key(
            "reauth_confirm", self._get_reauth_entry(), user_input
        )

    async def async_step_reconfigure(
        self, user_input: dict[str, Any] | None = None
    ) -> ConfigFlowResult:
        """Let the user change the key of the account."""
        return await self._async_step_replace_key(
            "reconfigure", self._get_reconfigure_entry(), user_input
        )

    async def _async_step_replace_key(
        self, step_id: str, entry: ConfigEntry, user_input: dict[str, Any] | None
    ) -> ConfigFlowResult:
        """Check a replacement key for `entry` and store it.

        An entry with a known SMS Partner account only takes a key of that
        account; any other entry takes a key no other entry has, and its unique
        ID follows the new key.
        """
        service = entry.data[CONF_SERVICE]
        errors: dict[str, str] = {}
        placeholders: dict[str, str] = {}
        if user_input is not None and (api_key := _checked_key(user_input, errors)):
            if any(
                other.data.get(CONF_API_KEY) == api_key
                for other in self._async_current_entries(include_ignore=False)
                if other.entry_id != entry.entry_id
            ):
                return self.async_abort(reason="another_account")
            answer = await self._async_check_key(service, api_key, errors, placeholders)
            if answer is not None:
                account = account_hash(answer)
                unique_id = await async_unique_id(self.hass, service, api_key, account)
                if entry.data.get(CONF_ACCOUNT) is not None:
                    await self.async_set_unique_id(unique_id)
                    self._abort_if_unique_id_mismatch(reason="wrong_account")
                elif self.hass.config_entries.async_entry_for_domain_unique_id(
                    DOMAIN, unique_id
                ) not in (None, entry):
                    return self.async_abort(reason="another_account")
                return self.async_update_reload_and_abort(
                    entry,
                    unique_id=unique_id,
                    title=_title(service, answer),
                    data_updates={CONF_API_KEY: api_key, CONF_ACCOUNT: account},
                )
        return self._show_key_form(step_id, service, errors, placeholders, entry.title)

    def _show_key_form(
        self,
        step_id: str,
        service: str,
        errors: dict[str, str],
        placeholders: dict[str, str],
        title: str | None = None,
    ) -> ConfigFlowResult:
        """Show the API key form of a step."""
        return self.async_show_form(
            step_id=step_id,
            data_schema=API_KEY_SCHEMA,
            errors=errors,
            description_placeholders={
                "service": SERVICE_NAMES[service],
                "url": CUSTOMER_SITES[service],
                "title": title or SERVICE_NAMES[service],
            }
            | placeholders,
        )

    async def _async_check_key(
        self,
        service: str,
        api_key: str,
        errors: dict[str, str],
        placeholders: dict[str, str],
    ) -> Credits | None:
        """Read the credits with `api_key`; fill `errors` when that fails.

        The request counts in the key's and the provider host's credit budgets.
        """
        client = async_create_client(self.hass, api_key, service)
        try:
            return await credits_fetcher(client, service)()
        except SmsPartnerAuthenticationError:
            errors["base"] = "invalid_auth"
        except SmsPartnerRateLimitError:
            errors["base"] = "rate_limited"
        except (SmsPartnerConnectionError, SmsPartnerInvalidResponseError):
            errors["base"] = "cannot_connect"
        except SmsPartnerApiError as err:
            errors["base"] = ACCOUNT_ERRORS.get(err.code or 0, "api_error")
            placeholders["message"] = err.detail
        except Exception:
            _LOGGER.exception(
                "Unexpected error while checking the %s key", SERVICE_NAMES[service]
            )
            errors["base"] = "unknown"
        return None


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
            data = _recipient_data(user_input, errors, placeholders)
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
            data = _recipient_data(user_input, errors, placeholders)
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


def _recipient_data(
    user_input: Mapping[str, Any], errors: dict[str, str], placeholders: dict[str, str]
) -> dict[str, Any] | None:
    """Return the checked data of a recipient, or None after filling `errors`."""
    data: dict[str, Any] = {}
    try:
        data[CONF_PHONE_NUMBERS] = check_recipients(user_input[CONF_PHONE_NUMBERS])
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
