"""The SMS Partner integration: SMS Partner and Voice Partner accounts, sends, reports."""

from __future__ import annotations

from homeassistant.const import Platform
from homeassistant.core import HomeAssistant
from homeassistant.helpers import config_validation as cv, device_registry as dr
from homeassistant.helpers.typing import ConfigType

from .api import SmsPartnerClient
from .balance_history import BalanceHistory, async_remove_balance_history
from .cloudhook import async_delete_cloudhook
from .const import DOMAIN
from .coordinator import SmsPartnerConfigEntry, SmsPartnerData, async_create_coordinator
from .entity import account_device_info
from .followed import async_remove_messages
from .hourly import async_forget_last_reads
from .migration import async_migrate_entry
from .services import async_setup_services
from .spend import SpendCoordinator
from .subaccounts import SubAccountCoordinator
from .tracker import async_setup_tracker
from .webhook import ReportWebhook

CONFIG_SCHEMA = cv.config_entry_only_config_schema(DOMAIN)
PLATFORMS: list[Platform] = [Platform.EVENT, Platform.NOTIFY, Platform.SENSOR]

__all__ = ["async_migrate_entry"]


async def async_setup(hass: HomeAssistant, config: ConfigType) -> bool:
    """Register the actions, whether or not an account is set up."""
    async_setup_services(hass)
    return True


async def async_setup_entry(hass: HomeAssistant, entry: SmsPartnerConfigEntry) -> bool:
    """Set up an SMS Partner or Voice Partner account from a config entry."""
    coordinator = async_create_coordinator(hass, entry)
    balance_history = BalanceHistory(hass, entry.entry_id)
    await balance_history.async_load()
    coordinator.on_read = balance_history.async_record
    await coordinator.async_config_entry_first_refresh()
    entry.runtime_data = SmsPartnerData(
        coordinator=coordinator,
        balance_history=balance_history,
        tracker=await async_setup_tracker(hass, entry, coordinator),
        webhook=ReportWebhook(hass, entry),
    )
    if isinstance(client := coordinator.client, SmsPartnerClient):
        entry.runtime_data.spend = SpendCoordinator(hass, entry, client)
        entry.runtime_data.subaccounts = SubAccountCoordinator(hass, entry, client)
    # The account's device first: the recipients' devices are linked to it.
    coordinator.device_id = (
        dr.async_get(hass)
        .async_get_or_create(
            config_entry_id=entry.entry_id, **account_device_info(entry)
        )
        .id
    )
    await hass.config_entries.async_forward_entry_setups(entry, PLATFORMS)
    entry.runtime_data.webhook.async_start()
    # The hourly reads start after set-up, which they never delay nor fail.
    for hourly in (entry.runtime_data.spend, entry.runtime_data.subaccounts):
        if hourly is not None:
            entry.async_create_task(hass, hourly.async_refresh(), hourly.name)
    return True


async def async_unload_entry(hass: HomeAssistant, entry: SmsPartnerConfigEntry) -> bool:
    """Unload a config entry; then, polling stopped, write its balance readings."""
    unloaded = await hass.config_entries.async_unload_platforms(entry, PLATFORMS)
    await entry.runtime_data.balance_history.async_save()
    return unloaded


async def async_remove_entry(hass: HomeAssistant, entry: SmsPartnerConfigEntry) -> None:
    """Delete what a removed entry keeps elsewhere.

    Its balance readings, the messages it followed and its cloudhook; the last
    hourly answers kept in memory for it go too.
    """
    await async_remove_balance_history(hass, entry.entry_id)
    await async_remove_messages(hass, entry.entry_id)
    await async_delete_cloudhook(hass, entry)
    async_forget_last_reads(hass, entry.entry_id)
