"""The fault table of both services, and the runner that checks each fault's outcome.

Used by the client's fault tests (api/test_faults.py: each reply's outcome at the
client) and the secrets test (the whole chain through every fault with debug
logging, scanned for the API keys).
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass, field
from enum import Enum
import gzip
import json
import logging
from typing import Any

import aiohttp
import pytest
from pytest_homeassistant_custom_component.common import MockConfigEntry

from custom_components.smspartner.budgets import LIMITERS
from custom_components.smspartner.const import CONF_PRODUCT
from custom_components.smspartner.product import Product
from homeassistant.config_entries import SOURCE_REAUTH, ConfigEntryState
from homeassistant.const import CONF_API_KEY, STATE_UNAVAILABLE
from homeassistant.core import HomeAssistant

from .conftest import (
    ERROR_BODY,
    SMS_KEY,
    VOICE_KEY,
    sms_entry,
    sms_payload,
    voice_entry,
    voice_payload,
)
from .fault_helpers import (
    FakeProvider,
    Harness,
    Reply,
    advance,
    connection_refused,
    dns_failure,
    error_reply,
    invalid_url,
    json_reply,
    problems,
    response_error,
    states,
    text_reply,
    too_many_redirects,
)


class Outcome(Enum):
    """What a fault must lead to."""

    UNAVAILABLE = "entities unavailable, one log line"
    REAUTH = "re-authentication flow"
    PARSED = "parsed value"


@dataclass(frozen=True)
class Fault:
    """A way the provider can fail, and what the integration must make of it."""

    id: str
    reply: Reply
    outcome: Outcome
    # For PARSED: the sensor states that differ from the documented payload's.
    changed: Mapping[str, str] = field(default_factory=dict)


def _without(payload: dict[str, Any], *path: str) -> dict[str, Any]:
    """Return a deep copy of `payload` without the field at `path`."""
    copy: dict[str, Any] = json.loads(json.dumps(payload))
    parent = copy
    for key in path[:-1]:
        parent = parent[key]
    del parent[path[-1]]
    return copy


def hostile_replies(documented: dict[str, Any]) -> dict[str, Reply]:
    """Return what a broken proxy or a hostile network may answer, by name."""
    return {
        **{
            f"redirect {status} with the documented body": json_reply(
                documented, status, Location="https://elsewhere.test/"
            )
            for status in (301, 302, 307, 308)
        },
        "gzip bomb": Reply(
            200, gzip.compress(bytes(64 << 20)), {"Content-Encoding": "gzip"}
        ),
        "body over 64 KiB": Reply(
            200, json.dumps(documented).encode() + b" " * (64 << 10)
        ),
        "nested 50 000 deep": Reply(200, b"[" * 50_000),
        "brotli": Reply(200, b"\x1b", {"Content-Encoding": "br"}),
    }


def _missing(
    documented: dict[str, Any], outcomes: Mapping[str, Outcome]
) -> list[Fault]:
    """Return a fault per field of `documented` left out, by its dotted path."""
    return [
        Fault(f"no {path}", json_reply(_without(documented, *path.split("."))), outcome)
        for path, outcome in outcomes.items()
    ]


def _common_faults(documented: dict[str, Any]) -> list[Fault]:
    """Return the faults that do not depend on the service's payload."""
    unavailable = Outcome.UNAVAILABLE
    auth_body = ERROR_BODY
    return [
        Fault("HTTP 500", text_reply("Internal Server Error", 500), unavailable),
        Fault(
            "HTTP 502 HTML", text_reply("<html>Bad Gateway</html>", 502), unavailable
        ),
        Fault("HTTP 503 JSON", json_reply({"success": False}, 503), unavailable),
        Fault(
            "HTML page",
            text_reply("<!DOCTYPE html><html><body>Maintenance</body></html>"),
            unavailable,
        ),
        Fault("empty body", text_reply(""), unavailable),
        Fault("malformed JSON", text_reply('{"success": true, "cred'), unavailable),
        Fault("not UTF-8", Reply(200, b"\xff\xfe{\x00}"), unavailable),
        Fault("JSON list", json_reply([documented]), unavailable),
        Fault("JSON string", json_reply("success"), unavailable),
        Fault("JSON number", json_reply(200), unavailable),
        Fault("JSON null", json_reply(None), unavailable),
        Fault(
            "JSON object, other shape", json_reply({"data": documented}), unavailable
        ),
        Fault(
            "success true without payload", json_reply({"success": True}), unavailable
        ),
        Fault(
            "success true, code 200, no payload",
            json_reply({"success": True, "code": 200}),
            unavailable,
        ),
        Fault(
            "success false", json_reply({**documented, "success": False}), unavailable
        ),
        Fault(
            "account deactivated (code 20)",
            json_reply({"success": False, "code": 20, "message": "Compte désactivé"}),
            unavailable,
        ),
        Fault("code 10 with 200", json_reply(auth_body), Outcome.REAUTH),
        Fault("code 10 with 401", json_reply(auth_body, 401), Outcome.REAUTH),
        Fault("code 10 with 403", json_reply(auth_body, 403), Outcome.REAUTH),
        Fault(
            "code '10' as a string with 403",
            json_reply({**auth_body, "code": "10"}, 403),
            Outcome.REAUTH,
        ),
        Fault("bare 401", text_reply("Unauthorized", 401), Outcome.REAUTH),
        Fault(
            "429 with Retry-After",
            json_reply({}, 429, **{"Retry-After": "120"}),
            unavailable,
        ),
        Fault("429 without Retry-After", text_reply("", 429), unavailable),
        Fault(
            "429 with an HTTP-date Retry-After",
            text_reply("", 429, **{"Retry-After": "Wed, 21 Oct 2015 07:28:00 GMT"}),
            unavailable,
        ),
        Fault(
            "429 with an unreadable Retry-After",
            text_reply("", 429, **{"Retry-After": "soon"}),
            unavailable,
        ),
        Fault(
            "429 with an infinite Retry-After",
            text_reply("", 429, **{"Retry-After": "1e400"}),
            unavailable,
        ),
        Fault("connection refused", error_reply(connection_refused), unavailable),
        Fault("DNS failure", error_reply(dns_failure), unavailable),
        Fault("timeout", error_reply(lambda url: TimeoutError()), unavailable),
        Fault(
            "socket read timeout",
            error_reply(lambda url: aiohttp.ServerTimeoutError("Timeout on reading")),
            unavailable,
        ),
        Fault(
            "server disconnected",
            error_reply(lambda url: aiohttp.ServerDisconnectedError()),
            unavailable,
        ),
        Fault(
            "truncated body",
            error_reply(lambda url: aiohttp.ClientPayloadError("Not completed")),
            unavailable,
        ),
        Fault(
            "response error quoting the URL", error_reply(response_error), unavailable
        ),
        Fault("redirect loop", error_reply(too_many_redirects), unavailable),
        Fault("invalid URL", error_reply(invalid_url), unavailable),
        *(
            Fault(name, reply, unavailable)
            for name, reply in hostile_replies(documented).items()
        ),
        Fault(
            "unknown charset",
            json_reply(
                documented, 200, **{"Content-Type": "application/json; charset=x"}
            ),
            Outcome.PARSED,
        ),
        Fault(
            "gzip body",
            Reply(
                200,
                gzip.compress(json.dumps(documented).encode()),
                {"Content-Encoding": "gzip"},
            ),
            Outcome.PARSED,
        ),
    ]


