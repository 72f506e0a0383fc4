"""Browser test (ui): what a new user sees, in Debian's Chromium driven by Playwright.

Against the simulator and a real hass (the demo's configuration, no entry yet), as the
demo user: add an SMS Partner and a Voice Partner account through the config-flow
dialog (a wrong key first); as the demo does, give them 30 days of balance history
and send an SMS that is answered and a call; open each device page and check its
sensors (the balance forecast shows a date), then that its event entities show
the delivery report, the reply and the call result; add an SMS
recipient from the entry's menu, send an SMS in sandbox from Developer tools → Actions,
save an automation made from the low-credit blueprint, then switch the user's language
to French and see the config dialog in French. Every step saves a screenshot in
SMSPARTNER_UI_SHOTS (default .e2e/ui/); with SMSPARTNER_UI_README_IMAGES set (see
scripts/screenshots) the README's pictures are refreshed from the same run.

Entities are found from the config entries the dialog created and their device pages,
never from entity ids spelled out here; texts of the integration come from its
translation files.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import TYPE_CHECKING, Any

import pytest

from scripts.demo_data import seed_balance_history, send_reports
from simulator import DEMO_SMS_KEY, DEMO_VOICE_KEY
from simulator.accounts import demo_sms_accounts, demo_voice_accounts

from .conftest import UiStack, readme_images, shots_dir
from .ha_pages import automation_from_blueprint, french_dialog, shoot_dashboard
from .pages import (
    Shots,
    add_account,
    add_recipient,
    check_device_page,
    check_reports,
    check_values,
    check_voice_values,
    entry_ids,
    log_in,
    send_sandbox_sms,
)

if TYPE_CHECKING:
    from playwright.async_api import Browser, Response


pytestmark = pytest.mark.timeout(600)


async def step(shots: Shots, name: str, action: Awaitable[Any]) -> Any:
    """Run one step; on failure save a screenshot of what the browser showed."""
    try:
        return await action
    except BaseException:
        await shots.take(f"FAILED_{name}")
        raise


async def log_failure(response: Response, log: Callable[[str], None]) -> None:
    """Log a failed request and its answer (missing icons aside)."""
    if response.status >= 400 and response.status != 404:  # noqa: PLR2004
        answer = (await response.text())[:300]
        log(
            f"HTTP {response.status}: {response.request.method} {response.url}: {answer}"
        )


async def test_new_user(ui_stack: UiStack, browser: Browser) -> None:
    """A new user's path through the UI, from adding accounts to a French dialog."""
    stack = ui_stack
    context = await browser.new_context(
        viewport={"width": 1280, "height": 860},
        locale="en-US",
        timezone_id="Europe/Paris",
    )
    try:
        page = await context.new_page()
        page.set_default_timeout(30_000)
        console = shots_dir() / "console.log"
        console.write_text("")

        def log(line: str) -> None:
            with console.open("a") as file:
                file.write(f"{line}\n")

        page.on("console", lambda message: log(f"{message.type}: {message.text}"))
        page.on("pageerror", lambda error: log(f"page error: {error}"))
        page.on("response", lambda response: log_failure(response, log))
        shots = Shots(page)

        def run(name: str, action: Awaitable[Any]) -> Awaitable[Any]:
            return step(shots, name, action)

        await run("log_in", log_in(page, stack.url))
        sms_entry = await run(
            "add_sms", add_account(page, stack, shots, "sms_partner", DEMO_SMS_KEY)
        )
        voice_entry = await run(
            "add_voice",
            add_account(page, stack, shots, "voice_partner", DEMO_VOICE_KEY),
        )
        await run(
            "history",
            seed_balance_history(
                stack.hass,
                stack.simulator.base_url,
                stack.config_dir,
                {
                    sms_entry: demo_sms_accounts()[0],
                    voice_entry: demo_voice_accounts()[0],
                },
            ),
        )
        await run("reports", send_reports(stack.hass, sms_entry, voice_entry))
        sms = await run(
            "device_sms", check_device_page(page, stack, shots, sms_entry, "sms")
        )
        voice = await run(
            "device_voice",
            check_device_page(page, stack, shots, voice_entry, "voice"),
        )
        await run("reports_sms", check_reports(page, stack, shots, sms_entry, "sms"))
        await run(
            "reports_voice", check_reports(page, stack, shots, voice_entry, "voice")
        )
        states = await stack.hass.states()
        check_values(states, sms)
        check_voice_values(states, voice)
        sms_title = (await entry_ids(stack))[sms_entry]["title"]
        await run("recipient", add_recipient(page, stack, shots, sms_title))
        await run("send_sms", send_sandbox_sms(page, stack, shots, sms_entry))
        await run(
            "blueprint",
            automation_from_blueprint(page, stack, shots, sms),
        )
        if readme_images() is not None:
            await run("dashboard", shoot_dashboard(page, stack, shots, sms, voice))
        await run("french", french_dialog(page, stack, shots))
    finally:
        await context.close()
