"""Tests of the SMS recipients: their subentry flow and their notify entities."""

from __future__ import annotations

import json
from pathlib import Path
from types import MappingProxyType
from typing import Any

import pytest
from pytest_homeassistant_custom_component.common import MockConfigEntry
from pytest_homeassistant_custom_component.test_util.aiohttp import AiohttpClientMocker

from custom_components.smspartner.const import DOMAIN, SUBENTRY_RECIPIENT
from homeassistant.components.notify import (
    ATTR_MESSAGE,
    ATTR_TITLE,
    DOMAIN as NOTIFY_DOMAIN,
    SERVICE_SEND_MESSAGE,
)
from homeassistant.config_entries import (
    SOURCE_RECONFIGURE,
    SOURCE_USER,
    ConfigSubentry,
    ConfigSubentryDataWithId,
)
from homeassistant.const import ATTR_ENTITY_ID, STATE_UNKNOWN
from homeassistant.core import HomeAssistant
from homeassistant.data_entry_flow import FlowResultType, UnknownHandler
from homeassistant.exceptions import HomeAssistantError, ServiceValidationError
from homeassistant.helpers import device_registry as dr, entity_registry as er

from .conftest import (
    SMS_KEY,
    SMS_LOOKUP_URL,
    SMS_SEND_URL,
    SMS_SENT as DOCUMENTED_SMS_SENT,
    SMS_URL,
    VOICE_URL,
    device_of,
    setup_integration,
    sms_entry,
    sms_payload,
    voice_entry,
    voice_payload,
)

# A send that took two SMS.
SMS_SENT = DOCUMENTED_SMS_SENT | {"nb_sms": 2, "cost": 0.076}
COMPONENT = Path(__file__).parent.parent / "custom_components" / DOMAIN
FAMILY: ConfigSubentryDataWithId = {
    "subentry_id": "01JFAMILY0000000000000000",
    "subentry_type": SUBENTRY_RECIPIENT,
    "title": "Family",
    "unique_id": None,
    "data": {"phone_numbers": ["0612345678", "+33712345678"], "sender": "Maison"},
}


async def setup_sms(
    hass: HomeAssistant, aioclient_mock: AiohttpClientMocker, *subentries: Any
) -> MockConfigEntry:
    """Set up the SMS Partner entry with `subentries`."""
    aioclient_mock.get(SMS_URL, json=sms_payload())
    aioclient_mock.post(SMS_SEND_URL, json=SMS_SENT)
    # Numbers are checked locally only here; test_recipient_flow looks them up.
    aioclient_mock.post(SMS_LOOKUP_URL, status=503)
    entry = sms_entry(subentries_data=list(subentries))
    await setup_integration(hass, entry)
    return entry


def notify_entity(hass: HomeAssistant, entry: MockConfigEntry, subentry_id: str) -> str:
    """Return the entity ID of a recipient's notify entity."""
    entity_id = er.async_get(hass).async_get_entity_id(
        NOTIFY_DOMAIN, DOMAIN, f"{entry.entry_id}_{subentry_id}"
    )
    assert entity_id is not None
    return entity_id


def sms_bodies(aioclient_mock: AiohttpClientMocker) -> list[dict[str, Any]]:
    """Return the bodies of the SMS sends."""
    return [
        json.loads(data)
        for _, url, data, _ in aioclient_mock.mock_calls
        if str(url) == SMS_SEND_URL
    ]


def credit_reads(aioclient_mock: AiohttpClientMocker) -> int:
    """Return how many times the credits were read."""
    return sum(
        str(url).startswith(SMS_URL) for _, url, _, _ in aioclient_mock.mock_calls
    )


async def send(hass: HomeAssistant, entity_id: str, **data: Any) -> None:
    """Call notify.send_message for `entity_id`."""
    await hass.services.async_call(
        NOTIFY_DOMAIN,
        SERVICE_SEND_MESSAGE,
        {ATTR_ENTITY_ID: entity_id} | data,
        blocking=True,
    )


