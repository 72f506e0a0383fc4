"""Tests of the delivery tracker: back-off, once-only reports, errors, caps, the Store."""

from __future__ import annotations

from datetime import timedelta
from unittest.mock import MagicMock, patch

from freezegun.api import FrozenDateTimeFactory
import pytest
from pytest_homeassistant_custom_component.common import (
    MockConfigEntry,
    async_capture_events,
)

from custom_components.smspartner.api import (
    DeliveryStatus,
    MessageStatus,
    SmsPartnerConnectionError,
    SmsPartnerRateLimitError,
    SmsPartnerThrottledError,
    parse_sms_send,
)
from custom_components.smspartner.const import EVENT_MESSAGE_STATUS
from custom_components.smspartner.product import Product
from homeassistant.core import Event, HomeAssistant
from homeassistant.util import dt as dt_util

from .action_helpers import send_sms
from .conftest import SMS_SENT
from .tracker_helpers import (
    FIRST,
    MESSAGE_ID,
    MINUTE,
    SECOND,
    delivered_after,
    provider,
    reported,
    tracker_of,
    wait,
)

pytestmark = [
    pytest.mark.usefixtures("frozen_time"),
    pytest.mark.parametrize("product", [Product.SMS_PARTNER], ids=str),
]


@pytest.fixture
def events(hass: HomeAssistant) -> list[Event]:
    """Return the smspartner_message_status events fired."""
    return async_capture_events(hass, EVENT_MESSAGE_STATUS)


async def test_delivered_after_3_minutes(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    init_integration: MockConfigEntry,
    mock_client: MagicMock,
    events: list[Event],
) -> None:
    """A message delivered after 3 minutes costs 3 status requests: 1, 2, 5 min."""
    asked = provider(mock_client, delivered_after(3 * MINUTE))
    await send_sms(hass, init_integration, recipients="06 12 34 56 78", message="Hi")

    await wait(hass, freezer, MINUTE, 120)

    assert asked == [MINUTE, 2 * MINUTE, 5 * MINUTE]
    assert reported(events) == [
        (MESSAGE_ID, FIRST, "pending", "poll"),
        (MESSAGE_ID, FIRST, "delivered", "poll"),
    ]
    assert events[-1].data == {
        "config_entry_id": init_integration.entry_id,
        "message_id": MESSAGE_ID,
        "phone_number": FIRST,
        "status": "delivered",
        "provider_status": "Delivered",
        "source": "poll",
    }
    assert tracker_of(init_integration).diagnostics()["messages_followed"] == 0


async def test_back_off_up_to_48_hours(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    init_integration: MockConfigEntry,
    mock_client: MagicMock,
    events: list[Event],
) -> None:
    """A number never final is asked at 1, 2, 5, 15, 30 min, then hourly to 48 h."""
    asked = provider(mock_client, lambda _: {FIRST: "Waiting"})
    await send_sms(hass, init_integration, recipients=FIRST, message="Hi")

    await wait(hass, freezer, MINUTE, 30)
    await wait(hass, freezer, 30 * MINUTE, 2 * 50)

    assert asked == [
        *(timedelta(minutes=minutes) for minutes in (1, 2, 5, 15, 30)),
        *(timedelta(hours=hours) for hours in range(1, 49)),
    ]
    assert reported(events) == [(MESSAGE_ID, FIRST, "pending", "poll")]
    assert tracker_of(init_integration).diagnostics() == {
        "messages_followed": 0,
        "numbers_awaiting_final_status": 0,
        "messages_remembered": 0,
    }


async def test_webhook_report_ends_polling(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    init_integration: MockConfigEntry,
    mock_client: MagicMock,
    events: list[Event],
) -> None:
    """A message the webhook reported final is never polled, nor reported again."""
    asked = provider(mock_client, delivered_after(timedelta()))
    await send_sms(hass, init_integration, recipients=FIRST, message="Hi")
    tracker = tracker_of(init_integration)
    report = MessageStatus(
        MESSAGE_ID, "0612345678", DeliveryStatus.DELIVERED, "Delivered"
    )

    await wait(hass, freezer, timedelta(seconds=10))
    tracker.async_report(report, "webhook")
    tracker.async_report(report, "webhook")  # a provider retrying
    await wait(hass, freezer, MINUTE, 120)

    assert asked == []
    assert reported(events) == [(MESSAGE_ID, FIRST, "delivered", "webhook")]


