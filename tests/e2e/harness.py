"""Run a real Home Assistant with this repository's integration against the simulator.

Shared by the end-to-end and browser tests, the demo (scripts/demo.py) and
`scripts/develop`:
start the simulator and a `hass` process on 127.0.0.1, onboard a user through the
REST API and add config entries through the config-flow endpoints.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Iterable, Mapping
import contextlib
import ctypes
from dataclasses import dataclass, field
import importlib
import inspect
import itertools
import json
import os
from pathlib import Path
import re
import shutil
import signal
import socket
import subprocess
import sys
import time
from typing import IO, Any, Final

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
# Integrations whose UI editor saves to a file that configuration.yaml must include.
UI_INCLUDES: Final = {"automation": "automations.yaml", "script": "scripts.yaml"}
BLUEPRINTS: Final = REPO / "blueprints"
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


def _http_yaml(config_dir: Path, port: int) -> str:
    """Bind Home Assistant to 127.0.0.1:port; return the YAML this needs, if any.

    Up to 2025.x the http: YAML section does it. Newer releases keep these settings
    in .storage/http and treat YAML as a change to confirm within 5 minutes, so
    there they are written to the store, validated by Home Assistant's own schema.
    """
    try:
        http_config = importlib.import_module("homeassistant.components.http.config")
    except ImportError:
        return f"http:\n  server_host: {HOST}\n  server_port: {port}\n"
    stable = {
        **http_config.HTTP_STORAGE_SCHEMA({"server_host": [HOST], "server_port": port}),
        "created_at": "1970-01-01T00:00:00+00:00",
        "error": None,
        "error_message": None,
    }
    store = config_dir / ".storage" / http_config.STORAGE_KEY
    store.parent.mkdir(parents=True, exist_ok=True)
    store.write_text(
        json.dumps(
            {
                "version": http_config.STORAGE_VERSION,
                "minor_version": http_config.STORAGE_MINOR_VERSION,
                "key": http_config.STORAGE_KEY,
                "data": {
                    "stable": stable,
                    "pending": None,
                    "yaml_migration_done": True,
                },
            }
        )
    )
    return ""


def skip_online_onboarding_steps(config_dir: Path) -> None:
    """Mark every onboarding step but the user's as done.

    Finishing the core_config step sets up Met.no, Radio Browser and Google
    Translate, which reach the internet. The location, currency and language come
    from configuration.yaml instead, so the wizard has nothing left to ask.
    """
    onboarding = importlib.import_module("homeassistant.components.onboarding")
    const = importlib.import_module("homeassistant.components.onboarding.const")
    store = config_dir / ".storage" / onboarding.STORAGE_KEY
    store.parent.mkdir(parents=True, exist_ok=True)
    done = [step for step in const.STEPS if step != const.STEP_USER]
    store.write_text(
        json.dumps(
            {
                "version": onboarding.STORAGE_VERSION,
                "minor_version": 1,
                "key": onboarding.STORAGE_KEY,
                "data": {"done": done},
            }
        )
    )


def install_blueprints(config_dir: Path) -> list[Path]:
    """Copy this repository's blueprints into the config, after HA's default ones.

    Home Assistant copies its own example blueprints into blueprints/<domain>/ only
    when that folder is absent, and up to 2025.x lists blueprints with a glob that
    does not follow symlinks. So: first the defaults, as Home Assistant would (also
    into a folder that holds nothing but ours, as older scripts/develop left it),
    then a copy, not a link, of ours. Returns the blueprint files copied.
    """
    components = Path(importlib.import_module("homeassistant.components").__path__[0])
    copied: list[Path] = []
    for domain in ("automation", "script"):
        folder = config_dir / "blueprints" / domain
        ours = {p.name for p in (BLUEPRINTS / domain).glob("*") if p.is_dir()}
        theirs = {p.name for p in folder.glob("*")} - ours if folder.exists() else set()
        defaults = components / domain / "blueprints"
        if not theirs and defaults.is_dir():
            shutil.copytree(defaults, folder / "homeassistant", dirs_exist_ok=True)
        for name in sorted(ours):
            target = folder / name
            if target.is_symlink():
                target.unlink()
            target.mkdir(parents=True, exist_ok=True)
            copied.extend(
                Path(shutil.copy2(source, target / source.name))
                for source in sorted((BLUEPRINTS / domain / name).glob("*.yaml"))
            )
    return copied


def write_config(
    config_dir: Path,
    port: int,
    *,
    ui: bool = False,
    external_url: bool = False,
    extra_yaml: str = "",
) -> None:
    """Write a fresh configuration: no default_config (it needs the internet).

    With `external_url`, Home Assistant's own address is its external URL: the
    simulator, on the same machine, can then reach the entries' webhooks, so
    delivery reports, replies and call results are pushed.
    """
    config_dir.mkdir(parents=True, exist_ok=True)
    integrations = CORE_INTEGRATIONS + (UI_INTEGRATIONS if ui else ())
    lines = [
        "homeassistant:",
        "  name: SMS Partner demo",
        "  country: FR",
        "  currency: EUR",
        "  language: en",
        "  time_zone: Europe/Paris",
        "  unit_system: metric",
        "  latitude: 48.8566",
        "  longitude: 2.3522",
        "  elevation: 35",
        *([f"  external_url: http://{HOST}:{port}"] if external_url else []),
        *(
            f"{domain}: !include {UI_INCLUDES[domain]}"
            if domain in UI_INCLUDES
            else f"{domain}:"
            for domain in sorted(integrations)
        ),
        "logger:",
        "  default: warning",
        "  logs:",
        f"    custom_components.{DOMAIN}: debug",
    ]
    yaml = "\n".join(lines) + "\n" + _http_yaml(config_dir, port) + extra_yaml
    (config_dir / "configuration.yaml").write_text(yaml)
    skip_online_onboarding_steps(config_dir)
    if ui:
        (config_dir / "automations.yaml").write_text("[]\n")
        (config_dir / "scripts.yaml").write_text("{}\n")
        install_blueprints(config_dir)
    custom = config_dir / "custom_components"
    custom.mkdir(exist_ok=True)
    link = custom / DOMAIN
    if not link.is_symlink():
        link.symlink_to(REPO / "custom_components" / DOMAIN, target_is_directory=True)


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


@dataclass
class HassClient:
    """REST and websocket access to a running Home Assistant."""

    session: aiohttp.ClientSession
    base_url: str
    token: str | None = None
    _ids: itertools.count[int] = field(default_factory=lambda: itertools.count(1))

    @property
    def client_id(self) -> str:
        """Return the OAuth client id the frontend would use."""
        return f"{self.base_url}/"

    def _headers(self) -> dict[str, str]:
        if self.token is None:
            return {}
        return {"Authorization": f"Bearer {self.token}"}

    async def request(
        self, method: str, path: str, payload: Any = None, *, expect: int = 200
    ) -> Any:
        """Send a JSON request and return the JSON answer; check the status."""
        async with self.session.request(
            method, f"{self.base_url}{path}", json=payload, headers=self._headers()
        ) as response:
            text = await response.text()
            if response.status != expect:
                raise HarnessError(f"{method} {path}: {response.status} {text}")
            return json.loads(text) if text else None

    async def onboard(self, name: str, username: str, password: str) -> None:
        """Create the owner through the onboarding API and log in as them."""
        user = await self.request(
            "POST",
            "/api/onboarding/users",
            {
                "client_id": self.client_id,
                "name": name,
                "username": username,
                "password": password,
                "language": "en",
            },
        )
        async with self.session.post(
            f"{self.base_url}/auth/token",
            data={
                "grant_type": "authorization_code",
                "code": user["auth_code"],
                "client_id": self.client_id,
            },
        ) as response:
            if response.status != 200:
                raise HarnessError(f"/auth/token: {response.status}")
            self.token = (await response.json())["access_token"]

    async def add_entry(self, service: str, api_key: str) -> dict[str, Any]:
        """Add a config entry through the config flow; return the flow's last step."""
        flow = await self.request(
            "POST", "/api/config/config_entries/flow", {"handler": DOMAIN}
        )
        if flow.get("type") != "menu" or service not in flow.get("menu_options", []):
            raise HarnessError(f"unexpected first step: {flow}")
        path = f"/api/config/config_entries/flow/{flow['flow_id']}"
        form = await self.request("POST", path, {"next_step_id": service})
        if form.get("type") != "form":
            raise HarnessError(f"unexpected step: {form}")
        result: dict[str, Any] = await self.request("POST", path, {"api_key": api_key})
        return result

    async def states(self) -> dict[str, dict[str, Any]]:
        """Return every entity state by entity id."""
        return {s["entity_id"]: s for s in await self.request("GET", "/api/states")}

    async def update_entity(self, entity_id: str) -> None:
        """Ask Home Assistant to refresh an entity now."""
        await self.request(
            "POST",
            "/api/services/homeassistant/update_entity",
            {"entity_id": entity_id},
        )

    @contextlib.asynccontextmanager
    async def websocket(self) -> AsyncIterator[WebSocket]:
        """Open an authenticated websocket connection."""
        url = self.base_url.replace("http", "ws", 1) + "/api/websocket"
        async with self.session.ws_connect(url) as ws:
            await ws.receive_json()
            await ws.send_json({"type": "auth", "access_token": self.token})
            answer = await ws.receive_json()
            if answer.get("type") != "auth_ok":
                raise HarnessError(f"websocket authentication failed: {answer}")
            yield WebSocket(ws, self._ids)


