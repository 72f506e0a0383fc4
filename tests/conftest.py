"""Fixtures for the SMS Partner tests."""

from __future__ import annotations

from collections.abc import AsyncIterator, Generator, Iterable, Iterator
from contextlib import ExitStack
import hashlib
import json
import logging
from pathlib import Path
import re
from typing import Any
from unittest.mock import MagicMock, create_autospec, patch

from freezegun.api import FrozenDateTimeFactory
import pytest
from pytest_homeassistant_custom_component.common import MockConfigEntry
from pytest_homeassistant_custom_component.syrupy import HomeAssistantSnapshotExtension
from pytest_homeassistant_custom_component.test_util.aiohttp import AiohttpClientMocker
from syrupy.assertion import SnapshotAssertion

from custom_components.smspartner.api import (
    SmsPartnerClient,
    VoicePartnerClient,
    parse_cost_resume,
    parse_sms_credits,
    parse_sms_send,
    parse_subaccount_page,
    parse_voice_credits,
    parse_voice_send,
)
from custom_components.smspartner.const import CONF_ACCOUNT, CONF_PRODUCT, DOMAIN
from custom_components.smspartner.product import Product, ProductSpec
from homeassistant.const import CONF_API_KEY, CONF_WEBHOOK_ID
from homeassistant.core import HomeAssistant
from homeassistant.helpers import device_registry as dr

from .local_api import LocalApi

SMS_KEY = "sms-secret-key-0123456789"
VOICE_KEY = "voice-secret-key-9876543210"
SMS_URL = "https://api.smspartner.fr/v1/me"
VOICE_URL = f"https://api.voicepartner.fr/v1/me/{VOICE_KEY}"
USERNAME = "exemple@email.com"
SMS_SEND_URL = "https://api.smspartner.fr/v1/send"
VOICE_SEND_URL = "https://api.voicepartner.fr/v1/tts/send"
SMS_LOOKUP_URL = "https://api.smspartner.fr/v1/lookup"
SPEND_URL = "https://api.smspartner.fr/v1/statistics/cost-resume"
SUBACCOUNTS_URL = "https://api.smspartner.fr/v1/subaccount/list"
FIXTURES = Path(__file__).parent / "fixtures"
COMPONENT = Path(__file__).parents[1] / "custom_components" / DOMAIN
# The webhook IDs of the entries (secrets, as the keys).
SMS_WEBHOOK_ID = "sms-webhook-id-5f3c9a0e7b214d6f"
VOICE_WEBHOOK_ID = "voice-webhook-id-8e1d2b7c4a906f35"


def load_fixture(name: str) -> dict[str, Any]:
    """Return a documented answer of the providers, from tests/fixtures/NAME.json."""
    payload: dict[str, Any] = json.loads((FIXTURES / f"{name}.json").read_text())
    return payload


def load_translations(language: str) -> dict[str, Any]:
    """Return the integration's strings in `language` (translations/LANGUAGE.json)."""
    strings: dict[str, Any] = json.loads(
        (COMPONENT / "translations" / f"{language}.json").read_text()
    )
    return strings


# The documented answers of a send, and of a wrong key.
SMS_SENT = load_fixture("sms_partner_send")
VOICE_SENT = load_fixture("voice_partner_send")
ERROR_BODY = load_fixture("wrong_key")
# The documented answers of the spend statistics and of the sub-accounts' list.
SPEND = parse_cost_resume(load_fixture("sms_partner_cost_resume"))
SUBACCOUNTS = parse_subaccount_page(load_fixture("sms_partner_subaccounts")).accounts


def sms_payload(**credits: Any) -> dict[str, Any]:
    """Return the documented SMS Partner /me body, with `credits` overridden."""
    payload = load_fixture("sms_partner_me")
    payload["credits"] |= credits
    return payload


def voice_payload(**details: Any) -> dict[str, Any]:
    """Return the documented Voice Partner /me body, with `details` overridden."""
    payload = load_fixture("voice_partner_me")
    payload["details"] |= details
    return payload


@pytest.fixture
def snapshot(snapshot: SnapshotAssertion) -> SnapshotAssertion:
    """Return syrupy's snapshot with Home Assistant's extension, as core's conftest.

    The test plugin defines the same fixture, but syrupy's own shadows it.
    """
    return snapshot.use_extension(HomeAssistantSnapshotExtension)


def answer_hourly_reads(aioclient_mock: AiohttpClientMocker) -> None:
    """Answer the hourly reads of SMS Partner entries (spend, sub-accounts) as documented."""
    aioclient_mock.get(SPEND_URL, json=load_fixture("sms_partner_cost_resume"))
    aioclient_mock.get(SUBACCOUNTS_URL, json=load_fixture("sms_partner_subaccounts"))


