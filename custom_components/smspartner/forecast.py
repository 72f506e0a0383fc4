"""When a balance runs out, from its readings: pure functions, no Home Assistant.

Each credit read (every few minutes) is compared with the read before it: a
fall is money spent; a rise is a top-up and is left out. The reads are folded
into about one reading a day (the last reading moves forward with each read
until it is a day after the one before it), each keeping `fallen`, the sum of
the falls between the reads it replaced, so a top-up hides nothing spent, even
on the same day. Readings older than 30 days are dropped.

The rate is the sum of the readings' falls (the first one's excepted: it came
before) over the time from the first reading to the last; the balance runs out
at the last reading plus its balance over that rate. Unknown while the readings
span less than 3 days or nothing fell.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from itertools import pairwise
import math
from typing import Any, Final

WINDOW: Final = timedelta(days=30)
# The span of readings below which there is no forecast.
MIN_SPAN: Final = timedelta(days=3)
# How far apart readings are kept (the last one moves until it is that old).
STEP: Final = timedelta(days=1)
# More than the readings WINDOW and STEP allow: a bound on what is loaded.
MAX_READINGS: Final = 64


@dataclass(frozen=True, slots=True)
class Reading:
    """A balance at a time, and how much it fell since the reading before."""

    at: datetime
    balance: float
    fallen: float = 0.0


def record(readings: Sequence[Reading], at: datetime, balance: float) -> list[Reading]:
    """Return `readings` with the balance read at `at` added, beyond 30 days dropped.

    A read earlier than the last reading (the clock went back) starts afresh.
    """
    if not readings or at < readings[-1].at:
        return [Reading(at, balance)]
    last = readings[-1]
    fall = max(last.balance - balance, 0.0)
    if len(readings) > 1 and at - readings[-2].at < STEP:
        kept = [*readings[:-1], Reading(at, balance, last.fallen + fall)]
    else:
        kept = [*readings, Reading(at, balance, fall)]
    return [reading for reading in kept if at - reading.at <= WINDOW]


def runs_out(readings: Sequence[Reading]) -> datetime | None:
    """Return when the balance reaches zero at the rate it fell, or None.

    None while the readings span less than 3 days, while the balance does not
    fall, or when the date is beyond what a datetime holds. An empty or negative
    balance has run out at its last reading.
    """
    if not readings or readings[-1].at - readings[0].at < MIN_SPAN:
        return None
    first, last = readings[0], readings[-1]
    # The first reading's fall happened before the span: it is left out.
    fallen = sum(reading.fallen for reading in readings[1:])
    if fallen <= 0:
        return None
    rate = fallen / (last.at - first.at).total_seconds()
    try:
        return last.at + timedelta(seconds=max(last.balance, 0.0) / rate)
    except OverflowError:
        return None


def to_stored(readings: Sequence[Reading]) -> list[dict[str, Any]]:
    """Return the readings as JSON-ready dicts."""
    return [
        {
            "at": reading.at.isoformat(),
            "balance": reading.balance,
            "fallen": reading.fallen,
        }
        for reading in readings
    ]


def from_stored(stored: Any) -> list[Reading]:
    """Return the readings of `to_stored`; anything malformed gives none."""
    if not isinstance(stored, list) or len(stored) > MAX_READINGS:
        return []
    try:
        readings = [
            Reading(
                _instant(item["at"]), _finite(item["balance"]), _finite(item["fallen"])
            )
            for item in stored
        ]
    except (TypeError, KeyError, ValueError):
        return []
    ordered = all(a.at <= b.at for a, b in pairwise(readings))
    if not ordered or any(reading.fallen < 0 for reading in readings):
        return []
    return readings


def _instant(value: Any) -> datetime:
    """Return a datetime with its time zone from ISO 8601, in UTC, or raise ValueError."""
    instant = datetime.fromisoformat(value)
    if instant.tzinfo is None:
        raise ValueError(value)
    return instant.astimezone(UTC)


def _finite(value: Any) -> float:
    """Return a finite JSON number, or raise TypeError or ValueError."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise TypeError(value)
    if not math.isfinite(value):
        raise ValueError(value)
    return float(value)