@dataclass
class WebSocket:
    """An authenticated websocket connection sending one command at a time."""

    ws: aiohttp.ClientWebSocketResponse
    ids: itertools.count[int]

    async def command(self, command: str, **data: Any) -> Any:
        """Send a command and return its result; raise on an error answer."""
        msg_id = next(self.ids)
        await self.ws.send_json({"id": msg_id, "type": command, **data})
        while True:
            answer = await self.ws.receive_json()
            if answer.get("id") == msg_id and answer.get("type") == "result":
                break
        if not answer.get("success"):
            raise HarnessError(f"{command}: {answer.get('error')}")
        return answer.get("result")

    async def entities(
        self, entry_id: str, domain: str = "sensor", device_id: str | None = None
    ) -> dict[str, str]:
        """Return the entity ids of a config entry in `domain` by key.

        The key is the translation key; the balance has none (it takes its device
        class's name), so it is read from the end of the unique id, "..._balance".
        With `device_id`, only that device's (the account's, not a sub-account's).
        """
        registry = await self.command("config/entity_registry/list")
        return {
            entity["translation_key"] or entity["unique_id"].rsplit("_", 1)[-1]: entity[
                "entity_id"
            ]
            for entity in registry
            if entity.get("config_entry_id") == entry_id
            and entity["entity_id"].startswith(f"{domain}.")
            and device_id in (None, entity["device_id"])
        }

    async def account_device(self, entry_id: str) -> dict[str, Any]:
        """Return the device of a config entry's account (identified by the entry id)."""
        devices = await self.command("config/device_registry/list")
        (device,) = (
            d for d in devices if [DOMAIN, entry_id] in map(list, d["identifiers"])
        )
        result: dict[str, Any] = device
        return result
