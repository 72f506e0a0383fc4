"""Async client for the SMS Partner and Voice Partner APIs (no Home Assistant import)."""

from __future__ import annotations

from collections import deque
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from email.utils import parsedate_to_datetime
import json
import math
import time
from typing import Any, Final

import aiohttp

SMS_API_URL: Final = "https://api.smspartner.fr/v1"
VOICE_API_URL: Final = "https://api.voicepartner.fr/v1"
REQUEST_TIMEOUT: Final = 10.0
DEFAULT_RETRY_AFTER: Final = 60.0
AUTH_ERROR_CODE: Final = 10
_CURRENCY_SYMBOLS: Final = {"€": "EUR", "$": "USD", "£": "GBP", "CHF": "CHF"}


class SmsPartnerError(Exception):
    """Base error of the client; its message never contains the API key."""


class SmsPartnerAuthenticationError(SmsPartnerError):
    """The API key was refused (code 10)."""


class SmsPartnerConnectionError(SmsPartnerError):
    """The API could not be reached, timed out or answered a server error."""


class SmsPartnerInvalidResponseError(SmsPartnerError):
    """The API answered something that is not a usable payload."""


class SmsPartnerApiError(SmsPartnerError):
    """The API answered with an error code other than an authentication failure."""

    def __init__(self, code: int | None, message: str) -> None:
        """Store the provider's error code."""
        super().__init__(f"API error {code}: {message}")
        self.code = code


class SmsPartnerRateLimitError(SmsPartnerError):
    """The provider answered 429 Too Many Requests."""

    def __init__(self, retry_after: float, message: str = "Rate limited") -> None:
        """Store how long to wait before the next request."""
        super().__init__(f"{message}; retry after {retry_after:.0f} s")
        self.retry_after = retry_after


class SmsPartnerThrottledError(SmsPartnerRateLimitError):
    """The request was not sent because the local request budget is spent."""

    def __init__(self, retry_after: float) -> None:
        """Store how long until the budget allows a request again."""
        super().__init__(retry_after, "Request budget spent, request not sent")


class RequestLimiter:
    """Sliding-window budget of requests, plus a pause after a 429."""

    def __init__(
        self,
        max_requests: int,
        period: float,
        clock: Callable[[], float] | None = None,
    ) -> None:
        """Allow at most `max_requests` in any `period` seconds (monotonic clock)."""
        self.max_requests = max_requests
        self.period = period
        self._clock = clock or time.monotonic
        self._sent: deque[float] = deque()
        self._blocked_until = 0.0

    def _forget_old(self, now: float) -> None:
        while self._sent and now - self._sent[0] >= self.period:
            self._sent.popleft()

    def delay(self) -> float:
        """Return the seconds until a request may be sent (0 when it may now)."""
        now = self._clock()
        self._forget_old(now)
        wait = max(0.0, self._blocked_until - now)
        if len(self._sent) >= self.max_requests:
            wait = max(wait, self._sent[0] + self.period - now)
        return wait

    def acquire(self) -> None:
        """Take one request from the budget or raise SmsPartnerThrottledError."""
        if (wait := self.delay()) > 0:
            raise SmsPartnerThrottledError(wait)
        self._sent.append(self._clock())

    def pause(self, seconds: float) -> None:
        """Send nothing for the next `seconds` (after a 429)."""
        self._blocked_until = max(self._blocked_until, self._clock() + seconds)

    @property
    def requests_in_window(self) -> int:
        """Return how many requests the current window holds."""
        self._forget_old(self._clock())
        return len(self._sent)


@dataclass(frozen=True, slots=True)
class SmsPartnerCredits:
    """Credits of an SMS Partner account."""

    username: str | None
    sms: int
    eco_sms: int
    hlr: int
    to_send: int
    balance: float
    currency: str


@dataclass(frozen=True, slots=True)
class VoicePartnerCredits:
    """Credits of a Voice Partner account; durations in seconds."""

    balance: float
    currency: str
    voice_messages: int
    tts_mobile: int
    tts_landline: int


def _number(value: Any, field: str) -> float:
    """Return a finite number from a JSON number or numeric string."""
    if isinstance(value, bool) or not isinstance(value, int | float | str):
        raise SmsPartnerInvalidResponseError(f"Field {field} is not a number")
    try:
        number = float(value)
    except ValueError:
        raise SmsPartnerInvalidResponseError(f"Field {field} is not a number") from None
    if not math.isfinite(number):
        raise SmsPartnerInvalidResponseError(f"Field {field} is not a finite number")
    return number


def _count(value: Any, field: str) -> int:
    """Return a whole number from a JSON number or numeric string."""
    if isinstance(value, int) and not isinstance(value, bool):
        return value
    number = _number(value, field)
    if not number.is_integer():
        raise SmsPartnerInvalidResponseError(f"Field {field} is not a whole number")
    return int(number)


def _section(payload: Mapping[str, Any], key: str) -> Mapping[str, Any]:
    """Return a nested object or raise when it is missing."""
    section = payload.get(key)
    if not isinstance(section, Mapping):
        raise SmsPartnerInvalidResponseError(f"Field {key} is missing")
    return section


def _first(section: Mapping[str, Any], *fields: str) -> tuple[str, Any]:
    """Return the first of `fields` present in `section` (with its name)."""
    for field in fields:
        if section.get(field) is not None:
            return field, section[field]
    raise SmsPartnerInvalidResponseError(f"Field {fields[0]} is missing")


def _currency(value: Any) -> str:
    """Return an ISO 4217 code for a currency code or symbol (EUR by default)."""
    code = value.strip() if isinstance(value, str) else ""
    if not code:
        return "EUR"
    return _CURRENCY_SYMBOLS.get(code, code.upper())


