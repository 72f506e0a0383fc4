"""Run a real Home Assistant with this repository's integration against the simulator.

Shared by the end-to-end and browser tests, the demo (scripts/demo.py) and
`scripts/develop`:
start the simulator and a `hass` process on 127.0.0.1, onboard a user through the
REST API and add config entries through the config-flow endpoints.
"""

from __future__ import annotations

import asyncio
from collections.abc import Iterable, Mapping
import contextlib
import ctypes
from dataclasses import dataclass
import importlib
import inspect
import json
import os
from pathlib import Path
import re
import signal
import socket
import subprocess
import sys
import time
from typing import IO, Final

import aiohttp

from simulator.app import SMS_PREFIX, VOICE_PREFIX
from simulator.server import READY_PREFIX

REPO: Final = Path(__file__).resolve().parents[2]
DOMAIN: Final = "smspartner"
HOST: Final = "127.0.0.1"
_PR_SET_PDEATHSIG: Final = 1

# Integrations a bare instance needs for the REST API, onboarding and config flows.
CORE_INTEGRATIONS: Final = ("api", "auth", "config", "onboarding", "websocket_api")
# What a person looking at the demo needs on top: the UI, sensor history, and
# automations and scripts editable in the UI (the low-credit blueprint).
UI_INTEGRATIONS: Final = (
    "automation",
    "frontend",
    "history",
    "logbook",
    "script",
)
SIMULATOR_HOOK: Final = REPO / "scripts" / "simulator_hook"


class HarnessError(Exception):
    """Home Assistant or the simulator did not do what was expected."""


def missing_requirements(domains: Iterable[str]) -> list[str]:
    """Return the requirements missing to set up `domains` and their dependencies.

    `hass` runs with --skip-pip here, and the test venv lacks some packages: on
    2026.x even the frontend's, without which Home Assistant starts in recovery
    mode (and loads no custom integration). The frontend is always included.
    """
    package = importlib.import_module("homeassistant.util.package")
    components = Path(importlib.import_module("homeassistant.components").__path__[0])
    todo = ["frontend", *domains]
    seen: set[str] = set()
    requirements: list[str] = []
    while todo:
        if (domain := todo.pop()) in seen:
            continue
        seen.add(domain)
        manifest_path = components / domain / "manifest.json"
        if not manifest_path.exists():
            continue
        manifest = json.loads(manifest_path.read_text())
        todo.extend(manifest.get("dependencies", []))
        requirements.extend(
            req
            for req in manifest.get("requirements", [])
            if req not in requirements and not package.is_installed(req)
        )
    return requirements


async def install_requirements(requirements: list[str]) -> None:
    """Install packages into this venv, within Home Assistant's constraints."""
    if not requirements:
        return
    constraints = Path(sys.prefix) / "ha-constraints.txt"
    options = ["--constraint", str(constraints)] if constraints.exists() else []
    uv = Path(sys.executable).with_name("uv")
    if uv.exists():
        args = [str(uv), "pip", "install", "--python", sys.executable]
        args += ["--compile-bytecode", *options]
    else:
        args = [sys.executable, "-m", "pip", "install", "--quiet", *options]
    process = await asyncio.create_subprocess_exec(*args, *requirements)
    if await process.wait() != 0:
        raise HarnessError(f"could not install {', '.join(requirements)}")


async def ensure_requirements(*, ui: bool = False) -> None:
    """Install what a real Home Assistant start needs here, if anything is missing."""
    domains = CORE_INTEGRATIONS + (UI_INTEGRATIONS if ui else ())
    await install_requirements(missing_requirements(domains))
    if not ui:
        return
    # Best effort, one at a time: some have no wheel for every Python (on 3.14,
    # pymicro-vad is built from source and needs a C++ compiler).
    for requirement in missing_requirements(service_helper_imports()):
        with contextlib.suppress(HarnessError):
            await install_requirements([requirement])


def ui_import_error() -> str | None:
    """Return why the UI's list of actions would fail here, or None if it works.

    Home Assistant imports the integrations of service_helper_imports() when the
    frontend asks for the actions; if one cannot be imported, the UI never loads.
    """
    check = (
        "from homeassistant.helpers import service\n"
        "getattr(service, '_base_components', lambda: None)()\n"
    )
    result = subprocess.run(  # noqa: S603 - our own interpreter and code
        [sys.executable, "-c", check],
        capture_output=True,
        text=True,
        check=False,
        timeout=120,
    )
    if result.returncode == 0:
        return None
    lines = result.stderr.strip().splitlines()
    return lines[-1] if lines else f"exit status {result.returncode}"


def service_helper_imports() -> tuple[str, ...]:
    """Return the integrations Home Assistant's service helpers import.

    They are not set up, but the UI's list of actions makes Home Assistant import
    them (helpers.service._base_components), so their requirements must be there:
    on 2026.x they include ai_task, which imports conversation (hassil) and camera
    (turbojpeg). Read from the installed release, which may add more.
    """
    service = importlib.import_module("homeassistant.helpers.service")
    function = getattr(service, "_base_components", None)
    if function is None:
        return ()
    source = inspect.getsource(inspect.unwrap(function))
    block = re.search(r"from homeassistant\.components import \(([^)]*)\)", source)
    if block is None:
        return ()
    return tuple(re.findall(r"\b([a-z_]+),", block.group(1)))


