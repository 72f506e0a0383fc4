"""Config flow for SMS Partner and Voice Partner accounts."""

from __future__ import annotations

from collections.abc import Mapping
import logging
from typing import Any

import voluptuous as vol

from homeassistant.config_entries import ConfigEntry, ConfigFlow, ConfigFlowResult
from homeassistant.const import CONF_API_KEY
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
    CONF_SERVICE,
    CUSTOMER_SITES,
    DOMAIN,
    SERVICE_NAMES,
    SERVICE_SMS,
    SERVICE_VOICE,
)
from .coordinator import Credits, async_create_client, credits_fetcher, hash_api_key

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
        client = async_create_client(self.hass, api_key)
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
