"""Tests for the command line: python -m simulator."""

from __future__ import annotations

from argparse import Namespace
import json
from pathlib import Path
import signal
import subprocess
import sys
import urllib.error
import urllib.request

import pytest

from simulator import DEMO_SMS_KEY
from simulator.server import READY_PREFIX, build_simulator, parse_args

ROOT = Path(__file__).parents[2]


def test_extra_keys_open_copies_of_the_demo_accounts() -> None:
    """--key sms:K and --key voice:K add accounts next to the demo ones."""
    sim = build_simulator(parse_args(["--key", "sms:mine", "--key", "voice:ours"]))
    mine = sim.sms_account("mine")
    assert mine is not None
    assert mine.username == "demo@example.com"
    assert sim.sms_account(DEMO_SMS_KEY) is not None
    assert sim.voice_account("ours") is not None


def test_report_delay() -> None:
    """--report-delay sets how long reports take, also after a reset."""
    sim = build_simulator(parse_args(["--report-delay", "0.5"]))
    assert sim.callbacks.settings.delay == 0.5
    sim.reset()
    assert sim.callbacks.settings.delay == 0.5


@pytest.mark.parametrize("spec", ["mail:x", "sms:", "voice"])
def test_bad_key_spec(spec: str) -> None:
    """A --key that names no service or no key stops the program."""
    with pytest.raises(SystemExit, match="--key must look like"):
        build_simulator(Namespace(key=[spec], speed=1.0, report_delay=2.0))


@pytest.mark.usefixtures("socket_enabled")
def test_serves_until_sigterm_without_printing_keys() -> None:
    """The server announces its URLs, answers, logs masked paths, stops on SIGTERM."""
    with subprocess.Popen(
        [sys.executable, "-m", "simulator", "--port", "0", "--key", "sms:cli-key"],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    ) as process:
        try:
            assert process.stdout is not None
            # The announcement is four lines; read exactly those before any log line.
            banner = "".join(process.stdout.readline() for _ in range(4))
            assert banner.startswith(READY_PREFIX), banner
            base = banner.removeprefix(READY_PREFIX).split()[0]
            assert base.startswith("http://127.0.0.1:")
            with urllib.request.urlopen(f"{base}/sms/v1/me?apiKey=cli-key") as answer:
                assert json.load(answer)["success"] is True
            with pytest.raises(urllib.error.HTTPError) as err:
                urllib.request.urlopen(f"{base}/voice/v1/me/cli-key")
            assert err.value.code == 400
            err.value.close()
        finally:
            process.send_signal(signal.SIGTERM)
            output, _ = process.communicate(timeout=10)
    assert process.returncode == 0
    assert f"SMSPARTNER_SMS_API_URL={base}/sms/v1\n" in banner
    assert f"SMSPARTNER_VOICE_API_URL={base}/voice/v1\n" in banner
    assert "GET /sms/v1/me?apiKey=*** -> 200" in output
    assert "GET /voice/v1/me/*** -> 400" in output
    assert "cli-key" not in output
