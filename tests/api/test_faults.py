"""The fault table at the client: every way the providers can fail, on the wire.

Each fault of tests/credit_faults.py ends as the client's error (an authentication
error exactly for the REAUTH ones) or parses into the values the sensors show,
with one request and no traceback. What the integration makes of each error is
in test_coordinator.py; test_secrets.py runs the same table through Home
Assistant.
"""

from __future__ import annotations

from collections.abc import Callable
import logging
from typing import Any

import aiohttp
import pytest
from pytest_homeassistant_custom_component.test_util.aiohttp import AiohttpClientMocker

from custom_components.smspartner.api import (
    SmsPartnerAuthenticationError,
    SmsPartnerError,
    parse_sms_credits,
    parse_voice_credits,
)
from custom_components.smspartner.product import PRODUCTS, Product
from homeassistant.util.unit_conversion import DurationConverter

from ..credit_faults import BASE_KEYS, FAULTS, PAYLOADS
from ..fault_helpers import FakeProvider
from ..wire_faults import Fault, Outcome

PARSERS: dict[Product, Callable[[Any], Any]] = {
    Product.SMS_PARTNER: parse_sms_credits,
    Product.VOICE_PARTNER: parse_voice_credits,
}


def shown(product: Product, answer: Any) -> dict[str, str]:
    """Return what each sensor of `product` shows of `answer`.

    As the sensor platform does, durations are converted to their suggested
    unit (test_sensor.py checks the entities themselves).
    """
    values = {}
    for description in PRODUCTS[product].sensors:
        value = description.value_fn(answer)
        if (unit := description.suggested_unit_of_measurement) is not None:
            native = description.native_unit_of_measurement
            value = DurationConverter.convert(value, native, unit)
        values[description.key] = str(value)
    return values


@pytest.mark.parametrize(
    ("product", "fault"),
    [
        pytest.param(product, fault, id=f"{product}-{fault.id}")
        for product in Product
        for fault in FAULTS[product]
    ],
)
async def test_fault(
    session: aiohttp.ClientSession,
    aioclient_mock: AiohttpClientMocker,
    caplog: pytest.LogCaptureFixture,
    product: Product,
    fault: Fault,
) -> None:
    """The fault's reply gives its outcome at the client, after one request."""
    provider = FakeProvider(fault.reply)
    provider.register(aioclient_mock, product)
    client = PRODUCTS[product].client(session, BASE_KEYS[product])
    if fault.outcome is Outcome.PARSED:
        documented = PARSERS[product](PAYLOADS[product]())
        answer = await client.async_get_credits()
        assert shown(product, answer) == shown(product, documented) | dict(
            fault.changed
        )
    else:
        with pytest.raises(SmsPartnerError) as caught:
            await client.async_get_credits()
        assert isinstance(caught.value, SmsPartnerAuthenticationError) is (
            fault.outcome is Outcome.REAUTH
        )
    assert len(provider.requests) == 1
    assert [r for r in caplog.records if r.levelno >= logging.WARNING] == []
