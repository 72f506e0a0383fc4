"""Async client for the SMS Partner and Voice Partner APIs (no Home Assistant import)."""

from __future__ import annotations

import asyncio
from collections import deque
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from email.utils import parsedate_to_datetime
import json
import math
import re
import time
from typing import Any, Final
from urllib.parse import quote, quote_plus
import zlib
from zoneinfo import ZoneInfo

import aiohttp
from aiohttp import hdrs
from yarl import URL

SMS_API_URL: Final = "https://api.smspartner.fr/v1"
VOICE_API_URL: Final = "https://api.voicepartner.fr/v1"
REQUEST_TIMEOUT: Final = 10.0
# A credits or send answer is under 2 KiB: a body is read up to this size once
# decoded (and twice that on the wire), and a larger one is an invalid response.
MAX_BODY: Final = 64 * 1024
_READ_CHUNK: Final = 16 * 1024
MAX_MESSAGE: Final = 300
# gzip or zlib-wrapped deflate (what HTTP's "deflate" means); others are refused.
_DECODERS: Final = {"gzip": 47, "x-gzip": 47, "deflate": 47}
_CHARSET: Final = re.compile(r";\s*charset\s*=\s*\"?([^\";\s]+)", re.IGNORECASE)
DEFAULT_RETRY_AFTER: Final = 60.0
MAX_RETRY_AFTER: Final = 3600.0
# The largest whole number a float, and so a sensor state, holds exactly.
MAX_COUNT: Final = 2**53
AUTH_ERROR_CODE: Final = 10
_CURRENCY_SYMBOLS: Final = {"€": "EUR", "$": "USD", "£": "GBP", "CHF": "CHF"}

# Sending. Schedules are read on the providers' clock (French time; inferred).
PROVIDER_TIMEZONE: Final = ZoneInfo("Europe/Paris")
MAX_RECIPIENTS: Final = 500
SENDER_PATTERN: Final = re.compile(r"[A-Za-z0-9 ]{3,11}")
SPEECH_RATE_RANGE: Final = (0.5, 2.0)
_LINE_BREAK: Final = re.compile(r"\r\n|\r|\n")
_PHONE_SEPARATORS: Final = re.compile(r"[\s.\-]")
_FRENCH_MOBILE: Final = re.compile(r"0[67][0-9]{8}")
_INTERNATIONAL: Final = re.compile(r"\+[1-9][0-9]{7,14}")
# Where a key can sit in a text: the URLs the client requests (query, path) and a
# parameter echoed by the provider, whatever its case or encoding.
_KEY_IN_TEXT: Final = re.compile(
    r"(api_?key[\"']?\s*[=:]\s*[\"']?|/me/)[^&?#/\s'\",;}]+", re.IGNORECASE
)
_REDACTED: Final = "**REDACTED**"
# Shorter keys are redacted where they can sit only: anywhere else, a short key
# could match a word of the provider's message or a currency code.
_MIN_KEY_SEARCHED: Final = 8
_FRENCH_INTERNATIONAL: Final = re.compile(r"\+33[1-9][0-9]{8}")
# An API key: visible ASCII only, so that it travels intact in a query and as one
# path segment (Voice Partner); a key of dots alone would be read as "." or "..".
_API_KEY: Final = re.compile(r"(?!\.+$)[!-~]{1,256}")


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
        """Store the provider's error code and message."""
        super().__init__(f"API error {code}: {message}")
        self.code = code
        self.detail = message


class SmsPartnerInvalidRequestError(SmsPartnerApiError):
    """The provider refused the parameters of a send (codes 2, 9 and 13)."""


class SmsPartnerInsufficientCreditError(SmsPartnerApiError):
    """The account has not enough credit for the send (code 11)."""


class SmsPartnerStopListError(SmsPartnerApiError):
    """A recipient is on the account's STOP list (code 14)."""


