"""Tests of the delivery tracker: back-off, once-only reports, errors, caps, Store."""

from __future__ import annotations

from datetime import timedelta
from typing import Any
from unittest.mock import MagicMock, patch

from freezegun.api import FrozenDateTimeFactory
import pytest
from pytest_homeassistant_custom_component.common import MockConfigEntry

from custom_components.smspartner.api import (
    SmsPartnerConnectionError,
    SmsPartnerRateLimitError,
    SmsPartnerThrottledError,
)
from custom_components.smspartner.product import Product
from homeassistant.core import HomeAssistant
from homeassistant.util import dt as dt_util

from .conftest import setup_integration
from .tracker_helpers import FIRST, MESSAGE_ID, MINUTE, SECOND, Polling, delivered_after

pytestmark = [
    pytest.mark.usefixtures("frozen_time"),
    pytest.mark.parametrize("product", [Product.SMS_PARTNER], ids=str),
]


@pytest.fixture
def stopped(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    mock_config_entry: MockConfigEntry,
    mock_client: MagicMock,
) -> Polling:
    """Return the SMS Partner entry, not set up yet, on a frozen clock."""
    return Polling(hass, freezer, mock_config_entry, mock_client)


@pytest.fixture
async def polling(hass: HomeAssistant, stopped: Polling) -> Polling:
    """Return the SMS Partner entry, set up, on a frozen clock."""
    await setup_integration(hass, stopped.entry)
    return stopped


async def test_delivered_after_3_minutes(polling: Polling) -> None:
    """A message delivered after 3 minutes costs 3 status requests: 1, 2, 5 min."""
    asked = polling.answer(delivered_after(3 * MINUTE))
    await polling.send("06 12 34 56 78")

    await polling.wait(MINUTE, 120)

    assert asked == [MINUTE, 2 * MINUTE, 5 * MINUTE]
    assert polling.reported() == [
        (MESSAGE_ID, FIRST, "pending", "poll"),
        (MESSAGE_ID, FIRST, "delivered", "poll"),
    ]
    assert polling.events[-1].data == {
        "config_entry_id": polling.entry.entry_id,
        "message_id": MESSAGE_ID,
        "phone_number": FIRST,
        "status": "delivered",
        "provider_status": "Delivered",
        "source": "poll",
    }
    assert polling.tracker.diagnostics()["messages_followed"] == 0


async def test_back_off_up_to_48_hours(polling: Polling) -> None:
    """A number never final is asked at 1, 2, 5, 15, 30 min, then hourly to 48 h."""
    asked = polling.answer(lambda _: {FIRST: "Waiting"})
    await polling.send()

    await polling.wait(MINUTE, 30)
    await polling.wait(30 * MINUTE, 2 * 50)

    assert asked == [
        *(timedelta(minutes=minutes) for minutes in (1, 2, 5, 15, 30)),
        *(timedelta(hours=hours) for hours in range(1, 49)),
    ]
    assert polling.reported() == [(MESSAGE_ID, FIRST, "pending", "poll")]
    assert polling.tracker.diagnostics() == {
        "messages_followed": 0,
        "numbers_awaiting_final_status": 0,
        "messages_remembered": 0,
    }


async def test_webhook_report_ends_polling(polling: Polling) -> None:
    """A message the webhook reported final is never polled, nor reported again."""
    asked = polling.answer(delivered_after(timedelta()))
    await polling.send()

    await polling.wait(timedelta(seconds=10))
    polling.report("0612345678", "Delivered")
    polling.report("0612345678", "Delivered")  # a provider retrying
    await polling.wait(MINUTE, 120)

    assert asked == []
    assert polling.reported() == [(MESSAGE_ID, FIRST, "delivered", "webhook")]


