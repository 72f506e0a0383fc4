"""Diagnostics of SMS Partner config entries."""

from __future__ import annotations

from dataclasses import asdict
from typing import Any

from homeassistant.components.diagnostics import async_redact_data
from homeassistant.config_entries import ConfigEntryState
from homeassistant.const import CONF_API_KEY, CONF_WEBHOOK_ID
from homeassistant.core import HomeAssistant

from .api import RequestLimiter
from .budgets import (
    HOURLY_BUDGETS,
    async_get_host_limiter,
    async_get_hourly_limiter,
    async_get_limiter,
    async_get_send_limiter,
    async_get_status_limiter,
)
from .cloudhook import CONF_CLOUDHOOK_URL
from .const import CONF_ACCOUNT
from .coordinator import SmsPartnerConfigEntry
from .product import Product, product_of
from .webhook import webhook_url

TO_REDACT = {
    CONF_API_KEY,
    CONF_ACCOUNT,
    CONF_WEBHOOK_ID,
    CONF_CLOUDHOOK_URL,
    "username",
    "title",
    "email",
}


def _budget(limiter: RequestLimiter, covers: str) -> dict[str, Any]:
    """Describe a request budget and what it covers."""
    return {
        "covers": covers,
        "max_requests": limiter.max_requests,
        "period_seconds": limiter.period,
        "requests_in_window": limiter.requests_in_window,
        "seconds_until_next_request": round(limiter.delay(), 1),
    }


async def async_get_config_entry_diagnostics(
    hass: HomeAssistant, entry: SmsPartnerConfigEntry
) -> dict[str, Any]:
    """Return the entry's settings, state, budgets and last credits, without secrets.

    An entry that is not loaded (setup retried or failed) has no credits.
    """
    product = product_of(entry).product
    api_key = entry.data[CONF_API_KEY]
    diagnostics: dict[str, Any] = {
        "entry": {
            "title": entry.title,
            "version": entry.version,
            "state": entry.state.value,
            "data": dict(entry.data),
        },
        "budgets": {
            "credit_reads": _budget(
                async_get_limiter(hass, product, api_key),
                "credit reads and key checks of this key",
            ),
            "credit_reads_host": _budget(
                async_get_host_limiter(hass, product),
                "credit reads and key checks of every key, to this provider host",
            ),
            "sends": _budget(
                async_get_send_limiter(hass, product, api_key), "sends with this key"
            ),
        },
    }
    if product is Product.SMS_PARTNER:
        diagnostics["budgets"]["statuses"] = _budget(
            async_get_status_limiter(hass, api_key),
            "delivery status requests with this key",
        )
        diagnostics["budgets"] |= {
            f"{what}_reads": _budget(
                async_get_hourly_limiter(hass, what, api_key),
                f"hourly {what} reads of this key",
            )
            for what in HOURLY_BUDGETS
        }
    if entry.state is ConfigEntryState.LOADED:
        coordinator = entry.runtime_data.coordinator
        diagnostics["coordinator"] = {
            "last_update_success": coordinator.last_update_success,
            "update_interval_seconds": coordinator.update_interval.total_seconds()
            if coordinator.update_interval
            else None,
        }
        diagnostics["credits"] = asdict(coordinator.data)
        if tracker := entry.runtime_data.tracker:
            diagnostics["delivery_tracking"] = tracker.diagnostics()
        if (spend := entry.runtime_data.spend) is not None:
            diagnostics["spend"] = {
                "last_update_success": spend.last_update_success,
                "data": None
                if spend.data is None
                else asdict(spend.data) | {"month": spend.data.month.isoformat()},
            }
        if (subaccounts := entry.runtime_data.subaccounts) is not None:
            diagnostics["subaccounts"] = {
                "last_update_success": subaccounts.last_update_success,
                "data": [
                    asdict(account) for account in (subaccounts.data or {}).values()
                ],
            }
    # Whether the providers are given a URL for reports, not the URL (a secret).
    diagnostics["webhook"] = {
        "url_given_to_providers": webhook_url(hass, entry) is not None,
        "cloudhook": CONF_CLOUDHOOK_URL in entry.data,
    }
    return async_redact_data(diagnostics, TO_REDACT)
