"""The faults any reply of either product may have, and what each must lead to.

HTTP statuses, bodies that are not the documented JSON, transport errors and
hostile answers; credit_faults.py adds each product's payload variations.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import Enum
import gzip
import json
from typing import Any

import aiohttp

from .conftest import ERROR_BODY
from .fault_helpers import (
    Reply,
    connection_refused,
    dns_failure,
    error_reply,
    invalid_url,
    json_reply,
    response_error,
    text_reply,
    too_many_redirects,
)


class Outcome(Enum):
    """What a fault must lead to."""

    UNAVAILABLE = "entities unavailable, one log line"
    REAUTH = "re-authentication flow"
    PARSED = "parsed value"


@dataclass(frozen=True)
class Fault:
    """A way the provider can fail, and what the integration must make of it."""

    id: str
    reply: Reply
    outcome: Outcome
    # For PARSED: the sensor states that differ from the documented payload's.
    changed: Mapping[str, str] = field(default_factory=dict)


def without(payload: dict[str, Any], *path: str) -> dict[str, Any]:
    """Return a deep copy of `payload` without the field at `path`."""
    copy: dict[str, Any] = json.loads(json.dumps(payload))
    parent = copy
    for key in path[:-1]:
        parent = parent[key]
    del parent[path[-1]]
    return copy


def hostile_replies(documented: dict[str, Any]) -> dict[str, Reply]:
    """Return what a broken proxy or a hostile network may answer, by name."""
    return {
        **{
            f"redirect {status} with the documented body": json_reply(
                documented, status, Location="https://elsewhere.test/"
            )
            for status in (301, 302, 307, 308)
        },
        "gzip bomb": Reply(
            200, gzip.compress(bytes(64 << 20)), {"Content-Encoding": "gzip"}
        ),
        "body over 64 KiB": Reply(
            200, json.dumps(documented).encode() + b" " * (64 << 10)
        ),
        "nested 50 000 deep": Reply(200, b"[" * 50_000),
        "brotli": Reply(200, b"\x1b", {"Content-Encoding": "br"}),
    }


def missing(documented: dict[str, Any], outcomes: Mapping[str, Outcome]) -> list[Fault]:
    """Return a fault per field of `documented` left out, by its dotted path."""
    return [
        Fault(f"no {path}", json_reply(without(documented, *path.split("."))), outcome)
        for path, outcome in outcomes.items()
    ]


def common_faults(documented: dict[str, Any]) -> list[Fault]:
    """Return the faults that do not depend on the service's payload."""
    unavailable = Outcome.UNAVAILABLE
    auth_body = ERROR_BODY
    return [
        Fault("HTTP 500", text_reply("Internal Server Error", 500), unavailable),
        Fault(
            "HTTP 502 HTML", text_reply("<html>Bad Gateway</html>", 502), unavailable
        ),
        Fault("HTTP 503 JSON", json_reply({"success": False}, 503), unavailable),
        Fault(
            "HTML page",
            text_reply("<!DOCTYPE html><html><body>Maintenance</body></html>"),
            unavailable,
        ),
        Fault("empty body", text_reply(""), unavailable),
        Fault("malformed JSON", text_reply('{"success": true, "cred'), unavailable),
        Fault("not UTF-8", Reply(200, b"\xff\xfe{\x00}"), unavailable),
        Fault("JSON list", json_reply([documented]), unavailable),
        Fault("JSON string", json_reply("success"), unavailable),
        Fault("JSON number", json_reply(200), unavailable),
        Fault("JSON null", json_reply(None), unavailable),
        Fault(
            "JSON object, other shape", json_reply({"data": documented}), unavailable
        ),
        Fault(
            "success true without payload", json_reply({"success": True}), unavailable
        ),
        Fault(
            "success true, code 200, no payload",
            json_reply({"success": True, "code": 200}),
            unavailable,
        ),
        Fault(
            "success false", json_reply({**documented, "success": False}), unavailable
        ),
        Fault(
            "account deactivated (code 20)",
            json_reply({"success": False, "code": 20, "message": "Compte désactivé"}),
            unavailable,
        ),
        Fault("code 10 with 200", json_reply(auth_body), Outcome.REAUTH),
        Fault("code 10 with 401", json_reply(auth_body, 401), Outcome.REAUTH),
        Fault("code 10 with 403", json_reply(auth_body, 403), Outcome.REAUTH),
        Fault(
            "code '10' as a string with 403",
            json_reply({**auth_body, "code": "10"}, 403),
            Outcome.REAUTH,
        ),
        Fault("bare 401", text_reply("Unauthorized", 401), Outcome.REAUTH),
        Fault(
            "429 with Retry-After",
            json_reply({}, 429, **{"Retry-After": "120"}),
            unavailable,
        ),
        Fault("429 without Retry-After", text_reply("", 429), unavailable),
        Fault(
            "429 with an HTTP-date Retry-After",
            text_reply("", 429, **{"Retry-After": "Wed, 21 Oct 2015 07:28:00 GMT"}),
            unavailable,
        ),
        Fault(
            "429 with an unreadable Retry-After",
            text_reply("", 429, **{"Retry-After": "soon"}),
            unavailable,
        ),
        Fault(
            "429 with an infinite Retry-After",
            text_reply("", 429, **{"Retry-After": "1e400"}),
            unavailable,
        ),
        Fault("connection refused", error_reply(connection_refused), unavailable),
        Fault("DNS failure", error_reply(dns_failure), unavailable),
        Fault("timeout", error_reply(lambda url: TimeoutError()), unavailable),
        Fault(
            "socket read timeout",
            error_reply(lambda url: aiohttp.ServerTimeoutError("Timeout on reading")),
            unavailable,
        ),
        Fault(
            "server disconnected",
            error_reply(lambda url: aiohttp.ServerDisconnectedError()),
            unavailable,
        ),
        Fault(
            "truncated body",
            error_reply(lambda url: aiohttp.ClientPayloadError("Not completed")),
            unavailable,
        ),
        Fault(
            "response error quoting the URL", error_reply(response_error), unavailable
        ),
        Fault("redirect loop", error_reply(too_many_redirects), unavailable),
        Fault("invalid URL", error_reply(invalid_url), unavailable),
        *(
            Fault(name, reply, unavailable)
            for name, reply in hostile_replies(documented).items()
        ),
        Fault(
            "unknown charset",
            json_reply(
                documented, 200, **{"Content-Type": "application/json; charset=x"}
            ),
            Outcome.PARSED,
        ),
        Fault(
            "gzip body",
            Reply(
                200,
                gzip.compress(json.dumps(documented).encode()),
                {"Content-Encoding": "gzip"},
            ),
            Outcome.PARSED,
        ),
    ]
