"""The simulator and an onboarded `hass` on a fresh configuration, run together.

Used by the end-to-end and browser tests and by the demo.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
import contextlib
from dataclasses import dataclass
from pathlib import Path

import aiohttp

from .harness import (
    HOST,
    ManagedProcess,
    SimulatorProcess,
    free_port,
    start_hass,
    start_simulator,
)
from .hass_client import HassClient
from .hass_config import write_config


@dataclass(frozen=True)
class Running:
    """The processes, and a client of Home Assistant logged in as its owner."""

    session: aiohttp.ClientSession
    simulator: SimulatorProcess
    hass_process: ManagedProcess
    hass: HassClient
    config_dir: Path


@contextlib.asynccontextmanager
async def run_hass(
    workdir: Path,
    owner: tuple[str, str, str],
    *,
    port: int | None = None,
    ui: bool = False,
    speed: float = 1.0,
    show_output: str | None = None,
) -> AsyncIterator[Running]:
    """Start both on `workdir/config` (new), onboard `owner`; stop both after.

    `owner` is (name, username, password). With `ui`, the demo's configuration:
    the frontend, and an external URL that is Home Assistant's own address, so
    that the simulator pushes reports to the webhooks. With `show_output`, each
    process's last lines are printed under that label (pytest shows them when
    a test fails).
    """
    processes: list[ManagedProcess] = []
    try:
        simulator = await start_simulator(workdir, speed=speed)
        processes.append(simulator.managed)
        port = port or free_port()
        config_dir = workdir / "config"
        write_config(config_dir, port, ui=ui, external_url=ui)
        hass_process = await start_hass(config_dir, port, simulator.env)
        processes.insert(0, hass_process)
        async with aiohttp.ClientSession() as session:
            hass = HassClient(session, f"http://{HOST}:{port}")
            await hass.onboard(*owner)
            yield Running(session, simulator, hass_process, hass, config_dir)
    finally:
        for process in processes:
            await process.stop()
            if show_output:
                output = f"--- {show_output}: end of {process.name} output ---"
                print(f"{output}\n{process.tail()}")  # noqa: T201