@pytest.fixture(autouse=True)
def hourly_reads_answered(request: pytest.FixtureRequest) -> None:
    """In tests answered by aioclient_mock, answer the hourly reads as documented.

    Registered first, these answers win: a test of the hourly reads answers
    them through the client mock, or clears aioclient_mock first.
    """
    if "aioclient_mock" in request.fixturenames:
        answer_hourly_reads(request.getfixturevalue("aioclient_mock"))


@pytest.fixture(autouse=True)
def auto_enable_custom_integrations(enable_custom_integrations: None) -> None:
    """Load the integration from custom_components/."""


# The unique ID of the SMS Partner account: a SHA-256 of its case-folded e-mail.
ACCOUNT_ID = hashlib.sha256(USERNAME.casefold().encode()).hexdigest()


def _entry(
    product: Product, api_key: str, account: str | None, **kwargs: Any
) -> MockConfigEntry:
    """Return an entry as the config flow creates it; other keys, other webhooks."""
    webhook_ids = {SMS_KEY: SMS_WEBHOOK_ID, VOICE_KEY: VOICE_WEBHOOK_ID}
    return MockConfigEntry(
        domain=DOMAIN,
        version=2,
        minor_version=2,
        data={
            CONF_PRODUCT: product,
            CONF_API_KEY: api_key,
            CONF_ACCOUNT: account,
            CONF_WEBHOOK_ID: webhook_ids.get(api_key, sha256_hex(api_key)[:32]),
        },
        **kwargs,
    )


def sms_entry(
    username: str = USERNAME, api_key: str = SMS_KEY, **kwargs: Any
) -> MockConfigEntry:
    """Return the SMS Partner entry of `username` as the config flow creates it."""
    account = sha256_hex(username.casefold())
    return _entry(
        Product.SMS_PARTNER,
        api_key,
        account,
        title=f"SMS Partner ({username})",
        unique_id=account,
        **kwargs,
    )


# A second SMS Partner account.
OTHER_USERNAME = "someone@else.fr"
OTHER_SMS_KEY = "sms-other-key-0000"


def other_sms_entry() -> MockConfigEntry:
    """Return the entry of the second SMS Partner account."""
    return sms_entry(OTHER_USERNAME, OTHER_SMS_KEY)


def voice_entry(api_key: str = VOICE_KEY) -> MockConfigEntry:
    """Return the Voice Partner entry of `api_key`.

    Its unique ID stands in for the key's fingerprint, which depends on the
    installation.
    """
    fingerprint = f"fingerprint-{sha256_hex(api_key)}"
    return _entry(
        Product.VOICE_PARTNER,
        api_key,
        None,
        title="Voice Partner",
        unique_id=fingerprint,
    )


async def setup_integration(hass: HomeAssistant, entry: MockConfigEntry) -> None:
    """Add `entry` to Home Assistant and set it up."""
    entry.add_to_hass(hass)
    await hass.config_entries.async_setup(entry.entry_id)
    await hass.async_block_till_done()


class FakeClock:
    """A clock the test moves by hand."""

    def __init__(self) -> None:
        """Start at zero."""
        self.now = 0.0

    def __call__(self) -> float:
        """Return the current time."""
        return self.now


def state_of(hass: HomeAssistant, entity_id: str) -> str:
    """Return the state of `entity_id`, which must exist."""
    state = hass.states.get(entity_id)
    assert state is not None, f"{entity_id} has no state"
    return state.state


def device_of(hass: HomeAssistant, identifier: str) -> dr.DeviceEntry | None:
    """Return the integration's device with `identifier`, on every supported version.

    Home Assistant 2026 deprecates lookups by identifiers alone and iterates its
    devices as entries; 2025 iterates their IDs.
    """
    registry = dr.async_get(hass)
    items: Iterable[object] = registry.devices  # entries on 2026, their IDs on 2025
    for item in items:
        device = registry.async_get(item) if isinstance(item, str) else item
        if (
            isinstance(device, dr.DeviceEntry)
            and (DOMAIN, identifier) in device.identifiers
        ):
            return device
    return None


def sha256_hex(text: str) -> str:
    """Return the SHA-256 of a text, as earlier versions hashed keys and accounts."""
    return hashlib.sha256(text.encode()).hexdigest()


# Actions run at a known time: 10:00 in Paris, 01:00 in Los Angeles (Home
# Assistant's zone in tests).
NOW = "2026-07-14 08:00:00+00:00"


