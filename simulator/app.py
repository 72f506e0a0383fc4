"""aiohttp application serving the simulated SMS Partner and Voice Partner APIs.

API routes (point the integration's base URLs at the two prefixes):
    GET  /sms/v1/me?apiKey=KEY     SMS Partner credits
    POST /sms/v1/send              SMS Partner send (JSON body; sandbox honoured)
    GET  /voice/v1/me/KEY          Voice Partner credits (5 requests / 60 s per key)
    POST /voice/v1/tts/send        Voice Partner text-to-speech (2000 / hour per key)
Control routes (never logged):
    GET  /_control                 current behaviour
    POST /_control                 change it, e.g. {"mode": "500", "service": "voice"}
    GET  /_requests?since=SEQ      request log, keys masked
    DELETE /_requests              clear the request log
    GET  /_messages?since=SEQ      accepted sends (numbers, text, cost), no keys
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
import json
import logging
import math
import re
from typing import Any, Final

from aiohttp import web

from .sending import SendRefused, check_sms, check_voice
from .state import Behaviour, Service, Simulator

_LOGGER = logging.getLogger(__name__)

SIMULATOR: Final = web.AppKey("simulator", Simulator)

SMS_PREFIX: Final = "/sms/v1"
VOICE_PREFIX: Final = "/voice/v1"

# Request-scoped values, set by the API handlers and read by the log middleware.
_SERVICE: Final = "simulator_service"
_API_KEY: Final = "simulator_api_key"
_RATE_LIMITED: Final = "simulator_rate_limited"

_KEY_IN_PATH: Final = re.compile(r"(/me/)[^/?]+")
_KEY_IN_QUERY: Final = re.compile(r"((?:^|[?&])apiKey=)[^&]*", re.IGNORECASE)

MAINTENANCE_PAGE: Final = (
    "<!DOCTYPE html><html><head><title>Maintenance</title></head>"
    "<body><h1>Service en maintenance</h1></body></html>"
)
MALFORMED_JSON: Final = '{"success": true, "credits": {"creditSms": 26'

Answer = Callable[[Simulator, str], web.StreamResponse | None]


def mask(raw_path: str) -> str:
    """Return a request path with any API key replaced by ***."""
    return _KEY_IN_QUERY.sub(r"\1***", _KEY_IN_PATH.sub(r"\1***", raw_path))


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


@web.middleware
async def _log_requests(
    request: web.Request,
    handler: Callable[[web.Request], Awaitable[web.StreamResponse]],
) -> web.StreamResponse:
    """Record every API request (not the control routes) in the simulator's log."""
    if request.path.startswith("/_"):
        return await handler(request)
    status = 500
    try:
        response = await handler(request)
        status = response.status
    except web.HTTPException as err:
        status = err.status
        raise
    except asyncio.CancelledError:
        status = 499
        raise
    finally:
        entry = request.app[SIMULATOR].record(
            method=request.method,
            path=mask(request.raw_path),
            service=request.get(_SERVICE),
            api_key=request.get(_API_KEY),
            status=status,
            rate_limited=request.get(_RATE_LIMITED, False),
        )
        _LOGGER.info("%s %s -> %s", entry.method, entry.path, entry.status)
    return response


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
) -> web.StreamResponse:
    """Apply limits, failure mode and key checks, then let `answer` respond.

    `answer` returns None when the key does not open an account of the service.
    Every API route goes through here; sends count in their own limits.
    """
    sim = request.app[SIMULATOR]
    request[_SERVICE] = service
    request[_API_KEY] = api_key
    limiters = sim.send_limiters if send else sim.limiters
    if (limiter := limiters.get(service)) is not None:
        wait = limiter.acquire(api_key, sim.now())
        if wait > 0:
            request[_RATE_LIMITED] = True
            return too_many_requests(math.ceil(wait))
    behaviour = sim.behaviour[service]
    if (failure := await _misbehave(behaviour)) is not None:
        return failure
    if not api_key:
        return error_body(1, "Clé API requise", behaviour.error_status)
    if (response := answer(sim, api_key)) is None:
        return error_body(10, "Clé API incorrecte", behaviour.error_status)
    return response


def _sms_credits(sim: Simulator, api_key: str) -> web.Response | None:
    """Answer GET /sms/v1/me for a valid key."""
    if (account := sim.sms_account(api_key)) is None:
        return None
    return web.json_response(account.payload(sim.elapsed()))


def _voice_credits(sim: Simulator, api_key: str) -> web.Response | None:
    """Answer GET /voice/v1/me/KEY for a valid key."""
    if (account := sim.voice_account(api_key)) is None:
        return None
    return web.json_response(account.payload(sim.elapsed()))


def _sms_send(body: dict[str, Any]) -> Answer:
    """Return the answer to POST /sms/v1/send with `body`."""

    def answer(sim: Simulator, api_key: str) -> web.Response | None:
        if (account := sim.sms_account(api_key)) is None:
            return None
        try:
            send = check_sms(body, account.money(sim.elapsed()), sim.paris_now())
        except SendRefused as err:
            return web.json_response(err.body, status=sim.behaviour["sms"].error_status)
        if not send.sandbox:
            account.debited += send.cost
        sent = sim.record_send(
            service="sms",
            api_key=api_key,
            numbers=send.numbers,
            text=send.message,
            sender=send.sender,
            scheduled=send.scheduled,
            sandbox=send.sandbox,
            cost=send.cost,
        )
        reply: dict[str, Any] = {
            "success": True,
            "code": 200,
            "message_id": sent.seq,
            "nb_sms": send.sms_count,
            "cost": send.cost,
            "currency": "EUR",
        }
        if send.scheduled is not None:
            reply["scheduledDeliveryDate"] = f"{send.scheduled:%d/%m/%Y %H:%M}"
        return web.json_response(reply)

    return answer


