"""Tests of the SMS recipients' notify entities (notify.py)."""

from __future__ import annotations

from types import MappingProxyType
from unittest.mock import MagicMock

import pytest
from pytest_homeassistant_custom_component.common import MockConfigEntry

from custom_components.smspartner.api import (
    SmsPartnerInsufficientCreditError,
    SmsPartnerStopListError,
)
from custom_components.smspartner.const import DOMAIN, SUBENTRY_RECIPIENT
from homeassistant.components.notify import (
    ATTR_MESSAGE,
    ATTR_TITLE,
    DOMAIN as NOTIFY_DOMAIN,
)
from homeassistant.config_entries import ConfigSubentry
from homeassistant.const import STATE_UNKNOWN
from homeassistant.core import HomeAssistant
from homeassistant.exceptions import HomeAssistantError, ServiceValidationError
from homeassistant.helpers import device_registry as dr, entity_registry as er

from .action_helpers import sms_sent
from .conftest import SMS_ONLY, SUBACCOUNTS, assert_no_key, device_of, sms_entry
from .recipient_helpers import FAMILY, notify_entity, send_message

pytestmark = SMS_ONLY
OTHER = FAMILY | {"subentry_id": "01JOTHER00000000000000000", "title": "Other"}


@pytest.fixture
def mock_config_entry() -> MockConfigEntry:
    """Return the SMS Partner entry, with the recipients Family and Other."""
    return sms_entry(subentries_data=[FAMILY, OTHER])


@pytest.fixture
def family(hass: HomeAssistant, init_integration: MockConfigEntry) -> str:
    """Return the entity ID of Family's notify entity."""
    return notify_entity(hass, init_integration, FAMILY["subentry_id"])


async def test_notify_entity(
    hass: HomeAssistant,
    init_integration: MockConfigEntry,
    mock_client: MagicMock,
    family: str,
) -> None:
    """A recipient is a notify entity, with a device of its own, that sends SMS."""
    registered = er.async_get(hass).async_get(family)
    assert registered is not None
    assert registered.config_subentry_id == FAMILY["subentry_id"]
    device = dr.async_get(hass).async_get(str(registered.device_id))
    assert isinstance(device, dr.DeviceEntry)
    assert device.identifiers == {(DOMAIN, registered.unique_id)}
    assert (device.name, device.manufacturer, device.model) == (
        "Family",
        "NDA Media",
        "SMS recipient",
    )
    account = device_of(hass, init_integration.entry_id)
    assert account is not None
    assert device.via_device_id == account.id
    assert device in dr.async_entries_for_config_entry(
        dr.async_get(hass), init_integration.entry_id
    )
    assert family == "notify.family"
    state = hass.states.get(family)
    assert state is not None
    assert state.state == STATE_UNKNOWN
    assert state.attributes["friendly_name"] == "Family"

    await send_message(
        hass, family, **{ATTR_MESSAGE: "Door open", ATTR_TITLE: "Alarm €"}
    )

    assert mock_client.async_send_sms.await_args_list == [
        sms_sent(["0612345678", "+33712345678"], "Alarm €\nDoor open", sender="Maison")
    ]
    assert mock_client.async_get_credits.await_count == 2
    state = hass.states.get(family)
    assert state is not None
    assert state.state != STATE_UNKNOWN


async def test_notify_without_title_or_sender(
    hass: HomeAssistant, init_integration: MockConfigEntry, mock_client: MagicMock
) -> None:
    """Without a title the message goes alone; without a sender none is given."""
    hass.config_entries.async_update_subentry(
        init_integration,
        init_integration.subentries[OTHER["subentry_id"]],
        data={"phone_numbers": ["+4915123456789"]},
    )
    await hass.async_block_till_done()
    entity_id = notify_entity(hass, init_integration, OTHER["subentry_id"])

    await send_message(hass, entity_id, message="Hi")

    assert mock_client.async_send_sms.await_args_list == [
        sms_sent(["+4915123456789"], "Hi", sender=None)
    ]


