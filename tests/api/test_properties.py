"""Property-based tests of the client: whatever the provider answers, it gives values.

That is parsed data Home Assistant can show, or the client's own error
(SmsPartnerError), never another exception, and no error text holding the API key.

Examples are derived deterministically (derandomize) so that a run in CI is
reproducible; raise max_examples locally to search further.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Callable, Iterator, Mapping
from contextlib import suppress
import copy
from dataclasses import fields
from datetime import UTC, datetime
from email.utils import format_datetime
import gzip
import json
import math
from typing import Any, Self
from urllib.parse import quote, quote_plus
import zlib

import aiohttp
from hypothesis import HealthCheck, assume, example, given, settings, strategies as st
from multidict import CIMultiDict, CIMultiDictProxy
import pytest
from yarl import URL

from custom_components.smspartner import api
from custom_components.smspartner.api import (
    MAX_RETRY_AFTER,
    Credits,
    ProviderClient,
    RequestLimiter,
    SmsPartnerClient,
    SmsPartnerCredits,
    SmsPartnerError,
    SmsPartnerRateLimitError,
    VoicePartnerClient,
    VoicePartnerCredits,
    parse_sms_credits,
    parse_sms_send,
    parse_voice_credits,
    parse_voice_send,
)

from ..conftest import (
    SMS_KEY,
    SMS_SENT,
    VOICE_KEY,
    VOICE_SENT,
    sms_payload,
    voice_payload,
)

PROPERTY_SETTINGS = settings(
    max_examples=100,
    derandomize=True,
    database=None,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)

# JSON values, including what Python's json module accepts beyond the standard
# (NaN, Infinity) and integers far beyond a float.
EDGE_NUMBERS = [0, -1, 2**53, 2**53 + 1, -(2**63), 10**300, 10**400, -(10**400)]
NUMBERS = (
    st.integers()
    | st.sampled_from(EDGE_NUMBERS)
    | st.floats(allow_nan=True, allow_infinity=True)
)
NUMERIC_TEXT = NUMBERS.map(str) | st.sampled_from(
    ["NaN", "-inf", "Infinity", "1_000", "0x10", "", " 7 ", "1e400", "1e-400"]
)
SCALARS = st.none() | st.booleans() | NUMBERS | st.text(max_size=20) | NUMERIC_TEXT
JSON_VALUES = st.recursive(
    SCALARS,
    lambda children: (
        st.lists(children, max_size=4)
        | st.dictionaries(st.text(max_size=10), children, max_size=4)
    ),
    max_leaves=12,
)


def _paths(
    value: Any, parent: Any = None, key: Any = None
) -> Iterator[tuple[Any, Any]]:
    """Yield (container, key) for every value nested in a JSON object."""
    if parent is not None:
        yield parent, key
    if isinstance(value, dict):
        for child_key, child in value.items():
            yield from _paths(child, value, child_key)


@st.composite
def mutated(draw: st.DrawFn, documented: dict[str, Any]) -> dict[str, Any]:
    """Return the documented payload with up to three fields replaced or removed."""
    payload = copy.deepcopy(documented)
    for _ in range(draw(st.integers(min_value=1, max_value=3))):
        parent, key = draw(st.sampled_from(list(_paths(payload))))
        if draw(st.booleans()):
            del parent[key]
        else:
            parent[key] = draw(JSON_VALUES)
        if not payload:
            break
    return payload


def _objects(documented: dict[str, Any]) -> st.SearchStrategy[dict[str, Any]]:
    """Return JSON objects: mutations of the documented one, and arbitrary ones."""
    return mutated(documented) | st.dictionaries(st.text(max_size=10), JSON_VALUES)


def _check_credits(credits: SmsPartnerCredits | VoicePartnerCredits) -> None:
    """Check that parsed credits are values a Home Assistant state can hold.

    Numbers must convert to a finite float (sensors do) and print in at most 255
    characters (the longest state); the currency is a non-empty text.
    """
    for field in fields(credits):
        value = getattr(credits, field.name)
        if field.name in {"currency", "username"}:
            assert value is None or (isinstance(value, str) and value), field.name
            continue
        assert isinstance(value, int | float), field.name
        assert math.isfinite(float(value)), field.name
        assert len(str(value)) <= 255, field.name


@PROPERTY_SETTINGS
@given(payload=_objects(sms_payload()))
@example(payload=sms_payload(creditSms=10**400))
@example(payload=sms_payload(balance=10**400))
@example(payload=sms_payload(creditHlr=10**300))
def test_parse_sms_credits(payload: dict[str, Any]) -> None:
    """Any JSON object gives SMS Partner credits within range, or a client error."""
    with suppress(SmsPartnerError):
        _check_credits(parse_sms_credits(payload))


@PROPERTY_SETTINGS
@given(payload=_objects(voice_payload()))
@example(payload={**voice_payload(), "credit": 10**400})
@example(payload=voice_payload(voice={"message": 10**300}))
@example(payload=voice_payload(tts={"h": 2**53, "m": 2**53, "s": 2**53}))
def test_parse_voice_credits(payload: dict[str, Any]) -> None:
    """Any JSON object gives Voice Partner credits within range, or a client error."""
    with suppress(SmsPartnerError):
        _check_credits(parse_voice_credits(payload))


@PROPERTY_SETTINGS
@given(sms=_objects(SMS_SENT), voice=_objects(VOICE_SENT))
def test_parse_send_results(sms: dict[str, Any], voice: dict[str, Any]) -> None:
    """Any JSON object gives a send result or a client error."""
    with suppress(SmsPartnerError):
        parse_sms_send(sms)
    with suppress(SmsPartnerError):
        parse_voice_send(voice)


class FakeContent:
    """The body stream of a FakeResponse."""

    def __init__(self, body: bytes) -> None:
        """Store the body."""
        self._body = body

    async def iter_chunked(self, size: int) -> AsyncIterator[bytes]:
        """Yield the body in pieces of `size` bytes."""
        for start in range(0, len(self._body), size):
            yield self._body[start : start + size]


class FakeResponse:
    """The part of aiohttp's response the client reads."""

    def __init__(self, status: int, body: bytes, headers: Mapping[str, str]) -> None:
        """Store what the provider answers."""
        self.status = status
        self.headers = CIMultiDictProxy(CIMultiDict(headers))
        self.content = FakeContent(body)

    def close(self) -> None:
        """Close the connection (the client stops reading)."""

    async def __aenter__(self) -> Self:
        """Enter the response context."""
        return self

    async def __aexit__(self, *args: object) -> None:
        """Leave the response context."""


