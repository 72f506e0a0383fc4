"""Sliding-window request limits, as the providers enforce them per API key."""

from __future__ import annotations

from collections import deque


class SlidingWindowLimiter:
    """Allow at most `limit` requests per key in any `window` seconds."""

    def __init__(self, limit: int, window: float) -> None:
        """Initialise an empty limiter."""
        self.limit = limit
        self.window = window
        self._hits: dict[str, deque[float]] = {}

    def _recent(self, key: str, now: float) -> deque[float]:
        """Return the key's request times inside the window ending at `now`."""
        hits = self._hits.setdefault(key, deque())
        while hits and hits[0] <= now - self.window:
            hits.popleft()
        return hits

    def acquire(self, key: str, now: float) -> float:
        """Count a request; return 0 if allowed, else seconds until one would be."""
        hits = self._recent(key, now)
        if len(hits) >= self.limit:
            return hits[0] + self.window - now
        hits.append(now)
        return 0.0

    def remaining(self, key: str, now: float) -> int:
        """Return how many more requests the key may make right now."""
        return self.limit - len(self._recent(key, now))

    def clear(self) -> None:
        """Forget every request."""
        self._hits.clear()
