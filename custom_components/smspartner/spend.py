"""What an SMS Partner account spent this month and last month, read hourly."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from homeassistant.util import dt as dt_util

from .api import Spend
from .budgets import SPEND_READS
from .hourly import HourlyCoordinator


@dataclass(frozen=True, slots=True)
class MonthlySpend:
    """The spend of the month read (`month`: its first day) and of the one before."""

    month: date
    this_month: Spend
    last_month: Spend

    @property
    def month_start(self) -> datetime:
        """Return when the month read began, in Home Assistant's time zone."""
        return dt_util.start_of_local_day(self.month)


def month_bounds(today: date) -> tuple[date, date]:
    """Return the first day of the month of `today`, and of the month before."""
    first = today.replace(day=1)
    return first, (first - timedelta(days=1)).replace(day=1)


class SpendCoordinator(HourlyCoordinator[MonthlySpend]):
    """Read statistics/cost-resume for this month and last month, once an hour.

    The months are Home Assistant's (its time zone): both are read as custom
    periods, so that "last month" is the same month as the one that ended here.
    """

    what = SPEND_READS

    async def _async_read(self) -> MonthlySpend:
        """Read the spend of this month so far, then of last month."""
        today = dt_util.now().date()
        first, previous = month_bounds(today)
        this_month = await self.client.async_get_spend(first, today)
        last_month = await self.client.async_get_spend(
            previous, first - timedelta(days=1)
        )
        return MonthlySpend(first, this_month, last_month)
