"""The control API's commands for reports and accounts, beside state.Simulator.control.

POST /_control also takes:
    report_delay       seconds from a send to its reports (then to the replies)
    callback_encoding  json | form | query: delivery reports and long-number replies
    reply              {"number", "text"?, "message_id"?, "url"?, "long"?,
                        "reverse"?, "drop_part"?}: the number replies
    stop               a number, or an object as for reply: the number sends STOP
    subaccounts        how many sub-accounts every SMS account has (null: default)
GET /_callbacks?since=SEQ lists the callback calls made.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any, Final

from aiohttp import web

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
    if drop is not None and (isinstance(drop, bool) or not isinstance(drop, int)):
        raise ValueError(f"{name}.drop_part must be a part number")
    tracked: TrackedSms | None
    if "message_id" in fields:
        tracked = sim.tracker.sms.get(fields["message_id"])
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


async def get_callbacks(request: web.Request) -> web.Response:
    """GET /_callbacks: the callback calls made, optionally after `since`."""
    try:
        since = int(request.query.get("since", "0"))
    except ValueError:
        return web.json_response({"error": "since must be an integer"}, status=400)
    sim: Simulator = request.app[SIMULATOR]
    return web.json_response(sim.callbacks.history(since))
