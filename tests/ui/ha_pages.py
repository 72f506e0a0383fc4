"""Home Assistant's own pages in the browser test: blueprint, profile and dashboard."""

from __future__ import annotations

import asyncio
import os
import re
from typing import TYPE_CHECKING

from homeassistant.const import MAJOR_VERSION
from scripts.demo import dashboard, save_dashboard, short_names
from scripts.demo_data import import_spend_statistics
from simulator.accounts import demo_sms_accounts

from .conftest import UiStack
from .pages import EN, FR, Shots, flow_dialog, open_add_dialog

if TYPE_CHECKING:
    from playwright.async_api import Page

AUTOMATION = "Low SMS credit"
# One entity refresh per entry every 15 s: within the budget of 5 requests a minute.
REFRESH_EVERY = 15.0


async def automation_from_blueprint(
    page: Page, stack: UiStack, shots: Shots, sms: dict[str, str]
) -> None:
    """Make an automation from our blueprint (Settings → Blueprints) and save it."""
    sensor = sms["sms_credits"]
    await page.goto(f"{stack.url}/config/blueprint/dashboard")
    blueprint = page.get_by_text("SMS Partner – low credit alert")
    await page.get_by_text("Motion-activated Light").wait_for()  # HA's defaults too
    await shots.take("blueprints", readme="blueprints.png")
    await blueprint.click()
    await page.get_by_text("Credit sensor", exact=True).wait_for()
    picker = page.get_by_role(
        "combobox", name=re.compile("entity", re.IGNORECASE)
    ).first
    if MAJOR_VERSION < 2026:  # noqa: PLR2004 - the first version it differs
        await picker.click()
        await picker.fill(sensor)
        await page.get_by_role("option").filter(has_text=sensor).first.click()
    else:
        # 2026: the picker opens a list with a search field of its own; its items
        # show their text through slots, so the match is found as text (the list
        # may still be loading when the search is typed: no blind Enter).
        entity_picker = page.locator("ha-entity-picker").first
        await entity_picker.click()
        await entity_picker.locator("input").last.fill(sensor)
        label = EN["entity"]["sensor"]["sms_credits"]["name"]
        await entity_picker.get_by_text(label, exact=True).first.click()
    await page.get_by_role(
        "button", name=re.compile("add action", re.IGNORECASE)
    ).click()
    # 2025.4 labels the search field "Search action"; 2026 only shows "Search".
    search = page.get_by_label(re.compile("search action", re.IGNORECASE)).or_(
        page.locator("input[placeholder='Search']:visible")
    )
    await search.first.fill("persistent notification")
    await page.get_by_text(
        re.compile(
            r"^persistent notification: create( persistent notification)?$",
            re.IGNORECASE,
        )
    ).first.click()
    # The field's label sits beside it (a settings row), not on the text box.
    message = page.locator("ha-settings-row").filter(has_text="Message body").last
    await message.locator("ha-selector textarea, ha-selector input").first.fill(
        "{{ sensor_name }}: {{ value }} {{ unit }}"
    )
    await shots.take("blueprint_automation", readme="blueprint_automation.png")
    await save_automation(page, shots)
    await shots.take("automation_saved")
    assert await automation_state(stack), "the automation was not saved"


async def save_automation(page: Page, shots: Shots) -> None:
    """Save the new automation under the name AUTOMATION.

    2025.4 asks for the name in a dialog when Save is pressed. 2026 saves a new
    automation at once, named after its blueprint; its ⋮ menu offers Rename only
    then (the same dialog), and the new name needs another Save.
    """
    save = page.get_by_role("button", name=re.compile("^save$", re.IGNORECASE))
    await save.click()
    if MAJOR_VERSION >= 2026:  # noqa: PLR2004 - the first version it differs
        await page.wait_for_url(re.compile(r"/config/automation/edit/(?!new)"))
        await shots.take("automation_saved_as_blueprint")
        editor = page.locator("ha-automation-editor")
        await editor.get_by_role("button", name="Menu").first.click()
        await page.get_by_role("menuitem", name="Rename").click()
    dialog = page.locator("ha-dialog-automation-rename, ha-dialog-automation-save")
    name = dialog.get_by_role("textbox").first
    await name.fill(AUTOMATION)
    await shots.take("automation_name")
    await dialog.get_by_role(
        "button", name=re.compile("^(rename|save)$", re.IGNORECASE)
    ).click()
    await name.wait_for(state="hidden")
    if MAJOR_VERSION >= 2026:  # noqa: PLR2004 - the first version it differs
        await save.click()


async def automation_state(stack: UiStack, timeout: float = 15.0) -> str | None:
    """Return the entity id of the automation named AUTOMATION, once it shows."""
    for _ in range(int(timeout * 2)):
        states = await stack.hass.states()
        for entity_id, state in states.items():
            name = state["attributes"].get("friendly_name")
            if entity_id.startswith("automation.") and name == AUTOMATION:
                return entity_id
        await asyncio.sleep(0.5)
    return None


async def french_dialog(page: Page, stack: UiStack, shots: Shots) -> None:
    """Profile → Language: Français; the config dialog then speaks French."""
    if MAJOR_VERSION < 2026:  # noqa: PLR2004 - the first version it differs
        await page.goto(f"{stack.url}/profile/general")
        await page.get_by_label("Language").first.click()
        await page.get_by_role("option", name="Français").click()
    else:
        # 2026: on the profile's Localization page, a list with a search field;
        # its items show their text through slots, so it is found as text.
        await page.goto(f"{stack.url}/profile/localization")
        picker = page.locator("ha-language-picker")
        await picker.click()
        await picker.get_by_role("textbox").fill("Français")
        await picker.get_by_text("Français", exact=True).click()
    await page.get_by_text("Langue", exact=True).first.wait_for()
    await shots.take("profile_french")
    menu = await open_add_dialog(page, stack.url)
    await (
        flow_dialog(page)
        .get_by_text(FR["config"]["step"]["user"]["title"])
        .first.wait_for()
    )
    await menu.get_by_text(
        FR["config"]["step"]["user"]["menu_options"]["voice_partner"]
    ).wait_for()
    await shots.take("config_flow_french")


async def collect_history(stack: UiStack, entities: list[str], minutes: float) -> None:
    """Refresh sensors regularly so the history graphs of the dashboard have a curve."""
    for _ in range(max(1, round(minutes * 60 / REFRESH_EVERY))):
        await asyncio.sleep(REFRESH_EVERY)
        for entity_id in entities:
            await stack.hass.update_entity(entity_id)


async def shoot_dashboard(
    page: Page, stack: UiStack, shots: Shots, sms: dict[str, str], voice: dict[str, str]
) -> None:
    """For the README: a dashboard of both accounts with some history.

    As in the demo, with the spend sensors: a year of monthly spend statistics.
    """
    minutes = float(os.environ.get("SMSPARTNER_UI_HISTORY_MINUTES") or 3)
    await import_spend_statistics(stack.hass, sms, demo_sms_accounts()[0])
    names = await short_names(stack.hass)
    config = dashboard(sms, voice, names, hours_to_show=(minutes + 1) / 60)
    async with stack.hass.websocket() as ws:
        path = await save_dashboard(ws, config)
    await collect_history(stack, [sms["sms_credits"], voice["balance"]], minutes)
    await page.goto(f"{stack.url}{path}")
    await page.get_by_text("Voice Partner balance").first.wait_for()
    await page.wait_for_timeout(2000)
    await shots.take("dashboard", readme="dashboard.png")
