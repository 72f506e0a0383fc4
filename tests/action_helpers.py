"""Helpers of the actions' tests: call an action, read what was sent."""

from __future__ import annotations

import json
from typing import Any

from pytest_homeassistant_custom_component.common import MockConfigEntry
from pytest_homeassistant_custom_component.test_util.aiohttp import AiohttpClientMocker

from custom_components.smspartner.const import DOMAIN
from custom_components.smspartner.services import SERVICE_SEND_SMS
from homeassistant.core import HomeAssistant


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
