"""A sliding-window request budget, as the providers' rate limits call for."""

from __future__ import annotations

from collections import deque
from collections.abc import Callable
import time

from .exceptions import SmsPartnerThrottledError


class RequestLimiter:
    """Sliding-window budget of requests, plus a pause after a 429.

    With a `parent` (say, a budget for the whole provider host), a request must
    fit both budgets and is counted in both.
    """

    def __init__(
        self,
        max_requests: int,
        period: float,
        clock: Callable[[], float] | None = None,
        *,
        parent: RequestLimiter | None = None,
    ) -> None:
        """Allow at most `max_requests` in any `period` seconds (monotonic clock)."""
        self.max_requests = max_requests
        self.period = period
        self.parent = parent
        self._clock = clock or time.monotonic
        self._sent: deque[float] = deque()
        self._blocked_until = 0.0

    def _forget_old(self, now: float) -> None:
        while self._sent and now - self._sent[0] >= self.period:
            self._sent.popleft()

    def delay(self) -> float:
        """Return the seconds until a request may be sent (0 when it may now)."""
        now = self._clock()
        self._forget_old(now)
        wait = max(0.0, self._blocked_until - now)
        if len(self._sent) >= self.max_requests:
            wait = max(wait, self._sent[0] + self.period - now)
        if self.parent is not None:
            wait = max(wait, self.parent.delay())
        return wait

    def acquire(self) -> None:
        """Take one request from the budget or raise SmsPartnerThrottledError."""
        if (wait := self.delay()) > 0:
            raise SmsPartnerThrottledError(wait)
        self._take()

    def _take(self) -> None:
        """Count one request here and in the parent budgets."""
        self._sent.append(self._clock())
        if self.parent is not None:
            self.parent._take()  # noqa: SLF001

    def pause(self, seconds: float) -> None:
        """Send nothing for the next `seconds` (after a 429), here and in the parents."""
        self._blocked_until = max(self._blocked_until, self._clock() + seconds)
        if self.parent is not None:
            self.parent.pause(seconds)

    @property
    def requests_in_window(self) -> int:
        """Return how many requests the current window holds."""
        self._forget_old(self._clock())
        return len(self._sent)
