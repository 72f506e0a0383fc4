"""SMS Partner's account routes: statistics/cost-resume, lookup, subaccount/list."""

from __future__ import annotations

from typing import Any, Final

from aiohttp import web

from .numbers import lookup_entry
from .serving import (
    SIMULATOR,
    Answer,
    body_key,
    error_body,
    json_object,
    serve,
    sms_query_route,
)
from .state import Simulator, key_id
from .statistics import BadInterval, cost_resume, date_range
from .subaccounts import subaccount_page

MAX_LOOKUP: Final = 500  # as for sends (inferred: the lookup page sets none)


def _cost_resume(query: dict[str, str]) -> Answer:
    """Return the answer to GET statistics/cost-resume."""

    def answer(sim: Simulator, api_key: str) -> web.Response | None:
        if (account := sim.sms_account(api_key)) is None:
            return None
        now = sim.paris_now()
        try:
            span = date_range(query, now.date())
        except BadInterval as err:
            return error_body(9, str(err), sim.behaviour["sms"].error_status)
        sends = [
            message
            for message in sim.outbox
            if message.service == "sms"
            and message.key_id == key_id(api_key)
            and not message.sandbox
            and not sim.tracker.cancelled(message.seq)
        ]
        datas = cost_resume(api_key, account.daily_sms, sends, span, now)
        return web.json_response({"success": True, "datas": datas})

    return answer


def _lookup(body: dict[str, Any]) -> Answer:
    """Return the answer to POST lookup."""

    def answer(sim: Simulator, api_key: str) -> web.Response | None:
        if sim.sms_account(api_key) is None:
            return None
        raw = body.get("phoneNumbers")
        if isinstance(raw, str):
            raw = raw.split(",")
        numbers = (
            [n.strip() for n in raw if isinstance(n, str) and n.strip()]
            if isinstance(raw, list)
            else []
        )
        status = sim.behaviour["sms"].error_status
        if not numbers:
            return error_body(2, "The field phoneNumbers is required", status)
        if len(numbers) > MAX_LOOKUP:
            return error_body(9, f"At most {MAX_LOOKUP} numbers", status)
        return web.json_response(
            {
                "success": True,
                "code": 200,
                "lookup": [lookup_entry(number) for number in numbers],
            }
        )

    return answer


def _subaccounts(query: dict[str, str]) -> Answer:
    """Return the answer to GET subaccount/list."""

    def answer(sim: Simulator, api_key: str) -> web.Response | None:
        if (account := sim.sms_account(api_key)) is None:
            return None
        page = query.get("page", "1")
        if not page.isdigit() or int(page) < 1:
            return error_body(
                9, "page must be a positive integer", sim.behaviour["sms"].error_status
            )
        count = account.subaccount_count if sim.subaccounts is None else sim.subaccounts
        return web.json_response(
            subaccount_page(api_key, count, int(page), sim.elapsed())
        )

    return answer


async def lookup_route(request: web.Request) -> web.StreamResponse:
    """POST /sms/v1/lookup (360 requests a minute per key)."""
    body = await json_object(request)
    limiter = request.app[SIMULATOR].route_limiters["lookup"]
    return await serve(request, "sms", body_key(body), _lookup(body), limiter=limiter)


def add_account_routes(app: web.Application, prefix: str) -> None:
    """Serve the account routes under the SMS Partner prefix."""
    app.router.add_get(
        f"{prefix}/statistics/cost-resume",
        sms_query_route(_cost_resume, limit="cost-resume"),
    )
    app.router.add_post(f"{prefix}/lookup", lookup_route)
    app.router.add_get(f"{prefix}/subaccount/list", sms_query_route(_subaccounts))
