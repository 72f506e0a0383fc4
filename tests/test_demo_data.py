"""Tests of the demo's history: balance readings and spend statistics (scripts/demo_data)."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
import json
from pathlib import Path

from custom_components.smspartner.forecast import from_stored, record, runs_out
from scripts.demo_data import history, spend_rows, write_history
from simulator.accounts import DEMO_SMS_KEY, demo_sms_accounts, demo_voice_accounts
from simulator.sending import PARIS
from simulator.statistics import cost_resume, date_range

NOW = datetime(2026, 12, 3, 11, 0, tzinfo=UTC)


def test_balance_history_gives_a_forecast(tmp_path: Path) -> None:
    """30 days of readings, stored as the integration stores them: a date ahead.

    At the account's rate the SMS Partner balance lasts days, the Voice Partner
    one hours, and a read just after the seeding leaves the forecast as it was.
    """
    sms, voice = demo_sms_accounts()[0], demo_voice_accounts()[0]
    elapsed = 120.0
    write_history(tmp_path, "entry", history(sms, NOW, elapsed))
    stored = json.loads(
        (tmp_path / ".storage" / "smspartner.entry.balance").read_text()
    )
    assert stored["key"] == "smspartner.entry.balance"
    readings = from_stored(stored["data"])
    assert len(readings) == 31
    assert readings[-1].at - readings[0].at == timedelta(days=30)
    money = sms.money(elapsed)
    days_left = money / (sms.spend_per_second * 86400)
    assert runs_out(readings) == NOW + timedelta(days=days_left)
    later = NOW + timedelta(seconds=60)
    after_read = record(readings, later, sms.money(elapsed + 60))
    forecast = runs_out(after_read)
    assert forecast is not None
    assert abs(forecast - (NOW + timedelta(days=days_left))) < timedelta(minutes=5)
    voice_forecast = runs_out(history(voice, NOW, elapsed))
    assert voice_forecast is not None
    assert NOW < voice_forecast < NOW + timedelta(hours=6)


def test_spend_statistics_match_cost_resume() -> None:
    """Each month of the imported statistics adds up to what cost-resume answers."""
    today = date(2026, 12, 3)
    money, count = spend_rows(DEMO_SMS_KEY, 3.0, today)
    assert len(money) == len(count) == (today - date(2026, 1, 1)).days
    months = cost_resume(
        DEMO_SMS_KEY,
        3.0,
        [],
        date_range({"interval": "last_twelve_months"}, today),
        datetime(2026, 12, 3, 0, 0, tzinfo=PARIS),
    )
    ends = {
        row["last_reset"][:7]: (row, n) for row, n in zip(money, count, strict=True)
    }
    for month in months:
        row, sent = ends[f"{month['year']}-{month['m']}"]
        assert row["state"] == float(month["cost"])
        assert sent["state"] == int(month["nb_send"])
    assert money[-1]["sum"] == round(sum(float(m["cost"]) for m in months), 3)
    assert money[0]["start"] == "2026-01-01T23:00:00+01:00"
