"""The API keys never show: not in logs, errors, diagnostics, states or registries.

With debug logging for the integration, aiohttp and Home Assistant, the whole
fault table runs (its aiohttp errors carry the request URL, key included), and
at each step everything a user or a bug report can see is searched for the keys.
A second test does the same through real aiohttp against a local server.
On the wire on purpose: the keys travel in the real requests, whose errors and
log lines are what could leak them.
"""

from __future__ import annotations

import asyncio
from collections import Counter
from collections.abc import Awaitable, Callable, Iterator
from datetime import timedelta
import json
import logging
import traceback
from typing import Any
from urllib.parse import quote, quote_plus

from freezegun.api import FrozenDateTimeFactory
import pytest
from pytest_homeassistant_custom_component.common import (
    MockConfigEntry,
    async_fire_time_changed,
)
from pytest_homeassistant_custom_component.components.diagnostics import (
    get_diagnostics_for_config_entry,
)
from pytest_homeassistant_custom_component.test_util.aiohttp import AiohttpClientMocker
from pytest_homeassistant_custom_component.typing import ClientSessionGenerator

from custom_components.smspartner.api import REQUEST_TIMEOUT
from custom_components.smspartner.budgets import LIMITERS
from custom_components.smspartner.diagnostics import async_get_config_entry_diagnostics
from custom_components.smspartner.product import Product
from homeassistant.config_entries import ConfigEntryState
from homeassistant.core import HomeAssistant
from homeassistant.exceptions import HomeAssistantError
from homeassistant.helpers import (
    device_registry as dr,
    entity_registry as er,
    issue_registry as ir,
)
from homeassistant.util import dt as dt_util

from .conftest import SMS_KEY, SMS_SEND_URL, SMS_WEBHOOK_ID, VOICE_KEY, VOICE_WEBHOOK_ID
from .credit_faults import BASE_KEYS, PAYLOADS
from .fault_helpers import Harness
from .fault_runner import (
    Row,
    check_at_start_up,
    check_while_running,
    make_entry,
    run_faults,
)
from .local_api import LocalApi, Mode

# Every key the tests use starts with one of these. Any 12 characters in a row
# of a key count as a leak, so that a shortened or partly masked key is caught.
WINDOW = 12
# The test plugin's in-memory storage logs what Home Assistant would write to
# .storage (where config entries keep their key, as in every integration).
STORAGE_LOGGER = "pytest_homeassistant_custom_component"


def _fragments(key: str) -> set[str]:
    """Return every run of WINDOW characters of a key, raw and URL-encoded."""
    forms = {key, quote(key, safe=""), quote_plus(key)}
    return {
        form[start : start + WINDOW]
        for form in forms
        for start in range(len(form) - WINDOW + 1)
    }


FRAGMENTS = set().union(
    *map(_fragments, (SMS_KEY, VOICE_KEY, SMS_WEBHOOK_ID, VOICE_WEBHOOK_ID))
)


def leaks(text: str) -> list[str]:
    """Return the key fragments found in `text`."""
    return sorted(fragment for fragment in FRAGMENTS if fragment in text)


class Recorder(logging.Handler):
    """Keep every log record as the log file would show it, traceback included."""

    def __init__(self) -> None:
        """Start with no record."""
        super().__init__(logging.DEBUG)
        self.setFormatter(logging.Formatter("%(levelname)s %(name)s %(message)s"))
        self.lines: list[tuple[str, str]] = []

    def emit(self, record: logging.LogRecord) -> None:
        """Format and keep the record."""
        self.lines.append((record.name, self.format(record)))


@pytest.fixture
def debug_log(caplog: pytest.LogCaptureFixture) -> Iterator[Recorder]:
    """Log everything at debug level, for the integration, aiohttp and the core."""
    recorder = Recorder()
    root = logging.getLogger()
    # The root logger as None, the name the test plugin's caplog gives it: under a
    # second name ("") its level would be restored after the plugin's, to DEBUG.
    for name in (None, "custom_components.smspartner", "aiohttp", "homeassistant"):
        caplog.set_level(logging.DEBUG, name)
    root.addHandler(recorder)
    yield recorder
    root.removeHandler(recorder)


def _exception_texts(error: BaseException | None) -> list[str]:
    """Return a traceback as printed, and str and repr of each error in it."""
    if error is None:
        return []
    texts = ["".join(traceback.format_exception(error))]
    seen: BaseException | None = error
    while seen is not None:
        texts += [str(seen), repr(seen)]
        if seen.__cause__ is not None:
            seen = seen.__cause__
        elif not seen.__suppress_context__:
            seen = seen.__context__
        else:
            seen = None
    return texts


