"""The integration's pages in the browser test: each step a new user takes, as a function.

The steps in Home Assistant's own editors (blueprint, profile, dashboard) are in ha_pages.py.
"""

from __future__ import annotations

from datetime import datetime
import json
from pathlib import Path
import re
import shutil
from typing import TYPE_CHECKING, Any

import pytest

from homeassistant.const import MAJOR_VERSION
from scripts.demo import DEMO_PASSWORD, DEMO_USER
from simulator.accounts import SMS_PRICE, demo_sms_accounts, demo_voice_accounts
from tests.e2e.harness import DOMAIN, REPO

from .conftest import UiStack, readme_images, shots_dir, speed

if TYPE_CHECKING:
    from playwright.async_api import Locator, Page

expect = pytest.importorskip(
    "playwright.async_api", reason="no browser: Playwright is not installed"
).expect


TRANSLATIONS = REPO / "custom_components" / DOMAIN / "translations"
RECIPIENT = "Family"
PHONE = "+33612345678"


def texts(language: str) -> dict[str, Any]:
    """Return the integration's translations in `language`."""
    result: dict[str, Any] = json.loads((TRANSLATIONS / f"{language}.json").read_text())
    return result


EN = texts("en")
FR = texts("fr")


class Shots:
    """Numbered screenshots of the run, some of them copied to the README."""

    def __init__(self, page: Page) -> None:
        """Save into shots_dir(), emptied of an earlier run's pictures."""
        self.page = page
        self.dir = shots_dir()
        for old in self.dir.glob("*.png"):
            old.unlink()
        self.count = 0
        self.readme = readme_images()

    async def take(self, name: str, readme: str | None = None) -> Path:
        """Save a screenshot after animations settle; copy it for the README if asked."""
        await self.page.wait_for_timeout(800)
        self.count += 1
        path = self.dir / f"{self.count:02d}_{name}.png"
        await self.page.screenshot(path=path)
        if readme and self.readme is not None:
            self.readme.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(path, self.readme / readme)
        return path


async def log_in(page: Page, url: str) -> None:
    """Log in through Home Assistant's login page."""
    await page.goto(url)
    await page.locator('input[name="username"]').fill(DEMO_USER)
    await page.locator('input[name="password"]').fill(DEMO_PASSWORD)
    await page.locator('input[name="password"]').press("Enter")
    await page.wait_for_url(lambda address: "/auth/" not in address)
    await page.locator("home-assistant-main").wait_for()


async def entry_ids(stack: UiStack) -> dict[str, dict[str, Any]]:
    """Return this integration's config entries by id."""
    async with stack.hass.websocket() as ws:
        entries = await ws.command("config_entries/get", domain=DOMAIN)
    return {entry["entry_id"]: entry for entry in entries}


def field(form: Locator, label: str) -> Locator:
    """Return a form's text input by its label, as both frontends render it.

    2025.4 labels the input itself; 2026 puts the label (with a * when required)
    in the field around it.
    """
    by_label = form.get_by_label(label, exact=False)
    around = form.locator("ha-textfield, ha-selector-text, ha-input").filter(
        has_text=label
    )
    return by_label.or_(around.locator("input")).first


def dialog_button(page: Page, name: str) -> Locator:
    """Return a button of the flow dialog: in its step on 2025.4, its footer on 2026."""
    return (
        flow_dialog(page)
        .get_by_role("button", name=re.compile(name, re.IGNORECASE))
        .first
    )


def flow_dialog(page: Page) -> Locator:
    """Return the config-flow dialog."""
    return page.locator("dialog-data-entry-flow")


async def open_add_dialog(page: Page, url: str) -> Locator:
    """Open Settings → Devices & services → Add integration → SMS Partner: its menu."""
    await page.goto(f"{url}/config/integrations/dashboard")
    await page.get_by_role(
        "button",
        name=re.compile("add integration|ajouter une intégration", re.IGNORECASE),
    ).click()
    search = page.locator("dialog-add-integration")
    await search.get_by_role("textbox").fill("SMS Partner")
    await search.get_by_text("SMS Partner", exact=True).first.click()
    menu = flow_dialog(page).locator("step-flow-menu")
    await menu.wait_for()
    return menu


