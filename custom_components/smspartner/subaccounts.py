"""The sub-accounts of an SMS Partner account, read hourly, and their devices."""

from __future__ import annotations

from homeassistant.helpers import device_registry as dr

from .api import SubAccount
from .budgets import SUBACCOUNT_READS
from .const import DOMAIN, LOGGER
from .coordinator import SmsPartnerConfigEntry
from .hourly import HourlyCoordinator


def subaccount_identifier(entry: SmsPartnerConfigEntry, account_id: str) -> str:
    """Return the device identifier (and unique ID prefix) of a sub-account."""
    return f"{entry.entry_id}_subaccount_{account_id}"


class SubAccountCoordinator(HourlyCoordinator[dict[str, SubAccount]]):
    """Read the sub-accounts once an hour, by ID; remove the devices of gone ones."""

    what = SUBACCOUNT_READS

    async def _async_read(self) -> dict[str, SubAccount]:
        """Read every page of sub-accounts, then remove the devices of gone ones."""
        accounts = {
            account.id: account for account in await self.client.async_get_subaccounts()
        }
        self._remove_stale_devices(accounts)
        return accounts

    def _remove_stale_devices(self, accounts: dict[str, SubAccount]) -> None:
        """Detach from the entry the devices of sub-accounts no longer listed.

        Only sub-account devices: the account's and the recipients' stay.
        """
        entry = self.config_entry
        prefix = subaccount_identifier(entry, "")
        current = {subaccount_identifier(entry, account) for account in accounts}
        registry = dr.async_get(self.hass)
        for device in dr.async_entries_for_config_entry(registry, entry.entry_id):
            ours = {
                identifier
                for domain, identifier in device.identifiers
                if domain == DOMAIN and identifier.startswith(prefix)
            }
            if ours and not ours & current:
                LOGGER.debug("%s: removing a sub-account gone from the list", self.name)
                registry.async_update_device(
                    device.id, remove_config_entry_id=entry.entry_id
                )