class Visible:
    """Collect what a user, the UI or a bug report can see, with where it was."""

    def __init__(self, hass: HomeAssistant, diagnostics: Callable[..., Awaitable[Any]]):
        """Collect for `hass`; `diagnostics` downloads an entry's diagnostics."""
        self.hass = hass
        self.diagnostics = diagnostics
        self.found: dict[str, list[str]] = {}
        self.searched: Counter[str] = Counter()

    def see(self, where: str, text: str) -> None:
        """Search one text."""
        self.searched[where.split(" ", 1)[0]] += 1
        if found := leaks(text):
            self.found.setdefault(where, found)

    async def inspect(self, entry: MockConfigEntry) -> None:
        """Search everything shown about `entry` and Home Assistant right now."""
        hass = self.hass
        for state in hass.states.async_all():
            self.see(f"state {state.entity_id}", f"{state.state} {state.attributes}")
        for entity in er.async_entries_for_config_entry(
            er.async_get(hass), entry.entry_id
        ):
            self.see(f"entity registry {entity.entity_id}", repr(entity))
        for device in dr.async_entries_for_config_entry(
            dr.async_get(hass), entry.entry_id
        ):
            self.see(f"device registry {device.name}", repr(device))
        for issue in ir.async_get(hass).issues.values():
            self.see(f"repair issue {issue.issue_id}", repr(issue))
        self.see(
            "config flows",
            json.dumps(hass.config_entries.flow.async_progress(), default=repr),
        )
        shown = {
            key: getattr(entry, key, None)
            for key in (
                "title",
                "unique_id",
                "reason",
                "error_reason_translation_key",
                "error_reason_translation_placeholders",
            )
        }
        self.see("config entry as shown", json.dumps(shown, default=repr))
        if entry.state is ConfigEntryState.LOADED:
            coordinator = entry.runtime_data.coordinator
            for text in _exception_texts(coordinator.last_exception):
                self.see("coordinator error", text)
            self.see("diagnostics", json.dumps(await self.diagnostics(entry)))

    def see_log(self, recorder: Recorder) -> None:
        """Search every log line recorded (less the test plugin's storage)."""
        for name, line in recorder.lines:
            if not name.startswith(STORAGE_LOGGER):
                self.see(f"log {name}", line)


SEARCHED = {
    "state",
    "entity",
    "device",
    "config",
    "coordinator",
    "diagnostics",
    "log",
}


@pytest.fixture(autouse=True)
def enable_event_loop_debug() -> None:
    """Leave asyncio's debug mode off (the test plugin turns it on for each test).

    It records a stack trace for every task and callback, which makes the
    hundreds of set-ups of the fault table three times slower.
    """


@pytest.fixture
def harness(
    hass: HomeAssistant,
    aioclient_mock: AiohttpClientMocker,
    freezer: FrozenDateTimeFactory,
    caplog: pytest.LogCaptureFixture,
) -> Harness:
    """Bundle the fixtures the fault table runs with."""
    return Harness(hass, aioclient_mock, freezer, caplog)


@pytest.fixture
def visible(hass: HomeAssistant) -> Visible:
    """Search what is visible; diagnostics as the integration returns them."""

    async def diagnostics(entry: MockConfigEntry) -> Any:
        return await async_get_config_entry_diagnostics(hass, entry)

    return Visible(hass, diagnostics)


@pytest.fixture
def visible_over_http(
    hass: HomeAssistant, hass_client: ClientSessionGenerator
) -> Visible:
    """Search what is visible; diagnostics downloaded over HTTP as a user does."""

    async def diagnostics(entry: MockConfigEntry) -> Any:
        return await get_diagnostics_for_config_entry(hass, hass_client, entry)

    return Visible(hass, diagnostics)


def test_fragments_find_the_keys() -> None:
    """The search finds a key whole, shortened, masked at one end, or URL-encoded."""
    assert leaks(f"url=https://x/me/{VOICE_KEY}")
    assert leaks(f"apiKey={SMS_KEY[:-3]}...")
    assert leaks(f"****{VOICE_KEY[6:]}")
    assert leaks(quote(f"{SMS_KEY}/x", safe=""))
    assert not leaks("sms-secret **REDACTED** voice_partner_1f2e")


@pytest.mark.parametrize("service", [Product.SMS_PARTNER, Product.VOICE_PARTNER])
async def test_fault_matrix_shows_no_key(
    harness: Harness, visible: Visible, debug_log: Recorder, service: str
) -> None:
    """Through every fault, at start-up and while running, no key shows anywhere."""
    checks: list[Callable[[Row], Awaitable[None]]] = [
        check_at_start_up,
        check_while_running,
    ]
    for check in checks:
        # Outcomes are tested per layer (api/test_faults.py, test_coordinator.py);
        # this test looks for keys.
        await run_faults(harness, service, check, visible.inspect)
    visible.see_log(debug_log)
    assert visible.found == {}
    # Each kind of place was searched, with something in it.
    assert set(visible.searched) >= SEARCHED


