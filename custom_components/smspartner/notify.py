"""Notify entities: one per recipient of an SMS Partner account."""

from __future__ import annotations

from homeassistant.components.notify import NotifyEntity, NotifyEntityFeature
from homeassistant.config_entries import (
    SIGNAL_CONFIG_ENTRY_CHANGED,
    ConfigEntry,
    ConfigEntryChange,
    ConfigEntryState,
    ConfigSubentry,
)
from homeassistant.core import HomeAssistant, callback
from homeassistant.helpers.device_registry import DeviceEntryType, DeviceInfo
from homeassistant.helpers.dispatcher import async_dispatcher_connect
from homeassistant.helpers.entity_platform import AddConfigEntryEntitiesCallback

from .const import (
    CONF_PHONE_NUMBERS,
    CONF_SENDER,
    DOMAIN,
    MANUFACTURER,
    SUBENTRY_RECIPIENT,
)
from .coordinator import SmsPartnerConfigEntry
from .entity import via_account
from .product import product_of
from .send import async_send_sms
from .validation import check_message

# Sends are budgeted by the client; several may run at once.
PARALLEL_UPDATES = 0
RECIPIENT_MODEL = "SMS recipient"


async def async_setup_entry(
    hass: HomeAssistant,
    entry: SmsPartnerConfigEntry,
    async_add_entities: AddConfigEntryEntitiesCallback,
) -> None:
    """Add a notify entity for each recipient, now and when one is added.

    New subentries are seen through the config entry change signal, not an
    update listener: the entry's flows reload it themselves.
    """
    if not product_of(entry).has_recipients:
        return
    added: set[str] = set()

    @callback
    def add_recipients() -> None:
        for subentry in entry.subentries.values():
            if (
                subentry.subentry_type == SUBENTRY_RECIPIENT
                and subentry.subentry_id not in added
            ):
                added.add(subentry.subentry_id)
                async_add_entities(
                    [SmsPartnerNotifyEntity(entry, subentry)],
                    config_subentry_id=subentry.subentry_id,
                )

    @callback
    def entry_changed(change: ConfigEntryChange, changed: ConfigEntry) -> None:
        if (
            changed is entry
            and change is ConfigEntryChange.UPDATED
            and entry.state is ConfigEntryState.LOADED
        ):
            add_recipients()

    add_recipients()
    entry.async_on_unload(
        async_dispatcher_connect(hass, SIGNAL_CONFIG_ENTRY_CHANGED, entry_changed)
    )


class SmsPartnerNotifyEntity(NotifyEntity):
    """Send an SMS to the phone numbers of one recipient subentry.

    Each recipient has its own device, as a device belongs to one subentry.
    """

    _attr_has_entity_name = True
    _attr_name = None
    _attr_supported_features = NotifyEntityFeature.TITLE

    def __init__(self, entry: SmsPartnerConfigEntry, subentry: ConfigSubentry) -> None:
        """Name the entity's device after the recipient, linked to the account's."""
        self._entry = entry
        self._subentry_id = subentry.subentry_id
        self._attr_unique_id = f"{entry.entry_id}_{subentry.subentry_id}"
        self._attr_device_info = DeviceInfo(
            identifiers={(DOMAIN, self._attr_unique_id)},
            name=subentry.title,
            manufacturer=MANUFACTURER,
            # Not translatable: Home Assistant translates device names only.
            model=RECIPIENT_MODEL,
            entry_type=DeviceEntryType.SERVICE,
            **via_account(entry),
        )

    async def async_send_message(self, message: str, title: str | None = None) -> None:
        """Send `message` (after `title` on its own line) as an SMS."""
        recipient = self._entry.subentries[self._subentry_id].data
        await async_send_sms(
            self._entry,
            recipient[CONF_PHONE_NUMBERS],
            check_message(f"{title}\n{message}" if title else message),
            sender=recipient.get(CONF_SENDER),
        )
