"""Tests of the cloudhook: created with Home Assistant Cloud, used, deleted."""

from __future__ import annotations

from collections.abc import Callable, Generator
from enum import Enum
import logging
import sys
from typing import Any
from unittest.mock import AsyncMock, MagicMock, patch

import pytest
from pytest_homeassistant_custom_component.common import MockConfigEntry

from custom_components.smspartner.api import ReportKind
from custom_components.smspartner.cloudhook import CONF_CLOUDHOOK_URL, cloud_component
from custom_components.smspartner.product import Product
from custom_components.smspartner.webhook import webhook_url
from homeassistant.core import HomeAssistant

from .conftest import SMS_WEBHOOK_ID, VOICE_WEBHOOK_ID

EXTERNAL = "https://ha.example.com:8443"
CLOUDHOOK = "https://hooks.nabu.casa/cloudhook-token-0123456789"
WEBHOOK_IDS = {
    Product.SMS_PARTNER: SMS_WEBHOOK_ID,
    Product.VOICE_PARTNER: VOICE_WEBHOOK_ID,
}


class CloudNotAvailable(Exception):
    """Home Assistant Cloud's error: not available."""


class CloudNotConnected(CloudNotAvailable):
    """Home Assistant Cloud's error: not connected."""


class CloudConnectionState(Enum):
    """Home Assistant Cloud's connection states."""

    CLOUD_CONNECTED = "cloud_connected"
    CLOUD_DISCONNECTED = "cloud_disconnected"


class FakeCloud:
    """Home Assistant Cloud's component as the integration uses it.

    (The real one cannot be imported where its requirements are missing.)
    """

    CloudNotAvailable = CloudNotAvailable
    CloudConnectionState = CloudConnectionState

    def __init__(self) -> None:
        """Start logged in and connected."""
        self.subscribed = True
        self.connected = True
        self.async_get_or_create_cloudhook = AsyncMock(return_value=CLOUDHOOK)
        self.async_delete_cloudhook = AsyncMock()
        self.listeners: list[Callable[[CloudConnectionState], Any]] = []

    def async_active_subscription(self, hass: HomeAssistant) -> bool:
        """Return whether logged in."""
        return self.subscribed

    def async_is_connected(self, hass: HomeAssistant) -> bool:
        """Return whether connected."""
        return self.connected

    def async_listen_connection_change(
        self, hass: HomeAssistant, target: Callable[..., Any]
    ) -> Callable[[], None]:
        """Keep a connection listener."""
        self.listeners.append(target)
        return lambda: self.listeners.remove(target)


@pytest.fixture
def fake_cloud() -> Generator[FakeCloud]:
    """Give the integration a Home Assistant Cloud, logged in and connected."""
    fake = FakeCloud()
    with patch(
        "custom_components.smspartner.cloudhook.cloud_component", return_value=fake
    ):
        yield fake


async def test_cloud_component(
    hass: HomeAssistant, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Home Assistant Cloud is used once set up, never imported by the integration."""
    fake = FakeCloud()
    module: Any = fake
    monkeypatch.setitem(sys.modules, "homeassistant.components.cloud", module)
    assert cloud_component(hass) is None
    hass.config.components.add("cloud")
    assert cloud_component(hass) is module


async def test_cloudhook(
    hass: HomeAssistant,
    mock_config_entry: MockConfigEntry,
    mock_client: MagicMock,
    fake_cloud: FakeCloud,
    product: Product,
) -> None:
    """Logged in to Home Assistant Cloud: the cloudhook, kept in the entry."""
    await hass.config.async_update(external_url=EXTERNAL)
    entry = mock_config_entry
    entry.add_to_hass(hass)
    await hass.config_entries.async_setup(entry.entry_id)
    await hass.async_block_till_done()

    fake_cloud.async_get_or_create_cloudhook.assert_awaited_once_with(
        hass, WEBHOOK_IDS[product]
    )
    assert entry.data[CONF_CLOUDHOOK_URL] == CLOUDHOOK
    assert webhook_url(hass, entry, ReportKind.CALL) == f"{CLOUDHOOK}?report=call"
    # Logged out: the external URL again.
    fake_cloud.subscribed = False
    assert webhook_url(hass, entry) == f"{EXTERNAL}/api/webhook/{WEBHOOK_IDS[product]}"

    await hass.config_entries.async_remove(entry.entry_id)
    fake_cloud.async_delete_cloudhook.assert_awaited_once_with(
        hass, WEBHOOK_IDS[product]
    )


@pytest.mark.parametrize("product", [Product.SMS_PARTNER], ids=str)
async def test_cloudhook_once_connected(
    hass: HomeAssistant, init_integration: MockConfigEntry, fake_cloud: FakeCloud
) -> None:
    """Not connected at start: the cloudhook comes when the cloud connects."""
    entry = init_integration
    await hass.config_entries.async_unload(entry.entry_id)
    fake_cloud.connected = False
    await hass.config_entries.async_setup(entry.entry_id)
    assert webhook_url(hass, entry) is None
    fake_cloud.async_get_or_create_cloudhook.assert_not_awaited()

    (listener,) = fake_cloud.listeners
    await listener(CloudConnectionState.CLOUD_DISCONNECTED)
    fake_cloud.async_get_or_create_cloudhook.assert_not_awaited()
    await listener(CloudConnectionState.CLOUD_CONNECTED)
    assert webhook_url(hass, entry) == CLOUDHOOK
    await hass.config_entries.async_unload(entry.entry_id)
    assert fake_cloud.listeners == []


@pytest.mark.parametrize("product", [Product.SMS_PARTNER], ids=str)
@pytest.mark.parametrize(
    ("error", "level"),
    [(CloudNotConnected(), None), (TimeoutError(), logging.WARNING)],
)
async def test_cloudhook_failure(
    hass: HomeAssistant,
    *,
    mock_config_entry: MockConfigEntry,
    mock_client: MagicMock,
    fake_cloud: FakeCloud,
    caplog: pytest.LogCaptureFixture,
    error: Exception,
    level: int | None,
) -> None:
    """Without a cloudhook the entry still loads, on the external URL if any."""
    fake_cloud.async_get_or_create_cloudhook.side_effect = error
    await hass.config.async_update(external_url=EXTERNAL)
    entry = mock_config_entry
    entry.add_to_hass(hass)
    await hass.config_entries.async_setup(entry.entry_id)
    await hass.async_block_till_done()
    assert webhook_url(hass, entry) == f"{EXTERNAL}/api/webhook/{SMS_WEBHOOK_ID}"
    ours = [r for r in caplog.records if r.name.startswith("custom_components")]
    assert [r.levelno for r in ours if r.levelno >= logging.WARNING] == (
        [level] if level else []
    )
    assert SMS_WEBHOOK_ID not in caplog.text

    # Removing an entry whose cloudhook cannot be deleted now.
    fake_cloud.async_delete_cloudhook.side_effect = CloudNotAvailable
    hass.config_entries.async_update_entry(
        entry, data={**entry.data, CONF_CLOUDHOOK_URL: CLOUDHOOK}
    )
    await hass.config_entries.async_remove(entry.entry_id)
