"""What the demo shows beyond the live credits: reports that arrived, and history.

Shared by the demo (scripts/demo.py) and the browser test (tests/ui):

- send_reports: one SMS to a simulator number that is delivered and then replies
  "OK", and one text-to-speech call that is answered (docs/simulator.md), so the
  accounts' event entities show a delivery report, a received SMS and a call
  result. The reports are pushed to the entries' webhooks: Home Assistant's
  external URL must be its own address (hass_config.write_config(external_url=True)).
- seed_balance_history: 30 days of balance readings in each entry's Store,
  spent as the simulator's account spends its money, so "Balance runs out"
  shows a date at once instead of after 3 days.
- import_spend_statistics: a year of long-term statistics for the monthly
  spend sensors, as the simulator's statistics/cost-resume counts the SMS, so
  a statistics graph shows the spend month by month.
"""

from __future__ import annotations

import asyncio
from datetime import UTC, date, datetime, timedelta
import json
from pathlib import Path
import time
from typing import Any, Final

from custom_components.smspartner.balance_history import STORAGE_VERSION, storage_key
from custom_components.smspartner.forecast import WINDOW, Reading, to_stored
from homeassistant.const import MAJOR_VERSION, MINOR_VERSION
from simulator.accounts import SMS_PRICE, SmsAccount, VoiceAccount
from simulator.sending import PARIS
from simulator.statistics import past_sends
from tests.e2e.harness import DOMAIN, HarnessError
from tests.e2e.hass_client import HassClient

# The simulator's rules (docs/simulator.md): a number ending in 93 is delivered,
# then replies "OK"; most others are delivered and, called, answer.
REPLYING_NUMBER: Final = "+33612345693"
CALLED_NUMBER: Final = "+33612345678"
REPORT_ENTITIES: Final = ("delivery_report", "received_sms", "call_result")
RUNS_OUT: Final = "balance_runs_out"
NO_VALUE: Final = ("unknown", "unavailable")
DAY: Final = timedelta(days=1)
SPENT_THIS_MONTH: Final = "spent_this_month"
SMS_SENT_THIS_MONTH: Final = "sms_sent_this_month"
MONTHS_OF_STATISTICS: Final = 12
# Home Assistant 2026.10 warns about, and will refuse, an import without these
# (a sum, no mean; no unit conversion for money or counts); 2025.4 refuses them.
# Inferred: the release that added them is 2025.11 (their deprecation ends in
# 2026.11); only 2025.4 and 2026.10 are checked.
NEWER_METADATA: Final = {"mean_type": 0, "unit_class": None}
NEWER_METADATA_SINCE: Final = (2025, 11)

type Account = SmsAccount | VoiceAccount


async def wait_for_values(
    hass: HassClient, entity_ids: list[str], what: str, timeout: float = 60.0
) -> dict[str, dict[str, Any]]:
    """Wait until every entity has a value; return the states."""
    deadline = time.monotonic() + timeout
    while True:
        states = await hass.states()
        if all(
            states.get(e, {}).get("state", "unknown") not in NO_VALUE
            for e in entity_ids
        ):
            return states
        if time.monotonic() > deadline:
            raise HarnessError(f"no {what} after {timeout:.0f} s: {entity_ids}")
        await asyncio.sleep(0.5)


async def send_reports(
    hass: HassClient, sms_entry: str, voice_entry: str
) -> dict[str, str]:
    """Send an SMS that gets a reply and a call; wait for the event entities.

    Returns the event entities' ids by key (REPORT_ENTITIES).
    """
    await hass.request(
        "POST",
        f"/api/services/{DOMAIN}/send_sms",
        {
            "config_entry_id": sms_entry,
            "recipients": [REPLYING_NUMBER],
            "message": "The alarm is ringing at home. Reply OK to acknowledge.",
        },
    )
    await hass.request(
        "POST",
        f"/api/services/{DOMAIN}/send_voice_message",
        {
            "config_entry_id": voice_entry,
            "recipients": [CALLED_NUMBER],
            "message": "The alarm is ringing at home.",
        },
    )
    async with hass.websocket() as ws:
        found = await ws.entities(sms_entry, "event") | await ws.entities(
            voice_entry, "event"
        )
    events = {key: found[key] for key in REPORT_ENTITIES}
    await wait_for_values(hass, list(events.values()), "reports")
    return events


