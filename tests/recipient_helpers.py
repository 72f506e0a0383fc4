"""Helpers of the SMS recipients' tests: a recipient, its notify entity, a send."""

from __future__ import annotations

from typing import Any

from pytest_homeassistant_custom_component.common import MockConfigEntry

from custom_components.smspartner.const import DOMAIN, SUBENTRY_RECIPIENT
from homeassistant.components.notify import (
    DOMAIN as NOTIFY_DOMAIN,
    SERVICE_SEND_MESSAGE,
)
from homeassistant.config_entries import ConfigSubentryDataWithId
from homeassistant.const import ATTR_ENTITY_ID
from homeassistant.core import HomeAssistant
from homeassistant.helpers import entity_registry as er

FAMILY: ConfigSubentryDataWithId = {
    "subentry_id": "01JFAMILY0000000000000000",
    "subentry_type": SUBENTRY_RECIPIENT,
    "title": "Family",
    "unique_id": None,
    "data": {"phone_numbers": ["0612345678", "+33712345678"], "sender": "Maison"},
}


def notify_entity(hass: HomeAssistant, entry: MockConfigEntry, subentry_id: str) -> str:
    """Return the entity ID of a recipient's notify entity."""
    entity_id = er.async_get(hass).async_get_entity_id(
        NOTIFY_DOMAIN, DOMAIN, f"{entry.entry_id}_{subentry_id}"
    )
    assert entity_id is not None
    return entity_id


async def send_message(hass: HomeAssistant, entity_id: str, **data: Any) -> None:
    """Call notify.send_message for `entity_id`."""
    await hass.services.async_call(
        NOTIFY_DOMAIN,
        SERVICE_SEND_MESSAGE,
        {ATTR_ENTITY_ID: entity_id} | data,
        blocking=True,
    )
