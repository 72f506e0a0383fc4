"""Tests of the SMS-recipient subentry flow (recipient_flow.py)."""

from __future__ import annotations

from unittest.mock import MagicMock

import pytest
from pytest_homeassistant_custom_component.common import MockConfigEntry

from custom_components.smspartner.api import (
    NumberLookup,
    SmsPartnerAuthenticationError,
    SmsPartnerConnectionError,
    SmsPartnerInvalidResponseError,
    SmsPartnerRateLimitError,
)
from custom_components.smspartner.const import CONF_PHONE_NUMBERS, SUBENTRY_RECIPIENT
from custom_components.smspartner.product import Product
from homeassistant.components.notify import DOMAIN as NOTIFY_DOMAIN
from homeassistant.config_entries import (
    SOURCE_RECONFIGURE,
    SOURCE_USER,
    SubentryFlowResult,
)
from homeassistant.const import CONF_NAME
from homeassistant.core import HomeAssistant
from homeassistant.data_entry_flow import FlowResultType, UnknownHandler
from homeassistant.helpers.json import json_bytes
from homeassistant.util.json import json_loads

from .action_helpers import sms_sent
from .conftest import (
    SMS_ONLY,
    VOICE_ONLY,
    load_translations,
    setup_integration,
    sms_entry,
    voice_entry,
)
from .recipient_helpers import FAMILY, notify_entity, send_message


@pytest.fixture
def mock_config_entry(product: Product) -> MockConfigEntry:
    """Return the entry of `product`, with the recipient Family for SMS Partner."""
    if product is Product.SMS_PARTNER:
        return sms_entry(subentries_data=[FAMILY])
    return voice_entry()


@pytest.fixture
def mock_client(mock_client: MagicMock, product: Product) -> MagicMock:
    """Return the client mock; its lookups fail unless a test answers them.

    The numbers are then checked locally only, as the flow does without a lookup.
    """
    if product is Product.SMS_PARTNER:
        mock_client.async_lookup.side_effect = SmsPartnerConnectionError("HTTP 503")
    return mock_client


def answer_lookup(mock_client: MagicMock, *results: NumberLookup) -> None:
    """Let the lookup answer `results`."""
    mock_client.async_lookup.side_effect = None
    mock_client.async_lookup.return_value = list(results)


def found(number: str, e164: str) -> NumberLookup:
    """Return the lookup's answer about a valid number."""
    return NumberLookup(number, valid=True, e164=e164)


async def add_recipient(
    hass: HomeAssistant, entry: MockConfigEntry, numbers: list[str]
) -> SubentryFlowResult:
    """Open the recipient flow of `entry` and submit `numbers`."""
    result = await hass.config_entries.subentries.async_init(
        (entry.entry_id, SUBENTRY_RECIPIENT), context={"source": SOURCE_USER}
    )
    return await hass.config_entries.subentries.async_configure(
        result["flow_id"], {CONF_NAME: "Mobiles", CONF_PHONE_NUMBERS: numbers}
    )


@pytest.fixture
async def flow_id(hass: HomeAssistant, init_integration: MockConfigEntry) -> str:
    """Open the flow that adds a recipient to the entry; return its ID."""
    result = await hass.config_entries.subentries.async_init(
        (init_integration.entry_id, SUBENTRY_RECIPIENT), context={"source": SOURCE_USER}
    )
    assert result["type"] is FlowResultType.FORM
    assert result["step_id"] == "user"
    assert result["errors"] == {}
    return result["flow_id"]


@SMS_ONLY
async def test_add_recipient(
    hass: HomeAssistant,
    init_integration: MockConfigEntry,
    mock_client: MagicMock,
    flow_id: str,
) -> None:
    """The subentry flow checks its fields, then adds an entity without a reload."""
    assert len(hass.states.async_entity_ids(NOTIFY_DOMAIN)) == 1

    result = await hass.config_entries.subentries.async_configure(
        flow_id,
        {"name": "Me", "phone_numbers": ["06 12 34 56 78", "05"], "sender": "A"},
    )
    assert result["type"] is FlowResultType.FORM
    assert result["errors"] == {
        "phone_numbers": "invalid_phone_number",
        "sender": "invalid_sender",
    }
    assert result["description_placeholders"] == {"number": "05", "sender": "A"}

    result = await hass.config_entries.subentries.async_configure(
        flow_id, {"name": " Me ", "phone_numbers": ["06 12 34 56 78"]}
    )
    assert result["type"] is FlowResultType.CREATE_ENTRY
    assert result["title"] == "Me"
    assert result["data"] == {"phone_numbers": ["0612345678"]}
    await hass.async_block_till_done()

    (subentry,) = set(init_integration.subentries) - {FAMILY["subentry_id"]}
    entity_id = notify_entity(hass, init_integration, subentry)
    assert hass.states.get(entity_id) is not None
    assert mock_client.async_get_credits.await_count == 1

    await send_message(hass, entity_id, message="Hi")
    assert mock_client.async_send_sms.call_args.args[0] == ["0612345678"]


