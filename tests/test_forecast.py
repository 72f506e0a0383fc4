"""Tests of the balance forecast, on readings at known times (no Home Assistant)."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from custom_components.smspartner.forecast import (
    MAX_READINGS,
    Reading,
    from_stored,
    record,
    runs_out,
    to_stored,
)

T0 = datetime(2026, 7, 1, 8, tzinfo=UTC)
DAY = timedelta(days=1)
POLL = timedelta(minutes=5)


def fed(balances: Iterable[float], every: timedelta = DAY) -> list[Reading]:
    """Return the readings of `balances` read every `every` from T0."""
    readings: list[Reading] = []
    for index, balance in enumerate(balances):
        readings = record(readings, T0 + index * every, balance)
    return readings


def test_falling_balance_runs_out_at_its_rate() -> None:
    """Falling 2 a day, 92 left after 4 days: gone 46 days after the last reading."""
    readings = fed([100, 98, 96, 94, 92])
    assert runs_out(readings) == T0 + 4 * DAY + 46 * DAY


def test_reads_every_poll_give_the_same_date_as_daily_ones() -> None:
    """Five-minute reads fold into about one reading a day, losing no fall."""
    polls_a_day = DAY // POLL
    balances = [100 - 2 * step / polls_a_day for step in range(4 * polls_a_day + 1)]
    readings = fed(balances, POLL)
    assert len(readings) == 6
    out = runs_out(readings)
    assert out is not None
    assert abs(out - (T0 + 50 * DAY)) < timedelta(seconds=1)


@pytest.mark.parametrize(
    "balances",
    [[50, 50, 50, 50, 50], [50, 60, 70, 80], []],
    ids=["flat", "only_top_ups", "no_reading"],
)
def test_no_fall_no_date(balances: list[float]) -> None:
    """A balance that does not fall never runs out: unknown."""
    assert runs_out(fed(balances)) is None


def test_a_top_up_is_left_out() -> None:
    """A rise is a top-up: the rate counts only the falls, over the whole time."""
    readings = fed([100, 90, 80, 180, 170, 160])
    # 40 fell in 5 days (the +100 left out): 8 a day, 160 left.
    assert runs_out(readings) == T0 + 5 * DAY + 20 * DAY


def test_a_top_up_on_a_spending_day_hides_nothing() -> None:
    """Spent, topped up and spent again between two daily readings: both falls count."""
    every = timedelta(hours=6)
    readings = fed(
        [100, 95, 195, 190, 180, 170, 160, 150, 140, 130, 120, 110, 100], every
    )
    # 5 + 5 + 9 × 10 = 100 fell in 3 days; 100 left: 3 more days.
    assert runs_out(readings) == T0 + 6 * DAY


@pytest.mark.parametrize(
    ("span", "expected"),
    [
        (3 * DAY - POLL, None),
        (3 * DAY, T0 + 3 * DAY + 7 * DAY),
    ],
    ids=["under_3_days", "3_days"],
)
def test_three_days_of_readings_needed(
    span: timedelta, expected: datetime | None
) -> None:
    """Unknown until the readings span 3 days."""
    readings = record(record([], T0, 100), T0 + span, 70)
    assert runs_out(readings) == expected


def test_readings_older_than_30_days_are_dropped() -> None:
    """Spending 40 days ago no longer counts: flat for 30 days, no date."""
    readings = fed([1000, 500, 400, *[400] * 38])
    assert readings[0].at >= readings[-1].at - timedelta(days=30)
    assert len(readings) == 31
    assert runs_out(readings) is None


def test_readings_stay_bounded() -> None:
    """A year of five-minute reads keeps about a reading a day."""
    readings = fed((1e6 - step for step in range(365 * DAY // POLL)), POLL)
    assert len(readings) <= 32
    assert readings[-1].at - readings[0].at <= timedelta(days=30)


@pytest.mark.parametrize("balance", [0, -3.5])
def test_nothing_left_runs_out_now(balance: float) -> None:
    """A balance already at or below zero ran out at the last reading."""
    readings = fed([20, 10, 5, balance])
    assert runs_out(readings) == T0 + 3 * DAY


def test_a_date_too_far_is_unknown() -> None:
    """A fall too small for a datetime to hold the date: unknown, no error."""
    readings = [Reading(T0, 1e300), Reading(T0 + 3 * DAY, 1e300, 1e-300)]
    assert runs_out(readings) is None


def test_clock_going_back_starts_afresh() -> None:
    """A read before the last reading starts the history again."""
    readings = fed([100, 90, 80, 70])
    assert record(readings, T0 + DAY, 75) == [Reading(T0 + DAY, 75)]


def test_stored_readings_load_back() -> None:
    """What is stored (JSON-ready) gives the same readings."""
    readings = fed([100, 90, 95, 85])
    assert from_stored(to_stored(readings)) == readings


def _stored(**fields: Any) -> list[dict[str, Any]]:
    """Return one stored reading with `fields` overridden."""
    return [{"at": T0.isoformat(), "balance": 10.0, "fallen": 0.0} | fields]


@pytest.mark.parametrize(
    "stored",
    [
        None,
        {"at": T0.isoformat()},
        ["reading"],
        [{"balance": 1.0, "fallen": 0.0}],
        _stored(at="yesterday"),
        _stored(at="2026-07-01T08:00:00"),
        _stored(at=12),
        _stored(balance="10"),
        _stored(balance=True),
        _stored(balance=float("nan")),
        _stored(fallen=float("inf")),
        _stored(fallen=-1.0),
        [*_stored(at=(T0 + DAY).isoformat()), *_stored()],
        _stored() * (MAX_READINGS + 1),
    ],
    ids=[
        "none",
        "not_a_list",
        "not_an_object",
        "no_time",
        "bad_time",
        "time_without_zone",
        "time_not_text",
        "text_balance",
        "boolean_balance",
        "nan_balance",
        "infinite_fall",
        "negative_fall",
        "out_of_order",
        "too_many",
    ],
)
def test_malformed_stored_readings_give_none(stored: Any) -> None:
    """A damaged or foreign file gives no readings rather than an error."""
    assert from_stored(stored) == []
