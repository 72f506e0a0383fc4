"""Sub-accounts of an SMS Partner master account, for subaccount/list.

Documented: 20 a page, `{total, nb_per_page, page, data}`, each sub-account with
its own `apiKey` and `token` — secrets the integration must drop. They are derived
from the master key, so each page answers the same ones every time. Inferred: the
`type` word and `credits.balance` as a string (as on /v1/me).
"""

from __future__ import annotations

import hashlib
from typing import Any, Final

from .accounts import spent_level

PAGE_SIZE: Final = 20
HOMES: Final = (
    "villa-les-pins",
    "chalet-du-lac",
    "maison-des-vignes",
    "mas-provencal",
    "gite-du-moulin",
    "appartement-gare",
    "ferme-des-saules",
    "residence-mer",
)


def _secret(kind: str, master_key: str, index: int, length: int) -> str:
    """Return a sub-account's secret, stable for one master key and index."""
    return hashlib.sha256(f"{kind}:{master_key}:{index}".encode()).hexdigest()[:length]


def subaccount(master_key: str, index: int, elapsed: float) -> dict[str, Any]:
    """Return one sub-account, its balance spent slowly and topped up."""
    start = 20.0 + (index * 37) % 180
    balance = spent_level(start, 5.0, 0.0005 * (1 + index % 4), elapsed)
    home = HOMES[index % len(HOMES)]
    suffix = "" if index < len(HOMES) else f"-{index // len(HOMES) + 1}"
    return {
        "id": 5000 + index,
        "email": f"{home}{suffix}@example.com",
        "type": "subaccount",
        "token": _secret("token", master_key, index, 32),
        "apiKey": _secret("apiKey", master_key, index, 40),
        "createdAt": f"2025-{index % 12 + 1:02d}-{index % 28 + 1:02d} 09:30:00",
        "credits": {"balance": f"{balance:.3f}", "currency": "EUR"},
    }


def subaccount_page(
    master_key: str, count: int, page: int, elapsed: float
) -> dict[str, Any]:
    """Return one page of the list (an empty `data` past the last page)."""
    first = (page - 1) * PAGE_SIZE
    return {
        "total": count,
        "nb_per_page": PAGE_SIZE,
        "page": page,
        "data": [
            subaccount(master_key, index, elapsed)
            for index in range(first, min(first + PAGE_SIZE, count))
        ],
    }