REAL_FAULTS: list[tuple[str, Callable[[LocalApi], None]]] = [
    ("HTTP 500", lambda api: api.answer({"error": "boom"}, 500)),
    ("HTML page", lambda api: setattr(api, "body", b"<html>down</html>")),
    ("code 10", lambda api: api.answer({"success": False, "code": 10}, 401)),
    ("429", lambda api: api.answer({}, 429, **{"Retry-After": "5"})),
    ("hang-up", lambda api: setattr(api, "mode", Mode.HANG_UP)),
    ("half a body", lambda api: setattr(api, "mode", Mode.HALF_BODY)),
    ("no answer", lambda api: setattr(api, "mode", Mode.HANG)),
]


@pytest.mark.parametrize("service", [Product.SMS_PARTNER, Product.VOICE_PARTNER])
async def test_real_aiohttp_shows_no_key(
    hass: HomeAssistant,
    local_api: LocalApi,
    visible_over_http: Visible,
    debug_log: Recorder,
    service: str,
) -> None:
    """Real aiohttp errors and debug logs, through Home Assistant's session: no key."""
    for index, (_, break_api) in enumerate(REAL_FAULTS):
        hass.data.pop(LIMITERS, None)  # each fault as if alone (two requests)
        local_api.answer(PAYLOADS[service]())
        local_api.mode = Mode.ANSWER
        entry = make_entry(service, f"{BASE_KEYS[service]}-real-{index}")
        entry.add_to_hass(hass)
        assert await hass.config_entries.async_setup(entry.entry_id)
        await hass.async_block_till_done()

        break_api(local_api)
        local_api.received.clear()
        refresh = hass.async_create_task(entry.runtime_data.coordinator.async_refresh())
        async with asyncio.timeout(5):
            await local_api.received.wait()
        # A request left hanging ends at the client's timeout.
        async_fire_time_changed(
            hass, dt_util.utcnow() + timedelta(seconds=REQUEST_TIMEOUT + 1)
        )
        await refresh
        assert not entry.runtime_data.coordinator.last_update_success
        await visible_over_http.inspect(entry)
        await hass.config_entries.async_remove(entry.entry_id)
        await hass.async_block_till_done()
    visible_over_http.see_log(debug_log)
    assert visible_over_http.found == {}
    assert set(visible_over_http.searched) >= SEARCHED
    # Two credit reads per fault; an SMS Partner entry adds its hourly reads.
    assert len(local_api.requests_to("/v1/me")) == 2 * len(REAL_FAULTS)


async def test_webhook_id_shows_nowhere(
    hass: HomeAssistant,
    *,
    sms: MockConfigEntry,
    aioclient_mock: AiohttpClientMocker,
    hass_client_no_auth: ClientSessionGenerator,
    visible: Visible,
    debug_log: Recorder,
) -> None:
    """Reports, bad requests, sends with the URL, a provider echoing it: no ID.

    Home Assistant's webhook component and aiohttp's access log name every
    webhook they handle, as for any integration: only the integration's own
    log lines are searched here.
    """
    await hass.config.async_update(external_url="https://ha.example.com")
    client = await hass_client_no_auth()
    path = f"/api/webhook/{SMS_WEBHOOK_ID}"
    reply = {"type": "response", "phone_number": "+33612345678", "text": "OK"}
    for method, body in [
        ("POST", json.dumps(reply).encode()),
        ("POST", b"{broken"),
        ("POST", b"x" * 20_000),
        ("PUT", b""),
        ("GET", b""),
    ]:
        await client.request(method, path, data=body)
    aioclient_mock.post(
        SMS_SEND_URL,
        json={
            "success": False,
            "code": 9,
            "message": "Bad urlDlr: https://ha.example.com/api/webhook/"
            + SMS_WEBHOOK_ID,
        },
    )
    with pytest.raises(HomeAssistantError) as err:
        await hass.services.async_call(
            "smspartner",
            "send_sms",
            {
                "config_entry_id": sms.entry_id,
                "recipients": ["0612345678"],
                "message": "Hi",
            },
            blocking=True,
        )
    for text in _exception_texts(err.value):
        visible.see("send error", text)
    assert SMS_WEBHOOK_ID in aioclient_mock.mock_calls[-1][2].decode()
    await visible.inspect(sms)
    ours = Recorder()
    ours.lines = [line for line in debug_log.lines if line[0].startswith("custom_")]
    visible.see_log(ours)
    assert visible.found == {}
    assert {"state", "diagnostics", "log", "send"} <= set(visible.searched)
