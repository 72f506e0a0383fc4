"""Measure one credits request against a scenario of the hostile server.

Run as `python -m tests.api.hostile.probe PORT SCENARIO` in a process of its own: it
prints one JSON line with the outcome (the exception's class or "parsed"), the
peak RSS growth of the request in bytes, the longest event-loop stall in seconds
(wall time between two heartbeats, and the CPU time the loop's thread spent
there: the part that is our work, not the machine's other processes) and the
request's duration. Memory is capped (RLIMIT_AS) so that an unbounded
read ends in MemoryError instead of exhausting the machine.
"""

from __future__ import annotations

import asyncio
import json
import resource
import sys
import time

import aiohttp

from custom_components.smspartner.api import SmsPartnerClient

MEMORY_CAP = 6 << 30
HEARTBEAT = 0.005


def peak_rss() -> int:
    """Return the process's peak resident set size in bytes."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024


async def measure(port: int, scenario: str) -> dict[str, object]:
    """Request the credits of `scenario` while a heartbeat measures the loop."""
    loop = asyncio.get_running_loop()
    longest = busiest = 0.0

    async def heartbeat() -> None:
        nonlocal longest, busiest
        while True:
            before, cpu = loop.time(), time.thread_time()
            await asyncio.sleep(HEARTBEAT)
            longest = max(longest, loop.time() - before - HEARTBEAT)
            busiest = max(busiest, time.thread_time() - cpu)

    async with aiohttp.ClientSession() as session:
        warm_up = SmsPartnerClient(
            session, "bench-key", url=f"http://127.0.0.1:{port}/ok"
        )
        await warm_up.async_get_credits()
        client = SmsPartnerClient(
            session, "bench-key", url=f"http://127.0.0.1:{port}/{scenario}"
        )
        beat = asyncio.create_task(heartbeat())
        await asyncio.sleep(0.05)
        longest = busiest = 0.0
        base = peak_rss()
        start = time.monotonic()
        try:
            await client.async_get_credits()
            outcome = "parsed"
        except MemoryError:
            outcome = "MemoryError"
        except Exception as err:  # noqa: BLE001 - the outcome is what is measured
            outcome = type(err).__name__
        duration = time.monotonic() - start
        beat.cancel()
    return {
        "scenario": scenario,
        "outcome": outcome,
        "rss_growth": peak_rss() - base,
        "longest_stall": longest,
        "longest_busy": busiest,
        "duration": duration,
    }


if __name__ == "__main__":
    resource.setrlimit(resource.RLIMIT_AS, (MEMORY_CAP, MEMORY_CAP))
    print(json.dumps(asyncio.run(measure(int(sys.argv[1]), sys.argv[2]))))  # noqa: T201