async def add_account(
    page: Page, stack: UiStack, shots: Shots, service: str, api_key: str
) -> str:
    """Add an account through the dialog, a wrong key first; return its entry id."""
    step = EN["config"]["step"]
    before = set(await entry_ids(stack))
    menu = await open_add_dialog(page, stack.url)
    # The step's title: in the menu on 2025.4, in the dialog's header on 2026.
    await flow_dialog(page).get_by_text(step["user"]["title"]).first.wait_for()
    if service == "sms_partner":
        await shots.take("config_flow_menu", readme="config_flow_menu.png")
    await menu.get_by_text(step["user"]["menu_options"][service]).click()
    form = flow_dialog(page).locator("step-flow-form")
    key = field(form, step[service]["data"]["api_key"])
    await key.fill("not-a-valid-key")
    await dialog_button(page, "submit").click()
    await form.get_by_text(EN["config"]["error"]["invalid_auth"]).wait_for()
    await shots.take(f"{service}_wrong_key")
    await key.fill(api_key)
    if service == "sms_partner":
        await shots.take("config_flow", readme="config_flow.png")
    await dialog_button(page, "submit").click()
    success = flow_dialog(page).locator("step-flow-create-entry")
    await success.wait_for()
    await shots.take(f"{service}_created")
    await dialog_button(page, "finish").click()
    await success.wait_for(state="detached")
    (created,) = set(await entry_ids(stack)) - before
    return created


async def open_device_page(
    page: Page, stack: UiStack, entry_id: str, domain: str
) -> tuple[str, dict[str, str]]:
    """Open the device page of a config entry's account.

    Returns the device's name and its entities of `domain` by key (the
    translation key, or "balance"); a sub-account's are on a device of its own.
    """
    async with stack.hass.websocket() as ws:
        device = await ws.account_device(entry_id)
        entities = await ws.entities(entry_id, domain, device["id"])
    device_name: str = device["name_by_user"] or device["name"]
    await page.goto(f"{stack.url}/config/devices/device/{device['id']}")
    await page.get_by_text(device_name).first.wait_for()
    return device_name, entities


async def see_entities(
    page: Page, stack: UiStack, device_name: str, entity_ids: list[str]
) -> dict[str, dict[str, Any]]:
    """Wait until the device page lists each entity by name; return the states.

    Every entity has a value: a number, or for timestamps (the balance forecast,
    the event entities' last report) a date.
    """
    states = await stack.hass.states()
    for entity_id in entity_ids:
        state = states[entity_id]
        if state["attributes"].get("device_class") == "timestamp" or (
            entity_id.startswith("event.")
        ):
            datetime.fromisoformat(state["state"])
        else:
            float(state["state"])
        label = state["attributes"]["friendly_name"].removeprefix(f"{device_name} ")
        await page.get_by_text(label, exact=True).first.wait_for()
    return states


async def check_device_page(
    page: Page, stack: UiStack, shots: Shots, entry_id: str, name: str
) -> dict[str, str]:
    """Open the entry's device page; check every sensor's name and value there.

    Returns the sensors' entity ids by key (the translation key, or "balance").
    """
    device_name, sensors = await open_device_page(page, stack, entry_id, "sensor")
    await see_entities(page, stack, device_name, list(sensors.values()))
    await shots.take(f"device_{name}", readme="device.png" if name == "sms" else None)
    return sensors


async def check_reports(
    page: Page, stack: UiStack, shots: Shots, entry_id: str, name: str
) -> None:
    """On the account's device page, the event entities show the reports received.

    Run after scripts.demo_data.send_reports: the SMS Partner account shows a
    delivery report and a reply "OK", the Voice Partner one an answered call.
    """
    device_name, events = await open_device_page(page, stack, entry_id, "event")
    states = await see_entities(page, stack, device_name, list(events.values()))
    shown = {key: states[e]["attributes"] for key, e in events.items()}
    if name == "sms":
        assert shown["delivery_report"]["event_type"] == "delivered"
        assert shown["received_sms"]["event_type"] == "reply"
        assert shown["received_sms"]["text"] == "OK"
    else:
        assert shown["call_result"]["event_type"] == "answered"
    # The event's type, as the entities card shows it, beside its time.
    for key, attributes in shown.items():
        event_type = EN["entity"]["event"][key]["state_attributes"]["event_type"]
        label = event_type["state"][attributes["event_type"]]
        await page.get_by_text(label).first.wait_for()
    # The Events card, below the sensors, whole in the picture.
    await page.mouse.move(640, 500)
    await page.mouse.wheel(0, 300)
    await shots.take(f"reports_{name}", readme="reports.png" if name == "sms" else None)


