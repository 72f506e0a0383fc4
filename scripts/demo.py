"""Demo mode: Home Assistant with the integration, fed by the API simulator.

    python -m scripts.demo [--port 8123] [--speed 1] [--config DIR]

Starts the simulator and Home Assistant on 127.0.0.1, onboards a demo user,
adds one SMS Partner and one Voice Partner entry with 30 days of balance
history, sends an SMS that is delivered and answered and a call that is
answered (their reports reach the entries' webhooks: Home Assistant's external
URL is its own address), sets up a dashboard, prints how to log in, and runs
until Ctrl-C. No account and no internet needed.
"""

from __future__ import annotations

import argparse
import asyncio
from collections.abc import AsyncIterator
import contextlib
from dataclasses import dataclass
from pathlib import Path
import shutil
import signal
import sys
import tempfile
from typing import Any, Final

from custom_components.smspartner.product import PRODUCTS
from scripts.demo_data import (
    REPLYING_NUMBER,
    SPENT_THIS_MONTH,
    import_spend_statistics,
    seed_balance_history,
    send_reports,
)
from simulator.accounts import (
    DEMO_SMS_KEY,
    DEMO_VOICE_KEY,
    demo_sms_accounts,
    demo_voice_accounts,
)
from tests.e2e.harness import (
    HarnessError,
    ManagedProcess,
    SimulatorProcess,
    ensure_requirements,
)
from tests.e2e.hass_client import HassClient, WebSocket
from tests.e2e.running import run_hass

DEMO_NAME: Final = "Demo"
DEMO_USER: Final = "demo"
DEMO_PASSWORD: Final = "smspartner-demo"
# The demo's dashboard, in the sidebar as "SMS Partner" (a path needs a hyphen).
DASHBOARD_PATH: Final = "sms-partner"


@dataclass
class DemoStack:
    """A running demo: simulator, Home Assistant and the two config entries."""

    simulator: SimulatorProcess
    hass_process: ManagedProcess
    hass: HassClient
    config_dir: Path
    sms_entry_id: str
    voice_entry_id: str
    sms_entities: dict[str, str]
    voice_entities: dict[str, str]
    dashboard_path: str

    @property
    def url(self) -> str:
        """Return the address of the Home Assistant UI."""
        return self.hass.base_url


def dashboard(
    sms: dict[str, str],
    voice: dict[str, str],
    names: dict[str, str],
    hours_to_show: float = 1.0,
) -> dict[str, Any]:
    """Return a dashboard with the credit sensors and their history.

    `names` gives each entity's name without its device's, for shorter rows.
    With the spend sensors, a bar graph of the spend by month (from the
    long-term statistics, see demo_data.import_spend_statistics).
    """

    def rows(entities: dict[str, str]) -> list[dict[str, str]]:
        return [{"entity": e, "name": names.get(e, e)} for e in entities.values()]

    history: list[dict[str, Any]] = [
        {
            "type": "history-graph",
            "title": "SMS credits",
            "hours_to_show": hours_to_show,
            "entities": rows({"sms": sms["sms_credits"]}),
        },
        {
            "type": "history-graph",
            "title": "Voice Partner balance",
            "hours_to_show": hours_to_show,
            "entities": rows({"balance": voice["balance"]}),
        },
    ]
    # Beside the accounts (before the history graphs, which fill a column).
    monthly: list[dict[str, Any]] = []
    if SPENT_THIS_MONTH in sms:
        monthly.append(
            {
                "type": "statistics-graph",
                "title": "Spent per month",
                "entities": rows({"spent": sms[SPENT_THIS_MONTH]}),
                "period": "month",
                "stat_types": ["change"],
                "chart_type": "bar",
                "days_to_show": 365,
            }
        )
    cards = [
        {"type": "entities", "title": "SMS Partner", "entities": rows(sms)},
        {"type": "entities", "title": "Voice Partner", "entities": rows(voice)},
        *monthly,
        *history,
    ]
    return {
        "title": "SMS Partner",
        "views": [{"title": "Credits", "path": "credits", "cards": cards}],
    }


async def save_dashboard(ws: WebSocket, config: dict[str, Any]) -> str:
    """Save `config` as a dashboard of its own; return its view's path.

    Not the default dashboard: Home Assistant 2026 replaces it with its own
    Overview and sends /lovelace there.
    """
    await ws.command(
        "lovelace/dashboards/create",
        url_path=DASHBOARD_PATH,
        title=config["title"],
        icon="mdi:message-text",
        show_in_sidebar=True,
        require_admin=False,
    )
    await ws.command("lovelace/config/save", url_path=DASHBOARD_PATH, config=config)
    return f"/{DASHBOARD_PATH}/{config['views'][0]['path']}"


