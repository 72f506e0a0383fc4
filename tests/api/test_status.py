"""Tests of the delivery statuses (no Home Assistant)."""

from __future__ import annotations

import pytest

from custom_components.smspartner.api import DeliveryStatus, delivery_status


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
