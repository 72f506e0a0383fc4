"""Tests for the sliding-window limiter."""

from __future__ import annotations

import pytest

from simulator.limits import SlidingWindowLimiter


def test_allows_limit_then_tells_the_wait() -> None:
    """Five requests pass; the sixth learns when the oldest leaves the window."""
    limiter = SlidingWindowLimiter(5, 60)
    for second in range(5):
        assert limiter.acquire("k", 100 + second) == 0
    assert limiter.remaining("k", 104) == 0
    assert limiter.acquire("k", 110) == pytest.approx(50)
    assert limiter.acquire("k", 159.5) == pytest.approx(0.5)
    assert limiter.acquire("k", 160) == 0
    assert limiter.remaining("k", 160) == 0
    assert limiter.remaining("k", 161) == 1


def test_refused_requests_do_not_count() -> None:
    """A refused request does not push the window further."""
    limiter = SlidingWindowLimiter(1, 10)
    assert limiter.acquire("k", 0) == 0
    for now in range(1, 10):
        assert limiter.acquire("k", now) > 0
    assert limiter.acquire("k", 10) == 0


def test_keys_are_independent_and_clear_forgets() -> None:
    """Each key has its own window; clear() empties them all."""
    limiter = SlidingWindowLimiter(1, 60)
    assert limiter.acquire("a", 0) == 0
    assert limiter.acquire("b", 0) == 0
    assert limiter.acquire("a", 1) > 0
    limiter.clear()
    assert limiter.acquire("a", 1) == 0
