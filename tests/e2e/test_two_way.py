"""End-to-end test of the two-way half: delivery reports, replies, call results.

The simulator calls back the URLs a send carries (docs/simulator.md): a number
ending in 93 is delivered, then replies "OK"; the others are delivered. First
Home Assistant has no external URL, so nothing is passed and the delivery report
comes by polling (its first status request a minute after the send); then the
external URL is set and the reports of the next sends come to the webhooks.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Coroutine
import contextlib
from dataclasses import dataclass, field
from datetime import datetime
from itertools import count
from typing import Any

import aiohttp
import pytest

from tests.e2e.hass_client import HassClient

from .conftest import Stack
from .steps import add_entries, wait_for

pytestmark = pytest.mark.timeout(240)

EVENTS = (
    "smspartner_message_status",
    "smspartner_sms_received",
    "smspartner_call_status",
)
POLLED_NUMBER = "0612345600"
REPLYING_NUMBER = "0612345693"  # delivered, then replies "OK" (the simulator's rule)


@dataclass
class EventLog:
    """The integration's bus events, as a websocket subscription receives them."""

    ws: aiohttp.ClientWebSocketResponse
    events: list[dict[str, Any]] = field(default_factory=list)

    async def receive(self) -> None:
        """Keep every event until the connection closes."""
        async for message in self.ws:
            data = message.json()
            if data.get("type") == "event":
                self.events.append(data["event"])

    def of(self, event_type: str, **match: Any) -> list[dict[str, Any]]:
        """Return the events of a type whose data has the values of `match`."""
        return [
            event
            for event in self.events
            if event["event_type"] == event_type
            and all(event["data"].get(k) == v for k, v in match.items())
        ]


@contextlib.asynccontextmanager
async def event_log(hass: HassClient) -> AsyncIterator[EventLog]:
    """Subscribe to the integration's events on a connection of their own."""
    async with hass.websocket() as ws:
        ids = count(1000)
        for event_type in EVENTS:
            await ws.ws.send_json(
                {"id": next(ids), "type": "subscribe_events", "event_type": event_type}
            )
        log = EventLog(ws.ws)
        async with asyncio_task(log.receive()):
            yield log


@contextlib.asynccontextmanager
async def asyncio_task(coroutine: Coroutine[Any, Any, None]) -> AsyncIterator[None]:
    """Run a coroutine beside the block; cancel it after."""
    task = asyncio.ensure_future(coroutine)
    try:
        yield
    finally:
        task.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await task


async def send(hass: HassClient, action: str, **data: Any) -> dict[str, Any]:
    """Call an action of the integration and return its answer."""
    answer = await hass.request(
        "POST", f"/api/services/smspartner/{action}?return_response", data
    )
    response: dict[str, Any] = answer["service_response"]
    return response


async def test_two_way(stack: Stack) -> None:
    """A report by polling, then a delivery report, a reply and a call result pushed."""
    hass = stack.hass
    sms_entry, voice_entry = await add_entries(stack)
    async with event_log(hass) as log, hass.websocket() as ws:
        polled = await send(
            hass,
            "send_sms",
            config_entry_id=sms_entry,
            recipients=[POLLED_NUMBER],
            message="Polled",
        )
        await ws.command("config/core/update", external_url=hass.base_url)
        pushed = await send(
            hass,
            "send_sms",
            config_entry_id=sms_entry,
            recipients=[REPLYING_NUMBER],
            message="Reply OK",
        )
        await send(
            hass,
            "send_voice_message",
            config_entry_id=voice_entry,
            recipients=[REPLYING_NUMBER],
            message="Hello",
        )

        async def pushed_reports() -> bool | None:
            found = (
                log.of("smspartner_message_status", message_id=pushed["message_id"])
                and log.of("smspartner_sms_received", kind="reply")
                and log.of("smspartner_call_status", status="delivered")
            )
            return True if found else None

        await wait_for(pushed_reports, "the reports pushed to the webhooks", 30)

        async def polled_report() -> bool | None:
            found = log.of(
                "smspartner_message_status",
                message_id=polled["message_id"],
                status="delivered",
            )
            return True if found else None

        await wait_for(polled_report, "the delivery report found by polling", 100)

    [polled_event] = log.of(
        "smspartner_message_status", message_id=polled["message_id"], status="delivered"
    )
    assert polled_event["data"] | {"config_entry_id": ""} == {
        "config_entry_id": "",
        "message_id": polled["message_id"],
        "phone_number": "+33612345600",
        "status": "delivered",
        "provider_status": "Delivered",
        "source": "poll",
    }
    [pushed_event] = log.of(
        "smspartner_message_status", message_id=pushed["message_id"], status="delivered"
    )
    assert pushed_event["data"]["source"] == "webhook"
    assert pushed_event["data"]["phone_number"] == "+33612345693"
    [reply] = log.of("smspartner_sms_received", kind="reply")
    assert reply["data"]["text"] == "OK"
    assert reply["data"]["phone_number"] == "+33612345693"
    assert reply["data"]["message_id"] == pushed["message_id"]
    [call] = log.of("smspartner_call_status", status="delivered")
    assert call["data"]["answered"] is True
    assert call["data"]["config_entry_id"] == voice_entry

    # Polling asked for the first SMS only: the webhook had reported the second.
    status_requests = [r for r in await stack.requests() if "bulk-status" in r["path"]]
    assert status_requests, "no status request was sent"
    assert all(pushed["message_id"] not in r["path"] for r in status_requests)

    # The event entities show the last reports.
    states = await hass.states()
    received = next(s for e, s in states.items() if e.endswith("_received_sms"))
    assert received["attributes"]["event_type"] == "reply"
    assert received["attributes"]["text"] == "OK"
    result = next(s for e, s in states.items() if e.endswith("_call_result"))
    assert result["attributes"]["event_type"] == "answered"

    # How long from the simulator's callback to Home Assistant's event.
    callbacks = await stack.callbacks()
    latencies = []
    for kind, event in (("dlr", pushed_event), ("reply", reply), ("call", call)):
        fired = datetime.fromisoformat(event["time_fired"]).timestamp()
        called = [
            c["time"] for c in callbacks if c["kind"] == kind and c["time"] <= fired
        ]
        latencies.append(fired - max(called))
    shown = ", ".join(f"{seconds * 1000:.0f} ms" for seconds in latencies)
    print(f"e2e: from the callback to the event: {shown}")  # noqa: T201
    assert max(latencies) < 2
