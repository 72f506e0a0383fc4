"""Tests of the sub-accounts' list: every page, bounded, without their secrets."""

from __future__ import annotations

from dataclasses import astuple
import json
from typing import Any

import aiohttp
import pytest
from pytest_homeassistant_custom_component.test_util.aiohttp import AiohttpClientMocker

from custom_components.smspartner.api import (
    MAX_SUBACCOUNT_PAGES,
    SmsPartnerApiError,
    SmsPartnerInvalidResponseError,
    SubAccount,
    parse_subaccount_page,
)

from ..conftest import SUBACCOUNTS_URL, load_fixture
from .conftest import sms_client

DOCUMENTED = load_fixture("sms_partner_subaccounts")
ROW = DOCUMENTED["data"][0]
# The sub-accounts' own keys and tokens, which must be dropped.
SECRETS = [row[field] for row in DOCUMENTED["data"] for field in ("apiKey", "token")]


def _row(index: int) -> dict[str, Any]:
    """Return a documented row for sub-account number `index`."""
    return {
        **ROW,
        "id": index,
        "email": f"home{index}@example.com",
        "apiKey": f"subaccount-apikey-{index}",
        "token": f"subaccount-token-{index}",
    }


def _page(rows: list[dict[str, Any]], total: int, page: int) -> dict[str, Any]:
    """Return one page of the list as documented."""
    return {"total": total, "nb_per_page": 20, "page": page, "data": rows}


def test_parse_drops_the_secrets() -> None:
    """The documented page parses into sub-accounts that hold no key nor token."""
    page = parse_subaccount_page(DOCUMENTED)

    assert page.total == 2
    assert page.accounts == (
        SubAccount("1201", "maison.dupont@example.com", 25.5, "EUR"),
        SubAccount("1202", "gite.martin@example.com", 3.2, "EUR"),
    )
    shown = f"{page!r} {page.accounts!s} {[astuple(a) for a in page.accounts]}"
    assert not [secret for secret in SECRETS if secret in shown]
    assert not hasattr(page.accounts[0], "__dict__")  # no room for anything else


@pytest.mark.parametrize(
    ("row", "expected"),
    [
        pytest.param(
            {**ROW, "email": None},
            SubAccount("1201", None, 25.5, "EUR"),
            id="no e-mail",
        ),
        pytest.param(
            {**ROW, "email": "x" * 300},
            SubAccount("1201", None, 25.5, "EUR"),
            id="e-mail too long",
        ),
        pytest.param(
            {**ROW, "id": "A-7", "credits": {"solde": 2, "currency": "€"}},
            SubAccount("A-7", "maison.dupont@example.com", 2.0, "EUR"),
            id="text ID, solde, euro symbol",
        ),
    ],
)
def test_parse_row(row: dict[str, Any], expected: SubAccount) -> None:
    """Rows parse defensively."""
    assert parse_subaccount_page(_page([row], 1, 1)).accounts == (expected,)


@pytest.mark.parametrize(
    "payload",
    [
        pytest.param({"total": 1}, id="no data"),
        pytest.param({**DOCUMENTED, "data": ["1201"]}, id="a row not an object"),
        pytest.param(_page([{**ROW, "id": None}], 1, 1), id="no ID"),
        pytest.param(_page([{**ROW, "credits": None}], 1, 1), id="no credits"),
        pytest.param(
            _page([{**ROW, "credits": {"balance": "lots"}}], 1, 1), id="bad balance"
        ),
        pytest.param({**_page([], 1, 1), "total": "many"}, id="bad total"),
    ],
)
def test_parse_refuses(payload: dict[str, Any]) -> None:
    """An unusable page is an invalid response that shows no secret."""
    with pytest.raises(SmsPartnerInvalidResponseError) as caught:
        parse_subaccount_page(payload)
    assert not [secret for secret in SECRETS if secret in repr(caught.value)]


def _answer_pages(
    aioclient_mock: AiohttpClientMocker, pages: list[dict[str, Any]]
) -> None:
    """Answer page N of the list with pages[N - 1]."""
    for number, page in enumerate(pages, start=1):
        aioclient_mock.get(SUBACCOUNTS_URL, params={"page": str(number)}, json=page)


async def test_every_page_is_read(
    aioclient_mock: AiohttpClientMocker, session: aiohttp.ClientSession
) -> None:
    """45 sub-accounts come in 3 pages of 20, read in turn, once each."""
    rows = [_row(index) for index in range(45)]
    _answer_pages(
        aioclient_mock,
        [_page(rows[start : start + 20], 45, start // 20 + 1) for start in (0, 20, 40)],
    )

    accounts = await sms_client(session).async_get_subaccounts()

    assert [account.id for account in accounts] == [str(i) for i in range(45)]
    assert [url.query["page"] for _, url, _, _ in aioclient_mock.mock_calls] == [
        "1",
        "2",
        "3",
    ]


async def test_a_short_page_ends_the_list(
    aioclient_mock: AiohttpClientMocker, session: aiohttp.ClientSession
) -> None:
    """Without a total, a page of fewer than 20 is the last."""
    rows = [_row(index) for index in range(25)]
    pages = [_page(rows[:20], 0, 1), _page(rows[20:], 0, 2)]
    for page in pages:
        del page["total"]
    _answer_pages(aioclient_mock, pages)

    assert len(await sms_client(session).async_get_subaccounts()) == 25
    assert aioclient_mock.call_count == 2


async def test_pages_are_capped(
    aioclient_mock: AiohttpClientMocker, session: aiohttp.ClientSession
) -> None:
    """A list that never ends (or a total too large) costs MAX_SUBACCOUNT_PAGES requests."""
    full = _page([_row(index) for index in range(20)], 10**6, 1)
    aioclient_mock.get(SUBACCOUNTS_URL, json=full)

    accounts = await sms_client(session).async_get_subaccounts()

    assert aioclient_mock.call_count == MAX_SUBACCOUNT_PAGES
    assert len(accounts) == 20  # the same IDs on each page count once


async def test_a_refusal_is_an_error(
    aioclient_mock: AiohttpClientMocker, session: aiohttp.ClientSession
) -> None:
    """The list needs no success field, but "success": false is an error."""
    aioclient_mock.get(
        SUBACCOUNTS_URL,
        json={"success": False, "code": 9, "message": "Not a master account"},
    )
    with pytest.raises(SmsPartnerApiError, match="Not a master account"):
        await sms_client(session).async_get_subaccounts()


def test_fixture_holds_secrets() -> None:
    """The documented answer carries the secrets these tests look for."""
    assert len(SECRETS) == 4
    assert all(secret in json.dumps(DOCUMENTED) for secret in SECRETS)
