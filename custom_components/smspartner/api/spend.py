"""What an SMS Partner account spent in a period (GET /v1/statistics/cost-resume)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
import math
from typing import Any

from .exceptions import SmsPartnerInvalidResponseError
from .models import MAX_COUNT, _count, _first, _number


@dataclass(frozen=True, slots=True)
class Spend:
    """What an account spent in a period, in its currency, and the SMS it sent."""

    cost: float
    sms_sent: int


def parse_cost_resume(payload: Mapping[str, Any]) -> Spend:
    """Parse the body of GET /v1/statistics/cost-resume: the sum of its rows.

    The documented rows are months; summing them also holds if a custom period
    came back as days or weeks (inferred: no page shows a custom answer).
    """
    rows = payload.get("datas", payload.get("data"))
    if not isinstance(rows, list):
        raise SmsPartnerInvalidResponseError("Field datas is missing")
    costs: list[float] = []
    sent = 0
    for row in rows:
        if not isinstance(row, Mapping):
            raise SmsPartnerInvalidResponseError("Field datas holds a non-object")
        costs.append(_number(_first(row, "cost")[1], "cost"))
        sent += _count(_first(row, "nb_send")[1], "nb_send")
    if abs(sent) > MAX_COUNT:
        raise SmsPartnerInvalidResponseError("Field nb_send is out of range")
    return Spend(cost=math.fsum(costs), sms_sent=sent)
