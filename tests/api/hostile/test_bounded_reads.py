"""Bounded reads against a hostile server on 127.0.0.1: memory, loop stalls, time.

Each scenario runs one credits request in a process of its own (so that its
peak RSS is its own) against tests/hostile/server.py, and the table printed at
the end sets the figures next to those of the client before bounded reads.
"""

from __future__ import annotations

from collections.abc import Iterator
import json
from pathlib import Path
import subprocess
import sys

import pytest

from custom_components.smspartner.api import MAX_BODY, REQUEST_TIMEOUT

ROOT = Path(__file__).parents[3]
MIB = 1 << 20
# Measured on this repository's client before bounded reads (commit 8ab2773),
# with tests/hostile/probe.py: (peak RSS growth in MiB, longest stall in ms,
# duration in s, outcome). The endless stream ended on the probe's 6 GiB cap
# or the timeout, whichever came first.
BEFORE = {
    "gzip-bomb": (2061, 1010, 5.7, "invalid response"),
    "big": (383, 1, 0.4, "invalid response"),
    "endless": (3906, 23, 10.9, "timeout"),
    "drip": (0, 2, 10.9, "timeout"),
}
# One request may add about the cap to memory; allow for allocator slack.
MAX_RSS_GROWTH = 8 * MIB
MAX_STALL = 0.05


@pytest.fixture(scope="module")
def port() -> Iterator[int]:
    """Start the hostile server and return its port."""
    server = subprocess.Popen(  # noqa: S603 - our own module, fixed arguments
        [sys.executable, "-m", "tests.api.hostile.server"],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        text=True,
    )
    assert server.stdout is not None
    try:
        yield int(server.stdout.readline())
    finally:
        server.kill()
        server.wait()


def _probe(port: int, scenario: str) -> dict[str, object]:
    """Run one request against `scenario` in a fresh process and return its figures."""
    done = subprocess.run(  # noqa: S603 - our own module, fixed arguments
        [sys.executable, "-m", "tests.api.hostile.probe", str(port), scenario],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=REQUEST_TIMEOUT * 3,
        check=True,
    )
    figures: dict[str, object] = json.loads(done.stdout)
    return figures


RESULTS: dict[str, dict[str, object]] = {}


@pytest.mark.parametrize(
    ("scenario", "outcome"),
    [
        ("gzip-bomb", "SmsPartnerInvalidResponseError"),
        ("big", "SmsPartnerInvalidResponseError"),
        ("endless", "SmsPartnerInvalidResponseError"),
        ("drip", "SmsPartnerConnectionError"),
    ],
)
def test_bounded(port: int, scenario: str, outcome: str) -> None:
    """Whatever the body, one request costs about the cap and never holds the loop."""
    figures = _probe(port, scenario)
    RESULTS[scenario] = figures
    assert figures["outcome"] == outcome
    assert isinstance(growth := figures["rss_growth"], int)
    assert growth <= MAX_RSS_GROWTH
    # The wall-time stall also counts the machine's other processes; the loop's
    # own CPU time between two heartbeats is what our code held it for.
    assert isinstance(busy := figures["longest_busy"], float)
    assert busy <= MAX_STALL
    assert isinstance(duration := figures["duration"], float)
    assert duration <= REQUEST_TIMEOUT + 1


def test_print_table() -> None:
    """Print each scenario's figures next to the client's before bounded reads."""
    header = (
        "scenario      peak RSS growth MiB     longest stall ms     duration s"
        "   (now: most CPU the loop used between two heartbeats, ms)"
    )
    lines = [f"Bounded reads (cap {MAX_BODY // 1024} KiB): before -> now", header]
    for scenario, (rss, stall, duration, _) in BEFORE.items():
        now = RESULTS.get(scenario)
        if now is None:
            continue
        lines.append(
            f"{scenario:<10} {rss:>9} -> {now['rss_growth'] / MIB:>8.1f} "  # type: ignore[operator]
            f"{stall:>9} -> {now['longest_stall'] * 1000:>6.1f} "  # type: ignore[operator]
            f"{duration:>6} -> {now['duration']:>4.1f}"
            f"   ({now['longest_busy'] * 1000:.1f})"  # type: ignore[operator]
        )
    print("\n" + "\n".join(lines))  # noqa: T201 - the benchmark's report
