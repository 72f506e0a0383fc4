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
    SmsPartnerAuthenticationError,
    SmsPartnerConnectionError,
    SmsPartnerCredits,
    SmsPartnerInvalidResponseError,
    SmsPartnerRateLimitError,
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
from .coordinator import Credits, async_create_client, credits_fetcher, hash_api_key
from .services import check_recipients, check_sender

_LOGGER = logging.getLogger(__name__)

API_KEY_SCHEMA = vol.Schema(
    {
        vol.Required(CONF_API_KEY): TextSelector(
            TextSelectorConfig(type=TextSelectorType.PASSWORD, autocomplete="off")
        )
    }
)


def _account_id(account: Credits) -> str | None:
    """Return a hash of the account's user name (SMS Partner only)."""
    if isinstance(account, SmsPartnerCredits) and account.username:
        return hash_api_key(account.username.casefold())
    return None


def _title(service: str, account: Credits) -> str:
    """Return the entry title: the service, and the account e-mail when known."""
    name = SERVICE_NAMES[service]
    if isinstance(account, SmsPartnerCredits) and account.username:
        return f"{name} ({account.username})"
    return name


class SmsPartnerConfigFlow(ConfigFlow, domain=DOMAIN):
    """Add, re-authenticate and reconfigure SMS Partner and Voice Partner accounts."""

    VERSION = 1

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
        """Check a new key and create its entry."""
        errors: dict[str, str] = {}
        if user_input is not None:
            api_key = user_input[CONF_API_KEY].strip()
            self._async_abort_entries_match({CONF_API_KEY: api_key})
            await self.async_set_unique_id(f"{service}_{hash_api_key(api_key)}")
            self._abort_if_unique_id_configured()
            account = await self._async_check_key(service, api_key, errors)
            if account is not None:
                return self.async_create_entry(
                    title=_title(service, account),
                    data={
                        CONF_SERVICE: service,
                        CONF_API_KEY: api_key,
                        CONF_ACCOUNT: _account_id(account),
                    },
                )
        return self._show_key_form(service, service, errors)

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
        """Check a replacement key for `entry` and store it."""
        service = entry.data[CONF_SERVICE]
        errors: dict[str, str] = {}
        if user_input is not None:
            api_key = user_input[CONF_API_KEY].strip()
            if any(
                other.data.get(CONF_API_KEY) == api_key
                for other in self._async_current_entries(include_ignore=False)
                if other.entry_id != entry.entry_id
            ):
                return self.async_abort(reason="already_configured")
            account = await self._async_check_key(service, api_key, errors)
            if account is not None:
                account_id = _account_id(account)
                if entry.data.get(CONF_ACCOUNT) not in (None, account_id):
                    return self.async_abort(reason="wrong_account")
                return self.async_update_reload_and_abort(
                    entry,
                    title=_title(service, account),
                    data_updates={CONF_API_KEY: api_key, CONF_ACCOUNT: account_id},
                )
        return self._show_key_form(step_id, service, errors, entry.title)

    def _show_key_form(
        self,
        step_id: str,
        service: str,
        errors: dict[str, str],
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
            },
        )

    async def _async_check_key(
        self, service: str, api_key: str, errors: dict[str, str]
    ) -> Credits | None:
        """Read the credits with `api_key`; fill `errors` when that fails."""
        client = async_create_client(self.hass, api_key, service)
        try:
            return await credits_fetcher(client, service)()
        except SmsPartnerAuthenticationError:
            errors["base"] = "invalid_auth"
        except SmsPartnerRateLimitError:
            errors["base"] = "rate_limited"
        except (SmsPartnerConnectionError, SmsPartnerInvalidResponseError):
            errors["base"] = "cannot_connect"
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
            data = _recipient_data(user_input, errors, placeholders)
            if data is not None:
                title = user_input[CONF_NAME].strip()
                return self.async_create_entry(
                    title=title or ", ".join(data[CONF_PHONE_NUMBERS]), data=data
                )
        return self.async_show_form(
            step_id="user",
            data_schema=self.add_suggested_values_to_schema(
                NEW_RECIPIENT_SCHEMA, user_input
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
                RECIPIENT_SCHEMA, user_input or subentry.data
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
    placeholders.update(err.translation_placeholders or {})