async def test_notify_entity(
    hass: HomeAssistant, aioclient_mock: AiohttpClientMocker
) -> None:
    """A recipient is a notify entity, with a device of its own, that sends SMS."""
    entry = await setup_sms(hass, aioclient_mock, FAMILY)
    entity_id = notify_entity(hass, entry, FAMILY["subentry_id"])
    registered = er.async_get(hass).async_get(entity_id)
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
    account = device_of(hass, entry.entry_id)
    assert account is not None
    assert device.via_device_id == account.id
    assert device in dr.async_entries_for_config_entry(
        dr.async_get(hass), entry.entry_id
    )
    assert entity_id == "notify.family"
    state = hass.states.get(entity_id)
    assert state is not None
    assert state.state == STATE_UNKNOWN
    assert state.attributes["friendly_name"] == "Family"

    await send(hass, entity_id, **{ATTR_MESSAGE: "Door open", ATTR_TITLE: "Alarm €"})

    assert sms_bodies(aioclient_mock) == [
        {
            "apiKey": SMS_KEY,
            "phoneNumbers": "0612345678,+33712345678",
            "message": "Alarm :euro::br:Door open",
            "sender": "Maison",
        }
    ]
    assert credit_reads(aioclient_mock) == 2
    state = hass.states.get(entity_id)
    assert state is not None
    assert state.state != STATE_UNKNOWN


async def test_notify_without_title_or_sender(
    hass: HomeAssistant, aioclient_mock: AiohttpClientMocker
) -> None:
    """Without a title the message goes alone; without a sender none is sent."""
    recipient = FAMILY | {"data": {"phone_numbers": ["+4915123456789"]}}
    entry = await setup_sms(hass, aioclient_mock, recipient)

    await send(hass, notify_entity(hass, entry, FAMILY["subentry_id"]), message="Hi")

    assert sms_bodies(aioclient_mock)[0] == {
        "apiKey": SMS_KEY,
        "phoneNumbers": "+4915123456789",
        "message": "Hi",
    }


@pytest.mark.parametrize(
    ("answer", "error", "key"),
    [
        (
            {"json": {"success": False, "code": 14, "message": "STOP"}},
            ServiceValidationError,
            "stop_list",
        ),
        (
            {"json": {"success": False, "code": 11, "message": "Crédits"}},
            HomeAssistantError,
            "insufficient_credit",
        ),
    ],
)
async def test_notify_errors(
    hass: HomeAssistant,
    aioclient_mock: AiohttpClientMocker,
    answer: dict[str, Any],
    error: type[HomeAssistantError],
    key: str,
) -> None:
    """A refused send fails notify.send_message with a translated error."""
    aioclient_mock.post(SMS_SEND_URL, **answer)
    entry = await setup_sms(hass, aioclient_mock, FAMILY)
    entity_id = notify_entity(hass, entry, FAMILY["subentry_id"])

    with pytest.raises(HomeAssistantError) as caught:
        await send(hass, entity_id, message="Hi")
    assert type(caught.value) is error
    assert caught.value.translation_key == key

    with pytest.raises(ServiceValidationError) as caught:
        await send(hass, entity_id, message="  ")
    assert caught.value.translation_key == "empty_message"


@pytest.mark.parametrize(
    ("data", "key"),
    [
        ({ATTR_MESSAGE: "\ud800"}, "invalid_text"),
        ({ATTR_MESSAGE: "Door open", ATTR_TITLE: "Alarm \udfff"}, "invalid_text"),
        ({ATTR_MESSAGE: "", ATTR_TITLE: " "}, "empty_message"),
    ],
)
async def test_notify_bad_text(
    hass: HomeAssistant,
    aioclient_mock: AiohttpClientMocker,
    data: dict[str, str],
    key: str,
) -> None:
    """A text that cannot be sent is a translated error, without the API key."""
    entry = await setup_sms(hass, aioclient_mock, FAMILY)
    with pytest.raises(ServiceValidationError) as caught:
        await send(hass, notify_entity(hass, entry, FAMILY["subentry_id"]), **data)
    assert caught.value.translation_key == key
    for text in (str(caught.value), repr(caught.value), str(caught.value.args)):
        assert SMS_KEY not in text
    assert sms_bodies(aioclient_mock) == []


