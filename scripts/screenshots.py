"""Take the README screenshots from the running demo (run it through scripts/screenshots).

Starts the demo with credits moving fast, refreshes the sensors for a few minutes so
the history has something to show (within the integration's 5 requests per minute),
then logs into the UI with Debian's chromium driven by Playwright and saves:
  docs/images/dashboard.png         credit sensors and their history graphs
  docs/images/device.png            the SMS Partner device page with its sensors
  docs/images/config_flow_menu.png  the config-flow dialog: which service to add
  docs/images/config_flow.png       the config-flow dialog asking for the API key
"""

from __future__ import annotations

import argparse
import asyncio
from pathlib import Path
import tempfile
from typing import Final

from playwright.async_api import BrowserContext, Page, ViewportSize, async_playwright

from simulator.demo import DEMO_PASSWORD, DEMO_USER, DemoStack, demo_stack
from simulator.harness import REPO, free_port

IMAGES: Final = REPO / "docs" / "images"
CHROMIUM: Final = "/usr/bin/chromium"
CHROMIUM_ARGS: Final = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--no-first-run",
]
VIEWPORT: Final = ViewportSize(width=1280, height=860)
# Simulated time runs this much faster, so the graphs slope within minutes.
SPEED: Final = 60.0
# One refresh per entry every 15 s: 4 requests a minute, within the budget of 5.
REFRESH_EVERY: Final = 15.0


def parse_args() -> argparse.Namespace:
    """Parse the command line."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument(
        "--history-minutes",
        type=float,
        default=3.0,
        help="how long to collect history before the screenshots",
    )
    return parser.parse_args()


async def collect_history(stack: DemoStack, minutes: float) -> None:
    """Refresh one sensor per entry regularly, so the recorder stores a curve."""
    rounds = max(1, round(minutes * 60 / REFRESH_EVERY))
    for done in range(rounds):
        await asyncio.sleep(REFRESH_EVERY)
        await stack.hass.update_entity(stack.sms_entities["sms_credits"])
        await stack.hass.update_entity(stack.voice_entities["balance"])
        print(f"screenshots: history {done + 1}/{rounds}", flush=True)


async def log_in(page: Page, url: str) -> None:
    """Log in through Home Assistant's login page."""
    await page.goto(url)
    await page.locator('input[name="username"]').fill(DEMO_USER)
    await page.locator('input[name="password"]').fill(DEMO_PASSWORD)
    await page.locator('input[name="password"]').press("Enter")
    await page.wait_for_url(lambda address: "/auth/" not in address)
    await page.locator("home-assistant-main").wait_for()


async def settle(page: Page, text: str) -> None:
    """Wait until `text` shows and animations have finished."""
    await page.get_by_text(text, exact=True).first.wait_for()
    await page.wait_for_timeout(2500)


async def shoot_dashboard(page: Page, stack: DemoStack) -> None:
    """Capture the dashboard with the credit sensors and their history graphs."""
    await page.goto(f"{stack.url}/lovelace/credits")
    await settle(page, "Voice Partner balance")
    await page.screenshot(path=IMAGES / "dashboard.png")


async def shoot_device(page: Page, stack: DemoStack) -> None:
    """Capture the SMS Partner device page with its sensors."""
    async with stack.hass.websocket() as ws:
        devices = await ws.command("config/device_registry/list")
    device = next(d for d in devices if stack.sms_entry_id in d["config_entries"])
    await page.goto(f"{stack.url}/config/devices/device/{device['id']}")
    await settle(page, "SMS credits")
    await page.screenshot(path=IMAGES / "device.png")


async def shoot_config_flow(page: Page, stack: DemoStack) -> None:
    """Capture the config-flow dialog: the service menu, then the API key form."""
    await page.goto(f"{stack.url}/config/integrations/dashboard/add?domain=smspartner")
    await page.get_by_role("button", name="OK").click()
    menu = page.locator("dialog-data-entry-flow step-flow-menu")
    await menu.wait_for()
    await page.wait_for_timeout(1500)
    await page.screenshot(path=IMAGES / "config_flow_menu.png")
    await menu.get_by_text("SMS Partner").click()
    form = page.locator("dialog-data-entry-flow step-flow-form")
    await form.get_by_text("API key", exact=True).first.wait_for()
    await page.wait_for_timeout(1500)
    await page.screenshot(path=IMAGES / "config_flow.png")


async def shoot(stack: DemoStack, context: BrowserContext) -> None:
    """Take every screenshot."""
    page = context.pages[0] if context.pages else await context.new_page()
    await log_in(page, stack.url)
    await shoot_dashboard(page, stack)
    await shoot_device(page, stack)
    await shoot_config_flow(page, stack)


async def main() -> None:
    """Run the demo, collect some history and take the screenshots."""
    args = parse_args()
    IMAGES.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="smspartner-shots-") as tmp:
        workdir = Path(tmp)
        hours = (args.history_minutes + 1) / 60
        async with demo_stack(
            workdir, port=free_port(), speed=SPEED, hours_to_show=hours
        ) as stack:
            print(f"screenshots: demo running at {stack.url}", flush=True)
            await collect_history(stack, args.history_minutes)
            async with async_playwright() as playwright:
                context = await playwright.chromium.launch_persistent_context(
                    str(workdir / "chromium-profile"),
                    executable_path=CHROMIUM,
                    args=CHROMIUM_ARGS,
                    headless=True,
                    viewport=VIEWPORT,
                    locale="en-US",
                    timezone_id="Europe/Paris",
                )
                try:
                    await shoot(stack, context)
                finally:
                    await context.close()
    for image in sorted(IMAGES.glob("*.png")):
        print(f"screenshots: wrote {image.relative_to(REPO)}")


if __name__ == "__main__":
    asyncio.run(main())