def _seconds(section: Mapping[str, Any], field: str) -> int:
    """Return h/m/s as seconds; seconds and minutes may exceed 59."""
    duration = _section(section, field)
    return sum(
        _count(duration.get(unit, 0), f"{field}.{unit}") * factor
        for unit, factor in (("h", 3600), ("m", 60), ("s", 1))
    )


def parse_sms_credits(payload: Mapping[str, Any]) -> SmsPartnerCredits:
    """Parse the body of GET /v1/me (SMS Partner)."""
    section = _section(payload, "credits")
    user = payload.get("user")
    username = user.get("username") if isinstance(user, Mapping) else None

    def count(*fields: str) -> int:
        field, value = _first(section, *fields)
        return _count(value, field)

    field, balance = _first(section, "balance", "solde")
    return SmsPartnerCredits(
        username=username if isinstance(username, str) and username else None,
        sms=count("creditSms"),
        eco_sms=count("creditSmsECO", "creditSmsLowCost"),
        hlr=count("creditHlr"),
        to_send=count("toSend"),
        balance=_number(balance, field),
        currency=_currency(section.get("currency")),
    )


def parse_voice_credits(payload: Mapping[str, Any]) -> VoicePartnerCredits:
    """Parse the body of GET /v1/me/KEY (Voice Partner)."""
    details = _section(payload, "details")
    _, credit = _first(payload, "credit")
    _, messages = _first(_section(details, "voice"), "message")
    return VoicePartnerCredits(
        balance=_number(credit, "credit"),
        currency=_currency(payload.get("currency")),
        voice_messages=_count(messages, "voice.message"),
        tts_mobile=_seconds(details, "tts"),
        tts_landline=_seconds(details, "tts_fixe"),
    )


def _retry_after(value: str | None) -> float:
    """Return the seconds of a Retry-After header (seconds or HTTP date)."""
    if not value:
        return DEFAULT_RETRY_AFTER
    try:
        return max(0.0, float(value))
    except ValueError:
        pass
    try:
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return DEFAULT_RETRY_AFTER
    return max(0.0, when.timestamp() - time.time())


class SmsPartnerClient:
    """Client for one API key, for either provider."""

    def __init__(
        self,
        session: aiohttp.ClientSession,
        api_key: str,
        *,
        sms_url: str = SMS_API_URL,
        voice_url: str = VOICE_API_URL,
        limiter: RequestLimiter | None = None,
        timeout: float = REQUEST_TIMEOUT,
    ) -> None:
        """Store the session, the key and where to send requests."""
        self._session = session
        self._api_key = api_key
        self._sms_url = sms_url.rstrip("/")
        self._voice_url = voice_url.rstrip("/")
        self.limiter = limiter
        self._timeout = aiohttp.ClientTimeout(total=timeout)

    def __repr__(self) -> str:
        """Describe the client without its key."""
        return f"{type(self).__name__}(sms_url={self._sms_url!r}, voice_url={self._voice_url!r})"

    def _redact(self, text: str) -> str:
        """Remove the API key from a text that may quote a URL."""
        return text.replace(self._api_key, "**REDACTED**") if self._api_key else text

    async def async_get_sms_credits(self) -> SmsPartnerCredits:
        """Return the SMS Partner credits of the account."""
        payload = await self._request(
            "GET", f"{self._sms_url}/me", params={"apiKey": self._api_key}
        )
        return parse_sms_credits(payload)

    async def async_get_voice_credits(self) -> VoicePartnerCredits:
        """Return the Voice Partner credits of the account."""
        payload = await self._request("GET", f"{self._voice_url}/me/{self._api_key}")
        return parse_voice_credits(payload)

    async def _request(
        self,
        method: str,
        url: str,
        *,
        params: Mapping[str, str] | None = None,
        body: Mapping[str, Any] | None = None,
    ) -> Mapping[str, Any]:
        """Send one request within the budget and return the JSON object."""
        if self.limiter is not None:
            self.limiter.acquire()
        try:
            async with self._session.request(
                method, url, params=params, json=body, timeout=self._timeout
            ) as response:
                status = response.status
                retry_after = response.headers.get("Retry-After")
                text = await response.text(errors="replace")
        except TimeoutError:
            raise SmsPartnerConnectionError("Timed out talking to the API") from None
        except aiohttp.ClientError as err:
            raise SmsPartnerConnectionError(
                self._redact(f"Cannot reach the API: {type(err).__name__}: {err}")
            ) from None
        if status == 429:
            seconds = _retry_after(retry_after)
            if self.limiter is not None:
                self.limiter.pause(seconds)
            raise SmsPartnerRateLimitError(seconds)
        return self._payload(status, text)

    def _payload(self, status: int, text: str) -> Mapping[str, Any]:
        """Check the status and the body, and return the JSON object."""
        try:
            payload = json.loads(text)
        except ValueError:
            payload = None
        code = payload.get("code") if isinstance(payload, dict) else None
        if str(code) == str(AUTH_ERROR_CODE) or status == 401:
            raise SmsPartnerAuthenticationError("The API key was refused")
        if status >= 500:
            raise SmsPartnerConnectionError(f"The API answered HTTP {status}")
        if not isinstance(payload, dict):
            raise SmsPartnerInvalidResponseError(
                f"The API answered HTTP {status} without a JSON object"
            )
        if payload.get("success") is not True or status >= 400:
            message = payload.get("message")
            raise SmsPartnerApiError(
                code if isinstance(code, int) else None,
                self._redact(message if isinstance(message, str) else f"HTTP {status}"),
            )
        return payload