async def test_poll_and_webhook_report_once(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    init_integration: MockConfigEntry,
    mock_client: MagicMock,
    events: list[Event],
) -> None:
    """Poll and webhook each report only what the other has not; polling then stops."""
    asked = provider(mock_client, lambda _: {FIRST: "Delivered", SECOND: "Waiting"})
    await send_sms(hass, init_integration, recipients=[FIRST, SECOND], message="Hi")
    tracker = tracker_of(init_integration)

    await wait(hass, freezer, MINUTE)
    for number, status, word in (
        (FIRST, DeliveryStatus.DELIVERED, "Delivered"),
        ("0033698765432", DeliveryStatus.PENDING, "Waiting"),
        ("33698765432", DeliveryStatus.NOT_DELIVERED, "Not delivered"),
        (SECOND, DeliveryStatus.PENDING, "Waiting"),
    ):
        tracker.async_report(MessageStatus(MESSAGE_ID, number, status, word), "webhook")
    await wait(hass, freezer, MINUTE, 120)

    assert asked == [MINUTE]
    assert reported(events) == [
        (MESSAGE_ID, FIRST, "delivered", "poll"),
        (MESSAGE_ID, SECOND, "pending", "poll"),
        (MESSAGE_ID, SECOND, "not_delivered", "webhook"),
    ]


async def test_report_of_a_message_not_sent_here(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    init_integration: MockConfigEntry,
    mock_client: MagicMock,
    events: list[Event],
) -> None:
    """A report of another message is fired once and not polled."""
    asked = provider(mock_client, delivered_after(timedelta()))
    tracker = tracker_of(init_integration)
    report = MessageStatus("999", "not a number", DeliveryStatus.DELIVERED, "OK")

    tracker.async_report(report, "webhook")
    tracker.async_report(report, "webhook")
    await wait(hass, freezer, MINUTE, 10)

    assert asked == []
    assert reported(events) == [("999", "not a number", "delivered", "webhook")]


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
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    init_integration: MockConfigEntry,
    mock_client: MagicMock,
    events: list[Event],
    *,
    error: Exception,
    second_poll: timedelta,
) -> None:
    """Errors delay the next status request; nothing is reported for them."""
    start = dt_util.utcnow()
    asked: list[timedelta] = []
    errors = [error]

    async def bulk_status(message_id: str) -> tuple[MessageStatus, ...]:
        asked.append(dt_util.utcnow() - start)
        if errors:
            raise errors.pop()
        return (
            MessageStatus(message_id, FIRST, DeliveryStatus.DELIVERED, "Delivered"),
        )

    mock_client.async_send_sms.return_value = parse_sms_send(SMS_SENT)
    mock_client.async_get_bulk_status.side_effect = bulk_status
    await send_sms(hass, init_integration, recipients=FIRST, message="Hi")

    await wait(hass, freezer, timedelta(seconds=30), 20)

    assert asked == [MINUTE, second_poll]
    assert reported(events) == [(MESSAGE_ID, FIRST, "delivered", "poll")]


async def test_scheduled_send(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    init_integration: MockConfigEntry,
    mock_client: MagicMock,
) -> None:
    """The back-off of a scheduled SMS starts at its time (here an hour ahead)."""
    asked = provider(mock_client, delivered_after(timedelta()))
    scheduled = dt_util.as_local(dt_util.utcnow() + timedelta(hours=1))
    await send_sms(
        hass,
        init_integration,
        recipients=FIRST,
        message="Hi",
        scheduled_time=scheduled.strftime("%Y-%m-%d %H:%M:%S"),
    )

    await wait(hass, freezer, MINUTE, 90)

    assert asked == [61 * MINUTE]


async def test_caps(init_integration: MockConfigEntry, events: list[Event]) -> None:
    """Beyond the cap the oldest are forgotten, those no longer polled first."""
    tracker = tracker_of(init_integration)
    with patch("custom_components.smspartner.tracker.MAX_MESSAGES", 2):
        tracker.async_track("1", [FIRST])
        tracker.async_track("2", [FIRST, SECOND])
        tracker.async_report(
            MessageStatus("1", FIRST, DeliveryStatus.DELIVERED, "Delivered"), "webhook"
        )
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
    tracker.async_report(
        MessageStatus("1", FIRST, DeliveryStatus.DELIVERED, "Delivered"), "webhook"
    )
    assert reported(events) == [("1", FIRST, "delivered", "webhook")] * 2
