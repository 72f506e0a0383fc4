"""The simulator's state: accounts, switchable behaviour, limits and request log."""

from __future__ import annotations

from collections import deque
from collections.abc import Callable, Iterable, Mapping
from dataclasses import asdict, dataclass
from datetime import datetime
import hashlib
import time
from typing import Any, Final

from .accounts import SmsAccount, VoiceAccount, demo_sms_accounts, demo_voice_accounts
from .behaviour import (
    BEHAVIOUR_FIELDS,
    SERVICES,
    Behaviour,
    Service,
    optional_key,
    validated_behaviour,
    validated_services,
)
from .callbacks import Callbacks
from .limits import SlidingWindowLimiter
from .sending import PARIS
from .tracking import Tracker

# Voice Partner documents "5 requests per minute" for its credit endpoint.
VOICE_LIMIT: Final = 5
VOICE_WINDOW: Final = 60.0
# ... and 2000 an hour for text-to-speech sends (POST /v1/tts/send).
VOICE_SEND_LIMIT: Final = 2000
VOICE_SEND_WINDOW: Final = 3600.0
# SMS Partner documents 5 requests a minute for statistics/cost-resume, and
# 360 a minute (then HTTP 429) for the free lookup.
ROUTE_LIMITS: Final = {"cost-resume": (5, 60.0), "lookup": (360, 60.0)}
LOG_SIZE: Final = 10_000

_CONTROL_FIELDS: Final = {*BEHAVIOUR_FIELDS, "service", "revoke", "restore", "reset"}


def key_id(api_key: str) -> str:
    """Return a short, stable fingerprint that names a key without revealing it."""
    return hashlib.sha256(api_key.encode()).hexdigest()[:8]


@dataclass(frozen=True, kw_only=True)
class RequestRecord:
    """One API request, as shown by GET /_requests (the key is never stored)."""

    seq: int
    time: float
    method: str
    path: str
    service: Service | None
    key_id: str | None
    status: int
    rate_limited: bool


@dataclass(frozen=True, kw_only=True)
class SentMessage:
    """One accepted send, as shown by GET /_messages (the key is never stored)."""

    seq: int
    time: float
    service: Service
    key_id: str
    numbers: list[str]
    text: str
    sender: str | None
    scheduled: str | None
    sandbox: bool
    cost: float


