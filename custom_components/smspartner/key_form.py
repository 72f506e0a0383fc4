"""The API key field of the config flow's forms, and the check of what is typed in it."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import voluptuous as vol

from homeassistant.const import CONF_API_KEY
from homeassistant.helpers.selector import (
    TextSelector,
    TextSelectorConfig,
    TextSelectorType,
)

from .api import check_api_key

API_KEY_SCHEMA = vol.Schema(
    {
        vol.Required(CONF_API_KEY): TextSelector(
            TextSelectorConfig(type=TextSelectorType.PASSWORD, autocomplete="off")
        )
    }
)


def checked_key(user_input: Mapping[str, Any], errors: dict[str, str]) -> str | None:
    """Return the entered key without blanks, or None after filling `errors`."""
    try:
        return check_api_key(user_input[CONF_API_KEY])
    except ValueError:
        errors[CONF_API_KEY] = "invalid_api_key"
        return None