class FakeSession:
    """A session that answers one canned response, or raises one error."""

    def __init__(self, answer: FakeResponse | Callable[[URL], BaseException]) -> None:
        """Store the answer."""
        self.answer = answer
        self.urls: list[URL] = []

    def request(
        self, method: str, url: str, *, params: Any = None, **kwargs: Any
    ) -> FakeResponse:
        """Return the answer, or raise the error for the URL aiohttp would build."""
        full = URL(url).with_query(params) if params else URL(url)
        self.urls.append(full)
        if isinstance(self.answer, FakeResponse):
            return self.answer
        raise self.answer(full)


def _secret_forms(key: str) -> set[str]:
    """Return the key as it may appear in a text: raw, and as aiohttp prints URLs.

    yarl encodes a query value and a path differently; both forms are the key.
    """
    in_query = str(URL("http://h/me").with_query({"apiKey": key})).split("=", 1)[1]
    in_path = str(URL(f"http://h/me/{key}")).removeprefix("http://h/me/")
    return {key, quote(key, safe=""), quote_plus(key), in_query, in_path} - {""}


def _assert_no_key(text: str, key: str) -> None:
    """Check that `text` holds the key in none of its forms."""
    for form in _secret_forms(key):
        assert form not in text, f"API key ({form!r}) in {text!r}"


def _check_outcome(client: ProviderClient[Credits], key: str) -> None:
    """Read the credits; check them or the error the client raises."""
    error: SmsPartnerError | None = None
    try:
        result = asyncio.run(client.async_get_credits())
    except SmsPartnerError as err:
        error = err
    if error is None:
        _check_credits(result)
        return
    _assert_no_key(f"{error} {error!r}", key)
    if isinstance(error, SmsPartnerRateLimitError):
        assert 0 <= error.retry_after <= MAX_RETRY_AFTER
        assert client.limiter is not None
        assert 0 <= client.limiter.delay() <= MAX_RETRY_AFTER


def _body(documented: dict[str, Any]) -> st.SearchStrategy[bytes]:
    """Return response bodies: JSON of any shape, mutated payloads, text and bytes.

    Each may come compressed (gzip or zlib), whatever Content-Encoding says.
    """
    plain = (
        JSON_VALUES.map(lambda value: json.dumps(value).encode())
        | mutated(documented).map(lambda value: json.dumps(value).encode())
        | st.text(max_size=50).map(lambda text: text.encode(errors="surrogatepass"))
        | st.binary(max_size=50)
        | st.integers(1, 3000).map(lambda depth: b"[" * depth + b"]" * depth)
    )
    return plain | plain.map(gzip.compress) | plain.map(zlib.compress)


# Header values as aiohttp hands them over: bytes decoded as UTF-8 with
# surrogateescape, so any text, lone surrogates included.
HEADER_TEXT = st.text(alphabet=st.characters(blacklist_characters="\r\n"), max_size=30)
CONTENT_TYPES = (
    st.builds(
        "application/json; charset={}".format,
        st.sampled_from(["utf-8", "UTF-16", "latin-1", "hex", "rot13", "idna", "x"])
        | HEADER_TEXT,
    )
    | HEADER_TEXT
)
CONTENT_ENCODINGS = (
    st.sampled_from(["gzip", "deflate", "x-gzip", "br", "identity", "gzip, gzip", ""])
    | HEADER_TEXT
)


