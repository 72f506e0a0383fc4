"""Tests of the spend sensors: hourly reads in their own budget, monthly totals."""

from __future__ import annotations

from datetime import date
import itertools
from unittest.mock import MagicMock, call

from freezegun.api import FrozenDateTimeFactory
import pytest
from pytest_homeassistant_custom_component.common import MockConfigEntry
from pytest_homeassistant_custom_component.test_util.aiohttp import AiohttpClientMocker

from custom_components.smspartner.api import (
    SmsPartnerApiError,
    SmsPartnerAuthenticationError,
    SmsPartnerConnectionError,
    SmsPartnerError,
    SmsPartnerInvalidResponseError,
    Spend,
)
from custom_components.smspartner.budgets import HOURLY_BUDGETS, SPEND_READS
from custom_components.smspartner.hourly import HOURLY, LAST_READS
from custom_components.smspartner.product import Product
from homeassistant.config_entries import ConfigEntryState
from homeassistant.const import STATE_UNAVAILABLE
from homeassistant.core import HomeAssistant
from homeassistant.setup import async_setup_component

from .conftest import (
    SMS_URL,
    SPEND_URL,
    SUBACCOUNTS_URL,
    load_fixture,
    setup_integration,
    sms_entry,
    sms_payload,
    state_of,
)
from .fault_helpers import FakeProvider, advance, json_reply, max_in_window

SPENT = "sensor.sms_partner_spent_this_month"
SENT = "sensor.sms_partner_sms_sent_this_month"
LAST_MONTH = "sensor.sms_partner_spent_last_month"
CREDITS = "sensor.sms_partner_sms_credits"
SUBACCOUNT = "sensor.sub_account_maison_dupont_example_com_balance"
SMS_ONLY = pytest.mark.parametrize("product", [Product.SMS_PARTNER], ids=str)


async def test_spend_is_read_once_an_hour(
    hass: HomeAssistant,
    aioclient_mock: AiohttpClientMocker,
    freezer: FrozenDateTimeFactory,
) -> None:
    """Refreshes every minute and reloads send cost-resume at most 2 requests an hour.

    The credits keep their 5-minute polls, and the sensors stay available.
    """
    assert await async_setup_component(hass, "homeassistant", {})
    aioclient_mock.clear_requests()
    spend = FakeProvider(json_reply(load_fixture("sms_partner_cost_resume")))
    provider = FakeProvider(json_reply(sms_payload()))
    aioclient_mock.get(SPEND_URL, side_effect=spend)
    aioclient_mock.get(SMS_URL, side_effect=provider)
    aioclient_mock.get(SUBACCOUNTS_URL, json=load_fixture("sms_partner_subaccounts"))
    entry = sms_entry()
    await setup_integration(hass, entry)

    for minute in range(1, 3 * 60 + 1):
        await hass.services.async_call(
            "homeassistant", "update_entity", {"entity_id": SPENT}, blocking=True
        )
        if minute % 25 == 0:
            assert await hass.config_entries.async_reload(entry.entry_id)
        await advance(hass, freezer, 60)
        assert state_of(hass, SPENT) == "49.174"

    assert max_in_window(spend.times, 60) <= 5  # the provider's limit
    assert max_in_window(spend.times, 3600) == HOURLY_BUDGETS[SPEND_READS][0] == 2
    assert len(spend.requests) == 2 * 3  # this month and last month, hourly
    # The credits were read every 5 minutes at least, never held back.
    credit_times = sorted(provider.times)
    assert max(b - a for a, b in itertools.pairwise(credit_times)) <= 300
    assert entry.state is ConfigEntryState.LOADED
    # Removed, the entry leaves no answer kept behind.
    assert hass.data[LAST_READS]
    assert await hass.config_entries.async_remove(entry.entry_id)
    assert hass.data[LAST_READS] == {}


