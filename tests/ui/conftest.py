"""Fixtures for the browser test (ui): the simulator, a real hass and a real Chromium.

Chromium is Debian's (/usr/bin/chromium, or SMSPARTNER_CHROMIUM), driven by Playwright
for Python; `playwright install` is never used. Where the browser cannot run beside the
test (the Python 3.14 CI leg runs in a chroot), set SMSPARTNER_CHROMIUM_CDP to the
address of a Chromium started with --remote-debugging-port, e.g. http://127.0.0.1:9222.
Without a browser the test is skipped with one line saying why. Skip it on purpose with
`-m "not ui"` or SMSPARTNER_SKIP_UI=1.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import dataclass
import os
from pathlib import Path
from typing import TYPE_CHECKING, Any

import aiohttp
import pytest

from scripts.demo import DEMO_NAME, DEMO_PASSWORD, DEMO_USER
from tests.e2e.harness import (
    REPO,
    SimulatorProcess,
    ensure_requirements,
    ui_import_error,
)
from tests.e2e.hass_client import HassClient
from tests.e2e.running import run_hass

if TYPE_CHECKING:
    from playwright.async_api import Browser, Playwright

CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-sync",
]


def pytest_configure(config: pytest.Config) -> None:
    """Register the ui marker."""
    config.addinivalue_line("markers", "ui: browser test with a real hass process")


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Mark every test here ui; skip them when SMSPARTNER_SKIP_UI is set."""
    skip = os.environ.get("SMSPARTNER_SKIP_UI", "") not in ("", "0")
    here = Path(__file__).parent
    for item in items:
        if item.path.is_relative_to(here):
            item.add_marker(pytest.mark.ui)
            if skip:
                item.add_marker(pytest.mark.skip(reason="SMSPARTNER_SKIP_UI is set"))


@pytest.fixture(autouse=True)
def auto_enable_custom_integrations() -> None:
    """Override the package-wide fixture: Home Assistant runs in its own process."""


def shots_dir() -> Path:
    """Return where the screenshots go (SMSPARTNER_UI_SHOTS, default .e2e/ui)."""
    path = Path(os.environ.get("SMSPARTNER_UI_SHOTS") or REPO / ".e2e" / "ui")
    path.mkdir(parents=True, exist_ok=True)
    return path


def readme_images() -> Path | None:
    """Return where to refresh the README's pictures, if asked (scripts/screenshots)."""
    value = os.environ.get("SMSPARTNER_UI_README_IMAGES")
    return Path(value) if value else None


def speed() -> float:
    """Return how much faster the simulated credits move (SMSPARTNER_UI_SPEED)."""
    return float(os.environ.get("SMSPARTNER_UI_SPEED") or 1.0)


@pytest.fixture
async def browser(socket_enabled: None) -> AsyncIterator[Browser]:
    """Return Debian's Chromium, launched here or reached over CDP; else skip."""
    try:
        from playwright.async_api import async_playwright  # noqa: PLC0415
    except ImportError:
        pytest.skip("no browser: Playwright for Python is not installed")
    cdp = os.environ.get("SMSPARTNER_CHROMIUM_CDP", "")
    executable = os.environ.get("SMSPARTNER_CHROMIUM", "/usr/bin/chromium")
    if not cdp and not os.access(executable, os.X_OK):
        pytest.skip(
            f"no browser: {executable} is missing (apt-get install chromium)"
            " and SMSPARTNER_CHROMIUM_CDP is not set"
        )
    async with async_playwright() as playwright:
        browser = await _open(playwright, cdp, executable)
        try:
            yield browser
        finally:
            await browser.close()


async def _open(playwright: Playwright, cdp: str, executable: str) -> Browser:
    """Connect to the Chromium at `cdp`, or launch `executable`; skip if neither works."""
    try:
        if cdp:
            return await playwright.chromium.connect_over_cdp(cdp, timeout=15_000)
        return await playwright.chromium.launch(
            executable_path=executable, args=CHROMIUM_ARGS, headless=True
        )
    except Exception as err:  # noqa: BLE001 - any failure here means "no browser"
        where = cdp or executable
        first_line = str(err).strip().splitlines()[0] if str(err).strip() else ""
        pytest.skip(f"no browser: {where} did not start or answer: {first_line}")


@dataclass
class UiStack:
    """The simulator and Home Assistant of the browser test."""

    session: aiohttp.ClientSession
    simulator: SimulatorProcess
    hass: HassClient
    config_dir: Path

    @property
    def url(self) -> str:
        """Return the address of the Home Assistant UI."""
        return self.hass.base_url

    async def messages(self) -> list[dict[str, Any]]:
        """Return the sends the simulator accepted (GET /_messages)."""
        async with self.session.get(f"{self.simulator.base_url}/_messages") as response:
            assert response.status == 200
            result: list[dict[str, Any]] = await response.json()
            return result


@pytest.fixture
async def ui_stack(tmp_path: Path, socket_enabled: None) -> AsyncIterator[UiStack]:
    """Start the simulator and a demo-like hass with a user and no entry.

    As in the demo, Home Assistant's external URL is its own address, so the
    simulator pushes reports to the entries' webhooks.
    """
    await ensure_requirements(ui=True)
    if (error := ui_import_error()) is not None:
        pytest.skip(f"the Home Assistant UI cannot load its actions here: {error}")
    owner = (DEMO_NAME, DEMO_USER, DEMO_PASSWORD)
    async with run_hass(
        tmp_path, owner, ui=True, speed=speed(), show_output="ui"
    ) as run:
        yield UiStack(run.session, run.simulator, run.hass, run.config_dir)