def _sms_faults() -> list[Fault]:
    """Return the SMS Partner faults: common ones, then payload variations."""
    documented = sms_payload()
    unavailable, parsed = Outcome.UNAVAILABLE, Outcome.PARSED
    return [
        *_common_faults(documented),
        # Each documented field missing in turn.
        *_missing(
            documented,
            {
                "success": unavailable,
                "code": parsed,
                "user": parsed,
                "user.username": parsed,
                "user.firstname": parsed,
                "user.lastname": parsed,
                "credits": unavailable,
                "credits.creditSms": unavailable,
                "credits.creditSmsLowCost": parsed,
                "credits.creditHlr": unavailable,
                "credits.toSend": unavailable,
                "credits.solde": parsed,
                "credits.currency": parsed,  # EUR
            },
        ),
        Fault(
            "no credits.creditSmsECO (falls back to creditSmsLowCost)",
            json_reply(
                _without(sms_payload(creditSmsLowCost=7), "credits", "creditSmsECO")
            ),
            parsed,
            {"eco_sms_credits": "7"},
        ),
        Fault(
            "no credits.balance (falls back to solde)",
            json_reply(_without(sms_payload(solde="12.5"), "credits", "balance")),
            parsed,
            {"balance": "12.5"},
        ),
        Fault(
            "no balance and no solde",
            json_reply(
                _without(_without(documented, "credits", "solde"), "credits", "balance")
            ),
            unavailable,
        ),
        # Numbers in other shapes.
        Fault(
            "counts as strings",
            json_reply(sms_payload(creditSms="12", creditHlr=" 3 ", toSend="4")),
            parsed,
            {"sms_credits": "12", "hlr_credits": "3", "messages_to_send": "4"},
        ),
        Fault(
            "whole floats",
            json_reply(sms_payload(creditSms=12.0, creditSmsECO=5e3)),
            parsed,
            {"sms_credits": "12", "eco_sms_credits": "5000"},
        ),
        Fault(
            "balance as a number",
            json_reply(sms_payload(balance=42.5)),
            parsed,
            {"balance": "42.5"},
        ),
        Fault(
            "negative values",
            json_reply(sms_payload(creditSms=-3, balance="-12.75")),
            parsed,
            {"sms_credits": "-3", "balance": "-12.75"},
        ),
        Fault(
            "huge values",
            json_reply(sms_payload(creditSms=10**15, balance="1e12")),
            parsed,
            {"sms_credits": str(10**15), "balance": "1000000000000.0"},
        ),
        Fault("fractional count", json_reply(sms_payload(creditSms=1.5)), unavailable),
        Fault(
            "count not a number", json_reply(sms_payload(creditSms="n/a")), unavailable
        ),
        Fault("count is a boolean", json_reply(sms_payload(toSend=True)), unavailable),
        Fault("balance NaN", json_reply(sms_payload(balance="NaN")), unavailable),
        Fault(
            "balance beyond a float",
            json_reply(sms_payload(balance=10**400)),
            unavailable,
        ),
        Fault(
            "count too long for a state",
            json_reply(sms_payload(creditHlr=10**300)),
            unavailable,
        ),
        Fault(
            "count beyond a float",
            json_reply(sms_payload(creditSms=10**400)),
            unavailable,
        ),
    ]