@SMS_ONLY
async def test_last_reset_follows_the_month_of_home_assistant(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    mock_config_entry: MockConfigEntry,
    mock_client: MagicMock,
) -> None:
    """Months are Home Assistant's (Paris here): the reset comes with the new month's read.

    At 23:30 UTC on 31 January it is February in Paris: the read that follows
    asks for February, and only then do the value and `last_reset` change, together.
    """
    await hass.config.async_set_time_zone("Europe/Paris")
    freezer.move_to("2026-01-31 22:30:00+00:00")
    await setup_integration(hass, mock_config_entry)
    assert mock_client.async_get_spend.mock_calls == [
        call(date(2026, 1, 1), date(2026, 1, 31)),
        call(date(2025, 12, 1), date(2025, 12, 31)),
    ]
    january = hass.states.get(SPENT)
    assert january is not None
    assert january.attributes["last_reset"] == "2026-01-01T00:00:00+01:00"
    assert january.attributes["state_class"] == "total"
    assert hass.states.get(SENT).attributes["last_reset"] == (  # type: ignore[union-attr]
        "2026-01-01T00:00:00+01:00"
    )
    assert "last_reset" not in hass.states.get(LAST_MONTH).attributes  # type: ignore[union-attr]

    # Midnight in Paris: January's total keeps January's reset until the next read.
    mock_client.async_get_spend.reset_mock()
    mock_client.async_get_spend.side_effect = [Spend(0.5, 10), Spend(52.3, 1300)]
    await advance(hass, freezer, 40 * 60)
    assert state_of(hass, SPENT) == "49.174"
    assert hass.states.get(SPENT).attributes["last_reset"] == (  # type: ignore[union-attr]
        "2026-01-01T00:00:00+01:00"
    )

    await advance(hass, freezer, 21 * 60)
    assert mock_client.async_get_spend.mock_calls == [
        call(date(2026, 2, 1), date(2026, 2, 1)),
        call(date(2026, 1, 1), date(2026, 1, 31)),
    ]
    february = hass.states.get(SPENT)
    assert february is not None
    assert february.state == "0.5"
    assert february.attributes["last_reset"] == "2026-02-01T00:00:00+01:00"
    assert state_of(hass, SENT) == "10"
    assert state_of(hass, LAST_MONTH) == "52.3"


@SMS_ONLY
@pytest.mark.parametrize(
    "error",
    [
        SmsPartnerConnectionError("Timed out"),
        SmsPartnerInvalidResponseError("Field datas is missing"),
        SmsPartnerApiError(9, "Constraints not met"),
        SmsPartnerAuthenticationError("The API key was refused"),
    ],
    ids=type,
)
async def test_a_failed_read_makes_only_spend_unavailable(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    init_integration: MockConfigEntry,
    mock_client: MagicMock,
    error: SmsPartnerError,
) -> None:
    """Until the next good read, only the spend sensors are unavailable."""
    mock_client.async_get_spend.side_effect = error
    await advance(hass, freezer, HOURLY.total_seconds())

    for entity_id in (SPENT, SENT, LAST_MONTH):
        assert state_of(hass, entity_id) == STATE_UNAVAILABLE
    assert state_of(hass, CREDITS) == "269082"
    assert state_of(hass, SUBACCOUNT) == "25.5"
    assert init_integration.state is ConfigEntryState.LOADED

    mock_client.async_get_spend.side_effect = None
    await advance(hass, freezer, HOURLY.total_seconds())
    assert state_of(hass, SPENT) == "49.174"
    assert state_of(hass, SENT) == "1210"
    assert state_of(hass, LAST_MONTH) == "49.174"


@SMS_ONLY
async def test_amounts_in_the_account_currency(
    hass: HomeAssistant, init_integration: MockConfigEntry
) -> None:
    """Amounts are monetary, in the account's currency, shown with two decimals."""
    for entity_id in (SPENT, LAST_MONTH):
        state = hass.states.get(entity_id)
        assert state is not None
        assert state.attributes["unit_of_measurement"] == "EUR"
        assert state.attributes["device_class"] == "monetary"
    assert "unit_of_measurement" not in hass.states.get(SENT).attributes  # type: ignore[union-attr]
