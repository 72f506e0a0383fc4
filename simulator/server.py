"""The simulator's server: its command line, accounts and serving loop (python -m simulator)."""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import logging
import signal
import sys

from aiohttp import web

from .accounts import (
    DEMO_SMS_KEY,
    DEMO_SMS_LOW_KEY,
    DEMO_VOICE_KEY,
    DEMO_VOICE_SECOND_KEY,
    SmsAccount,
    VoiceAccount,
    demo_sms_accounts,
    demo_voice_accounts,
)
from .app import SMS_PREFIX, VOICE_PREFIX, create_app
from .state import Simulator

READY_PREFIX = "SIMULATOR READY "


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    """Parse the command line."""
    parser = argparse.ArgumentParser(prog="python -m simulator", description=__doc__)
    parser.add_argument("--host", default="127.0.0.1", help="address to bind")
    parser.add_argument("--port", type=int, default=8099, help="port; 0 picks one")
    parser.add_argument(
        "--speed", type=float, default=1.0, help="how fast simulated time runs"
    )
    parser.add_argument(
        "--key",
        action="append",
        default=[],
        metavar="SERVICE:KEY",
        help="accept another key, e.g. sms:abc or voice:def (repeatable)",
    )
    parser.add_argument(
        "--report-delay",
        type=float,
        default=2.0,
        metavar="SECONDS",
        help="from a send to its delivery reports, then to the replies",
    )
    parser.add_argument("--quiet", action="store_true", help="do not log requests")
    return parser.parse_args(argv)


def build_simulator(args: argparse.Namespace) -> Simulator:
    """Return a simulator with the demo accounts plus any --key accounts."""
    sms = demo_sms_accounts()
    voice = demo_voice_accounts()
    for spec in args.key:
        service, _, api_key = spec.partition(":")
        if service == "sms" and api_key:
            sms.append(SmsAccount(**{**vars(sms[0]), "api_key": api_key}))
        elif service == "voice" and api_key:
            voice.append(VoiceAccount(**{**vars(voice[0]), "api_key": api_key}))
        else:
            raise SystemExit(f"--key must look like sms:KEY or voice:KEY, not {spec!r}")
    return Simulator(
        sms_accounts=sms,
        voice_accounts=voice,
        speed=args.speed,
        report_delay=args.report_delay,
    )


async def serve(args: argparse.Namespace) -> None:
    """Serve until SIGINT or SIGTERM."""
    runner = web.AppRunner(
        create_app(build_simulator(args)),
        access_log=None,  # it would print raw URLs, keys included; ours masks them
        handler_cancellation=True,  # a client that gives up ends a slow answer
        shutdown_timeout=1.0,
    )
    await runner.setup()
    site = web.TCPSite(runner, args.host, args.port)
    await site.start()
    host, port = runner.addresses[0][:2]
    base = f"http://{host}:{port}"
    sys.stdout.write(
        f"{READY_PREFIX}{base}\n"
        f"  SMSPARTNER_SMS_API_URL={base}{SMS_PREFIX}\n"
        f"  SMSPARTNER_VOICE_API_URL={base}{VOICE_PREFIX}\n"
        f"  demo keys: SMS Partner {DEMO_SMS_KEY} (or {DEMO_SMS_LOW_KEY}),"
        f" Voice Partner {DEMO_VOICE_KEY} (or {DEMO_VOICE_SECOND_KEY})\n"
    )
    sys.stdout.flush()
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(sig, stop.set)
    try:
        await stop.wait()
    finally:
        await runner.cleanup()


def main(argv: list[str] | None = None) -> None:
    """Run the simulator from the command line."""
    args = parse_args(argv)
    logging.basicConfig(
        level=logging.WARNING if args.quiet else logging.INFO,
        format="%(asctime)s %(message)s",
    )
    with contextlib.suppress(KeyboardInterrupt):
        asyncio.run(serve(args))