async def test_poll_and_webhook_report_once(polling: Polling) -> None:
    """Poll and webhook each report only what the other has not; polling then stops."""
    asked = polling.answer(lambda _: {FIRST: "Delivered", SECOND: "Waiting"})
    await polling.send(FIRST, SECOND)

    await polling.wait(MINUTE)
    polling.report(FIRST, "Delivered")
    polling.report("0033698765432", "Waiting")
    polling.report("33698765432", "Not delivered")
    polling.report(SECOND, "Waiting")
    await polling.wait(MINUTE, 120)

    assert asked == [MINUTE]
    assert polling.reported() == [
        (MESSAGE_ID, FIRST, "delivered", "poll"),
        (MESSAGE_ID, SECOND, "pending", "poll"),
        (MESSAGE_ID, SECOND, "not_delivered", "webhook"),
    ]


async def test_report_of_a_message_not_sent_here(polling: Polling) -> None:
    """A report of another message is fired once and not polled."""
    asked = polling.answer(delivered_after(timedelta()))

    polling.report("not a number", "Delivered", "999")
    polling.report("not a number", "Delivered", "999")
    await polling.wait(MINUTE, 10)

    assert asked == []
    assert polling.reported() == [("999", "not a number", "delivered", "webhook")]


@pytest.mark.parametrize(
    ("error", "second_poll"),
    [
        # A failed poll is retried at the next point of the schedule.
        (SmsPartnerConnectionError("Timed out"), 2 * MINUTE),
        # A spent budget or a 429 holds every poll for as long as asked.
        (SmsPartnerThrottledError(90), timedelta(minutes=2, seconds=30)),
        (SmsPartnerRateLimitError(300), 6 * MINUTE),
    ],
)
async def test_poll_errors(
    polling: Polling, error: Exception, second_poll: timedelta
) -> None:
    """Errors delay the next status request; nothing is reported for them."""
    errors = [error]

    def answer(elapsed: timedelta) -> dict[str, str]:
        if errors:
            raise errors.pop()
        return delivered_after(timedelta())(elapsed)

    asked = polling.answer(answer)
    await polling.send()

    await polling.wait(timedelta(seconds=30), 20)

    assert asked == [MINUTE, second_poll]
    assert polling.reported() == [(MESSAGE_ID, FIRST, "delivered", "poll")]


async def test_scheduled_send(polling: Polling) -> None:
    """The back-off of a scheduled SMS starts at its time (here an hour ahead)."""
    asked = polling.answer(delivered_after(timedelta()))
    scheduled = dt_util.as_local(dt_util.utcnow() + timedelta(hours=1))
    await polling.send(scheduled_time=scheduled.strftime("%Y-%m-%d %H:%M:%S"))

    await polling.wait(MINUTE, 90)

    assert asked == [61 * MINUTE]


async def test_caps(polling: Polling) -> None:
    """Beyond the cap the oldest are forgotten, those no longer polled first."""
    tracker = polling.tracker
    with patch("custom_components.smspartner.tracker.MAX_MESSAGES", 2):
        tracker.async_track("1", [FIRST])
        tracker.async_track("2", [FIRST, SECOND])
        polling.report(FIRST, "Delivered", "1")
        tracker.async_track("3", [FIRST])
        assert tracker.diagnostics() == {
            "messages_followed": 2,
            "numbers_awaiting_final_status": 3,
            "messages_remembered": 2,
        }
        tracker.async_track("4", [FIRST])
        assert tracker.diagnostics() == {
            "messages_followed": 2,
            "numbers_awaiting_final_status": 2,
            "messages_remembered": 2,
        }
    # Message 1 was forgotten: a late report of it is fired as new.
    polling.report(FIRST, "Delivered", "1")
    assert polling.reported() == [("1", FIRST, "delivered", "webhook")] * 2


def stored(hass_storage: dict[str, Any], entry: MockConfigEntry) -> Any:
    """Return the messages the entry stored, or None."""
    data = hass_storage.get(f"smspartner.delivery.{entry.entry_id}")
    return data and data["data"]["messages"]