def check_values(states: dict[str, dict[str, Any]], sms: dict[str, str]) -> None:
    """Compare the SMS Partner sensors with what the simulator can have answered."""
    account = demo_sms_accounts()[0]
    late = 180 * speed()  # the checks come well within 3 minutes of the start
    low, high = account.money(late), account.money(0)
    balance = float(states[sms["balance"]]["state"])
    assert low - 0.01 <= balance <= high + 0.01
    sms_credits = int(states[sms["sms_credits"]]["state"])
    assert int(low / SMS_PRICE) - 1 <= sms_credits <= int(high / SMS_PRICE) + 1
    assert states[sms["balance"]]["attributes"]["unit_of_measurement"] == "EUR"


def check_voice_values(
    states: dict[str, dict[str, Any]], voice: dict[str, str]
) -> None:
    """Compare the Voice Partner balance with what the simulator can have answered."""
    account = demo_voice_accounts()[0]
    balance = float(states[voice["balance"]]["state"])
    assert account.money(180 * speed()) - 0.01 <= balance <= account.money(0) + 0.01


async def add_recipient(page: Page, stack: UiStack, shots: Shots, title: str) -> None:
    """Add an SMS recipient from the ⋮ menu of the SMS Partner entry."""
    flow = EN["config_subentries"]["recipient"]
    await page.goto(f"{stack.url}/config/integrations/integration/{DOMAIN}")
    row = (
        page.locator("ha-config-entry-row, ha-md-list-item")
        .filter(has_text=title)
        .first
    )
    await row.get_by_role("button", name="Menu").first.click()
    await shots.take("entry_menu")
    await page.get_by_role("menuitem", name=flow["initiate_flow"]["user"]).click()
    form = flow_dialog(page).locator("step-flow-form")
    data = flow["step"]["user"]["data"]
    await field(form, data["name"]).fill(RECIPIENT)
    phone = field(form, data["phone_numbers"])
    if MAJOR_VERSION >= 2026:  # noqa: PLR2004 - the first version it differs
        # 2026 shows a list selector's first input once its add button is pressed.
        label = re.escape(data["phone_numbers"])
        await form.get_by_role("button", name=re.compile(label, re.IGNORECASE)).click()
        phone = form.locator("input").nth(1)
    await phone.fill(PHONE)
    await shots.take("recipient_form", readme="recipient.png")
    await dialog_button(page, "submit").click()
    success = flow_dialog(page).locator("step-flow-create-entry")
    await success.wait_for()
    await dialog_button(page, "finish").click()
    await page.get_by_text(RECIPIENT, exact=True).first.wait_for()
    await shots.take("recipient_added")
    states = await stack.hass.states()
    assert any(
        e.startswith("notify.") and s["attributes"].get("friendly_name") == RECIPIENT
        for e, s in states.items()
    ), "no notify entity for the recipient"


async def send_sandbox_sms(
    page: Page, stack: UiStack, shots: Shots, entry_id: str
) -> None:
    """Developer tools → Actions, YAML mode: smspartner.send_sms with sandbox: true."""
    await page.goto(f"{stack.url}/developer-tools/action")
    await page.get_by_role(
        "button", name=re.compile("yaml mode", re.IGNORECASE)
    ).click()
    editor = page.locator("ha-code-editor .cm-content").first
    # The editor gets the selected action's YAML a moment later: wait, then replace it.
    await expect(editor).to_contain_text("action:")
    await editor.click()
    await page.keyboard.press("ControlOrMeta+a")
    await page.keyboard.press("Delete")
    await page.keyboard.insert_text(
        "action: smspartner.send_sms\n"
        "data:\n"
        f"  config_entry_id: {entry_id}\n"
        f"  recipients: ['{PHONE}']\n"
        "  message: Hello from the browser test\n"
        "  sandbox: true\n"
    )
    await expect(editor).not_to_contain_text("reload")
    await page.get_by_role(
        "button", name=re.compile("perform action", re.IGNORECASE)
    ).click()
    await page.get_by_text("sms_count").first.wait_for()
    await shots.take("send_sms_sandbox")
    sent = await stack.messages()
    assert [(m["text"], m["numbers"]) for m in sent if m["sandbox"]] == [
        ("Hello from the browser test", [PHONE])
    ]