_API_ERRORS: Final[dict[int, type[SmsPartnerApiError]]] = {
    2: SmsPartnerInvalidRequestError,
    9: SmsPartnerInvalidRequestError,
    11: SmsPartnerInsufficientCreditError,
    13: SmsPartnerInvalidRequestError,
    14: SmsPartnerStopListError,
}


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
    """Sliding-window budget of requests, plus a pause after a 429.

    With a `parent` (say, a budget for the whole provider host), a request must
    fit both budgets and is counted in both.
    """

    def __init__(
        self,
        max_requests: int,
        period: float,
        clock: Callable[[], float] | None = None,
        *,
        parent: RequestLimiter | None = None,
    ) -> None:
        """Allow at most `max_requests` in any `period` seconds (monotonic clock)."""
        self.max_requests = max_requests
        self.period = period
        self.parent = parent
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
        if self.parent is not None:
            wait = max(wait, self.parent.delay())
        return wait

    def acquire(self) -> None:
        """Take one request from the budget or raise SmsPartnerThrottledError."""
        if (wait := self.delay()) > 0:
            raise SmsPartnerThrottledError(wait)
        self._take()

    def _take(self) -> None:
        """Count one request here and in the parent budgets."""
        self._sent.append(self._clock())
        if self.parent is not None:
            self.parent._take()  # noqa: SLF001

    def pause(self, seconds: float) -> None:
        """Send nothing for the next `seconds` (after a 429), here and in the parents."""
        self._blocked_until = max(self._blocked_until, self._clock() + seconds)
        if self.parent is not None:
            self.parent.pause(seconds)

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
    except (ValueError, OverflowError):
        raise SmsPartnerInvalidResponseError(f"Field {field} is not a number") from None
    if not math.isfinite(number):
        raise SmsPartnerInvalidResponseError(f"Field {field} is not a finite number")
    return number


def _count(value: Any, field: str) -> int:
    """Return a whole number from a JSON number or numeric string."""
    if isinstance(value, int) and not isinstance(value, bool):
        count = value
    else:
        number = _number(value, field)
        if not number.is_integer():
            raise SmsPartnerInvalidResponseError(f"Field {field} is not a whole number")
        count = int(number)
    if abs(count) > MAX_COUNT:
        raise SmsPartnerInvalidResponseError(f"Field {field} is out of range")
    return count


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


def _clean(text: str) -> str:
    """Return a provider's text with lone surrogates (from JSON escapes) replaced."""
    return text.encode("utf-8", "replace").decode()


def _currency(value: Any) -> str:
    """Return an ISO 4217 code for a currency code or symbol (EUR by default)."""
    code = _clean(value).strip() if isinstance(value, str) else ""
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
        username=_clean(username) if isinstance(username, str) and username else None,
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


@dataclass(frozen=True, slots=True)
class SmsSendResult:
    """What SMS Partner answered to a send."""

    message_id: str
    sms_count: int
    cost: float
    currency: str


@dataclass(frozen=True, slots=True)
class VoiceSendResult:
    """What Voice Partner answered to a text-to-speech send; duration in seconds."""

    campaign_id: str
    message_count: int
    cost: float
    currency: str
    duration: float | None


def check_api_key(value: str) -> str:
    """Return a key without surrounding blanks, or raise ValueError.

    A key is 1 to 256 visible ASCII characters, not only dots. The error never
    holds the key.
    """
    key = value.strip()
    if not _API_KEY.fullmatch(key):
        raise ValueError("The API key is empty or holds characters no key has")
    return key


def normalize_phone_number(value: str) -> str:
    """Return a recipient as the providers accept it, or raise ValueError.

    French mobiles in national form (06/07 and 8 digits), French numbers in
    international form (+33 and 9 digits) or any other E.164 number (8 to 15
    digits); spaces, dots and hyphens are removed and a 00 prefix becomes +.
    """
    number = _PHONE_SEPARATORS.sub("", value)
    if number.startswith("00"):
        number = f"+{number[2:]}"
    if _FRENCH_MOBILE.fullmatch(number) or _FRENCH_INTERNATIONAL.fullmatch(number):
        return number
    if _INTERNATIONAL.fullmatch(number) and not number.startswith("+33"):
        return number
    raise ValueError(f"Invalid phone number: {value}")


def encode_sms_message(message: str) -> str:
    r"""Write line breaks as :br: and the euro sign as :euro:, as SMS Partner wants.

    The escaping of `"` as \" that the provider requires is done by the JSON
    encoding of the request body.
    """
    return _LINE_BREAK.sub(":br:", message).replace("€", ":euro:")


def _text(value: Any, field: str) -> str:
    """Return an identifier sent as a JSON string or number."""
    if isinstance(value, bool) or not isinstance(value, str | int) or value == "":
        raise SmsPartnerInvalidResponseError(f"Field {field} is missing")
    return _clean(str(value))