@SMS_ONLY
async def test_too_many_recipients_error_text(
    hass: HomeAssistant, flow_id: str
) -> None:
    """The form's error text has a value for each of its placeholders."""
    numbers = [f"+3361234{index:04d}" for index in range(501)]
    result = await hass.config_entries.subentries.async_configure(
        flow_id, {"name": "All", "phone_numbers": numbers}
    )
    assert result["errors"] == {"phone_numbers": "too_many_recipients"}
    placeholders = result["description_placeholders"]
    assert placeholders is not None
    for language in ("en", "fr"):
        errors = load_translations(language)["config_subentries"]["recipient"]["error"]
        assert errors["too_many_recipients"].format(**placeholders)


@SMS_ONLY
async def test_add_recipient_without_name(hass: HomeAssistant, flow_id: str) -> None:
    """A recipient without a name is named after its numbers."""
    result = await hass.config_entries.subentries.async_configure(
        flow_id,
        {"name": " ", "phone_numbers": ["0612345678; +33712345678"], "sender": ""},
    )
    assert result["type"] is FlowResultType.CREATE_ENTRY
    assert result["title"] == "0612345678, +33712345678"
    assert result["data"] == {"phone_numbers": ["0612345678", "+33712345678"]}


@SMS_ONLY
async def test_reconfigure_recipient(
    hass: HomeAssistant, init_integration: MockConfigEntry, mock_client: MagicMock
) -> None:
    """New numbers and sender are used by the next send, without a reload."""
    entity_id = notify_entity(hass, init_integration, FAMILY["subentry_id"])
    result = await hass.config_entries.subentries.async_init(
        (init_integration.entry_id, SUBENTRY_RECIPIENT),
        context={"source": SOURCE_RECONFIGURE, "subentry_id": FAMILY["subentry_id"]},
    )
    assert result["type"] is FlowResultType.FORM
    assert result["step_id"] == "reconfigure"
    assert result["description_placeholders"] == {"name": "Family"}

    result = await hass.config_entries.subentries.async_configure(
        result["flow_id"], {"phone_numbers": []}
    )
    assert result["errors"] == {"phone_numbers": "no_recipients"}

    result = await hass.config_entries.subentries.async_configure(
        result["flow_id"], {"phone_numbers": ["+32 470 12 34 56"], "sender": "Alarme"}
    )
    assert result["type"] is FlowResultType.ABORT
    assert result["reason"] == "reconfigure_successful"
    await hass.async_block_till_done()
    assert init_integration.subentries[FAMILY["subentry_id"]].data == {
        "phone_numbers": ["+32470123456"],
        "sender": "Alarme",
    }
    assert mock_client.async_get_credits.await_count == 1

    await send_message(hass, entity_id, message="Hi")
    assert mock_client.async_send_sms.await_args_list == [
        sms_sent(["+32470123456"], "Hi", sender="Alarme")
    ]


@VOICE_ONLY
async def test_voice_partner_has_no_recipients(
    hass: HomeAssistant, init_integration: MockConfigEntry
) -> None:
    """Voice Partner entries offer no recipients and no notify entity."""
    with pytest.raises(UnknownHandler):
        await hass.config_entries.subentries.async_init(
            (init_integration.entry_id, SUBENTRY_RECIPIENT),
            context={"source": SOURCE_USER},
        )
    assert hass.states.async_entity_ids(NOTIFY_DOMAIN) == []


@SMS_ONLY
async def test_recipient_that_cannot_be_stored(
    hass: HomeAssistant, flow_id: str
) -> None:
    """A name with a lone surrogate is a field error; the form can be shown again."""
    result = await hass.config_entries.subentries.async_configure(
        flow_id,
        {CONF_NAME: "Fam\ud800", CONF_PHONE_NUMBERS: ["06 12 34 56 78", "\udfff"]},
    )
    assert result["type"] is FlowResultType.FORM
    assert result["errors"] == {
        CONF_NAME: "invalid_name",
        CONF_PHONE_NUMBERS: "invalid_phone_number",
    }
    assert result["data_schema"] is not None
    suggested = {
        str(key): key.description["suggested_value"]
        for key in result["data_schema"].schema
        if key.description
    }
    assert json_loads(json_bytes(suggested)) == {
        CONF_NAME: "Fam?",
        CONF_PHONE_NUMBERS: ["06 12 34 56 78", "?"],
    }
    assert json_loads(json_bytes(result["description_placeholders"])) == {
        "number": "\\udfff"
    }

    result = await hass.config_entries.subentries.async_configure(
        result["flow_id"], {CONF_NAME: "Family", CONF_PHONE_NUMBERS: ["0612345678"]}
    )
    assert result["type"] is FlowResultType.CREATE_ENTRY
    await hass.async_block_till_done()


