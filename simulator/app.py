"""aiohttp application serving the simulated SMS Partner and Voice Partner APIs.

API routes (point the integration's base URLs at the two prefixes):
    GET  /sms/v1/me?apiKey=KEY     SMS Partner credits
    POST /sms/v1/send              SMS Partner send (JSON body; sandbox honoured)
    GET  /voice/v1/me/KEY          Voice Partner credits (5 requests / 60 s per key)
    POST /voice/v1/tts/send        Voice Partner text-to-speech (2000 / hour per key)
    status_routes.py               message-status, bulk-status, message-cancel
    account_routes.py              statistics/cost-resume, lookup, subaccount/list
Control routes (never logged): control.py. After a send, reports.py makes the
delivery reports, replies and call results.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Awaitable, Callable
import logging
import re
from typing import Any, Final

from aiohttp import web

from .account_routes import add_account_routes
from .control import add_control_routes
from .reports import follow_call, follow_sms
from .sending import SendRefused, check_sms, check_voice
from .serving import (
    API_KEY,
    RATE_LIMITED,
    SERVICE,
    SIMULATOR,
    Answer,
    body_key,
    json_object,
    serve,
)
from .state import Simulator
from .status_routes import add_status_routes

_LOGGER = logging.getLogger(__name__)

SMS_PREFIX: Final = "/sms/v1"
VOICE_PREFIX: Final = "/voice/v1"

_KEY_IN_PATH: Final = re.compile(r"(/me/)[^/?]+")
_KEY_IN_QUERY: Final = re.compile(r"((?:^|[?&])apiKey=)[^&]*", re.IGNORECASE)


def mask(raw_path: str) -> str:
    """Return a request path with any API key replaced by ***."""
    return _KEY_IN_QUERY.sub(r"\1***", _KEY_IN_PATH.sub(r"\1***", raw_path))


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
            service=request.get(SERVICE),
            api_key=request.get(API_KEY),
            status=status,
            rate_limited=request.get(RATE_LIMITED, False),
        )
        _LOGGER.info("%s %s -> %s", entry.method, entry.path, entry.status)
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
        if not send.sandbox:
            follow_sms(sim, sent, send, body)
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
        campaign_id = f"sim{sent.seq:07d}"
        follow_call(sim, campaign_id, send, body)
        return web.json_response(
            {
                "success": True,
                "campaignId": campaign_id,
                "cost": send.cost,
                "currency": "EUR",
                "nbSms": len(send.numbers),
                "lang": send.lang,
                "duration": send.duration,
            }
        )

    return answer


async def sms_send(request: web.Request) -> web.StreamResponse:
    """POST /sms/v1/send."""
    body = await json_object(request)
    return await serve(request, "sms", body_key(body), _sms_send(body), send=True)


async def voice_send(request: web.Request) -> web.StreamResponse:
    """POST /voice/v1/tts/send."""
    body = await json_object(request)
    return await serve(request, "voice", body_key(body), _voice_send(body), send=True)


async def sms_me(request: web.Request) -> web.StreamResponse:
    """GET /sms/v1/me?apiKey=KEY."""
    return await serve(request, "sms", request.query.get("apiKey", ""), _sms_credits)


async def voice_me(request: web.Request) -> web.StreamResponse:
    """GET /voice/v1/me/KEY."""
    return await serve(request, "voice", request.match_info["api_key"], _voice_credits)


async def _callbacks(app: web.Application) -> AsyncIterator[None]:
    """Stop the callback calls under way when the server stops."""
    yield
    await app[SIMULATOR].callbacks.close()


def create_app(sim: Simulator | None = None) -> web.Application:
    """Return the simulator's web application."""
    app = web.Application(middlewares=[_log_requests])
    app[SIMULATOR] = sim if sim is not None else Simulator()
    app.router.add_get(f"{SMS_PREFIX}/me", sms_me)
    app.router.add_post(f"{SMS_PREFIX}/send", sms_send)
    app.router.add_get(f"{VOICE_PREFIX}/me/{{api_key}}", voice_me)
    app.router.add_post(f"{VOICE_PREFIX}/tts/send", voice_send)
    add_control_routes(app)
    add_status_routes(app, SMS_PREFIX)
    add_account_routes(app, SMS_PREFIX)
    app.cleanup_ctx.append(_callbacks)
    return app