def parse_sms_send(payload: Mapping[str, Any]) -> SmsSendResult:
    """Parse the body of POST /v1/send (SMS Partner)."""
    return SmsSendResult(
        message_id=_text(payload.get("message_id"), "message_id"),
        sms_count=_count(_first(payload, "nb_sms")[1], "nb_sms"),
        cost=_number(_first(payload, "cost")[1], "cost"),
        currency=_currency(payload.get("currency")),
    )


def parse_voice_send(payload: Mapping[str, Any]) -> VoiceSendResult:
    """Parse the body of POST /v1/tts/send (Voice Partner)."""
    duration = payload.get("duration")
    return VoiceSendResult(
        campaign_id=_text(payload.get("campaignId"), "campaignId"),
        message_count=_count(_first(payload, "nbSms")[1], "nbSms"),
        cost=_number(_first(payload, "cost")[1], "cost"),
        currency=_currency(payload.get("currency")),
        duration=None if duration is None else _number(duration, "duration"),
    )


def _recipients(phone_numbers: Sequence[str]) -> str:
    """Return the comma-separated recipients of a send."""
    numbers = [normalize_phone_number(number) for number in phone_numbers]
    if not 1 <= len(numbers) <= MAX_RECIPIENTS:
        raise ValueError(f"Between 1 and {MAX_RECIPIENTS} recipients are needed")
    return ",".join(numbers)


def _provider_time(when: datetime) -> datetime:
    """Return an aware datetime on the providers' clock."""
    if when.tzinfo is None:
        raise ValueError("The scheduled time needs a time zone")
    return when.astimezone(PROVIDER_TIMEZONE)


def _retry_after(value: str | None) -> float:
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


def _key_forms(api_key: str) -> set[str]:
    """Return the key as a text may hold it: raw, percent-encoded, as yarl prints URLs."""
    in_query = str(URL("http://host/").with_query({"k": api_key})).split("=", 1)[1]
    in_path = str(URL(f"http://host/me/{api_key}")).removeprefix("http://host/me/")
    return {
        api_key,
        quote(api_key, safe=""),
        quote_plus(api_key),
        in_query,
        in_path,
    } - {""}


@dataclass(frozen=True, slots=True)
class Content:
    """A response body, decoded from its Content-Encoding, at most MAX_BODY bytes."""

    data: bytes
    content_type: str

    def text(self) -> str:
        """Return the body as text, in its charset when Python knows it, else UTF-8."""
        if match := _CHARSET.search(self.content_type):
            try:
                return self.data.decode(match.group(1), "replace")
            except (LookupError, UnicodeError, TypeError):
                pass  # Not a text encoding Python knows: JSON is UTF-8 anyway.
        return self.data.decode("utf-8", "replace")

    def json(self) -> Any:
        """Return the JSON value of the body, or None when it is not JSON."""
        try:
            return json.loads(self.text())
        except (ValueError, RecursionError):
            return None


def _decoder(content_encoding: str) -> Any:
    """Return a zlib decompressor for a Content-Encoding, None for identity."""
    codings = [
        coding
        for part in content_encoding.lower().split(",")
        if (coding := part.strip()) not in ("", "identity")
    ]
    if not codings:
        return None
    if len(codings) > 1 or codings[0] not in _DECODERS:
        raise SmsPartnerInvalidResponseError("The API answered an unknown encoding")
    return zlib.decompressobj(_DECODERS[codings[0]])


def _too_large() -> SmsPartnerInvalidResponseError:
    """Return the error of a body over MAX_BODY bytes."""
    return SmsPartnerInvalidResponseError(
        f"The API answered more than {MAX_BODY} bytes"
    )