@SMS_ONLY
async def test_numbers_saved_in_e164(
    hass: HomeAssistant, init_integration: MockConfigEntry, mock_client: MagicMock
) -> None:
    """The numbers the lookup finds valid are saved in their E.164 forms, once."""
    answer_lookup(
        mock_client,
        found("0612345678", "+33612345678"),
        found("+33612345678", "+33612345678"),
        found("+4915123456789", "+4915123456789"),
    )

    result = await add_recipient(
        hass,
        init_integration,
        ["06 12 34 56 78", "+33 6 12 34 56 78; 0049 151 2345 6789"],
    )

    assert result["type"] is FlowResultType.CREATE_ENTRY
    assert result["data"] == {CONF_PHONE_NUMBERS: ["+33612345678", "+4915123456789"]}
    mock_client.async_lookup.assert_awaited_once_with(
        ["0612345678", "+33612345678", "+4915123456789"]
    )


@pytest.mark.parametrize(
    ("reason", "error", "placeholders"),
    [
        (
            "Le numéro n'est pas attribué",
            "number_refused",
            {"number": "0712345678", "reason": "Le numéro n'est pas attribué"},
        ),
        (None, "invalid_phone_number", {"number": "0712345678"}),
    ],
)
@SMS_ONLY
async def test_number_refused_by_lookup(
    hass: HomeAssistant,
    init_integration: MockConfigEntry,
    mock_client: MagicMock,
    *,
    reason: str | None,
    error: str,
    placeholders: dict[str, str],
) -> None:
    """A number the lookup finds invalid is refused with the provider's reason."""
    refused = NumberLookup("0712345678", valid=False, reason=reason)
    answer_lookup(mock_client, found("0612345678", "+33612345678"), refused)

    result = await add_recipient(hass, init_integration, ["0612345678", "0712345678"])

    assert result["type"] is FlowResultType.FORM
    assert result["errors"] == {CONF_PHONE_NUMBERS: error}
    assert result["description_placeholders"] == placeholders
    for language in ("en", "fr"):
        errors = load_translations(language)["config_subentries"]["recipient"]["error"]
        assert errors[error].format(**placeholders)


@pytest.mark.parametrize(
    "error",
    [
        SmsPartnerConnectionError("HTTP 503"),
        SmsPartnerRateLimitError(30),
        SmsPartnerInvalidResponseError("no lookup"),
        SmsPartnerAuthenticationError("10"),
    ],
    ids=lambda error: type(error).__name__,
)
@SMS_ONLY
async def test_lookup_unreachable(
    hass: HomeAssistant,
    init_integration: MockConfigEntry,
    mock_client: MagicMock,
    error: Exception,
) -> None:
    """When the lookup fails, the locally checked numbers are saved as they are."""
    mock_client.async_lookup.side_effect = error

    result = await add_recipient(hass, init_integration, ["06 12 34 56 78"])

    assert result["type"] is FlowResultType.CREATE_ENTRY
    assert result["data"] == {CONF_PHONE_NUMBERS: ["0612345678"]}


@SMS_ONLY
async def test_entry_not_loaded(
    hass: HomeAssistant, mock_config_entry: MockConfigEntry, mock_client: MagicMock
) -> None:
    """A recipient of an entry that is not loaded is checked locally only."""
    mock_client.async_get_credits.side_effect = SmsPartnerConnectionError("HTTP 503")
    await setup_integration(hass, mock_config_entry)

    result = await add_recipient(hass, mock_config_entry, ["06 12 34 56 78"])

    assert result["type"] is FlowResultType.CREATE_ENTRY
    assert result["data"] == {CONF_PHONE_NUMBERS: ["0612345678"]}
    mock_client.async_lookup.assert_not_called()


@SMS_ONLY
async def test_reconfigure_looks_numbers_up(
    hass: HomeAssistant, init_integration: MockConfigEntry, mock_client: MagicMock
) -> None:
    """Changed numbers are looked up too, and saved in their E.164 forms."""
    answer_lookup(mock_client, found("0612345678", "+33612345678"))
    result = await hass.config_entries.subentries.async_init(
        (init_integration.entry_id, SUBENTRY_RECIPIENT),
        context={"source": SOURCE_RECONFIGURE, "subentry_id": FAMILY["subentry_id"]},
    )
    result = await hass.config_entries.subentries.async_configure(
        result["flow_id"], {CONF_PHONE_NUMBERS: ["06 12 34 56 78"]}
    )

    assert result["type"] is FlowResultType.ABORT
    assert init_integration.subentries[FAMILY["subentry_id"]].data == {
        CONF_PHONE_NUMBERS: ["+33612345678"]
    }
