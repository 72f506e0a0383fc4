"""Tests of the delivery statuses and of bulk-status (no Home Assistant)."""

from __future__ import annotations

from typing import Any

import aiohttp
import pytest
from pytest_homeassistant_custom_component.test_util.aiohttp import AiohttpClientMocker

from custom_components.smspartner.api import (
    DeliveryStatus,
    MessageStatus,
    RequestLimiter,
    SmsPartnerApiError,
    SmsPartnerAuthenticationError,
    SmsPartnerClient,
    SmsPartnerInvalidResponseError,
    SmsPartnerThrottledError,
    delivery_status,
)
from custom_components.smspartner.api.status import parse_bulk_status

from ..conftest import SMS_KEY, FakeClock, load_fixture
from .conftest import sms_client

BULK_STATUS_URL = "https://api.smspartner.fr/v1/bulk-status"


@pytest.mark.parametrize(
    ("word", "expected"),
    [
        ("Delivered", DeliveryStatus.DELIVERED),
        ("delivered", DeliveryStatus.DELIVERED),
        ("Not delivered", DeliveryStatus.NOT_DELIVERED),
        ("NOT_DELIVERED", DeliveryStatus.NOT_DELIVERED),
        ("not-delivered", DeliveryStatus.NOT_DELIVERED),
        ("Waiting", DeliveryStatus.PENDING),
        ("", None),
        ("Delivered yesterday", None),
        ("ok", None),
    ],
)
def test_delivery_status(word: str, expected: DeliveryStatus | None) -> None:
    """The provider's words map to a status; anything else is unknown."""
    assert delivery_status(word) is expected


def test_final() -> None:
    """Only a pending status can still change."""
    assert [s for s in DeliveryStatus if not s.is_final] == [DeliveryStatus.PENDING]


@pytest.fixture
def answered(aioclient_mock: AiohttpClientMocker) -> AiohttpClientMocker:
    """Answer bulk-status with its documented answer."""
    aioclient_mock.get(BULK_STATUS_URL, json=load_fixture("sms_partner_bulk_status"))
    return aioclient_mock


async def test_bulk_status(
    session: aiohttp.ClientSession, answered: AiohttpClientMocker
) -> None:
    """One request asks every number of a send; the documented answer is parsed."""
    statuses = await sms_client(session).async_get_bulk_status("307")

    assert statuses == (
        MessageStatus("307", "+33612345678", DeliveryStatus.DELIVERED, "Delivered"),
        MessageStatus("307", "+33698765432", DeliveryStatus.PENDING, "Waiting"),
    )
    method, url, _, _ = answered.mock_calls[0]
    assert method == "GET"
    assert dict(url.query) == {"apiKey": SMS_KEY, "messageId": "307"}


@pytest.mark.parametrize(
    ("entries", "expected"),
    [
        # The single-status spellings: `number` and the French `statut`.
        (
            [{"number": "0612345678", "statut": "Not delivered"}],
            [("0612345678", DeliveryStatus.NOT_DELIVERED, "Not delivered")],
        ),
        # A word the provider does not document is not taken as final.
        (
            [{"phoneNumber": 33612345678, "status": "Expired" + "!" * 100}],
            [("33612345678", DeliveryStatus.PENDING, "Expired" + "!" * 43)],
        ),
        # Entries without a number or a status, or not objects, are skipped.
        (
            [
                "+33612345678",
                {"phoneNumber": "+33612345678"},
                {"status": "Delivered"},
                {"phoneNumber": True, "status": "Delivered"},
                {"phoneNumber": "", "status": "Delivered"},
                {"phoneNumber": "+33612345678", "status": None},
            ],
            [],
        ),
    ],
)
def test_parse_bulk_status(
    entries: list[Any], expected: list[tuple[str, DeliveryStatus, str]]
) -> None:
    """Both spellings are read; unusable entries are skipped, unknown words pending."""
    statuses = parse_bulk_status({"StatutResponse_List": entries}, "9")
    assert statuses == tuple(MessageStatus("9", *status) for status in expected)


@pytest.mark.parametrize("payload", [{}, {"StatutResponse_List": {"a": 1}}])
def test_parse_bulk_status_without_list(payload: dict[str, Any]) -> None:
    """An answer without the list is not a usable answer."""
    with pytest.raises(SmsPartnerInvalidResponseError):
        parse_bulk_status(payload, "9")


@pytest.mark.parametrize(
    ("code", "error"),
    [(4, SmsPartnerApiError), (10, SmsPartnerAuthenticationError)],
)
async def test_bulk_status_refused(
    session: aiohttp.ClientSession,
    aioclient_mock: AiohttpClientMocker,
    code: int,
    error: type[Exception],
) -> None:
    """The provider's refusals (message not found, wrong key) are the usual errors."""
    body = {"success": False, "code": code, "message": "Refused"}
    aioclient_mock.get(BULK_STATUS_URL, status=400, json=body)
    with pytest.raises(error) as info:
        await sms_client(session).async_get_bulk_status("307")
    assert type(info.value) is error


async def test_bulk_status_budget(
    session: aiohttp.ClientSession, answered: AiohttpClientMocker
) -> None:
    """Status requests spend their own budget, never the credit reads' one."""
    clock = FakeClock()
    reads, statuses = RequestLimiter(5, 60, clock), RequestLimiter(2, 60, clock)
    client = SmsPartnerClient(session, SMS_KEY, limiter=reads)
    client.status_limiter = statuses

    for _ in range(2):
        await client.async_get_bulk_status("307")
    with pytest.raises(SmsPartnerThrottledError) as info:
        await client.async_get_bulk_status("307")

    assert answered.call_count == 2
    assert info.value.retry_after == 60
    assert (statuses.requests_in_window, reads.requests_in_window) == (2, 0)