async def short_names(hass: HassClient) -> dict[str, str]:
    """Return entity names without their device's name (the product's name)."""
    devices = [spec.name for spec in PRODUCTS.values()]
    names: dict[str, str] = {}
    for entity_id, state in (await hass.states()).items():
        name = state["attributes"].get("friendly_name", "")
        for device in devices:
            if name.startswith(f"{device} "):
                names[entity_id] = name.removeprefix(f"{device} ")
    return names


@contextlib.asynccontextmanager
async def demo_stack(
    workdir: Path, *, port: int = 8123, speed: float = 1.0, hours_to_show: float = 1.0
) -> AsyncIterator[DemoStack]:
    """Run the demo in `workdir` (its config/ must be new); stop it on exit."""
    await ensure_requirements(ui=True)
    owner = (DEMO_NAME, DEMO_USER, DEMO_PASSWORD)
    async with run_hass(workdir, owner, port=port, ui=True, speed=speed) as run:
        hass, simulator, config_dir = run.hass, run.simulator, run.config_dir
        sms = await hass.add_entry("sms_partner", DEMO_SMS_KEY)
        voice = await hass.add_entry("voice_partner", DEMO_VOICE_KEY)
        if sms.get("type") != "create_entry" or voice.get("type") != "create_entry":
            raise HarnessError(f"could not add the entries: {sms} {voice}")
        sms_id, voice_id = sms["result"]["entry_id"], voice["result"]["entry_id"]
        await seed_balance_history(
            hass,
            simulator.base_url,
            config_dir,
            {sms_id: demo_sms_accounts()[0], voice_id: demo_voice_accounts()[0]},
        )
        await send_reports(hass, sms_id, voice_id)
        async with hass.websocket() as ws:
            # The account's sensors, not its sub-accounts'.
            sms_device = await ws.account_device(sms_id)
            sms_entities = await ws.entities(sms_id, device_id=sms_device["id"])
            voice_entities = await ws.entities(voice_id)
        await import_spend_statistics(hass, sms_entities, demo_sms_accounts()[0])
        async with hass.websocket() as ws:
            names = await short_names(hass)
            dashboard_path = await save_dashboard(
                ws, dashboard(sms_entities, voice_entities, names, hours_to_show)
            )
        yield DemoStack(
            simulator,
            run.hass_process,
            hass,
            config_dir,
            sms_id,
            voice_id,
            sms_entities,
            voice_entities,
            dashboard_path,
        )


def banner(stack: DemoStack, workdir: Path) -> str:
    """Return what the demo prints once it runs: addresses, login, how to play."""
    control = f"curl -X POST {stack.simulator.base_url}/_control -d"
    return (
        "\nSMS Partner demo is running (Ctrl-C stops it).\n"
        f"  Home Assistant: {stack.url}\n"
        f"  dashboard:      {stack.url}{stack.dashboard_path}\n"
        f"  user name:      {DEMO_USER}\n"
        f"  password:       {DEMO_PASSWORD}\n"
        f"  API simulator:  {stack.simulator.base_url}"
        " (POST /_control to break it, GET /_requests to see requests)\n"
        f"  files:          {workdir}\n"
        f'An SMS to {REPLYING_NUMBER} was delivered and answered "OK", and a call'
        " answered: see the devices' Delivery report, Received SMS and Call result.\n"
        "More reports (numbers ending in 91 fail, 92 do not answer, 93 reply OK,\n"
        "94 send STOP: docs/simulator.md):\n"
        f'  {control} \'{{"reply": {{"number": "{REPLYING_NUMBER}",'
        ' "text": "On my way"}}\'\n'
        f'  {control} \'{{"stop": "{REPLYING_NUMBER}"}}\'\n\n'
    )


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    """Parse the command line."""
    parser = argparse.ArgumentParser(
        prog="python -m scripts.demo",
        description="Home Assistant with the integration, fed by the API simulator.",
    )
    parser.add_argument("--port", type=int, default=8123, help="Home Assistant port")
    parser.add_argument(
        "--speed", type=float, default=1.0, help="how fast the credits move"
    )
    parser.add_argument(
        "--config",
        type=Path,
        help="working directory to keep (default: a temporary one, removed at exit)",
    )
    return parser.parse_args(argv)


async def run(args: argparse.Namespace) -> None:
    """Run the demo until SIGINT or SIGTERM."""
    workdir = args.config or Path(tempfile.mkdtemp(prefix="smspartner-demo-"))
    if (workdir / "config").exists():
        raise SystemExit(f"{workdir / 'config'} exists: the demo needs a new one")
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(sig, stop.set)
    try:
        async with demo_stack(workdir, port=args.port, speed=args.speed) as stack:
            sys.stdout.write(banner(stack, workdir))
            sys.stdout.flush()
            await stop.wait()
    finally:
        if args.config is None:
            shutil.rmtree(workdir, ignore_errors=True)


def main(argv: list[str] | None = None) -> None:
    """Run the demo from the command line."""
    asyncio.run(run(parse_args(argv)))


if __name__ == "__main__":
    main()
