"""The sub-accounts of an SMS Partner account (GET /v1/subaccount/list), key-less.

Each row of the answer holds the sub-account's own `apiKey` and `token`: the
models have no field for them, so they are dropped while parsing and kept nowhere.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Final

from .exceptions import SmsPartnerInvalidResponseError
from .models import _count, _currency, _first, _number, _section, _text, clean_text

# Rows a page holds (documented); how many pages one read fetches at most.
SUBACCOUNTS_PER_PAGE: Final = 20
MAX_SUBACCOUNT_PAGES: Final = 10
# The longest e-mail address there is (RFC 5321); a longer one is ignored.
_MAX_EMAIL: Final = 254


@dataclass(frozen=True, slots=True)
class SubAccount:
    """A sub-account: its ID, e-mail and balance, never its key or token."""

    id: str
    email: str | None
    balance: float
    currency: str


@dataclass(frozen=True, slots=True)
class SubAccountPage:
    """One page of sub-accounts, and how many there are in all (when said)."""

    accounts: tuple[SubAccount, ...]
    total: int | None
    per_page: int


def _sub_account(row: Any) -> SubAccount:
    """Parse one row of the list, leaving its secrets out."""
    if not isinstance(row, Mapping):
        raise SmsPartnerInvalidResponseError("Field data holds a non-object")
    wallet = _section(row, "credits")
    email = row.get("email")
    return SubAccount(
        id=_text(row.get("id"), "id"),
        email=clean_text(email)
        if isinstance(email, str) and 0 < len(email) <= _MAX_EMAIL
        else None,
        balance=_number(_first(wallet, "balance", "solde")[1], "credits.balance"),
        currency=_currency(wallet.get("currency")),
    )


def parse_subaccount_page(payload: Mapping[str, Any]) -> SubAccountPage:
    """Parse the body of GET /v1/subaccount/list (one page)."""
    rows = payload.get("data")
    if not isinstance(rows, list):
        raise SmsPartnerInvalidResponseError("Field data is missing")
    total = payload.get("total")
    per_page = payload.get("nb_per_page")
    return SubAccountPage(
        accounts=tuple(_sub_account(row) for row in rows),
        total=None if total is None else _count(total, "total"),
        per_page=SUBACCOUNTS_PER_PAGE
        if per_page is None
        else max(1, _count(per_page, "nb_per_page")),
    )