@st.composite
def _headers(draw: st.DrawFn, retry_after: str | None) -> dict[str, str]:
    """Return response headers: Retry-After, Content-Type, Content-Encoding."""
    headers = {} if retry_after is None else {"Retry-After": retry_after}
    if draw(st.booleans()):
        headers["Content-Type"] = draw(CONTENT_TYPES)
    if draw(st.booleans()):
        headers["Content-Encoding"] = draw(CONTENT_ENCODINGS)
    return headers


RETRY_AFTER = (
    st.none()
    | st.text(max_size=30)
    | NUMERIC_TEXT
    | st.integers().map(str)
    | st.floats().map(str)
    | st.datetimes(
        min_value=datetime(1970, 1, 2), max_value=datetime(9999, 12, 30)
    ).map(lambda when: format_datetime(when.replace(tzinfo=UTC), usegmt=True))
)
STATUSES = st.sampled_from([200, 201, 204, 400, 401, 403, 404, 429, 500, 502, 503]) | (
    st.integers(min_value=100, max_value=599)
)

CLIENTS: dict[str, tuple[type[ProviderClient[Credits]], str, dict[str, Any]]] = {
    "sms": (SmsPartnerClient, SMS_KEY, sms_payload()),
    "voice": (VoicePartnerClient, VOICE_KEY, voice_payload()),
}


@pytest.mark.parametrize("service", CLIENTS)
@PROPERTY_SETTINGS
@given(data=st.data(), status=STATUSES, retry_after=RETRY_AFTER)
@example(data=None, status=429, retry_after="1e400")
@example(data=None, status=429, retry_after="Fri, 31 Dec 9999 23:59:59 GMT")
@example(data=None, status=200, retry_after=None)
def test_client_body_handling(
    service: str, data: st.DataObject | None, status: int, retry_after: str | None
) -> None:
    """Any status, headers and body give credits or the client's own error."""
    client_class, key, documented = CLIENTS[service]
    body = data.draw(_body(documented)) if data else json.dumps(documented).encode()
    headers = data.draw(_headers(retry_after)) if data else {}
    session = FakeSession(FakeResponse(status, body, headers))
    client = client_class(
        session,  # type: ignore[arg-type]
        key,
        limiter=RequestLimiter(5, 60, clock=lambda: 0.0),
    )
    _check_outcome(client, key)
    assert len(session.urls) == 1


@pytest.mark.parametrize("service", CLIENTS)
@pytest.mark.parametrize(
    "body",
    [
        pytest.param({"success": False, "code": "9" * 5000}, id="code of 5000 digits"),
        pytest.param(
            {"success": False, "code": 10**4000}, id="code beyond 4000 digits"
        ),
        pytest.param({"success": False, "code": "١٠"}, id="code in Arabic digits"),
        pytest.param({"success": False, "errors": [{"message": 1}, None]}, id="errors"),
        pytest.param({"success": True, "credits": [], "details": []}, id="lists"),
    ],
)
def test_client_body_examples(service: str, body: Any) -> None:
    """Bodies found or feared by hand give credits or the client's own error."""
    client_class, key, _ = CLIENTS[service]
    session = FakeSession(FakeResponse(200, json.dumps(body).encode(), {}))
    _check_outcome(client_class(session, key), key)  # type: ignore[arg-type]


def _response_error(url: URL) -> aiohttp.ClientResponseError:
    """Return a ClientResponseError, whose text quotes the URL."""
    info = aiohttp.RequestInfo(url, "GET", CIMultiDictProxy(CIMultiDict()), url)
    return aiohttp.ClientResponseError(info, (), status=502, message="Bad Gateway")


ERRORS_QUOTING_THE_URL: list[Callable[[URL], BaseException]] = [
    aiohttp.InvalidURL,
    _response_error,
]


@pytest.mark.parametrize("service", CLIENTS)
@settings(PROPERTY_SETTINGS, max_examples=50)
@given(
    key=st.text(
        alphabet=st.characters(min_codepoint=33, max_codepoint=126),
        min_size=8,
        max_size=40,
    )
)
@example(key="0123456789abcdef0123456789abcdef")
@example(key="key with/slash+plus&amp=eq%pct")
@example(key="SmsPartn")
def test_errors_quoting_the_url_never_show_the_key(service: str, key: str) -> None:
    """Aiohttp errors that print the request URL never leave the key in the text.

    aiohttp percent-encodes the URL it prints, so a key with characters such as
    space, #, % or { appears encoded; that form is the key too.
    """
    # The marker and the class names in a repr would "contain" such a key.
    assume(not any(key in text for text in ("**REDACTED**", *api.__all__)))
    client_class = CLIENTS[service][0]
    for error in ERRORS_QUOTING_THE_URL:
        client = client_class(FakeSession(error), key)  # type: ignore[arg-type]
        with pytest.raises(SmsPartnerError) as info:
            asyncio.run(client.async_get_credits())
        _assert_no_key(f"{info.value} {info.value!r}", key)
        _assert_no_key(repr(client), key)
