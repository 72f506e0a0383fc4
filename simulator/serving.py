"""How every simulated API request is answered: limits, failure modes, key checks.

The route modules (app, status_routes, statistics, lookup, subaccounts) build an
`Answer` and hand it to `serve`, which applies what all the routes share.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
import math
from typing import Any, Final

from aiohttp import web

from .behaviour import Behaviour, Service
from .limits import SlidingWindowLimiter
from .state import Simulator

SIMULATOR: Final = web.AppKey("simulator", Simulator)

# Request-scoped values, set by the API handlers and read by the log middleware.
SERVICE: Final = "simulator_service"
API_KEY: Final = "simulator_api_key"
RATE_LIMITED: Final = "simulator_rate_limited"

MAINTENANCE_PAGE: Final = (
    "<!DOCTYPE html><html><head><title>Maintenance</title></head>"
    "<body><h1>Service en maintenance</h1></body></html>"
)
MALFORMED_JSON: Final = '{"success": true, "credits": {"creditSms": 26'

Answer = Callable[[Simulator, str], web.StreamResponse | None]


def error_body(code: int, message: str, status: int) -> web.Response:
    """Return the providers' error body."""
    return web.json_response(
        {"success": False, "code": code, "message": message}, status=status
    )


def too_many_requests(retry_after: int | None) -> web.Response:
    """Return a 429 answer, with Retry-After when given."""
    headers = {} if retry_after is None else {"Retry-After": str(retry_after)}
    return web.json_response(
        {"success": False, "code": 429, "message": "Too Many Requests"},
        status=429,
        headers=headers,
    )


async def _misbehave(behaviour: Behaviour) -> web.Response | None:
    """Return the answer the current failure mode imposes, if any."""
    match behaviour.mode:
        case "slow":
            await asyncio.sleep(behaviour.delay)
            return None
        case "500":
            return web.Response(status=500, text="Internal Server Error")
        case "html":
            return web.Response(text=MAINTENANCE_PAGE, content_type="text/html")
        case "malformed":
            return web.Response(text=MALFORMED_JSON, content_type="application/json")
        case "empty":
            return web.json_response({"success": True})
        case "429":
            return too_many_requests(behaviour.retry_after)
        case "wrong_key":
            return error_body(10, "Clé API incorrecte", behaviour.error_status)
    return None


async def serve(
    request: web.Request,
    service: Service,
    api_key: str,
    answer: Answer,
    *,
    send: bool = False,
    limiter: SlidingWindowLimiter | None = None,
) -> web.StreamResponse:
    """Apply limits, failure mode and key checks, then let `answer` respond.

    `answer` returns None when the key does not open an account of the service.
    Every API route goes through here; sends count in their own limits, and a
    route with a documented limit of its own passes its `limiter`.
    """
    sim = request.app[SIMULATOR]
    request[SERVICE] = service
    request[API_KEY] = api_key
    if limiter is None:
        limiter = (sim.send_limiters if send else sim.limiters).get(service)
    if limiter is not None:
        wait = limiter.acquire(api_key, sim.now())
        if wait > 0:
            request[RATE_LIMITED] = True
            return too_many_requests(math.ceil(wait))
    behaviour = sim.behaviour[service]
    if (failure := await _misbehave(behaviour)) is not None:
        return failure
    if not api_key:
        return error_body(1, "Clé API requise", behaviour.error_status)
    if (response := answer(sim, api_key)) is None:
        return error_body(10, "Clé API incorrecte", behaviour.error_status)
    return response


def sms_query_route(
    make: Callable[[dict[str, str]], Answer], limit: str | None = None
) -> Callable[[web.Request], Awaitable[web.StreamResponse]]:
    """Return the handler of an SMS Partner GET route whose parameters are a query.

    `make` builds the answer from the query; `limit` names the route's own limit
    (Simulator.route_limiters).
    """

    async def handler(request: web.Request) -> web.StreamResponse:
        query = dict(request.query)
        sim = request.app[SIMULATOR]
        limiter = None if limit is None else sim.route_limiters[limit]
        return await serve(
            request, "sms", query.get("apiKey", ""), make(query), limiter=limiter
        )

    return handler


async def json_object(request: web.Request) -> dict[str, Any]:
    """Return the JSON object a request carries ({} for anything else)."""
    try:
        body = await request.json()
    except (ValueError, UnicodeDecodeError):
        return {}
    return body if isinstance(body, dict) else {}


def body_key(body: dict[str, Any]) -> str:
    """Return the apiKey field of a JSON body."""
    key = body.get("apiKey")
    return key if isinstance(key, str) else ""
