"""Config flow for SMS Partner and Voice Partner accounts."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from homeassistant.components.webhook import async_generate_id
from homeassistant.config_entries import (
    ConfigEntry,
    ConfigFlow,
    ConfigFlowResult,
    ConfigSubentryFlow,
    OptionsFlow,
)
from homeassistant.const import CONF_API_KEY, CONF_WEBHOOK_ID
from homeassistant.core import callback

from .api import (
    Credits,
    SmsPartnerApiError,
    SmsPartnerAuthenticationError,
    SmsPartnerConnectionError,
    SmsPartnerInvalidResponseError,
    SmsPartnerRateLimitError,
)
from .budgets import async_create_client
from .const import CONF_ACCOUNT, CONF_PRODUCT, DOMAIN, LOGGER, SUBENTRY_RECIPIENT
from .identity import account_hash, account_label, async_unique_id, entry_title
from .key_form import API_KEY_SCHEMA, checked_key
from .options_flow import WebhookOptionsFlow
from .product import PRODUCTS, AnySpec, Product, product_of
from .recipient_flow import RecipientSubentryFlow

# Documented error codes of the account, each with its own message; other codes
# show the provider's message.
ACCOUNT_ERRORS: dict[int, str] = {
    1: "invalid_auth",
    20: "account_deactivated",
    30: "account_blocked",
}


class SmsPartnerConfigFlow(ConfigFlow, domain=DOMAIN):
    """Add, re-authenticate and reconfigure SMS Partner and Voice Partner accounts.

    The unique ID of an entry is the hash of its SMS Partner user name, else a
    fingerprint of its key (Voice Partner has no account identifier).
    """

    VERSION = 2
    MINOR_VERSION = 2

    @classmethod
    @callback
    def async_get_supported_subentry_types(
        cls, config_entry: ConfigEntry
    ) -> dict[str, type[ConfigSubentryFlow]]:
        """Return the subentries of an entry: SMS recipients for SMS Partner."""
        if product_of(config_entry).has_recipients:
            return {SUBENTRY_RECIPIENT: RecipientSubentryFlow}
        return {}

    @staticmethod
    @callback
    def async_get_options_flow(config_entry: ConfigEntry) -> OptionsFlow:
        """Return the options step, which shows the webhook URL."""
        return WebhookOptionsFlow()

    async def async_step_user(
        self, user_input: dict[str, Any] | None = None
    ) -> ConfigFlowResult:
        """Let the user pick the product."""
        return self.async_show_menu(step_id="user", menu_options=list(Product))

    async def async_step_sms_partner(
        self, user_input: dict[str, Any] | None = None
    ) -> ConfigFlowResult:
        """Ask for an SMS Partner API key."""
        return await self._async_step_new_key(Product.SMS_PARTNER, user_input)

    async def async_step_voice_partner(
        self, user_input: dict[str, Any] | None = None
    ) -> ConfigFlowResult:
        """Ask for a Voice Partner API key."""
        return await self._async_step_new_key(Product.VOICE_PARTNER, user_input)

    async def _async_step_new_key(
        self, product: Product, user_input: dict[str, Any] | None
    ) -> ConfigFlowResult:
        """Check a new key and create its entry, unless its account has one."""
        spec = PRODUCTS[product]
        errors: dict[str, str] = {}
        placeholders: dict[str, str] = {}
        if user_input is not None and (api_key := checked_key(user_input, errors)):
            self._async_abort_entries_match({CONF_API_KEY: api_key})
            answer = await self._async_check_key(
                spec, api_key, errors, placeholders, f"a new {spec.name} entry"
            )
            if answer is not None:
                account = account_hash(answer)
                await self.async_set_unique_id(
                    await async_unique_id(self.hass, product, api_key, account)
                )
                self._abort_if_unique_id_configured()
                return self.async_create_entry(
                    title=entry_title(spec, answer),
                    data={
                        CONF_PRODUCT: product,
                        CONF_API_KEY: api_key,
                        CONF_ACCOUNT: account,
                        CONF_WEBHOOK_ID: async_generate_id(),
                    },
                )
        return self._show_key_form(product, spec, errors, placeholders)

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

        No entry takes the key or the account of another entry. An entry with a
        known SMS Partner account only takes a key of that account; any other
        entry's unique ID follows the new key.
        """
        spec = product_of(entry)
        errors: dict[str, str] = {}
        placeholders: dict[str, str] = {}
        if user_input is not None and (api_key := checked_key(user_input, errors)):
            if any(
                other.data.get(CONF_API_KEY) == api_key
                for other in self._async_current_entries(include_ignore=False)
                if other.entry_id != entry.entry_id
            ):
                return self.async_abort(reason="another_account")
            answer = await self._async_check_key(
                spec, api_key, errors, placeholders, account_label(entry)
            )
            if answer is not None:
                account = account_hash(answer)
                unique_id = await async_unique_id(
                    self.hass, spec.product, api_key, account
                )
                if self.hass.config_entries.async_entry_for_domain_unique_id(
                    DOMAIN, unique_id
                ) not in (None, entry):
                    return self.async_abort(reason="another_account")
                if entry.data.get(CONF_ACCOUNT) is not None:
                    await self.async_set_unique_id(unique_id)
                    self._abort_if_unique_id_mismatch(reason="wrong_account")
                return self.async_update_reload_and_abort(
                    entry,
                    unique_id=unique_id,
                    title=entry_title(spec, answer),
                    data_updates={CONF_API_KEY: api_key, CONF_ACCOUNT: account},
                )
        return self._show_key_form(step_id, spec, errors, placeholders, entry.title)

    def _show_key_form(
        self,
        step_id: str,
        spec: AnySpec,
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
                "service": spec.name,
                "url": spec.customer_site,
                "title": title or spec.name,
            }
            | placeholders,
        )

    async def _async_check_key(
        self,
        spec: AnySpec,
        api_key: str,
        errors: dict[str, str],
        placeholders: dict[str, str],
        label: str,
    ) -> Credits | None:
        """Read the credits with `api_key` for `label`; fill `errors` when that fails.

        The request counts in the key's and the provider host's credit budgets.
        """
        LOGGER.debug("Checking a key for %s", label)
        try:
            answer = await spec.apply(
                lambda spec: async_create_client(self.hass, spec, api_key)
            ).async_get_credits()
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
            LOGGER.exception("Unexpected error while checking a key for %s", label)
            errors["base"] = "unknown"
        else:
            LOGGER.debug("The key for %s was accepted", label)
            return answer
        LOGGER.debug("The key for %s was not accepted: %s", label, errors["base"])
        return None
