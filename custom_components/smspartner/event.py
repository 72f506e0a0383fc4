"""Event entities: received SMS and delivery reports (SMS Partner), call results.

Each listens to the bus events of its entry (report_events), so the delivery
report entity shows polled reports as well as pushed ones.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from operator import itemgetter
from typing import Any

from homeassistant.components.event import EventEntity, EventEntityDescription
from homeassistant.core import Event, HomeAssistant, callback
from homeassistant.helpers.entity_platform import AddConfigEntryEntitiesCallback

from .coordinator import SmsPartnerConfigEntry
from .entity import account_device_info
from .product import Product, product_of
from .report_events import (
    ATTR_CONFIG_ENTRY_ID,
    EVENT_CALL_STATUS,
    EVENT_MESSAGE_STATUS,
    EVENT_SMS_RECEIVED,
)

# Events come from the bus; nothing is polled.
PARALLEL_UPDATES = 0


@dataclass(frozen=True, kw_only=True)
class SmsPartnerEventEntityDescription(EventEntityDescription):
    """An event entity: the bus event it shows, and its event type for the data."""

    bus_event: str
    event_type_of: Callable[[Mapping[str, Any]], object]


def _call_result(data: Mapping[str, Any]) -> str | None:
    """Return a call's result: answered, not answered or undelivered.

    A delivered call that does not say whether it was answered, or a pending
    one, is no result.
    """
    if data.get("status") == "undelivered":
        return "undelivered"
    if data.get("status") == "delivered" and data.get("answered") is not None:
        return "answered" if data["answered"] else "not_answered"
    return None


def _description(
    key: str,
    bus_event: str,
    event_type_of: Callable[[Mapping[str, Any]], object],
    *event_types: str,
) -> SmsPartnerEventEntityDescription:
    """Return the description of an event entity, translated under its key."""
    return SmsPartnerEventEntityDescription(
        key=key,
        translation_key=key,
        event_types=list(event_types),
        bus_event=bus_event,
        event_type_of=event_type_of,
    )


EVENTS: dict[Product, tuple[SmsPartnerEventEntityDescription, ...]] = {
    Product.SMS_PARTNER: (
        _description(
            "received_sms", EVENT_SMS_RECEIVED, itemgetter("kind"), "reply", "stop"
        ),
        _description(
            "delivery_report",
            EVENT_MESSAGE_STATUS,
            itemgetter("status"),
            "delivered",
            "not_delivered",
        ),
    ),
    Product.VOICE_PARTNER: (
        _description(
            "call_result",
            EVENT_CALL_STATUS,
            _call_result,
            "answered",
            "not_answered",
            "undelivered",
        ),
    ),
}


async def async_setup_entry(
    hass: HomeAssistant,
    entry: SmsPartnerConfigEntry,
    async_add_entities: AddConfigEntryEntitiesCallback,
) -> None:
    """Add the event entities of the entry's product."""
    async_add_entities(
        SmsPartnerEventEntity(entry, description)
        for description in EVENTS[product_of(entry).product]
    )


class SmsPartnerEventEntity(EventEntity):
    """The reports of one kind of an account; attributes carry the last one's data."""

    _attr_has_entity_name = True
    entity_description: SmsPartnerEventEntityDescription

    def __init__(
        self,
        entry: SmsPartnerConfigEntry,
        description: SmsPartnerEventEntityDescription,
    ) -> None:
        """Attach the entity to the account's device."""
        self.entity_description = description
        self._entry_id = entry.entry_id
        self._attr_unique_id = f"{entry.entry_id}_{description.key}"
        self._attr_device_info = account_device_info(entry)

    async def async_added_to_hass(self) -> None:
        """Listen to the entry's bus events of this kind."""
        await super().async_added_to_hass()
        self.async_on_remove(
            self.hass.bus.async_listen(
                self.entity_description.bus_event,
                self._async_report,
                event_filter=self._is_of_entry,
            )
        )

    @callback
    def _is_of_entry(self, data: Mapping[str, Any]) -> bool:
        """Return whether an event is of this entity's entry."""
        return data.get(ATTR_CONFIG_ENTRY_ID) == self._entry_id

    @callback
    def _async_report(self, event: Event[Mapping[str, Any]]) -> None:
        """Show a report whose event type this entity has."""
        event_type = self.entity_description.event_type_of(event.data)
        if event_type not in self.event_types:
            return
        attributes = {
            key: value
            for key, value in event.data.items()
            if key != ATTR_CONFIG_ENTRY_ID
        }
        self._trigger_event(str(event_type), attributes)
        self.async_write_ha_state()
