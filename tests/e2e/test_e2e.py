"""End-to-end test (e2e): install and use the integration in a real Home Assistant.

A `hass` process on a fresh config directory talks to the API simulator. The test
adds one SMS Partner and one Voice Partner entry through the config-flow REST API,
checks the sensors, breaks the APIs and repairs them, then revokes the keys and
expects reauthentication flows. Every request for one key shares a budget of 5 per
60 s in the integration, which this scenario spends exactly: the config flow's
check, the first refresh, one refresh failing, one recovering, one refused key.
"""

from __future__ import annotations

import math
from typing import Any

import pytest

from simulator import DEMO_SMS_KEY, DEMO_VOICE_KEY, key_id
from simulator.accounts import (
    ECO_SMS_PRICE,
    SMS_PRICE,
    TTS_LANDLINE_SECONDS_PER_EURO,
    TTS_MOBILE_SECONDS_PER_EURO,
    VOICE_DROP_PRICE,
    demo_sms_accounts,
    demo_voice_accounts,
)
from tests.e2e.harness import DOMAIN
from tests.e2e.hass_client import HassClient, WebSocket

from .conftest import Stack
from .steps import add_entries, wait_for

pytestmark = pytest.mark.timeout(240)

SMS_SENSORS = {
    "sms_credits": None,
    "eco_sms_credits": None,
    "hlr_credits": None,
    "messages_to_send": None,
    "balance": "EUR",
    "balance_runs_out": None,
}
VOICE_SENSORS = {
    "balance": "EUR",
    "voice_messages": None,
    "tts_mobile": "min",
    "tts_landline": "min",
    "balance_runs_out": None,
}
UNAVAILABLE = ("unavailable", "unknown")
# The demo accounts spend money steadily: bounds on what the test can see.
SMS_BALANCE_RANGE = (demo_sms_accounts()[0].money(600), demo_sms_accounts()[0].money(0))
VOICE_BALANCE_RANGE = (
    demo_voice_accounts()[0].money(600),
    demo_voice_accounts()[0].money(0),
)


async def states_of(
    hass: HassClient, entities: dict[str, str]
) -> dict[str, dict[str, Any]]:
    """Return the states of the entities, by description key."""
    states = await hass.states()
    return {key: states[entity_id] for key, entity_id in entities.items()}


def check_forecast(states: dict[str, dict[str, Any]]) -> None:
    """Check "Balance runs out": a timestamp, unknown before 3 days of readings."""
    forecast = states["balance_runs_out"]
    assert forecast["attributes"]["device_class"] == "timestamp"
    assert forecast["state"] == "unknown"


def check_sms_states(states: dict[str, dict[str, Any]]) -> None:
    """Check the SMS Partner sensors: units, and numbers that fit together."""
    for key, unit in SMS_SENSORS.items():
        assert states[key]["attributes"].get("unit_of_measurement") == unit, key
    check_forecast(states)
    assert states["balance"]["attributes"]["device_class"] == "monetary"
    balance = float(states["balance"]["state"])
    assert SMS_BALANCE_RANGE[0] <= balance <= SMS_BALANCE_RANGE[1]
    # Every count derives from the same balance in the simulator (floored; the
    # balance itself went through float arithmetic, hence the small slack).
    assert abs(int(states["sms_credits"]["state"]) - balance / SMS_PRICE) < 1.01
    assert abs(int(states["eco_sms_credits"]["state"]) - balance / ECO_SMS_PRICE) < 1.01
    assert 0 <= int(states["messages_to_send"]["state"]) <= 120
    assert int(states["hlr_credits"]["state"]) > 2_000_000


def check_voice_states(states: dict[str, dict[str, Any]]) -> None:
    """Check the Voice Partner sensors: units, "€" read as EUR, h/m/s as minutes."""
    for key, unit in VOICE_SENSORS.items():
        assert states[key]["attributes"].get("unit_of_measurement") == unit, key
    check_forecast(states)
    assert states["balance"]["attributes"]["device_class"] == "monetary"
    assert states["tts_mobile"]["attributes"]["device_class"] == "duration"
    balance = float(states["balance"]["state"])
    assert VOICE_BALANCE_RANGE[0] <= balance <= VOICE_BALANCE_RANGE[1]
    assert int(states["voice_messages"]["state"]) == math.floor(
        balance / VOICE_DROP_PRICE
    )
    for key, rate in (
        ("tts_mobile", TTS_MOBILE_SECONDS_PER_EURO),
        ("tts_landline", TTS_LANDLINE_SECONDS_PER_EURO),
    ):
        seconds = float(states[key]["state"]) * 60
        assert abs(seconds - balance * rate) < 1.01, key


