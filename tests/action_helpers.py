"""Helpers of the actions' tests: call the action of a product, find its client send."""

from __future__ import annotations

import json
from typing import Any
from unittest.mock import AsyncMock, MagicMock, call

from pytest_homeassistant_custom_component.common import MockConfigEntry
from pytest_homeassistant_custom_component.test_util.aiohttp import AiohttpClientMocker

from custom_components.smspartner.const import DOMAIN
from custom_components.smspartner.product import Product
from custom_components.smspartner.services import (
    SERVICE_SEND_SMS,
    SERVICE_SEND_VOICE_MESSAGE,
)
from homeassistant.core import HomeAssistant, ServiceResponse

# The action of each product, and the client method it sends with.
ACTIONS = {
    Product.SMS_PARTNER: SERVICE_SEND_SMS,
    Product.VOICE_PARTNER: SERVICE_SEND_VOICE_MESSAGE,
}
_SENDS = {
    Product.SMS_PARTNER: "async_send_sms",
    Product.VOICE_PARTNER: "async_send_voice_message",
}
# The least a send needs; a field given as ABSENT is left out of the call.
MINIMAL = {"recipients": "0612345678", "message": "Hi"}
ABSENT: Any = object()


async def call_action(
    hass: HomeAssistant,
    entry: MockConfigEntry,
    product: Product,
    *,
    return_response: bool = True,
    **data: Any,
) -> ServiceResponse:
    """Call the action of `product` for `entry` with MINIMAL | `data`."""
    fields = {"config_entry_id": entry.entry_id} | MINIMAL | data
    return await hass.services.async_call(
        DOMAIN,
        ACTIONS[product],
        {name: value for name, value in fields.items() if value is not ABSENT},
        blocking=True,
        return_response=return_response,
    )


def requests_to(aioclient_mock: AiohttpClientMocker, url: str) -> list[Any]:
    """Return the bodies (None for GET) of the requests made to `url`."""
    return [
        None if data is None else json.loads(data)
        for _, called, data, _ in aioclient_mock.mock_calls
        if str(called).split("?")[0] == url
    ]


async def send_sms(
    hass: HomeAssistant, entry: MockConfigEntry, **data: Any
) -> dict[str, Any] | None:
    """Call smspartner.send_sms for `entry` and return its response."""
    return await hass.services.async_call(
        DOMAIN,
        SERVICE_SEND_SMS,
        {"config_entry_id": entry.entry_id} | data,
        blocking=True,
        return_response=True,
    )


# The options a send action gives the SMS client when none are set (a notify
# entity gives its sender only).
ACTION_SMS_OPTIONS: dict[str, Any] = {
    "sender": None,
    "scheduled": None,
    "sandbox": False,
    "unicode": False,
}


def sms_sent(numbers: list[str], message: str, **options: Any) -> Any:
    """Return the call of the SMS client's send (no report URLs in tests)."""
    return call(numbers, message, url_dlr=None, url_response=None, **options)


def client_send(client: MagicMock, product: Product) -> AsyncMock:
    """Return the send method of `product` on the client mock."""
    send: AsyncMock = getattr(client, _SENDS[product])
    return send