async def test_add_recipient(
    hass: HomeAssistant, aioclient_mock: AiohttpClientMocker
) -> None:
    """The subentry flow checks its fields, then adds an entity without a reload."""
    entry = await setup_sms(hass, aioclient_mock)
    assert hass.states.async_entity_ids(NOTIFY_DOMAIN) == []
    reads = credit_reads(aioclient_mock)

    result = await hass.config_entries.subentries.async_init(
        (entry.entry_id, SUBENTRY_RECIPIENT), context={"source": SOURCE_USER}
    )
    assert result["type"] is FlowResultType.FORM
    assert result["step_id"] == "user"
    assert result["errors"] == {}

    result = await hass.config_entries.subentries.async_configure(
        result["flow_id"],
        {"name": "Me", "phone_numbers": ["06 12 34 56 78", "05"], "sender": "A"},
    )
    assert result["type"] is FlowResultType.FORM
    assert result["errors"] == {
        "phone_numbers": "invalid_phone_number",
        "sender": "invalid_sender",
    }
    assert result["description_placeholders"] == {"number": "05", "sender": "A"}

    result = await hass.config_entries.subentries.async_configure(
        result["flow_id"], {"name": " Me ", "phone_numbers": ["06 12 34 56 78"]}
    )
    assert result["type"] is FlowResultType.CREATE_ENTRY
    assert result["title"] == "Me"
    assert result["data"] == {"phone_numbers": ["0612345678"]}
    await hass.async_block_till_done()

    (subentry,) = entry.subentries.values()
    entity_id = notify_entity(hass, entry, subentry.subentry_id)
    assert hass.states.get(entity_id) is not None
    assert credit_reads(aioclient_mock) == reads

    await send(hass, entity_id, message="Hi")
    assert sms_bodies(aioclient_mock)[0]["phoneNumbers"] == "0612345678"


async def test_too_many_recipients_error_text(
    hass: HomeAssistant, aioclient_mock: AiohttpClientMocker
) -> None:
    """The form's error text has a value for each of its placeholders."""
    entry = await setup_sms(hass, aioclient_mock)
    result = await hass.config_entries.subentries.async_init(
        (entry.entry_id, SUBENTRY_RECIPIENT), context={"source": SOURCE_USER}
    )
    numbers = [f"+3361234{index:04d}" for index in range(501)]
    result = await hass.config_entries.subentries.async_configure(
        result["flow_id"], {"name": "All", "phone_numbers": numbers}
    )
    assert result["errors"] == {"phone_numbers": "too_many_recipients"}
    placeholders = result["description_placeholders"]
    assert placeholders is not None
    for language in ("en", "fr"):
        strings = json.loads(
            (COMPONENT / "translations" / f"{language}.json").read_text()
        )
        text = strings["config_subentries"]["recipient"]["error"]["too_many_recipients"]
        assert text.format(**placeholders)


async def test_add_recipient_without_name(
    hass: HomeAssistant, aioclient_mock: AiohttpClientMocker
) -> None:
    """A recipient without a name is named after its numbers."""
    entry = await setup_sms(hass, aioclient_mock)
    result = await hass.config_entries.subentries.async_init(
        (entry.entry_id, SUBENTRY_RECIPIENT), context={"source": SOURCE_USER}
    )
    result = await hass.config_entries.subentries.async_configure(
        result["flow_id"],
        {"name": " ", "phone_numbers": ["0612345678; +33712345678"], "sender": ""},
    )
    assert result["type"] is FlowResultType.CREATE_ENTRY
    assert result["title"] == "0612345678, +33712345678"
    assert result["data"] == {"phone_numbers": ["0612345678", "+33712345678"]}


