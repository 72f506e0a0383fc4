"""Monthly spend for SMS Partner's statistics/cost-resume, believable and repeatable.

Each day of an account's past has a number of SMS derived from its key (fewer at
weekends), so a month answers the same figures every time; the sends made through
the simulator this session are added on top. Costs are at the Premium SMS price.
Documented: `interval` last_month | last_twelve_months | custom (with `from` and
`to` as DD-MM-YYYY), `cost` and `nb_send` as strings, `date` the month's start as
a Unix time. Inferred: last_twelve_months ends with the current month; custom
counts only the days inside the range.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime, timedelta
import hashlib
from typing import Any, Final

from .accounts import SMS_PRICE
from .sending import PARIS
from .state import SentMessage

MONTHS: Final = (
    "january",
    "february",
    "march",
    "april",
    "may",
    "june",
    "july",
    "august",
    "september",
    "october",
    "november",
    "december",
)
INTERVALS: Final = ("last_month", "last_twelve_months", "custom")


class BadInterval(ValueError):
    """The interval parameters are missing or invalid (code 9)."""


def past_sends(key: str, day: date, daily: float) -> int:
    """Return how many SMS an account sent on a past day (0.5 to 1.5 times `daily`)."""
    digest = hashlib.sha256(f"{key}:{day.isoformat()}".encode()).digest()
    count = daily * (0.5 + digest[0] / 255)
    if day.weekday() >= 5:
        count *= 0.6
    return round(count)


def _month_start(day: date) -> date:
    """Return the first day of the month of `day`."""
    return day.replace(day=1)


def _add_months(day: date, months: int) -> date:
    """Return the first day of the month `months` after the month of `day`."""
    index = day.year * 12 + day.month - 1 + months
    return date(index // 12, index % 12 + 1, 1)


def date_range(query: dict[str, str], today: date) -> tuple[date, date]:
    """Return the first and last days the request covers."""
    match query.get("interval"):
        case "last_month":
            start = _add_months(today, -1)
            return start, _add_months(today, 0) - timedelta(days=1)
        case "last_twelve_months":
            return _add_months(today, -11), _add_months(today, 1) - timedelta(days=1)
        case "custom":
            try:
                start = datetime.strptime(query["from"], "%d-%m-%Y").date()
                end = datetime.strptime(query["to"], "%d-%m-%Y").date()
            except (KeyError, ValueError):
                raise BadInterval(
                    "from and to (DD-MM-YYYY) are required with interval=custom"
                ) from None
            if end < start:
                raise BadInterval("from must not be after to")
            return start, end
    raise BadInterval(f"interval must be one of {', '.join(INTERVALS)}")


def cost_resume(
    key: str,
    daily: float,
    sends: Iterable[SentMessage],
    span: tuple[date, date],
    now: datetime,
) -> list[dict[str, Any]]:
    """Return the `datas` list: one entry per month of `span`, up to `now`."""
    start, end = span
    counts: dict[date, int] = {}
    day = start
    while day <= min(end, now.date()):
        sent = past_sends(key, day, daily)
        if day == now.date():  # today: the share of the day gone by
            sent = int(sent * (now.hour * 60 + now.minute) / 1440)
        month = _month_start(day)
        counts[month] = counts.get(month, 0) + sent
        day += timedelta(days=1)
    extra: dict[date, int] = {}
    for message in sends:
        day = datetime.fromtimestamp(message.time, PARIS).date()
        if start <= day <= end:
            month = _month_start(day)
            extra[month] = extra.get(month, 0) + round(message.cost / SMS_PRICE)
    datas = []
    month = _month_start(start)
    while month <= end:
        nb_send = counts.get(month, 0) + extra.get(month, 0)
        datas.append(
            {
                "month": MONTHS[month.month - 1],
                "year": str(month.year),
                "m": f"{month.month:02d}",
                "date": int(
                    datetime(month.year, month.month, 1, tzinfo=PARIS).timestamp()
                ),
                "type": "month",
                "cost": f"{nb_send * SMS_PRICE:.3f}",
                "nb_send": str(nb_send),
            }
        )
        month = _add_months(month, 1)
    return datas
