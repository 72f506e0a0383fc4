"""Tests of the sub-accounts: a device each, appearing and disappearing with them."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from unittest.mock import MagicMock

from freezegun.api import FrozenDateTimeFactory
import pytest
from pytest_homeassistant_custom_component.common import MockConfigEntry

from custom_components.smspartner.api import SmsPartnerConnectionError, SubAccount
from custom_components.smspartner.const import DOMAIN
from custom_components.smspartner.hourly import HOURLY
from custom_components.smspartner.product import Product
from homeassistant.const import STATE_UNAVAILABLE
from homeassistant.core import HomeAssistant
from homeassistant.helpers import device_registry as dr, entity_registry as er

from .conftest import SUBACCOUNTS, device_of, state_of
from .fault_helpers import advance

pytestmark = pytest.mark.parametrize("product", [Product.SMS_PARTNER], ids=str)
DUPONT, MARTIN = SUBACCOUNTS
NEW = SubAccount("1203", "chalet.durand@example.com", 7.0, "EUR")
DUPONT_SENSOR = "sensor.sub_account_maison_dupont_example_com_balance"
MARTIN_SENSOR = "sensor.sub_account_gite_martin_example_com_balance"
NEW_SENSOR = "sensor.sub_account_chalet_durand_example_com_balance"


def _subaccount_devices(hass: HomeAssistant, entry: MockConfigEntry) -> set[str]:
    """Return the names of the entry's sub-account devices."""
    return {
        device.name or ""
        for device in dr.async_entries_for_config_entry(
            dr.async_get(hass), entry.entry_id
        )
        if device.model == "SMS Partner sub-account"
    }


type Lister = Callable[..., Awaitable[None]]


@pytest.fixture
def listed(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory, mock_client: MagicMock
) -> Lister:
    """Return how to let the next hourly read list some sub-accounts."""

    async def list_next(*accounts: SubAccount) -> None:
        mock_client.async_get_subaccounts.return_value = accounts
        await advance(hass, freezer, HOURLY.total_seconds())

    return list_next


async def test_a_device_per_subaccount(
    hass: HomeAssistant, init_integration: MockConfigEntry
) -> None:
    """Each sub-account gets a device, linked to the account's, with its balance."""
    account = device_of(hass, init_integration.entry_id)
    assert account is not None
    device = device_of(hass, f"{init_integration.entry_id}_subaccount_1201")
    assert device is not None
    assert device.name == "Sub-account maison.dupont@example.com"
    assert device.via_device_id == account.id
    state = hass.states.get(DUPONT_SENSOR)
    assert state is not None
    assert state.state == "25.5"
    assert state.attributes["unit_of_measurement"] == "EUR"
    assert state.attributes["state_class"] == "total"


async def test_subaccounts_appear_and_disappear(
    hass: HomeAssistant, init_integration: MockConfigEntry, listed: Lister
) -> None:
    """A new sub-account adds a device; a gone one loses it, and may come back."""
    entry = init_integration
    entities = er.async_get(hass)
    assert _subaccount_devices(hass, entry) == {
        "Sub-account maison.dupont@example.com",
        "Sub-account gite.martin@example.com",
    }

    await listed(DUPONT, MARTIN, NEW)
    assert state_of(hass, NEW_SENSOR) == "7.0"
    assert len(_subaccount_devices(hass, entry)) == 3

    await listed(MARTIN)
    assert _subaccount_devices(hass, entry) == {"Sub-account gite.martin@example.com"}
    for gone in (DUPONT_SENSOR, NEW_SENSOR):
        assert entities.async_get(gone) is None
        assert hass.states.get(gone) is None
    assert state_of(hass, MARTIN_SENSOR) == "3.2"
    # The account's device stays, with its own sensors.
    assert device_of(hass, entry.entry_id) is not None
    assert state_of(hass, "sensor.sms_partner_balance") == "10225.119"

    await listed(DUPONT, MARTIN)
    assert state_of(hass, DUPONT_SENSOR) == "25.5"
    assert len(_subaccount_devices(hass, entry)) == 2

    await listed()
    assert _subaccount_devices(hass, entry) == set()
    assert all(
        (DOMAIN, f"{entry.entry_id}_subaccount_{account.id}") not in device.identifiers
        for device in dr.async_entries_for_config_entry(
            dr.async_get(hass), entry.entry_id
        )
        for account in SUBACCOUNTS
    )


async def test_a_failed_read_keeps_the_devices(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    init_integration: MockConfigEntry,
    mock_client: MagicMock,
) -> None:
    """A failed read makes the balances unavailable, removes nothing, and recovers."""
    mock_client.async_get_subaccounts.side_effect = SmsPartnerConnectionError(
        "HTTP 500"
    )
    await advance(hass, freezer, HOURLY.total_seconds())
    assert state_of(hass, DUPONT_SENSOR) == STATE_UNAVAILABLE
    assert state_of(hass, MARTIN_SENSOR) == STATE_UNAVAILABLE
    assert len(_subaccount_devices(hass, init_integration)) == 2
    assert state_of(hass, "sensor.sms_partner_spent_this_month") == "49.174"

    mock_client.async_get_subaccounts.side_effect = None
    await advance(hass, freezer, HOURLY.total_seconds())
    assert state_of(hass, DUPONT_SENSOR) == "25.5"
