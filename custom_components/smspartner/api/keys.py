"""API keys: which texts can be one, and how one is kept out of every text."""

from __future__ import annotations

import re
from typing import Final
from urllib.parse import quote, quote_plus

from yarl import URL

# An API key: visible ASCII only, so that it travels intact in a query and as one
# path segment (Voice Partner); a key of dots alone would be read as "." or "..".
_API_KEY: Final = re.compile(r"(?!\.+$)[!-~]{1,256}")
# Where a key can sit in a text: the URLs the client requests (query, path) and a
# parameter echoed by the provider, whatever its case or encoding.
_KEY_IN_TEXT: Final = re.compile(
    r"(api_?key[\"']?\s*[=:]\s*[\"']?|/me/)[^&?#/\s'\",;}]+", re.IGNORECASE
)
REDACTED: Final = "**REDACTED**"
# Shorter keys are redacted where they can sit only: anywhere else, a short key
# could match a word of the provider's message or a currency code.
_MIN_KEY_SEARCHED: Final = 8


def check_api_key(value: str) -> str:
    """Return a key without surrounding blanks, or raise ValueError.

    A key is 1 to 256 visible ASCII characters, not only dots. The error never
    holds the key.
    """
    key = value.strip()
    if not is_api_key(key):
        raise ValueError("The API key is empty or holds characters no key has")
    return key


def is_api_key(value: str) -> bool:
    """Return whether a provider could have issued `value` as a key."""
    return _API_KEY.fullmatch(value) is not None


def _key_forms(api_key: str) -> set[str]:
    """Return the key as a text may hold it: raw, percent-encoded, as yarl prints URLs."""
    in_query = str(URL("http://host/").with_query({"k": api_key})).split("=", 1)[1]
    in_path = str(URL(f"http://host/me/{api_key}")).removeprefix("http://host/me/")
    return {api_key, quote(api_key, safe=""), quote_plus(api_key), in_query, in_path}


def redact(text: str, api_key: str) -> str:
    """Remove the API key from a text: where a key sits, and a long key anywhere."""
    text = _KEY_IN_TEXT.sub(rf"\1{REDACTED}", text)
    if len(api_key) >= _MIN_KEY_SEARCHED:
        forms = sorted(_key_forms(api_key), key=len, reverse=True)
        pattern = re.compile("|".join(map(re.escape, forms)), re.IGNORECASE)
        text = pattern.sub(REDACTED, text)
    return text
