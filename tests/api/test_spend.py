"""Tests of the spend statistics: statistics/cost-resume, its request and parsing."""

from __future__ import annotations

from datetime import date
from typing import Any

import aiohttp
import pytest
from pytest_homeassistant_custom_component.test_util.aiohttp import AiohttpClientMocker

from custom_components.smspartner.api import (
    SmsPartnerApiError,
    SmsPartnerInvalidResponseError,
    Spend,
    parse_cost_resume,
)

from ..conftest import SMS_KEY, SPEND_URL, load_fixture
from .conftest import sms_client

DOCUMENTED = load_fixture("sms_partner_cost_resume")
ROW = DOCUMENTED["datas"][0]


def _rows(*rows: Any) -> dict[str, Any]:
    """Return the documented answer with `rows` instead of its months."""
    return {**DOCUMENTED, "datas": list(rows)}


@pytest.mark.parametrize(
    ("payload", "expected"),
    [
        pytest.param(DOCUMENTED, Spend(49.174, 1210), id="documented, strings"),
        pytest.param(
            _rows({**ROW, "cost": 49.174, "nb_send": 1210}),
            Spend(49.174, 1210),
            id="numbers",
        ),
        pytest.param(_rows(), Spend(0.0, 0), id="nothing sent"),
        pytest.param(
            _rows(ROW, {**ROW, "cost": "0.826", "nb_send": "20"}),
            Spend(50.0, 1230),
            id="two rows add up",
        ),
        pytest.param(
            {"success": True, "data": [ROW]}, Spend(49.174, 1210), id="data, not datas"
        ),
    ],
)
def test_parse_cost_resume(payload: dict[str, Any], expected: Spend) -> None:
    """The rows of the answer add up to what was spent and sent."""
    assert parse_cost_resume(payload) == expected


@pytest.mark.parametrize(
    "payload",
    [
        pytest.param({"success": True}, id="no rows"),
        pytest.param({"success": True, "datas": {"cost": "1"}}, id="rows not a list"),
        pytest.param(_rows("49.174"), id="a row not an object"),
        pytest.param(_rows({**ROW, "cost": None}), id="no cost"),
        pytest.param(_rows({**ROW, "cost": "NaN"}), id="cost not finite"),
        pytest.param(_rows({**ROW, "nb_send": "12.5"}), id="half an SMS"),
        pytest.param(_rows({**ROW, "nb_send": True}), id="count a boolean"),
        pytest.param(
            _rows(*[{**ROW, "nb_send": 2**52}] * 3), id="counts add up out of range"
        ),
    ],
)
def test_parse_cost_resume_refuses(payload: dict[str, Any]) -> None:
    """An unusable answer is an invalid response, whose message shows no value."""
    with pytest.raises(SmsPartnerInvalidResponseError) as caught:
        parse_cost_resume(payload)
    assert "49.174" not in str(caught.value)


async def test_get_spend_asks_a_custom_period(
    aioclient_mock: AiohttpClientMocker, session: aiohttp.ClientSession
) -> None:
    """The period is sent as interval=custom with from and to as DD-MM-YYYY."""
    aioclient_mock.get(SPEND_URL, json=DOCUMENTED)
    client = sms_client(session)

    spend = await client.async_get_spend(date(2026, 2, 1), date(2026, 2, 28))

    assert spend == Spend(49.174, 1210)
    ((method, url, _, _),) = aioclient_mock.mock_calls
    assert method == "GET"
    assert dict(url.query) == {
        "apiKey": SMS_KEY,
        "interval": "custom",
        "from": "01-02-2026",
        "to": "28-02-2026",
    }


async def test_get_spend_error(
    aioclient_mock: AiohttpClientMocker, session: aiohttp.ClientSession
) -> None:
    """The provider's refusal is an API error with its message."""
    aioclient_mock.get(
        SPEND_URL, json={"success": False, "code": 9, "message": "Bad dates"}
    )
    with pytest.raises(SmsPartnerApiError, match="Bad dates"):
        await sms_client(session).async_get_spend(date(2026, 2, 1), date(2026, 2, 1))