# Text-to-speech times of 151.5 and 75.5 minutes, and the minutes left when one
# unit is missing (sensor key: state).
DURATIONS = voice_payload(
    tts={"h": 2, "m": 30, "s": 90}, tts_fixe={"h": 1, "m": 15, "s": 30}
)
TTS_SENSORS = {"tts": "tts_mobile", "tts_fixe": "tts_landline"}
MINUTES_WITHOUT_UNIT = {
    ("tts", "h"): "31.5",
    ("tts", "m"): "121.5",
    ("tts", "s"): "150.0",
    ("tts_fixe", "h"): "15.5",
    ("tts_fixe", "m"): "60.5",
    ("tts_fixe", "s"): "75.0",
}


def _voice_faults() -> list[Fault]:
    """Return the Voice Partner faults: common ones, then payload variations."""
    documented = voice_payload()
    unavailable, parsed = Outcome.UNAVAILABLE, Outcome.PARSED
    return [
        *_common_faults(documented),
        *_missing(
            documented,
            {
                "success": unavailable,
                "credit": unavailable,
                "currency": parsed,  # EUR
                "details": unavailable,
                "details.tts": unavailable,
                "details.tts_fixe": unavailable,
                "details.voice": unavailable,
                "details.voice.message": unavailable,
            },
        ),
        *(
            Fault(
                f"no details.{section}.{unit} (counts as 0)",
                json_reply(_without(DURATIONS, "details", section, unit)),
                parsed,
                {"tts_mobile": "151.5", "tts_landline": "75.5"}
                | {TTS_SENSORS[section]: minutes},
            )
            for (section, unit), minutes in MINUTES_WITHOUT_UNIT.items()
        ),
        Fault(
            "numbers as strings",
            json_reply(
                {
                    **voice_payload(tts={"h": "1", "m": "0", "s": "30"}),
                    "credit": "7.5",
                }
            ),
            parsed,
            {"balance": "7.5", "tts_mobile": "60.5"},
        ),
        Fault(
            "numbers as floats",
            json_reply({**voice_payload(voice={"message": 4.0}), "credit": 7.25}),
            parsed,
            {"balance": "7.25", "voice_messages": "4"},
        ),
        Fault(
            "negative values",
            json_reply(
                {**voice_payload(tts={"h": 0, "m": 0, "s": -120}), "credit": "-1"}
            ),
            parsed,
            {"balance": "-1.0", "tts_mobile": "-2.0"},
        ),
        Fault(
            "huge values",
            json_reply({**voice_payload(voice={"message": 10**12}), "credit": "1e9"}),
            parsed,
            {"balance": "1000000000.0", "voice_messages": str(10**12)},
        ),
        Fault(
            "fractional count",
            json_reply(voice_payload(voice={"message": 2.5})),
            unavailable,
        ),
        Fault(
            "duration not a number",
            json_reply(voice_payload(tts={"h": "x", "m": 0, "s": 0})),
            unavailable,
        ),
        Fault(
            "credit infinite",
            json_reply({**documented, "credit": "Infinity"}),
            unavailable,
        ),
        Fault(
            "credit beyond a float",
            json_reply({**documented, "credit": 10**400}),
            unavailable,
        ),
        Fault(
            "count too long for a state",
            json_reply(voice_payload(voice={"message": 10**300})),
            unavailable,
        ),
        Fault(
            "count beyond a float",
            json_reply(voice_payload(voice={"message": 10**400})),
            unavailable,
        ),
    ]


SMS_FAULTS = _sms_faults()
VOICE_FAULTS = _voice_faults()


PAYLOADS: dict[str, Callable[[], dict[str, Any]]] = {
    Product.SMS_PARTNER: sms_payload,
    Product.VOICE_PARTNER: voice_payload,
}
FAULTS: dict[str, list[Fault]] = {
    Product.SMS_PARTNER: SMS_FAULTS,
    Product.VOICE_PARTNER: VOICE_FAULTS,
}
BASE_KEYS: dict[str, str] = {
    Product.SMS_PARTNER: SMS_KEY,
    Product.VOICE_PARTNER: VOICE_KEY,
}

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