async def test_reconfigure_recipient(
    hass: HomeAssistant, aioclient_mock: AiohttpClientMocker
) -> None:
    """New numbers and sender are used by the next send, without a reload."""
    entry = await setup_sms(hass, aioclient_mock, FAMILY)
    entity_id = notify_entity(hass, entry, FAMILY["subentry_id"])
    reads = credit_reads(aioclient_mock)

    result = await hass.config_entries.subentries.async_init(
        (entry.entry_id, SUBENTRY_RECIPIENT),
        context={"source": SOURCE_RECONFIGURE, "subentry_id": FAMILY["subentry_id"]},
    )
    assert result["type"] is FlowResultType.FORM
    assert result["step_id"] == "reconfigure"
    assert result["description_placeholders"] == {"name": "Family"}

    result = await hass.config_entries.subentries.async_configure(
        result["flow_id"], {"phone_numbers": []}
    )
    assert result["errors"] == {"phone_numbers": "no_recipients"}

    result = await hass.config_entries.subentries.async_configure(
        result["flow_id"], {"phone_numbers": ["+32 470 12 34 56"], "sender": "Alarme"}
    )
    assert result["type"] is FlowResultType.ABORT
    assert result["reason"] == "reconfigure_successful"
    await hass.async_block_till_done()
    assert entry.subentries[FAMILY["subentry_id"]].data == {
        "phone_numbers": ["+32470123456"],
        "sender": "Alarme",
    }
    assert credit_reads(aioclient_mock) == reads

    await send(hass, entity_id, message="Hi")
    assert sms_bodies(aioclient_mock) == [
        {
            "apiKey": SMS_KEY,
            "phoneNumbers": "+32470123456",
            "message": "Hi",
            "sender": "Alarme",
        }
    ]


async def test_remove_recipient(
    hass: HomeAssistant, aioclient_mock: AiohttpClientMocker
) -> None:
    """Removing a recipient removes its entity and device, not the others."""
    other = FAMILY | {"subentry_id": "01JOTHER00000000000000000", "title": "Other"}
    entry = await setup_sms(hass, aioclient_mock, FAMILY, other)
    entity_id = notify_entity(hass, entry, FAMILY["subentry_id"])
    device_id = er.async_get(hass).async_get(entity_id).device_id  # type: ignore[union-attr]

    assert hass.config_entries.async_remove_subentry(entry, FAMILY["subentry_id"])
    await hass.async_block_till_done()

    assert er.async_get(hass).async_get(entity_id) is None
    assert hass.states.get(entity_id) is None
    assert dr.async_get(hass).async_get(str(device_id)) is None
    assert hass.states.get(notify_entity(hass, entry, other["subentry_id"]))
    assert (
        len(dr.async_entries_for_config_entry(dr.async_get(hass), entry.entry_id)) == 2
    )


async def test_voice_partner_has_no_recipients(
    hass: HomeAssistant, aioclient_mock: AiohttpClientMocker
) -> None:
    """Voice Partner entries offer no recipients and no notify entity."""
    aioclient_mock.get(VOICE_URL, json=voice_payload())
    entry = voice_entry()
    await setup_integration(hass, entry)

    with pytest.raises(UnknownHandler):
        await hass.config_entries.subentries.async_init(
            (entry.entry_id, SUBENTRY_RECIPIENT), context={"source": SOURCE_USER}
        )
    assert hass.states.async_entity_ids(NOTIFY_DOMAIN) == []


async def test_unload_keeps_recipients(
    hass: HomeAssistant, aioclient_mock: AiohttpClientMocker
) -> None:
    """Unloading and reloading the entry brings the notify entity back."""
    entry = await setup_sms(hass, aioclient_mock, FAMILY)
    entity_id = notify_entity(hass, entry, FAMILY["subentry_id"])

    assert await hass.config_entries.async_reload(entry.entry_id)
    await hass.async_block_till_done()

    state = hass.states.get(entity_id)
    assert state is not None
    assert state.state == STATE_UNKNOWN
    assert len(hass.states.async_entity_ids(NOTIFY_DOMAIN)) == 1


async def test_entry_updates(
    hass: HomeAssistant, aioclient_mock: AiohttpClientMocker
) -> None:
    """Other changes add nothing; a recipient added while unloaded comes at set-up."""
    entry = await setup_sms(hass, aioclient_mock, FAMILY)
    assert entry.update_listeners == []

    hass.config_entries.async_update_entry(entry, title="Renamed")
    await hass.async_block_till_done()
    assert len(hass.states.async_entity_ids(NOTIFY_DOMAIN)) == 1

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
    assert (
        er.async_get(hass).async_get_entity_id(
            NOTIFY_DOMAIN, DOMAIN, f"{entry.entry_id}_{list(entry.subentries)[-1]}"
        )
        is None
    )

    assert await hass.config_entries.async_setup(entry.entry_id)
    await hass.async_block_till_done()
    assert hass.states.get("notify.later") is not None
    assert hass.states.get("notify.family") is not None
