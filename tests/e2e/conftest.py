"""Fixtures for the end-to-end (e2e) tests: the simulator and a real hass process.

Skip these tests with `-m "not e2e"` or the environment variable SMSPARTNER_SKIP_E2E=1.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import dataclass
import os
from pathlib import Path
from typing import Any

import aiohttp
import pytest

from tests.e2e.harness import ManagedProcess, SimulatorProcess, ensure_requirements
from tests.e2e.hass_client import HassClient
from tests.e2e.running import run_hass


def pytest_configure(config: pytest.Config) -> None:
    """Register the e2e marker."""
    config.addinivalue_line("markers", "e2e: end-to-end test with a real hass process")


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Mark every test here e2e; skip them when SMSPARTNER_SKIP_E2E is set."""
    skip = os.environ.get("SMSPARTNER_SKIP_E2E", "") not in ("", "0")
    here = Path(__file__).parent
    for item in items:
        if item.path.is_relative_to(here):
            item.add_marker(pytest.mark.e2e)
            if skip:
                item.add_marker(pytest.mark.skip(reason="SMSPARTNER_SKIP_E2E is set"))


@pytest.fixture(autouse=True)
def auto_enable_custom_integrations() -> None:
    """Override the package-wide fixture: Home Assistant runs in its own process."""


@dataclass
class Stack:
    """The simulator and Home Assistant of one end-to-end test."""

    session: aiohttp.ClientSession
    simulator: SimulatorProcess
    hass_process: ManagedProcess
    hass: HassClient
    config_dir: Path

    async def control(self, **command: Any) -> None:
        """Change the simulator's behaviour (POST /_control)."""
        async with self.session.post(
            f"{self.simulator.base_url}/_control", json=command
        ) as response:
            assert response.status == 200, await response.text()

    async def requests(self, since: int = 0) -> list[dict[str, Any]]:
        """Return the simulator's request log."""
        async with self.session.get(
            f"{self.simulator.base_url}/_requests", params={"since": since}
        ) as response:
            assert response.status == 200
            result: list[dict[str, Any]] = await response.json()
            return result

    async def callbacks(self) -> list[dict[str, Any]]:
        """Return the simulator's log of the calls it made to callback URLs."""
        async with self.session.get(
            f"{self.simulator.base_url}/_callbacks"
        ) as response:
            assert response.status == 200
            result: list[dict[str, Any]] = await response.json()
            return result

    async def last_seq(self) -> int:
        """Return the sequence number of the last logged request."""
        log = await self.requests()
        return log[-1]["seq"] if log else 0


@pytest.fixture
async def stack(tmp_path: Path, socket_enabled: None) -> AsyncIterator[Stack]:
    """Start the simulator and hass on a fresh config directory; stop both after."""
    await ensure_requirements()
    owner = ("E2E Owner", "e2e", "e2e-password-0123")
    async with run_hass(tmp_path, owner, show_output="e2e") as run:
        yield Stack(
            run.session, run.simulator, run.hass_process, run.hass, run.config_dir
        )