def history(account: Account, now: datetime, elapsed: float) -> list[Reading]:
    """Return a reading a day over the last 30 days, and one now.

    `elapsed` is the simulator's time now (simulated seconds since its start);
    earlier balances are the account's sawtooth further back, at its own rate
    even when the simulator runs faster (--speed hurries the present for the
    screenshots' graphs; the past reads as a real account's would). Each
    reading's fall is the money spent in the day before it: the top-ups between
    readings are left out, as the integration does.
    """
    spent_a_day = account.spend_per_second * DAY.total_seconds()
    days = WINDOW // DAY
    return [
        Reading(
            now - back * DAY,
            round(account.money(elapsed - back * DAY.total_seconds()), 3),
            0.0 if back == days else round(spent_a_day, 3),
        )
        for back in range(days, -1, -1)
    ]


def write_history(config_dir: Path, entry_id: str, readings: list[Reading]) -> None:
    """Write readings as the entry's balance-history Store would."""
    key = storage_key(entry_id)
    store = config_dir / ".storage" / key
    store.parent.mkdir(parents=True, exist_ok=True)
    store.write_text(
        json.dumps(
            {
                "version": STORAGE_VERSION,
                "minor_version": 1,
                "key": key,
                "data": to_stored(readings),
            }
        )
    )


async def seed_balance_history(
    hass: HassClient,
    simulator_url: str,
    config_dir: Path,
    accounts: dict[str, Account],
) -> dict[str, str]:
    """Give each entry (id: its simulator account) 30 days of balance readings.

    The entry is disabled (its unload writes its own readings), its Store
    written, and the entry enabled again, which loads it. Returns the "Balance
    runs out" sensors by entry id, once they show a date.
    """
    runs_out: dict[str, str] = {}
    async with hass.websocket() as ws:
        for entry_id, account in accounts.items():
            runs_out[entry_id] = (await ws.entities(entry_id))[RUNS_OUT]
            await ws.command(
                "config_entries/disable", entry_id=entry_id, disabled_by="user"
            )
            async with hass.session.get(f"{simulator_url}/_control") as response:
                clock = await response.json()
            readings = history(account, datetime.now(UTC), clock["elapsed"])
            write_history(config_dir, entry_id, readings)
            await ws.command(
                "config_entries/disable", entry_id=entry_id, disabled_by=None
            )
    await wait_for_values(hass, list(runs_out.values()), "balance forecast")
    return runs_out


def spend_rows(
    key: str, daily: float, today: date, months: int = MONTHS_OF_STATISTICS
) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """Return long-term statistics of the monthly spend: money, and SMS sent.

    A row a day, its last hour (23:00 in Paris), from the start of the month
    `months - 1` before today's to yesterday, with each day's SMS as the
    simulator's statistics/cost-resume counts them: `state` the month's total
    so far, `last_reset` the month's start, `sum` the total since the first
    row, as the recorder keeps a `total` sensor that resets every month.
    """
    first = date(today.year, today.month, 1)
    for _ in range(months - 1):
        first = (first - timedelta(days=1)).replace(day=1)
    money: list[dict[str, Any]] = []
    count: list[dict[str, Any]] = []
    sent_sum = sent_month = 0
    day = first
    while day < today:
        if day.day == 1:
            sent_month = 0
        sent = past_sends(key, day, daily)
        sent_month += sent
        sent_sum += sent
        start = datetime.combine(day, datetime.min.time(), PARIS).replace(hour=23)
        reset = datetime.combine(day.replace(day=1), datetime.min.time(), PARIS)
        row = {"start": start.isoformat(), "last_reset": reset.isoformat()}
        money.append(
            row
            | {
                "state": round(sent_month * SMS_PRICE, 3),
                "sum": round(sent_sum * SMS_PRICE, 3),
            }
        )
        count.append(row | {"state": sent_month, "sum": sent_sum})
        day += timedelta(days=1)
    return money, count


async def import_spend_statistics(
    hass: HassClient, sms_sensors: dict[str, str], account: SmsAccount
) -> bool:
    """Give the spend sensors a year of long-term statistics, for monthly graphs.

    Through the websocket's recorder/import_statistics, as a user importing
    history would. Returns False when the account has no spend sensors.
    """
    if SPENT_THIS_MONTH not in sms_sensors:
        return False
    money, count = spend_rows(
        account.api_key, account.daily_sms, datetime.now(PARIS).date()
    )
    states = await hass.states()
    async with hass.websocket() as ws:
        for key, stats in ((SPENT_THIS_MONTH, money), (SMS_SENT_THIS_MONTH, count)):
            entity_id = sms_sensors[key]
            unit = states[entity_id]["attributes"].get("unit_of_measurement")
            metadata = {
                "has_mean": False,
                "has_sum": True,
                "name": None,
                "source": "recorder",
                "statistic_id": entity_id,
                "unit_of_measurement": unit,
            }
            if (MAJOR_VERSION, MINOR_VERSION) >= NEWER_METADATA_SINCE:
                metadata |= NEWER_METADATA
            await ws.command(
                "recorder/import_statistics", metadata=metadata, stats=stats
            )
    return True