def assert_no_key(error: BaseException) -> None:
    """Check that neither key shows in the text, repr or arguments of `error`."""
    for text in (str(error), repr(error), str(error.args)):
        assert SMS_KEY not in text
        assert VOICE_KEY not in text


@pytest.fixture
def debug(caplog: pytest.LogCaptureFixture) -> Iterator[pytest.LogCaptureFixture]:
    """Turn on the integration's debug logging, as `logger:` in configuration.yaml."""
    with caplog.at_level(logging.DEBUG, logger="custom_components.smspartner"):
        yield caplog


def log_lines(
    caplog: pytest.LogCaptureFixture, logger: str = "custom_components.smspartner"
) -> list[str]:
    """Return the lines of `logger` and its children, durations as "in N ms"."""
    return [
        re.sub(r"in \d+ ms", "in N ms", record.getMessage())
        for record in caplog.records
        if record.name.startswith(logger)
    ]


@pytest.fixture
async def local_api(
    socket_enabled: None, monkeypatch: pytest.MonkeyPatch
) -> AsyncIterator[LocalApi]:
    """Point both products at a real HTTP server on 127.0.0.1."""
    async with LocalApi() as api:
        monkeypatch.setattr(SmsPartnerClient, "base_url", api.url())
        monkeypatch.setattr(VoicePartnerClient, "base_url", api.url())
        yield api


@pytest.fixture
def frozen_time(freezer: FrozenDateTimeFactory) -> None:
    """Run a test at NOW."""
    freezer.move_to(NOW)


@pytest.fixture
async def sms(
    hass: HomeAssistant, aioclient_mock: AiohttpClientMocker
) -> MockConfigEntry:
    """Set up the SMS Partner entry, its provider answering on the wire."""
    aioclient_mock.get(SMS_URL, json=sms_payload())
    entry = sms_entry()
    await setup_integration(hass, entry)
    return entry


# Core's fixtures: an entry per product, a client mock whose answers are models
# parsed from tests/fixtures, and the integration set up with both. Tests of the
# integration inject client answers and errors here; the wire is tests/api's.
@pytest.fixture(params=list(Product), ids=str)
def product(request: pytest.FixtureRequest) -> Product:
    """Return each product in turn."""
    product: Product = request.param
    return product


# For tests of one product only: the `product` fixture takes that value alone.
SMS_ONLY = pytest.mark.parametrize("product", [Product.SMS_PARTNER])
VOICE_ONLY = pytest.mark.parametrize("product", [Product.VOICE_PARTNER])


@pytest.fixture
def mock_config_entry(product: Product) -> MockConfigEntry:
    """Return the entry of `product`, as the config flow creates it."""
    return sms_entry() if product is Product.SMS_PARTNER else voice_entry()


def _client_mock(product: Product) -> MagicMock:
    """Return an autospec client mock of `product`, with its documented answers."""
    if product is Product.SMS_PARTNER:
        sms: MagicMock = create_autospec(SmsPartnerClient, instance=True)
        sms.async_get_credits.return_value = parse_sms_credits(sms_payload())
        sms.async_send_sms.return_value = parse_sms_send(SMS_SENT)
        sms.async_get_spend.return_value = SPEND
        sms.async_get_subaccounts.return_value = SUBACCOUNTS
        return sms
    voice: MagicMock = create_autospec(VoicePartnerClient, instance=True)
    voice.async_get_credits.return_value = parse_voice_credits(voice_payload())
    voice.async_send_voice_message.return_value = parse_voice_send(VOICE_SENT)
    return voice


@pytest.fixture
def mock_clients() -> Generator[dict[Product, MagicMock]]:
    """Return a client mock per product; entries and the config flow get theirs.

    Whatever the key, an entry or flow of a product gets that product's mock.
    """
    clients = {product: _client_mock(product) for product in Product}

    def create(hass: HomeAssistant, spec: ProductSpec[Any], api_key: str) -> Any:
        return clients[spec.product]

    with ExitStack() as stack:
        for module in ("coordinator", "config_flow"):
            stack.enter_context(
                patch(
                    f"custom_components.smspartner.{module}.async_create_client",
                    autospec=True,
                    side_effect=create,
                )
            )
        yield clients


@pytest.fixture
def mock_client(product: Product, mock_clients: dict[Product, MagicMock]) -> MagicMock:
    """Return the client mock of `product`, with its documented answers."""
    return mock_clients[product]


@pytest.fixture
async def init_integration(
    hass: HomeAssistant, mock_config_entry: MockConfigEntry, mock_client: MagicMock
) -> MockConfigEntry:
    """Set up the integration with the entry and the client mock."""
    await setup_integration(hass, mock_config_entry)
    return mock_config_entry
