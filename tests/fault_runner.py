"""The runner that checks each fault of the table through Home Assistant."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
import logging
from typing import Any

import pytest
from pytest_homeassistant_custom_component.common import MockConfigEntry

from custom_components.smspartner.budgets import LIMITERS
from custom_components.smspartner.const import CONF_PRODUCT
from custom_components.smspartner.product import Product
from homeassistant.config_entries import SOURCE_REAUTH, ConfigEntryState
from homeassistant.const import CONF_API_KEY, STATE_UNAVAILABLE
from homeassistant.core import HomeAssistant

from .conftest import sms_entry, voice_entry
from .credit_faults import BASE_KEYS, FAULTS, PAYLOADS
from .fault_helpers import (
    FakeProvider,
    Harness,
    Reply,
    advance,
    json_reply,
    problems,
    states,
)
from .wire_faults import Fault, Outcome

type Inspect = Callable[[MockConfigEntry], Awaitable[None]]


def make_entry(service: str, api_key: str) -> MockConfigEntry:
    """Return an entry of `service` as the config flow creates it, for `api_key`."""
    if service == Product.SMS_PARTNER:
        return sms_entry(api_key=api_key)
    return voice_entry(api_key)


def _state(entry: MockConfigEntry) -> ConfigEntryState:
    """Return the entry's state now (mypy keeps an earlier assert's narrowing)."""
    return entry.state


def reauth_flows(hass: HomeAssistant, entry: MockConfigEntry) -> list[Any]:
    """Return the re-authentication flows in progress for `entry`."""
    return list(entry.async_get_active_flows(hass, {SOURCE_REAUTH}))


async def reauthenticate(hass: HomeAssistant, entry: MockConfigEntry) -> None:
    """Finish the entry's re-authentication flow with its (now accepted) key."""
    flows = reauth_flows(hass, entry)
    assert len(flows) == 1, "re-authentication flows"
    result = await hass.config_entries.flow.async_configure(
        flows[0]["flow_id"], {CONF_API_KEY: entry.data[CONF_API_KEY]}
    )
    assert result.get("reason") == "reauth_successful", "re-authentication result"
    await hass.async_block_till_done(wait_background_tasks=True)


@dataclass
class Row:
    """What one fault of the table runs against."""

    harness: Harness
    provider: FakeProvider
    entry: MockConfigEntry
    fault: Fault
    inspect: Inspect

    @property
    def hass(self) -> HomeAssistant:
        """Return Home Assistant."""
        return self.harness.hass

    @property
    def caplog(self) -> pytest.LogCaptureFixture:
        """Return the captured log."""
        return self.harness.caplog

    async def advance(self) -> None:
        """Move on by one polling interval."""
        await advance(self.hass, self.harness.freezer)

    @property
    def healthy_reply(self) -> Reply:
        """Return the documented answer of the entry's service."""
        return json_reply(PAYLOADS[self.entry.data[CONF_PRODUCT]]())

    @property
    def sent(self) -> int:
        """Return how many requests reached the provider so far."""
        return len(self.provider.requests)

    def states(self) -> dict[str, str | None]:
        """Return the sensor states of the entry."""
        return states(self.hass, self.entry)

    def expect_unavailable(self) -> None:
        """Check that every sensor of the entry is unavailable."""
        assert set(self.states().values()) == {STATE_UNAVAILABLE}, "states"

    def expect_log(self, *lines: tuple[str, str]) -> None:
        """Check the warnings and errors logged (level, logger), and no traceback.

        Home Assistant 2026 adds the traceback of each failure at debug level.
        """
        logged = problems(self.caplog)
        assert [(level, name) for level, name, _ in logged] == list(lines), (
            "log lines",
            [message for _, _, message in logged],
        )
        tracebacks = [
            r.getMessage()
            for r in self.caplog.records
            if r.exc_info and r.levelno >= logging.WARNING
        ]
        assert tracebacks == [], "warnings or errors with a traceback"
        self.caplog.clear()