def _voice_send(body: dict[str, Any]) -> Answer:
    """Return the answer to POST /voice/v1/tts/send with `body`."""

    def answer(sim: Simulator, api_key: str) -> web.Response | None:
        if (account := sim.voice_account(api_key)) is None:
            return None
        try:
            send = check_voice(body, account.money(sim.elapsed()), sim.paris_now())
        except SendRefused as err:
            status = sim.behaviour["voice"].error_status
            return web.json_response(err.body, status=status)
        account.debited += send.cost
        sent = sim.record_send(
            service="voice",
            api_key=api_key,
            numbers=send.numbers,
            text=send.text,
            sender=None,
            scheduled=send.scheduled,
            sandbox=False,
            cost=send.cost,
        )
        return web.json_response(
            {
                "success": True,
                "campaignId": f"sim{sent.seq:07d}",
                "cost": send.cost,
                "currency": "EUR",
                "nbSms": len(send.numbers),
                "lang": send.lang,
                "duration": send.duration,
            }
        )

    return answer


async def _json_object(request: web.Request) -> dict[str, Any]:
    """Return the JSON object a request carries ({} for anything else)."""
    try:
        body = await request.json()
    except (ValueError, UnicodeDecodeError):
        return {}
    return body if isinstance(body, dict) else {}


def _body_key(body: dict[str, Any]) -> str:
    """Return the apiKey field of a send body."""
    key = body.get("apiKey")
    return key if isinstance(key, str) else ""


async def sms_send(request: web.Request) -> web.StreamResponse:
    """POST /sms/v1/send."""
    body = await _json_object(request)
    return await serve(request, "sms", _body_key(body), _sms_send(body), send=True)


async def voice_send(request: web.Request) -> web.StreamResponse:
    """POST /voice/v1/tts/send."""
    body = await _json_object(request)
    return await serve(request, "voice", _body_key(body), _voice_send(body), send=True)


async def sms_me(request: web.Request) -> web.StreamResponse:
    """GET /sms/v1/me?apiKey=KEY."""
    return await serve(request, "sms", request.query.get("apiKey", ""), _sms_credits)


async def voice_me(request: web.Request) -> web.StreamResponse:
    """GET /voice/v1/me/KEY."""
    return await serve(request, "voice", request.match_info["api_key"], _voice_credits)


async def get_control(request: web.Request) -> web.Response:
    """GET /_control: the current behaviour."""
    return web.json_response(request.app[SIMULATOR].snapshot())


async def post_control(request: web.Request) -> web.Response:
    """POST /_control: change the behaviour."""
    sim = request.app[SIMULATOR]
    try:
        command = await request.json()
    except json.JSONDecodeError as err:
        return web.json_response({"error": f"invalid JSON: {err}"}, status=400)
    if not isinstance(command, dict):
        return web.json_response({"error": "expected a JSON object"}, status=400)
    try:
        sim.control(command)
    except ValueError as err:
        return web.json_response({"error": str(err)}, status=400)
    return web.json_response(sim.snapshot())


async def get_requests(request: web.Request) -> web.Response:
    """GET /_requests: the request log, optionally after sequence number `since`."""
    try:
        since = int(request.query.get("since", "0"))
    except ValueError:
        return web.json_response({"error": "since must be an integer"}, status=400)
    return web.json_response(request.app[SIMULATOR].requests(since))


async def get_messages(request: web.Request) -> web.Response:
    """GET /_messages: the accepted sends, optionally after sequence number `since`."""
    try:
        since = int(request.query.get("since", "0"))
    except ValueError:
        return web.json_response({"error": "since must be an integer"}, status=400)
    return web.json_response(request.app[SIMULATOR].messages(since))


async def delete_requests(request: web.Request) -> web.Response:
    """DELETE /_requests: clear the request log."""
    request.app[SIMULATOR].log.clear()
    return web.Response(status=204)


def create_app(sim: Simulator | None = None) -> web.Application:
    """Return the simulator's web application."""
    app = web.Application(middlewares=[_log_requests])
    app[SIMULATOR] = sim if sim is not None else Simulator()
    app.router.add_get(f"{SMS_PREFIX}/me", sms_me)
    app.router.add_post(f"{SMS_PREFIX}/send", sms_send)
    app.router.add_get(f"{VOICE_PREFIX}/me/{{api_key}}", voice_me)
    app.router.add_post(f"{VOICE_PREFIX}/tts/send", voice_send)
    app.router.add_get("/_control", get_control)
    app.router.add_post("/_control", post_control)
    app.router.add_get("/_requests", get_requests)
    app.router.add_delete("/_requests", delete_requests)
    app.router.add_get("/_messages", get_messages)
    return app
