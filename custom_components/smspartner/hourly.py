"""The base of the coordinators that read an SMS Partner account once an hour."""

from __future__ import annotations

from abc import abstractmethod
from datetime import timedelta
from typing import Any, ClassVar, Final

from homeassistant.core import HomeAssistant, callback
from homeassistant.helpers.update_coordinator import DataUpdateCoordinator
from homeassistant.util.hass_dict import HassKey

from .api import SmsPartnerClient, SmsPartnerError, SmsPartnerThrottledError
from .const import DOMAIN, LOGGER
from .coordinator import SmsPartnerConfigEntry, update_error
from .identity import account_label

HOURLY: Final = timedelta(hours=1)
# The last answer of each hourly read of each entry, kept over a reload: read
# again within the hour, the budget refuses, and the entry shows it meanwhile.
LAST_READS: HassKey[dict[tuple[str, str], Any]] = HassKey(f"{DOMAIN}_last_hourly_reads")


@callback
def async_forget_last_reads(hass: HomeAssistant, entry_id: str) -> None:
    """Forget the answers kept for a removed entry."""
    last_reads = hass.data.get(LAST_READS, {})
    for kept in [kept for kept in last_reads if kept[0] == entry_id]:
        del last_reads[kept]


class HourlyCoordinator[DataT](DataUpdateCoordinator[DataT]):
    """Read `what` of an account once an hour, within a budget of its own.

    Its failures make only its own entities unavailable.
    """

    config_entry: SmsPartnerConfigEntry
    # What is read (a key of budgets.HOURLY_BUDGETS).
    what: ClassVar[str]

    def __init__(
        self,
        hass: HomeAssistant,
        entry: SmsPartnerConfigEntry,
        client: SmsPartnerClient,
    ) -> None:
        """Set up hourly reads for an entry, with its client.

        The client's own budget for them (budgets.HOURLY_BUDGETS) keeps them
        apart from the credit reads.
        """
        what = self.what
        name = f"{account_label(entry)} {what}"
        super().__init__(
            hass, LOGGER, config_entry=entry, name=name, update_interval=HOURLY
        )
        self.client = client
        self._kept = (entry.entry_id, what)

    @abstractmethod
    async def _async_read(self) -> DataT:
        """Read the data from the provider."""

    async def _async_update_data(self) -> DataT:
        """Read the data, or keep the last answer while the budget is spent."""
        last_reads = self.hass.data.setdefault(LAST_READS, {})
        try:
            data = await self._async_read()
        except SmsPartnerThrottledError as err:
            kept: DataT | None = (
                self.data if self.data is not None else last_reads.get(self._kept)
            )
            if self.last_update_success and kept is not None:
                LOGGER.debug("%s: budget spent, keeping the last answer", self.name)
                return kept
            raise update_error(err) from None
        except SmsPartnerError as err:
            raise update_error(err) from err
        last_reads[self._kept] = data
        return data