def free_port() -> int:
    """Return a TCP port on 127.0.0.1 that is free right now."""
    with socket.socket() as sock:
        sock.bind((HOST, 0))
        port: int = sock.getsockname()[1]
        return port


@dataclass
class ManagedProcess:
    """A child process in its own process group, stopped with everything it started."""

    name: str
    process: asyncio.subprocess.Process
    output: Path

    async def stop(self, timeout: float = 30.0) -> None:
        """Stop the process group: SIGTERM, then SIGKILL after `timeout` seconds."""
        if self.process.returncode is None:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(self.process.pid, signal.SIGTERM)
            try:
                async with asyncio.timeout(timeout):
                    await self.process.wait()
            except TimeoutError:
                with contextlib.suppress(ProcessLookupError):
                    os.killpg(self.process.pid, signal.SIGKILL)
                await self.process.wait()
        # Anything the process left behind in its group goes too.
        with contextlib.suppress(ProcessLookupError):
            os.killpg(self.process.pid, signal.SIGKILL)

    def tail(self, lines: int = 40) -> str:
        """Return the end of the process output, for error messages."""
        try:
            text = self.output.read_text(errors="replace")
        except OSError:
            return ""
        return "\n".join(text.splitlines()[-lines:])


def _die_with_parent() -> None:
    """In the child: get SIGTERM if the parent dies, even by SIGKILL (Linux)."""
    if sys.platform == "linux":
        ctypes.CDLL(None, use_errno=True).prctl(_PR_SET_PDEATHSIG, signal.SIGTERM)


async def _spawn(
    name: str,
    args: list[str],
    output: Path,
    *,
    env: Mapping[str, str] | None = None,
    stdout_pipe: bool = False,
) -> ManagedProcess:
    """Start a process in a new session, its output going to `output`."""
    output.parent.mkdir(parents=True, exist_ok=True)
    log: IO[bytes] = output.open("wb")  # noqa: ASYNC230 - opening a local file is instant
    try:
        process = await asyncio.create_subprocess_exec(
            *args,
            cwd=REPO,
            env={**os.environ, **(env or {})},
            stdin=asyncio.subprocess.DEVNULL,
            stdout=asyncio.subprocess.PIPE if stdout_pipe else log,
            stderr=log,
            start_new_session=True,
            preexec_fn=_die_with_parent,
        )
    finally:
        log.close()
    return ManagedProcess(name, process, output)


@dataclass
class SimulatorProcess:
    """The simulator running as `python -m simulator`."""

    managed: ManagedProcess
    base_url: str

    @property
    def env(self) -> dict[str, str]:
        """Return the environment that points a hass process at the simulator.

        scripts/simulator_hook/sitecustomize.py, on the process's path, sets the
        integration's client URLs from these variables.
        """
        path = [str(SIMULATOR_HOOK), *filter(None, [os.environ.get("PYTHONPATH")])]
        return {
            "PYTHONPATH": os.pathsep.join(path),
            "SMSPARTNER_SMS_API_URL": f"{self.base_url}{SMS_PREFIX}",
            "SMSPARTNER_VOICE_API_URL": f"{self.base_url}{VOICE_PREFIX}",
        }


async def start_simulator(
    workdir: Path, *, port: int = 0, speed: float = 1.0
) -> SimulatorProcess:
    """Start the simulator and wait until it listens."""
    managed = await _spawn(
        "simulator",
        [
            sys.executable,
            "-m",
            "simulator",
            "--host",
            HOST,
            "--port",
            str(port),
            "--speed",
            str(speed),
        ],
        workdir / "simulator.log",
        stdout_pipe=True,
    )
    stdout = managed.process.stdout
    if stdout is None:
        raise HarnessError("simulator started without a stdout pipe")
    try:
        async with asyncio.timeout(30):
            line = (await stdout.readline()).decode()
    except TimeoutError:
        line = ""
    if not line.startswith(READY_PREFIX):
        await managed.stop()
        raise HarnessError(f"simulator did not start: {line!r}\n{managed.tail()}")
    return SimulatorProcess(managed, line.removeprefix(READY_PREFIX).strip())


async def start_hass(
    config_dir: Path, port: int, env: Mapping[str, str], *, timeout: float = 120.0
) -> ManagedProcess:
    """Start `hass` on the config directory and wait until its API answers."""
    managed = await _spawn(
        "hass",
        # --skip-pip: never let Home Assistant install packages into the venv.
        [
            sys.executable,
            "-m",
            "homeassistant",
            "--config",
            str(config_dir),
            "--skip-pip",
        ],
        config_dir / "hass.out",
        env=env,
    )
    url = f"http://{HOST}:{port}/api/onboarding"
    deadline = time.monotonic() + timeout
    async with aiohttp.ClientSession() as session:
        while time.monotonic() < deadline:
            if managed.process.returncode is not None:
                break
            with contextlib.suppress(aiohttp.ClientError):
                async with session.get(url) as response:
                    if response.status == 200:
                        return managed
            await asyncio.sleep(0.5)
    await managed.stop()
    raise HarnessError(f"Home Assistant did not start:\n{managed.tail()}")