async def read_body(response: aiohttp.ClientResponse) -> Content:
    """Read and decode at most MAX_BODY bytes of body; a larger one is refused.

    The body is read raw (aiohttp's own decompression is off) and inflated here
    a bounded piece at a time, so a compression bomb costs at most the cap.
    """
    headers = response.headers
    decoder = _decoder(headers.get(hdrs.CONTENT_ENCODING, ""))
    data = bytearray()
    wire = 0
    try:
        async for chunk in response.content.iter_chunked(_READ_CHUNK):
            wire += len(chunk)
            data += (
                decoder.decompress(chunk, MAX_BODY + 1 - len(data))
                if decoder
                else chunk
            )
            if len(data) > MAX_BODY or wire > 2 * MAX_BODY:
                response.close()
                raise _too_large()
        if decoder is not None:
            data += decoder.flush()
            if not decoder.eof or len(data) > MAX_BODY:
                raise SmsPartnerInvalidResponseError("The API answered a broken body")
    except zlib.error:
        raise SmsPartnerInvalidResponseError("The API answered a broken body") from None
    return Content(bytes(data), headers.get(hdrs.CONTENT_TYPE, ""))


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
        send_limiter: RequestLimiter | None = None,
        timeout: float = REQUEST_TIMEOUT,
    ) -> None:
        """Store the session, the key and where to send requests.

        `limiter` budgets the credit requests, `send_limiter` the sends.
        """
        self._session = session
        self._api_key = api_key
        self._sms_url = sms_url.rstrip("/")
        self._voice_url = voice_url.rstrip("/")
        self.limiter = limiter
        self.send_limiter = send_limiter
        self._timeout = timeout

    def __repr__(self) -> str:
        """Describe the client without its key."""
        return f"{type(self).__name__}(sms_url={self._sms_url!r}, voice_url={self._voice_url!r})"

    def _key(self) -> str:
        """Return the key to send; one no provider could have is refused unsent."""
        if not _API_KEY.fullmatch(self._api_key):
            raise SmsPartnerAuthenticationError("The API key cannot be valid")
        return self._api_key

    def _redact(self, text: str) -> str:
        """Remove the API key from a text: where a key sits, and a long key anywhere."""
        text = _KEY_IN_TEXT.sub(rf"\1{_REDACTED}", text)
        if len(self._api_key) >= _MIN_KEY_SEARCHED:
            forms = sorted(_key_forms(self._api_key), key=len, reverse=True)
            pattern = re.compile("|".join(map(re.escape, forms)), re.IGNORECASE)
            text = pattern.sub(_REDACTED, text)
        return text

    async def async_get_sms_credits(self) -> SmsPartnerCredits:
        """Return the SMS Partner credits of the account."""
        payload = await self._request(
            "GET", f"{self._sms_url}/me", params={"apiKey": self._key()}
        )
        return parse_sms_credits(payload)

    async def async_get_voice_credits(self) -> VoicePartnerCredits:
        """Return the Voice Partner credits of the account."""
        payload = await self._request(
            "GET", f"{self._voice_url}/me/{quote(self._key(), safe='')}"
        )
        return parse_voice_credits(payload)

    async def async_send_sms(
        self,
        phone_numbers: Sequence[str],
        message: str,
        *,
        sender: str | None = None,
        scheduled: datetime | None = None,
        sandbox: bool = False,
    ) -> SmsSendResult:
        """Send an SMS (POST /v1/send); `scheduled` is aware, minute in steps of 5.

        Raise ValueError for arguments the provider would refuse.
        """
        body: dict[str, Any] = {
            "apiKey": self._key(),
            "phoneNumbers": _recipients(phone_numbers),
            "message": encode_sms_message(message),
        }
        if sender is not None:
            if not SENDER_PATTERN.fullmatch(sender):
                raise ValueError("The sender needs 3 to 11 letters, digits or spaces")
            body["sender"] = sender
        if scheduled is not None:
            when = _provider_time(scheduled)
            if when.minute % 5 or when.second or when.microsecond:
                raise ValueError("SMS can only be scheduled on a multiple of 5 minutes")
            body |= {
                "scheduledDeliveryDate": when.strftime("%d/%m/%Y"),
                "time": when.hour,
                "minute": when.minute,
            }
        if sandbox:
            body["sandbox"] = 1
        payload = await self._request(
            "POST", f"{self._sms_url}/send", body=body, limiter=self.send_limiter
        )
        return parse_sms_send(payload)

    async def async_send_voice_message(
        self,
        phone_numbers: Sequence[str],
        text: str,
        *,
        language: str,
        speech_rate: float | None = None,
        scheduled: datetime | None = None,
    ) -> VoiceSendResult:
        """Call recipients and read `text` (POST /v1/tts/send); `scheduled` is aware.

        Raise ValueError for arguments the provider would refuse.
        """
        body: dict[str, Any] = {
            "apiKey": self._key(),
            "phoneNumbers": _recipients(phone_numbers),
            "text": text,
            "lang": language,
        }
        if speech_rate is not None:
            low, high = SPEECH_RATE_RANGE
            if not low <= speech_rate <= high:
                raise ValueError(f"The speech rate must be between {low} and {high}")
            body["speechRate"] = speech_rate
        if scheduled is not None:
            body["scheduledDate"] = _provider_time(scheduled).strftime(
                "%Y-%m-%d %H:%M:00"
            )
        payload = await self._request(
            "POST", f"{self._voice_url}/tts/send", body=body, limiter=self.send_limiter
        )
        return parse_voice_send(payload)

    async def _request(
        self,
        method: str,
        url: str,
        *,
        params: Mapping[str, str] | None = None,
        body: Mapping[str, Any] | None = None,
        limiter: RequestLimiter | None = None,
    ) -> Mapping[str, Any]:
        r"""Send one request within a budget and return the JSON object.

        The budget is `limiter` when given, else the credit requests' one. A
        body is sent as JSON, which escapes `"` as \" the way the providers ask.
        The timeout covers connecting, reading and decoding; redirects are not
        followed, so the key goes to the provider's host and nowhere else.
        """
        data = None if body is None else _json_body(body)
        limiter = limiter or self.limiter
        if limiter is not None:
            limiter.acquire()
        headers = {hdrs.ACCEPT_ENCODING: "gzip, deflate"}
        if data is not None:
            headers[hdrs.CONTENT_TYPE] = "application/json"
        try:
            async with (
                asyncio.timeout(self._timeout),
                self._session.request(
                    method,
                    url,
                    params=params,
                    data=data,
                    headers=headers,
                    allow_redirects=False,
                    auto_decompress=False,
                ) as response,
            ):
                status = response.status
                retry_after = response.headers.get(hdrs.RETRY_AFTER)
                content = await read_body(response)
        except TimeoutError:
            raise SmsPartnerConnectionError("Timed out talking to the API") from None
        except aiohttp.ClientError as err:
            raise SmsPartnerConnectionError(
                self._redact(f"Cannot reach the API: {type(err).__name__}: {err}")
            ) from None
        if status == 429:
            seconds = _retry_after(retry_after)
            if limiter is not None:
                limiter.pause(seconds)
            raise SmsPartnerRateLimitError(seconds)
        return self._payload(status, content)

    def _payload(self, status: int, content: Content) -> Mapping[str, Any]:
        """Check the status and the body, and return the JSON object."""
        if 300 <= status < 400:
            raise SmsPartnerInvalidResponseError(
                f"The API answered a redirect (HTTP {status}), not followed"
            )
        payload = content.json()
        code = _error_code(payload.get("code")) if isinstance(payload, dict) else None
        if code == AUTH_ERROR_CODE or status == 401:
            raise SmsPartnerAuthenticationError("The API key was refused")
        if status >= 500:
            raise SmsPartnerConnectionError(f"The API answered HTTP {status}")
        if not isinstance(payload, dict):
            raise SmsPartnerInvalidResponseError(
                f"The API answered HTTP {status} without a JSON object"
            )
        if payload.get("success") is not True or status >= 400:
            raise _API_ERRORS.get(code or 0, SmsPartnerApiError)(
                code, self._redact(_error_message(payload) or f"HTTP {status}")
            )
        return payload


def _json_body(body: Mapping[str, Any]) -> bytes:
    """Return a request body as UTF-8 JSON; raise ValueError without its text."""
    try:
        return json.dumps(body, ensure_ascii=False).encode()
    except UnicodeEncodeError:
        raise ValueError("The request holds text that is not valid Unicode") from None


def _error_code(code: Any) -> int | None:
    """Return the error code of a body, sent as a number or a string of digits.

    Anything else, or more than 9 digits, is no code.
    """
    if isinstance(code, str) and code.isascii() and code.isdigit():
        code = int(code) if len(code) <= 9 else None
    if isinstance(code, int) and not isinstance(code, bool) and abs(code) < 10**9:
        return code
    return None


def _error_message(payload: Mapping[str, Any]) -> str:
    """Return the `message` of an error body, or its `errors` list joined.

    At most MAX_MESSAGE characters: the text is shown in errors and logs.
    """
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
    return _clean(message[:MAX_MESSAGE])
