"""The sub-accounts' own keys and tokens, in every hourly answer, show nowhere."""

from __future__ import annotations

import json
import logging

import pytest
from pytest_homeassistant_custom_component.common import MockConfigEntry
from pytest_homeassistant_custom_component.components.diagnostics import (
    get_diagnostics_for_config_entry,
)
from pytest_homeassistant_custom_component.typing import ClientSessionGenerator

from homeassistant.core import HomeAssistant
from homeassistant.helpers import device_registry as dr, entity_registry as er

from .conftest import load_fixture, state_of

# The keys and tokens of the documented list of sub-accounts.
SECRETS = [
    row[field]
    for row in load_fixture("sms_partner_subaccounts")["data"]
    for field in ("apiKey", "token")
]


@pytest.fixture
def debug_log(caplog: pytest.LogCaptureFixture) -> pytest.LogCaptureFixture:
    """Log everything at debug level, from the set-up on."""
    caplog.set_level(logging.DEBUG)
    return caplog


async def test_subaccount_secrets_show_nowhere(
    hass: HomeAssistant,
    hass_client: ClientSessionGenerator,
    debug_log: pytest.LogCaptureFixture,
    sms: MockConfigEntry,
) -> None:
    """States, attributes, registries, diagnostics, logs and reprs hold none."""
    assert len(SECRETS) == 4
    assert state_of(hass, "sensor.sub_account_maison_dupont_example_com_balance")
    registries = [
        *er.async_entries_for_config_entry(er.async_get(hass), sms.entry_id),
        *dr.async_entries_for_config_entry(dr.async_get(hass), sms.entry_id),
    ]
    data = sms.runtime_data
    assert data.subaccounts is not None
    diagnostics = await get_diagnostics_for_config_entry(hass, hass_client, sms)
    shown = {
        "states": repr([(s.state, s.attributes) for s in hass.states.async_all()]),
        "registries": repr(registries),
        "diagnostics": json.dumps(diagnostics),
        "logs": debug_log.text,
        "runtime data": f"{data!r} {data.subaccounts.data!r}",
    }
    assert {
        where for where, text in shown.items() for s in SECRETS if s in text
    } == set()
    # The e-mails, shown as device names, are redacted in diagnostics.
    assert "maison.dupont@example.com" not in shown["diagnostics"]
    assert "maison.dupont@example.com" in shown["registries"]
