"""What happens after a send: delivery reports, replies, STOPs and call results.

A send is followed from its acceptance (or its scheduled time): after the report
delay each number gets its outcome (tracking.OUTCOMES) — its polled status changes
and, when the send gave `urlDlr`, a delivery report is pushed; after the delay
again, the numbers meant to answer reply to `urlResponse`. A text-to-speech send
pushes one result per number to its `notifyUrl`.
"""

from __future__ import annotations

import asyncio
from datetime import datetime
from typing import Any, Final

from .numbers import e164
from .payloads import LONG_NUMBER, call_result, delivery_report, long_reply, short_reply
from .sending import SmsSend, VoiceSend
from .state import SentMessage, Simulator
from .tracking import DELIVERED, NOT_DELIVERED, Recipient, TrackedSms, outcome

REPLY_TEXT: Final = "OK"
STOP_TEXT: Final = "Stop"
LONG_REPLY_TEXT: Final = (
    "Bien reçu, merci pour l'alerte. Je suis en route et j'arrive dans une"
    " vingtaine de minutes. En attendant j'ai prévenu la voisine, elle passe"
    " voir si tout va bien et vous rappelle dès qu'elle est sur place. À tout de suite"
)


def _url(body: dict[str, Any], name: str) -> str | None:
    """Return a callback URL of a send body, if it is one."""
    value = body.get(name)
    if isinstance(value, str) and value.startswith(("http://", "https://")):
        return value
    return None


def _seconds_until(sim: Simulator, when: datetime | None) -> float:
    """Return the seconds from now to `when` (0 when it is past or None)."""
    if when is None:
        return 0.0
    return max(0.0, (when - sim.paris_now()).total_seconds())


def follow_sms(
    sim: Simulator, sent: SentMessage, send: SmsSend, body: dict[str, Any]
) -> None:
    """Follow an accepted, non-sandbox SMS send."""
    now = sim.paris_now()
    tracked = TrackedSms(
        message_id=sent.seq,
        key_id=sent.key_id,
        recipients={
            e164(number): Recipient(number=number, date=now) for number in send.numbers
        },
        cost=send.cost,
        sent_at=now,
        scheduled=send.scheduled,
        sender=send.sender,
        url_dlr=_url(body, "urlDlr"),
        url_response=_url(body, "urlResponse"),
    )
    sim.tracker.add_sms(tracked)
    sim.callbacks.start(_report_sms(sim, tracked), key=tracked.message_id)


async def _report_sms(sim: Simulator, tracked: TrackedSms) -> None:
    """Give each number its outcome after the delay, then let some reply."""
    delay = sim.callbacks.settings.delay
    await asyncio.sleep(_seconds_until(sim, tracked.scheduled) + delay)
    now = sim.paris_now()
    answering: list[Recipient] = []
    for recipient in tracked.recipients.values():
        fate = outcome(recipient.number)
        if fate == "silent":
            continue
        recipient.status = NOT_DELIVERED if fate == "failed" else DELIVERED
        recipient.date = now
        if tracked.url_dlr:
            sim.callbacks.call(
                "dlr",
                tracked.url_dlr,
                delivery_report(
                    tracked.message_id, recipient.number, recipient.status, now
                ),
                sim.callbacks.settings.encoding,
            )
        if fate in ("reply", "stop", "long_reply"):
            answering.append(recipient)
    if not answering or not tracked.url_response:
        return
    await asyncio.sleep(delay)
    for recipient in answering:
        match outcome(recipient.number):
            case "reply":
                send_reply(sim, tracked, recipient.number, REPLY_TEXT)
            case "stop":
                send_reply(sim, tracked, recipient.number, STOP_TEXT, stop=True)
            case _:
                send_reply(sim, tracked, recipient.number, LONG_REPLY_TEXT, long=True)


def send_reply(
    sim: Simulator,
    tracked: TrackedSms | None,
    number: str,
    text: str,
    *,
    stop: bool = False,
    long: bool = False,
    url: str | None = None,
    reverse: bool = False,
    drop_part: int | None = None,
) -> None:
    """Push a reply (or a STOP) from `number` to the reply URL.

    `tracked` is the message answered (None for a reply to no known message);
    `url` replaces its urlResponse. A long-number reply (`long`) is cut in concat
    parts when over 160 characters, which `reverse` sends last first and of which
    `drop_part` leaves one out.
    """
    target = url or (tracked.url_response if tracked else None)
    if target is None:
        raise ValueError("no reply URL: give url, or send to the number with one")
    if stop and tracked and (recipient := tracked.recipient(number)) is not None:
        recipient.stop = True
    if not long:
        message_id = tracked.message_id if tracked else None
        payload = short_reply(number, text, message_id, stop=stop)
        sim.callbacks.call("reply", target, payload, "json")
        return
    sender = tracked.sender if tracked else None
    to = sender if sender and sender.isdigit() else LONG_NUMBER
    sim.callbacks.inbound += 1
    parts = long_reply(number, to, text, sim.callbacks.inbound, sim.paris_now())
    for part in reversed(parts) if reverse else parts:
        if drop_part is None or part.get("concat-part") != str(drop_part):
            sim.callbacks.call("reply", target, part, sim.callbacks.settings.encoding)


def follow_call(
    sim: Simulator, campaign_id: str, send: VoiceSend, body: dict[str, Any]
) -> None:
    """Follow an accepted text-to-speech send that gave a notifyUrl."""
    if (url := _url(body, "notifyUrl")) is not None:
        sim.callbacks.start(_report_call(sim, campaign_id, send, url))


async def _report_call(
    sim: Simulator, campaign_id: str, send: VoiceSend, url: str
) -> None:
    """Push each number's call result after the delay."""
    send_at = send.scheduled or sim.paris_now()
    delay = sim.callbacks.settings.delay
    await asyncio.sleep(_seconds_until(sim, send.scheduled) + delay)
    for number in send.numbers:
        fate = outcome(number)
        if fate == "silent":
            continue
        result = call_result(
            campaign_id,
            number,
            delivered=fate != "failed",
            answered=fate not in ("failed", "not_answered"),
            duration=round(send.duration),
            send_at=send_at,
            done_at=sim.paris_now(),
        )
        sim.callbacks.call("call", url, result, "json")
