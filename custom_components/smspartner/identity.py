"""Unique IDs and log labels of accounts that reveal neither their key nor e-mail."""

from __future__ import annotations

import hashlib
import hmac
import re
from typing import Final

from homeassistant.config_entries import ConfigEntry
from homeassistant.core import HomeAssistant
from homeassistant.helpers import instance_id

from .api import Credits, SmsPartnerCredits
from .product import AnySpec, Product

# An e-mail address in an entry title: its local part and its domain.
_EMAIL: Final = re.compile(r"([^\s()<>@,;:]+)@([^\s()<>@,;:]+)")
# How many characters of the entry ID tell apart entries without an e-mail.
_ID_SHOWN: Final = 4


def account_label(entry: ConfigEntry) -> str:
    """Return how log lines name an entry: its title, e-mails shortened.

    "SMS Partner (john@example.com)" reads "SMS Partner (j…@example.com)"; a
    title without an e-mail (Voice Partner) gets the end of the entry ID.
    """
    label, emails = _EMAIL.subn(lambda found: f"{found[1][0]}…@{found[2]}", entry.title)
    return label if emails else f"{label} (entry …{entry.entry_id[-_ID_SHOWN:]})"


def account_hash(answer: Credits) -> str | None:
    """Return a hash of the account's case-folded user name (SMS Partner only)."""
    if isinstance(answer, SmsPartnerCredits) and answer.username:
        return hashlib.sha256(answer.username.casefold().encode()).hexdigest()
    return None


async def async_key_fingerprint(
    hass: HomeAssistant, product: Product, api_key: str
) -> str:
    """Return an HMAC of the key, salted with this installation's ID.

    Without the installation's ID, a short key cannot be found again from it.
    """
    salt = await instance_id.async_get(hass)
    message = f"{product}:{api_key}".encode()
    return hmac.new(salt.encode(), message, hashlib.sha256).hexdigest()


async def async_unique_id(
    hass: HomeAssistant, product: Product, api_key: str, account: str | None
) -> str:
    """Return the unique ID of an entry: its account hash, else its key fingerprint."""
    return account or await async_key_fingerprint(hass, product, api_key)


def entry_title(spec: AnySpec, account: Credits) -> str:
    """Return the entry title: the product, and the account e-mail when known."""
    if isinstance(account, SmsPartnerCredits) and account.username:
        return f"{spec.name} ({account.username})"
    return spec.name
