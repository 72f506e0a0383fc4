"""The control API's commands for reports and accounts, beside state.Simulator.control.

POST /_control also takes:
    report_delay       seconds from a send to its reports (then to the replies)
    callback_encoding  json | form | query: delivery reports and long-number replies
    reply              {"number", "text"?, "message_id"?, "url"?, "long"?,
                        "reverse"?, "drop_part"?}: the number replies
    stop               a number, or an object as for reply: the number sends STOP
    subaccounts        how many sub-accounts every SMS account has (null: default)
The routes: GET/POST /_control, GET/DELETE /_requests, GET /_messages and
GET /_callbacks (each log after ?since=SEQ); docs/simulator.md describes them.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Mapping
import json
from typing import Any, Final

from aiohttp import web

from .behaviour import is_int
from .callbacks import ENCODINGS
from .reports import REPLY_TEXT, STOP_TEXT, send_reply
from .serving import SIMULATOR
from .state import Simulator
from .tracking import TrackedSms

FIELDS: Final = ("report_delay", "callback_encoding", "reply", "stop", "subaccounts")
_REPLY_FIELDS: Final = {
    "number",
    "text",
    "message_id",
    "url",
    "long",
    "reverse",
    "drop_part",
}

Reply = Callable[[], None]
Handler = Callable[[web.Request], Awaitable[web.Response]]


def _number(value: object, name: str) -> float:
    """Return a non-negative number of a command."""
    if isinstance(value, bool) or not isinstance(value, int | float) or value < 0:
        raise ValueError(f"{name} must be a non-negative number")
    return float(value)


def _reply(sim: Simulator, value: object, *, stop: bool) -> Reply:
    """Check a reply or stop command and return what sends it."""
    name = "stop" if stop else "reply"
    if stop and isinstance(value, str):
        value = {"number": value}
    fields: dict[str, Any] = value if isinstance(value, dict) else {}
    number = fields.get("number")
    if not number or not isinstance(number, str):
        raise ValueError(f"{name} must be an object with a number")
    if unknown := set(fields) - _REPLY_FIELDS:
        raise ValueError(f"unknown {name} fields: {', '.join(sorted(unknown))}")
    text = fields.get("text", STOP_TEXT if stop else REPLY_TEXT)
    url = fields.get("url")
    drop = fields.get("drop_part")
    if not isinstance(text, str) or not text:
        raise ValueError(f"{name}.text must be a non-empty string")
    if url is not None and not (isinstance(url, str) and url.startswith("http")):
        raise ValueError(f"{name}.url must be an http(s) URL")
    if drop is not None and not is_int(drop):
        raise ValueError(f"{name}.drop_part must be a part number")
    tracked: TrackedSms | None
    if "message_id" in fields:
        message_id = fields["message_id"]
        if not is_int(message_id):
            raise ValueError(f"{name}.message_id must be a message id")
        tracked = sim.tracker.sms.get(message_id)
        if tracked is None or tracked.recipient(number) is None:
            raise ValueError(f"{name}: no message {fields['message_id']} to {number}")
    else:
        tracked = sim.tracker.last_sent_to(number)
    if url is None and (tracked is None or tracked.url_response is None):
        raise ValueError(f"{name}: no SMS with urlResponse was sent to {number}")

    def send() -> None:
        send_reply(
            sim,
            tracked,
            number,
            text,
            stop=stop,
            long=fields.get("long") is True,
            url=url,
            reverse=fields.get("reverse") is True,
            drop_part=drop,
        )

    return send


def apply_control(sim: Simulator, command: Mapping[str, Any]) -> None:
    """Apply a POST /_control command; raise ValueError (and change nothing) if invalid."""
    delay = command.get("report_delay")
    if delay is not None:
        delay = _number(delay, "report_delay")
    encoding = command.get("callback_encoding")
    if encoding is not None and encoding not in ENCODINGS:
        raise ValueError(f"callback_encoding must be one of {', '.join(ENCODINGS)}")
    subaccounts = command.get("subaccounts")
    if subaccounts is not None:
        subaccounts = int(_number(subaccounts, "subaccounts"))
    replies = [
        _reply(sim, command[name], stop=name == "stop")
        for name in ("reply", "stop")
        if name in command
    ]
    sim.control({k: v for k, v in command.items() if k not in FIELDS})
    if delay is not None:
        sim.callbacks.settings.delay = delay
    if encoding is not None:
        sim.callbacks.settings.encoding = encoding
    if "subaccounts" in command:
        sim.subaccounts = subaccounts
    for send in replies:
        send()


def _since(request: web.Request) -> int | None:
    """Return the `since` sequence number of a log request (0 without it)."""
    try:
        return int(request.query.get("since", "0"))
    except ValueError:
        return None


def _log(entries: Callable[[Simulator, int], list[dict[str, Any]]]) -> Handler:
    """Return a handler answering a log after `since`."""

    async def handler(request: web.Request) -> web.Response:
        if (since := _since(request)) is None:
            return web.json_response({"error": "since must be an integer"}, status=400)
        return web.json_response(entries(request.app[SIMULATOR], since))

    return handler


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
        apply_control(sim, command)
    except ValueError as err:
        return web.json_response({"error": str(err)}, status=400)
    return web.json_response(sim.snapshot())


async def delete_requests(request: web.Request) -> web.Response:
    """DELETE /_requests: clear the request log."""
    request.app[SIMULATOR].log.clear()
    return web.Response(status=204)


def add_control_routes(app: web.Application) -> None:
    """Serve the control routes (never logged)."""
    app.router.add_get("/_control", get_control)
    app.router.add_post("/_control", post_control)
    app.router.add_get("/_requests", _log(Simulator.requests))
    app.router.add_delete("/_requests", delete_requests)
    app.router.add_get("/_messages", _log(Simulator.messages))
    app.router.add_get(
        "/_callbacks", _log(lambda sim, since: sim.callbacks.history(since))
    )