async def hourly_sensors(hass: HassClient) -> bool | None:
    """Check the spend and the 3 sub-accounts of the demo account, once read."""
    states = await hass.states()
    spent = states.get("sensor.sms_partner_spent_this_month")
    balances = [
        state
        for entity_id, state in states.items()
        if entity_id.startswith("sensor.sub_account_")
    ]
    if spent is None or spent["state"] in UNAVAILABLE or len(balances) < 3:
        return None
    assert float(spent["state"]) >= 0
    assert spent["attributes"]["unit_of_measurement"] == "EUR"
    assert spent["attributes"]["last_reset"].endswith(":00")
    assert all(float(state["state"]) >= 0 for state in balances)
    return True


async def refresh(stack: Stack, sms: dict[str, str], voice: dict[str, str]) -> int:
    """Refresh one entity per entry (one request each); return the log position."""
    mark = await stack.last_seq()
    await stack.hass.update_entity(sms["sms_credits"])
    await stack.hass.update_entity(voice["balance"])
    return mark


async def reauth_flows(ws: WebSocket, entry_ids: set[str]) -> list[Any] | None:
    """Return the reauth flows of the entries once there is one for each."""
    flows = [
        flow
        for flow in await ws.command("config_entries/flow/progress")
        if flow["handler"] == DOMAIN and flow["context"].get("source") == "reauth"
    ]
    found = {flow["context"].get("entry_id") for flow in flows}
    return flows if found == entry_ids else None


def busiest_minute(log: list[dict[str, Any]], api_key: str) -> int:
    """Return the most credit reads for one key within any 60 s (its budget's)."""
    times = [
        r["time"] for r in log if r["key_id"] == key_id(api_key) and "/me" in r["path"]
    ]
    return max(
        (sum(1 for t in times if start <= t < start + 60) for start in times),
        default=0,
    )


async def test_end_to_end(stack: Stack) -> None:
    """Add both services, survive API failures, ask for a new key once refused."""
    hass = stack.hass
    sms_entry, voice_entry = await add_entries(stack)
    async with hass.websocket() as ws:
        # The credit sensors; the hourly ones (spend, sub-accounts) have tests of their own.
        sms = {
            key: entity_id
            for key, entity_id in (await ws.entities(sms_entry)).items()
            if key in SMS_SENSORS
        }
        voice = await ws.entities(voice_entry)
        assert set(sms) == set(SMS_SENSORS)
        assert set(voice) == set(VOICE_SENSORS)
        all_entities = list(sms.values()) + list(voice.values())
        # The forecasts come back unknown (too little history), the rest as numbers.
        numbers = [
            entity_id
            for key, entity_id in (*sms.items(), *voice.items())
            if key != "balance_runs_out"
        ]

        check_sms_states(await states_of(hass, sms))
        check_voice_states(await states_of(hass, voice))
        await wait_for(lambda: hourly_sensors(hass), "the hourly reads")

        # The APIs fail: a server error for SMS Partner, an HTML page for Voice Partner.
        await stack.control(mode="500", service="sms")
        await stack.control(mode="html", service="voice")
        await refresh(stack, sms, voice)

        async def all_unavailable() -> bool | None:
            states = await hass.states()
            return (
                all(states[e]["state"] == "unavailable" for e in all_entities) or None
            )

        await wait_for(all_unavailable, "every sensor to become unavailable")

        # The APIs recover: a real answer (not a cached one) brings the sensors back.
        await stack.control(mode="ok")
        mark = await refresh(stack, sms, voice)

        async def all_recovered() -> bool | None:
            states = await hass.states()
            if any(states[e]["state"] == "unavailable" for e in all_entities):
                return None
            if any(states[e]["state"] in UNAVAILABLE for e in numbers):
                return None
            return True

        await wait_for(all_recovered, "every sensor to recover")
        answered = {
            r["service"] for r in await stack.requests(mark) if r["status"] == 200
        }
        assert answered == {"sms", "voice"}
        check_sms_states(await states_of(hass, sms))
        check_voice_states(await states_of(hass, voice))

        # Both keys are revoked: Home Assistant asks for new ones.
        await stack.control(revoke=DEMO_SMS_KEY)
        await stack.control(revoke=DEMO_VOICE_KEY)
        await refresh(stack, sms, voice)
        flows = await wait_for(
            lambda: reauth_flows(ws, {sms_entry, voice_entry}),
            "a reauthentication flow for each entry",
        )
        assert {flow["step_id"] for flow in flows} == {"reauth_confirm"}

    log = await stack.requests()
    assert not [r for r in log if r["rate_limited"]], "the simulator refused requests"
    assert busiest_minute(log, DEMO_VOICE_KEY) <= 5
    assert busiest_minute(log, DEMO_SMS_KEY) <= 5
    # No API key in Home Assistant's logs.
    for name in ("home-assistant.log", "hass.out"):
        text = (stack.config_dir / name).read_text(errors="replace")
        assert DEMO_SMS_KEY not in text, name
        assert DEMO_VOICE_KEY not in text, name
