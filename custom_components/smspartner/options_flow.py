"""The options step of an entry: the URL of its webhook, to give the provider."""

from __future__ import annotations

from typing import Any

import voluptuous as vol

from homeassistant.config_entries import ConfigFlowResult, OptionsFlow

from .product import product_of
from .webhook import webhook_url


class WebhookOptionsFlow(OptionsFlow):
    """Show the URL reports reach the entry at (a secret: shown, never logged)."""

    async def async_step_init(
        self, user_input: dict[str, Any] | None = None
    ) -> ConfigFlowResult:
        """Show the webhook URL; without one, say what gives one."""
        if user_input is not None:
            return self.async_create_entry(data=dict(self.config_entry.options))
        if (url := webhook_url(self.hass, self.config_entry)) is None:
            return self.async_abort(reason="no_webhook_url")
        spec = product_of(self.config_entry)
        return self.async_show_form(
            step_id="init",
            data_schema=vol.Schema({}),
            description_placeholders={
                "url": url,
                "service": spec.name,
                "site": spec.customer_site,
            },
        )
