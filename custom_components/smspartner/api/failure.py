"""What a refused request says: its error code and message, when to retry."""

from __future__ import annotations

from collections.abc import Mapping
from email.utils import parsedate_to_datetime
import math
import re
import time
from typing import Any, Final

from .keys import REDACTED
from .models import clean_text

DEFAULT_RETRY_AFTER: Final = 60.0
MAX_RETRY_AFTER: Final = 3600.0
# A provider's error message is shown in errors and logs: at most this long.
MAX_MESSAGE: Final = 300
# A URL a provider's message may echo: a send's webhook URLs hold a secret id.
_URL: Final = re.compile(r"https?://\S+", re.IGNORECASE)


def seconds_to_wait(value: str | None) -> float:
    """Return the seconds of a Retry-After header (seconds or HTTP date)."""
    if not value:
        return DEFAULT_RETRY_AFTER
    try:
        seconds = float(value)
    except ValueError:
        try:
            seconds = parsedate_to_datetime(value).timestamp() - time.time()
        except (TypeError, ValueError):
            return DEFAULT_RETRY_AFTER
    if not math.isfinite(seconds):
        return DEFAULT_RETRY_AFTER
    return min(max(0.0, seconds), MAX_RETRY_AFTER)


def error_code(code: Any) -> int | None:
    """Return the error code of a body, sent as a number or a string of digits.

    Anything else, or more than 9 digits, is no code.
    """
    if isinstance(code, str) and code.isascii() and code.isdigit():
        code = int(code) if len(code) <= 9 else None
    if isinstance(code, int) and not isinstance(code, bool) and abs(code) < 10**9:
        return code
    return None


def error_message(payload: Mapping[str, Any]) -> str:
    """Return the `message` of an error body, or its `errors` list joined."""
    message = payload.get("message")
    errors = payload.get("errors")
    if not (isinstance(message, str) and message) and isinstance(errors, list):
        message = "; ".join(
            error["message"]
            for error in errors
            if isinstance(error, Mapping) and isinstance(error.get("message"), str)
        )
    if not isinstance(message, str):
        return ""
    return _URL.sub(REDACTED, clean_text(message[:MAX_MESSAGE]))