async def check_while_running(row: Row) -> None:
    """Break a running entry with the fault, check the outcome, then recover."""
    hass, entry, fault = row.hass, row.entry, row.fault
    row.provider.reply = row.healthy_reply
    await hass.config_entries.async_setup(entry.entry_id)
    await hass.async_block_till_done()
    assert entry.state == ConfigEntryState.LOADED, "entry state after set-up"
    healthy = row.states()
    row.caplog.clear()
    sent = row.sent

    row.provider.reply = fault.reply
    await row.advance()
    assert row.sent == sent + 1, "requests after the faulty poll"
    await row.inspect(entry)
    if fault.outcome is Outcome.PARSED:
        assert row.states() == healthy | dict(fault.changed), "states"
        row.expect_log()
    else:
        row.expect_unavailable()
        row.expect_log(("ERROR", "custom_components.smspartner"))
        assert len(reauth_flows(hass, entry)) == int(fault.outcome is Outcome.REAUTH), (
            "re-authentication flows"
        )
        # The fault lasts: the entities stay unavailable and nothing more is logged.
        # After a refused key, Home Assistant stops polling until re-authentication.
        await row.advance()
        polled = fault.outcome is Outcome.UNAVAILABLE
        assert row.sent == sent + 1 + polled, "requests after the next poll"
        row.expect_unavailable()
        row.expect_log()

    # The provider comes back.
    row.provider.reply = row.healthy_reply
    sent = row.sent
    if fault.outcome is Outcome.REAUTH:
        # One request checks the key in the flow, one is the reloaded entry's.
        await reauthenticate(hass, entry)
        assert row.sent == sent + 2, "requests to re-authenticate"
    else:
        await row.advance()
        assert row.sent == sent + 1, "requests to recover"
    assert _state(entry) == ConfigEntryState.LOADED, "entry state after recovery"
    assert row.states() == healthy, "states after recovery"
    recovered = [
        r for r in row.caplog.records if r.getMessage().endswith("data recovered")
    ]
    assert len(recovered) == int(fault.outcome is Outcome.UNAVAILABLE), (
        "'recovered' lines"
    )
    row.expect_log()
    await row.inspect(entry)


async def check_at_start_up(row: Row) -> None:
    """Set an entry up against the fault, check the outcome, then recover."""
    hass, entry, fault = row.hass, row.entry, row.fault
    row.provider.reply = fault.reply
    sent = row.sent
    await hass.config_entries.async_setup(entry.entry_id)
    await hass.async_block_till_done()
    assert row.sent == sent + 1, "requests at set-up"
    await row.inspect(entry)

    if fault.outcome is Outcome.PARSED:
        assert entry.state == ConfigEntryState.LOADED, "entry state"
        assert set(row.states().values()) & {STATE_UNAVAILABLE} == set(), "states"
        row.expect_log()
        return

    assert hass.states.async_entity_ids("sensor") == [], "sensors"
    row.provider.reply = row.healthy_reply
    if fault.outcome is Outcome.REAUTH:
        # Home Assistant logs a refused key at set-up as one warning (2025.4 with
        # its own logger, 2026 with the integration's).
        assert entry.state == ConfigEntryState.SETUP_ERROR, "entry state"
        logged = problems(row.caplog)
        assert [
            (level, "could not authenticate" in text) for level, _, text in logged
        ] == [("WARNING", True)], ("log lines", logged)
        row.caplog.clear()
        await reauthenticate(hass, entry)
    else:
        # Home Assistant logs set-up retries at debug level; the entry shows why.
        assert entry.state == ConfigEntryState.SETUP_RETRY, "entry state"
        assert reauth_flows(hass, entry) == [], "re-authentication flows"
        assert entry.reason, "reason shown"
        row.expect_log()
        # Home Assistant retries on its own; a polling interval is more than enough.
        await row.advance()

    assert _state(entry) == ConfigEntryState.LOADED, "entry state after recovery"
    assert set(row.states().values()) & {STATE_UNAVAILABLE} == set(), "states"
    row.expect_log()
    await row.inspect(entry)


async def _no_inspection(entry: MockConfigEntry) -> None:
    """Inspect nothing."""


async def run_faults(
    harness: Harness,
    service: str,
    check: Callable[[Row], Awaitable[None]],
    inspect: Inspect = _no_inspection,
) -> dict[str, str]:
    """Run `check` for every fault of `service`; return what failed, by fault.

    Each fault gets its own entry and key (so its own request budgets), removed
    afterwards; one Home Assistant instance runs the whole table.
    """
    hass = harness.hass
    provider = FakeProvider(json_reply(PAYLOADS[service]()))
    harness.aioclient_mock.clear_requests()
    provider.register(harness.aioclient_mock, service)
    failures: dict[str, str] = {}
    for index, fault in enumerate(FAULTS[service]):
        # A fresh provider host budget too, as if the fault were alone: a 429 of
        # the previous fault pauses the host for every key.
        hass.data.pop(LIMITERS, None)
        entry = make_entry(service, f"{BASE_KEYS[service]}-{index:03d}")
        entry.add_to_hass(hass)
        harness.caplog.clear()
        try:
            await check(Row(harness, provider, entry, fault, inspect))
        except AssertionError as err:
            failures[fault.id] = " ".join(str(err).split())[:300]
        await hass.config_entries.async_remove(entry.entry_id)
        await hass.async_block_till_done(wait_background_tasks=True)
    return failures
