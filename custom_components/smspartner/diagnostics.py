"""Diagnostics of SMS Partner config entries."""

from __future__ import annotations

from dataclasses import asdict
from typing import Any

from homeassistant.components.diagnostics import async_redact_data
from homeassistant.const import CONF_API_KEY
from homeassistant.core import HomeAssistant

from .const import CONF_ACCOUNT
from .coordinator import SmsPartnerConfigEntry

TO_REDACT = {CONF_API_KEY, CONF_ACCOUNT, "username", "title"}


async def async_get_config_entry_diagnostics(
    hass: HomeAssistant, entry: SmsPartnerConfigEntry
) -> dict[str, Any]:
    """Return the entry's settings, last credits and request budget, without secrets."""
    coordinator = entry.runtime_data
    limiter = coordinator.client.limiter
    return async_redact_data(
        {
            "entry": {
                "title": entry.title,
                "version": entry.version,
                "data": dict(entry.data),
            },
            "coordinator": {
                "last_update_success": coordinator.last_update_success,
                "update_interval_seconds": coordinator.update_interval.total_seconds()
                if coordinator.update_interval
                else None,
            },
            "credits": asdict(coordinator.data),
            "request_budget": {
                "max_requests": limiter.max_requests,
                "period_seconds": limiter.period,
                "requests_in_window": limiter.requests_in_window,
                "seconds_until_next_request": round(limiter.delay(), 1),
            }
            if limiter is not None
            else None,
        },
        TO_REDACT,
    )
