"""REST and websocket access to a running Home Assistant, as its frontend has it."""

from __future__ import annotations

from collections.abc import AsyncIterator
import contextlib
from dataclasses import dataclass, field
import itertools
import json
from typing import Any

import aiohttp

from .harness import DOMAIN, HarnessError


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
