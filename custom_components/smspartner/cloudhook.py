"""An entry's Home Assistant Cloud webhook (cloudhook), when the cloud is logged in.

Its URL is kept in the entry, as core's webhook integrations do: a secret like
the webhook ID (redacted from diagnostics, never logged).
"""

from __future__ import annotations

from contextlib import suppress
import sys
from types import ModuleType
from typing import Any, Final

from homeassistant.const import CONF_WEBHOOK_ID
from homeassistant.core import HomeAssistant, callback

from .const import LOGGER
from .coordinator import SmsPartnerConfigEntry
from .identity import account_label

CONF_CLOUDHOOK_URL: Final = "cloudhook_url"


def cloud_component(hass: HomeAssistant) -> ModuleType | None:
    """Return Home Assistant Cloud's component once it is set up, else None.

    Not imported here: it pulls in requirements (Alexa, cameras...) that an
    installation without Home Assistant Cloud may not have.
    """
    if "cloud" not in hass.config.components:
        return None
    return sys.modules.get("homeassistant.components.cloud")


def _subscribed(hass: HomeAssistant) -> ModuleType | None:
    """Return Home Assistant Cloud's component when logged in, else None."""
    cloud = cloud_component(hass)
    return cloud if cloud and cloud.async_active_subscription(hass) else None


@callback
def cloudhook_url(hass: HomeAssistant, entry: SmsPartnerConfigEntry) -> str | None:
    """Return the entry's cloudhook URL while Home Assistant Cloud is logged in."""
    url: str | None = entry.data.get(CONF_CLOUDHOOK_URL)
    return url if url and _subscribed(hass) else None


@callback
def async_start_cloudhook(hass: HomeAssistant, entry: SmsPartnerConfigEntry) -> None:
    """Get the entry's cloudhook now, or once Home Assistant Cloud connects."""
    if not (cloud := _subscribed(hass)):
        return

    async def connection_changed(state: Any) -> None:
        if state is cloud.CloudConnectionState.CLOUD_CONNECTED:
            await _async_get_cloudhook(hass, entry, cloud)

    entry.async_on_unload(
        cloud.async_listen_connection_change(hass, connection_changed)
    )
    if cloud.async_is_connected(hass):
        entry.async_create_background_task(
            hass, _async_get_cloudhook(hass, entry, cloud), "smspartner cloudhook"
        )


async def _async_get_cloudhook(
    hass: HomeAssistant, entry: SmsPartnerConfigEntry, cloud: ModuleType
) -> None:
    """Get or create the entry's cloudhook and keep its URL in the entry."""
    try:
        url = await cloud.async_get_or_create_cloudhook(
            hass, entry.data[CONF_WEBHOOK_ID]
        )
    except cloud.CloudNotAvailable:
        return
    except Exception as err:  # noqa: BLE001 - Home Assistant Cloud's own errors
        LOGGER.warning(
            "%s: no Home Assistant Cloud webhook (%s); the external URL, if any, "
            "is used instead",
            account_label(entry),
            type(err).__name__,
        )
        return
    if url != entry.data.get(CONF_CLOUDHOOK_URL):
        LOGGER.debug("%s: Home Assistant Cloud webhook ready", account_label(entry))
        hass.config_entries.async_update_entry(
            entry, data={**entry.data, CONF_CLOUDHOOK_URL: url}
        )


async def async_delete_cloudhook(
    hass: HomeAssistant, entry: SmsPartnerConfigEntry
) -> None:
    """Delete the entry's cloudhook, if it has one and the cloud is there."""
    if CONF_CLOUDHOOK_URL in entry.data and (cloud := cloud_component(hass)):
        with suppress(cloud.CloudNotAvailable):
            await cloud.async_delete_cloudhook(hass, entry.data[CONF_WEBHOOK_ID])