async def test_store_across_reload(
    hass: HomeAssistant, polling: Polling, hass_storage: dict[str, Any]
) -> None:
    """An unloaded entry saves what it follows; set up again, it polls what is due."""
    asked = polling.answer(delivered_after(3 * MINUTE))
    await polling.send()
    await polling.wait(MINUTE)

    assert await hass.config_entries.async_unload(polling.entry.entry_id)
    assert stored(hass_storage, polling.entry) == [
        {
            "message_id": MESSAGE_ID,
            "sent": "2026-07-14T08:00:00+00:00",
            "next_poll": "2026-07-14T08:02:00+00:00",
            "numbers": {FIRST: "pending"},
        }
    ]
    await polling.wait(MINUTE, 10)
    assert await hass.config_entries.async_setup(polling.entry.entry_id)
    await polling.wait(timedelta())

    assert asked == [MINUTE, 11 * MINUTE]
    assert polling.reported() == [
        (MESSAGE_ID, FIRST, "pending", "poll"),
        (MESSAGE_ID, FIRST, "delivered", "poll"),
    ]


async def test_start_with_stored_messages(
    hass: HomeAssistant, stopped: Polling, hass_storage: dict[str, Any]
) -> None:
    """Stored messages are followed after a restart; unusable records are dropped."""
    now = dt_util.utcnow()

    def record(message_id: str, sent: timedelta, **data: Any) -> dict[str, Any]:
        return {"message_id": message_id, "sent": (now - sent).isoformat()} | data

    def due_in(delta: timedelta) -> str:
        return (now + delta).isoformat()

    key = f"smspartner.delivery.{stopped.entry.entry_id}"
    hass_storage[key] = {
        "version": 1,
        "key": key,
        "data": {
            "messages": [
                # Due an hour ago (Home Assistant was stopped): polled at once.
                record(
                    "1",
                    timedelta(hours=2),
                    next_poll=due_in(-timedelta(hours=1)),
                    numbers={FIRST: None},
                ),
                # Due in 30 s.
                record(
                    "2",
                    timedelta(seconds=90),
                    next_poll=due_in(MINUTE / 2),
                    numbers={FIRST: "pending"},
                ),
                # Final: no longer polled, remembered.
                record("3", MINUTE, next_poll=None, numbers={FIRST: "delivered"}),
                # Past 48 h: dropped.
                record("4", timedelta(hours=49), numbers={FIRST: "pending"}),
                # Unusable records.
                "junk",
                {"message_id": 5},
                record("6", MINUTE, numbers={FIRST: "lost"}),
                record("7", MINUTE, numbers=[FIRST]),
                {"message_id": "8", "sent": "2026-07-14T08:00:00", "numbers": {}},
            ]
        },
    }
    asked = stopped.answer(delivered_after(timedelta()))

    await setup_integration(hass, stopped.entry)
    await stopped.wait(timedelta())
    assert stopped.tracker.diagnostics() == {
        "messages_followed": 1,
        "numbers_awaiting_final_status": 1,
        "messages_remembered": 3,
    }
    stopped.report(FIRST, "Delivered", "3")
    await stopped.wait(MINUTE / 2)

    assert asked == [timedelta(), MINUTE / 2]
    assert stopped.reported() == [
        ("1", FIRST, "delivered", "poll"),
        ("2", FIRST, "delivered", "poll"),
    ]


async def test_remove_entry(
    hass: HomeAssistant, polling: Polling, hass_storage: dict[str, Any]
) -> None:
    """A removed entry's stored messages are deleted."""
    polling.tracker.async_track(MESSAGE_ID, [FIRST])
    await hass.config_entries.async_unload(polling.entry.entry_id)
    assert stored(hass_storage, polling.entry)

    await hass.config_entries.async_remove(polling.entry.entry_id)

    assert stored(hass_storage, polling.entry) is None
