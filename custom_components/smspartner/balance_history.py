"""The balance readings of an account, kept in a Store so a restart loses nothing."""

from __future__ import annotations

from datetime import datetime
from typing import Any, Final

from homeassistant.core import HomeAssistant, callback
from homeassistant.exceptions import HomeAssistantError
from homeassistant.helpers.dispatcher import async_dispatcher_send
from homeassistant.helpers.storage import Store
from homeassistant.util import dt as dt_util

from .api import Credits
from .const import DOMAIN, LOGGER
from .forecast import Reading, from_stored, record, runs_out, to_stored

STORAGE_VERSION: Final = 1
# Every read moves the last reading: write at most once an hour, and at
# shutdown and unload.
SAVE_DELAY: Final = 3600


def storage_key(entry_id: str) -> str:
    """Return the key (file name under .storage) of an entry's readings."""
    return f"{DOMAIN}.{entry_id}.balance"


def _store(hass: HomeAssistant, entry_id: str) -> Store[list[dict[str, Any]]]:
    """Return the Store of an entry's readings."""
    return Store(hass, STORAGE_VERSION, storage_key(entry_id))


class BalanceHistory:
    """The readings of one entry's balance (forecast.record), and when it runs out."""

    def __init__(self, hass: HomeAssistant, entry_id: str) -> None:
        """Attach the history to the entry's Store; async_load reads it."""
        self._hass = hass
        self._store = _store(hass, entry_id)
        self._readings: list[Reading] = []
        # Sent after each read, for the forecast sensor.
        self.signal = f"{DOMAIN}_{entry_id}_balance_read"

    async def async_load(self) -> None:
        """Read the stored readings; unreadable ones are dropped, not fatal."""
        try:
            stored = await self._store.async_load()
        except (HomeAssistantError, NotImplementedError) as err:
            # A damaged file, or one a later version wrote (NotImplementedError
            # is Store's answer to a version it cannot migrate).
            LOGGER.warning("Balance history unreadable, starting afresh: %s", err)
            stored = None
        self._readings = from_stored(stored)

    @callback
    def async_record(self, credits: Credits) -> None:
        """Add the balance just read, save it later, and tell the forecast sensor."""
        self._readings = record(self._readings, dt_util.utcnow(), credits.balance)
        self._store.async_delay_save(self._stored, SAVE_DELAY)
        async_dispatcher_send(self._hass, self.signal)

    def runs_out(self) -> datetime | None:
        """Return when the balance runs out (forecast.runs_out)."""
        return runs_out(self._readings)

    async def async_save(self) -> None:
        """Write the readings now, replacing a write pending."""
        await self._store.async_save(self._stored())

    def _stored(self) -> list[dict[str, Any]]:
        """Return what the Store writes."""
        return to_stored(self._readings)


async def async_remove_balance_history(hass: HomeAssistant, entry_id: str) -> None:
    """Delete the stored readings of a removed entry."""
    await _store(hass, entry_id).async_remove()