class Simulator:
    """Everything the simulated APIs know; shared by the web handlers."""

    def __init__(
        self,
        *,
        sms_accounts: Iterable[SmsAccount] | None = None,
        voice_accounts: Iterable[VoiceAccount] | None = None,
        speed: float = 1.0,
        clock: Callable[[], float] = time.monotonic,
        wall_clock: Callable[[], float] = time.time,
        report_delay: float = 2.0,
    ) -> None:
        """Start the simulated time with the given (or the demo) accounts."""
        if sms_accounts is None:
            sms_accounts = demo_sms_accounts()
        if voice_accounts is None:
            voice_accounts = demo_voice_accounts()
        self.sms: dict[str, SmsAccount] = {a.api_key: a for a in sms_accounts}
        self.voice: dict[str, VoiceAccount] = {a.api_key: a for a in voice_accounts}
        self.speed = speed
        self.clock = clock
        self.wall_clock = wall_clock
        self.started = clock()
        self.behaviour: dict[Service, Behaviour] = {s: Behaviour() for s in SERVICES}
        self.revoked: set[str] = set()
        self.limiters: dict[Service, SlidingWindowLimiter] = {
            "voice": SlidingWindowLimiter(VOICE_LIMIT, VOICE_WINDOW)
        }
        self.send_limiters: dict[Service, SlidingWindowLimiter] = {
            "voice": SlidingWindowLimiter(VOICE_SEND_LIMIT, VOICE_SEND_WINDOW)
        }
        self.route_limiters: dict[str, SlidingWindowLimiter] = {
            route: SlidingWindowLimiter(*limit) for route, limit in ROUTE_LIMITS.items()
        }
        self.tracker = Tracker()
        self.callbacks = Callbacks(wall_clock, report_delay)
        # Sub-accounts of every SMS account, when the control API sets a number.
        self.subaccounts: int | None = None
        self.log: deque[RequestRecord] = deque(maxlen=LOG_SIZE)
        self.outbox: deque[SentMessage] = deque(maxlen=LOG_SIZE)
        self._seq = 0
        self._sent_seq = 0

    def elapsed(self) -> float:
        """Return the simulated seconds since start (scaled by `speed`)."""
        return (self.clock() - self.started) * self.speed

    def now(self) -> float:
        """Return the clock used for rate limits."""
        return self.clock()

    def paris_now(self) -> datetime:
        """Return the wall-clock time in France, where the providers schedule."""
        return datetime.fromtimestamp(self.wall_clock(), PARIS)

    def sms_account(self, api_key: str) -> SmsAccount | None:
        """Return the SMS Partner account for a valid, unrevoked key."""
        return None if api_key in self.revoked else self.sms.get(api_key)

    def voice_account(self, api_key: str) -> VoiceAccount | None:
        """Return the Voice Partner account for a valid, unrevoked key."""
        return None if api_key in self.revoked else self.voice.get(api_key)

    def record(
        self,
        *,
        method: str,
        path: str,
        service: Service | None,
        api_key: str | None,
        status: int,
        rate_limited: bool,
    ) -> RequestRecord:
        """Append a request to the log."""
        self._seq += 1
        entry = RequestRecord(
            seq=self._seq,
            time=self.wall_clock(),
            method=method,
            path=path,
            service=service,
            key_id=key_id(api_key) if api_key else None,
            status=status,
            rate_limited=rate_limited,
        )
        self.log.append(entry)
        return entry

    def requests(self, since: int = 0) -> list[dict[str, Any]]:
        """Return the logged requests whose sequence number is above `since`."""
        return [asdict(r) for r in self.log if r.seq > since]

    def record_send(
        self,
        *,
        service: Service,
        api_key: str,
        numbers: list[str],
        text: str,
        sender: str | None,
        scheduled: datetime | None,
        sandbox: bool,
        cost: float,
    ) -> SentMessage:
        """Keep an accepted send in the outbox."""
        self._sent_seq += 1
        sent = SentMessage(
            seq=self._sent_seq,
            time=self.wall_clock(),
            service=service,
            key_id=key_id(api_key),
            numbers=numbers,
            text=text,
            sender=sender,
            scheduled=None if scheduled is None else scheduled.isoformat(),
            sandbox=sandbox,
            cost=cost,
        )
        self.outbox.append(sent)
        return sent

    def messages(self, since: int = 0) -> list[dict[str, Any]]:
        """Return the sends whose sequence number is above `since`."""
        return [asdict(m) for m in self.outbox if m.seq > since]

    def reset(self) -> None:
        """Return to the start-up behaviour and forget requests and revocations."""
        self.behaviour = {s: Behaviour() for s in SERVICES}
        self.revoked.clear()
        for limiter in (
            *self.limiters.values(),
            *self.send_limiters.values(),
            *self.route_limiters.values(),
        ):
            limiter.clear()
        self.log.clear()
        self.outbox.clear()
        self.tracker.clear()
        self.callbacks.reset()
        self.subaccounts = None

    def control(self, command: Mapping[str, Any]) -> None:
        """Apply a POST /_control command; raise ValueError if it is invalid."""
        unknown = set(command) - _CONTROL_FIELDS
        if unknown:
            raise ValueError(f"unknown fields: {', '.join(sorted(unknown))}")
        changes = validated_behaviour(command)
        services = validated_services(command.get("service"))
        revoke = optional_key(command, "revoke")
        restore = optional_key(command, "restore")
        if command.get("reset", False) is True:
            self.reset()
        elif "reset" in command and command["reset"] is not False:
            raise ValueError("reset must be true or false")
        for service in services:
            for name, value in changes.items():
                setattr(self.behaviour[service], name, value)
        if revoke:
            self.revoked.add(revoke)
        if restore:
            self.revoked.discard(restore)

    def snapshot(self) -> dict[str, Any]:
        """Return the current behaviour, for GET /_control."""
        return {
            "services": {s: asdict(b) for s, b in self.behaviour.items()},
            "keys": {
                "sms": sorted(key_id(k) for k in self.sms),
                "voice": sorted(key_id(k) for k in self.voice),
            },
            "revoked": sorted(key_id(k) for k in self.revoked),
            "callbacks": asdict(self.callbacks.settings),
            "subaccounts": self.subaccounts,
            "elapsed": self.elapsed(),
            "speed": self.speed,
        }