@pytest.mark.parametrize(
    ("error", "raised", "key"),
    [
        (SmsPartnerStopListError(14, "STOP"), ServiceValidationError, "stop_list"),
        (
            SmsPartnerInsufficientCreditError(11, "Crédits"),
            HomeAssistantError,
            "insufficient_credit",
        ),
    ],
)
async def test_notify_errors(
    hass: HomeAssistant,
    mock_client: MagicMock,
    family: str,
    *,
    error: Exception,
    raised: type[HomeAssistantError],
    key: str,
) -> None:
    """A refused send fails notify.send_message with a translated error."""
    mock_client.async_send_sms.side_effect = error
    with pytest.raises(HomeAssistantError) as caught:
        await send_message(hass, family, message="Hi")
    assert type(caught.value) is raised
    assert caught.value.translation_key == key


@pytest.mark.parametrize(
    ("data", "key"),
    [
        ({ATTR_MESSAGE: "\ud800"}, "invalid_text"),
        ({ATTR_MESSAGE: "Door open", ATTR_TITLE: "Alarm \udfff"}, "invalid_text"),
        ({ATTR_MESSAGE: "", ATTR_TITLE: " "}, "empty_message"),
        ({ATTR_MESSAGE: "  "}, "empty_message"),
    ],
)
async def test_notify_bad_text(
    hass: HomeAssistant,
    mock_client: MagicMock,
    family: str,
    data: dict[str, str],
    key: str,
) -> None:
    """A text that cannot be sent is a translated error, without the API key."""
    with pytest.raises(ServiceValidationError) as caught:
        await send_message(hass, family, **data)
    assert caught.value.translation_key == key
    assert_no_key(caught.value)
    mock_client.async_send_sms.assert_not_called()


async def test_remove_recipient(
    hass: HomeAssistant, init_integration: MockConfigEntry, family: str
) -> None:
    """Removing a recipient removes its entity and device, not the others."""
    device_id = er.async_get(hass).async_get(family).device_id  # type: ignore[union-attr]

    assert hass.config_entries.async_remove_subentry(
        init_integration, FAMILY["subentry_id"]
    )
    await hass.async_block_till_done()

    assert er.async_get(hass).async_get(family) is None
    assert hass.states.get(family) is None
    assert dr.async_get(hass).async_get(str(device_id)) is None
    assert hass.states.get(notify_entity(hass, init_integration, OTHER["subentry_id"]))
    # The account's, the other recipient's, and the sub-accounts'.
    devices = dr.async_entries_for_config_entry(
        dr.async_get(hass), init_integration.entry_id
    )
    assert len(devices) == 2 + len(SUBACCOUNTS)


async def test_unload_keeps_recipients(
    hass: HomeAssistant, init_integration: MockConfigEntry, family: str
) -> None:
    """Unloading and reloading the entry brings the notify entities back."""
    assert await hass.config_entries.async_reload(init_integration.entry_id)
    await hass.async_block_till_done()

    state = hass.states.get(family)
    assert state is not None
    assert state.state == STATE_UNKNOWN
    assert len(hass.states.async_entity_ids(NOTIFY_DOMAIN)) == 2


async def test_entry_updates(
    hass: HomeAssistant, init_integration: MockConfigEntry
) -> None:
    """Other changes add nothing; a recipient added while unloaded comes at set-up."""
    entry = init_integration
    assert entry.update_listeners == []

    hass.config_entries.async_update_entry(entry, title="Renamed")
    await hass.async_block_till_done()
    assert len(hass.states.async_entity_ids(NOTIFY_DOMAIN)) == 2

    assert await hass.config_entries.async_unload(entry.entry_id)
    hass.config_entries.async_add_subentry(
        entry,
        ConfigSubentry(
            data=MappingProxyType({"phone_numbers": ["0712345678"]}),
            subentry_type=SUBENTRY_RECIPIENT,
            title="Later",
            unique_id=None,
        ),
    )
    await hass.async_block_till_done()
    (later,) = set(entry.subentries) - {FAMILY["subentry_id"], OTHER["subentry_id"]}
    assert (
        er.async_get(hass).async_get_entity_id(
            NOTIFY_DOMAIN, DOMAIN, f"{entry.entry_id}_{later}"
        )
        is None
    )

    assert await hass.config_entries.async_setup(entry.entry_id)
    await hass.async_block_till_done()
    assert hass.states.get("notify.later") is not None
    assert hass.states.get("notify.family") is not None
