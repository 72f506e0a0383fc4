"""Hostile answers: encodings, charsets, sizes, nesting and redirects.

Whatever the bytes, headers and status, the client answers parsed credits or
its own error; a redirect is never followed (the key would go to its host).
"""

from __future__ import annotations

from collections.abc import AsyncIterator
import gzip
import json
import zlib

import aiohttp
import pytest
from pytest_homeassistant_custom_component.test_util.aiohttp import AiohttpClientMocker

from custom_components.smspartner.api import (
    MAX_BODY,
    SmsPartnerApiError,
    SmsPartnerClient,
    SmsPartnerInvalidResponseError,
    parse_sms_credits,
)

from ..conftest import SMS_KEY, SMS_URL, sms_payload
from ..local_api import LocalApi

DOCUMENTED = json.dumps(sms_payload()).encode()


def _deflate(data: bytes) -> bytes:
    """Return `data` as HTTP's deflate coding (zlib-wrapped)."""
    return zlib.compress(data)


def _bomb(size: int) -> bytes:
    """Return `size` zero bytes, gzip-compressed."""
    return gzip.compress(bytes(size), 9)


PARSED = [
    pytest.param(DOCUMENTED, {}, id="plain"),
    pytest.param(gzip.compress(DOCUMENTED), {"Content-Encoding": "gzip"}, id="gzip"),
    pytest.param(
        gzip.compress(DOCUMENTED), {"Content-Encoding": "x-gzip"}, id="x-gzip"
    ),
    pytest.param(_deflate(DOCUMENTED), {"Content-Encoding": "deflate"}, id="deflate"),
    pytest.param(DOCUMENTED, {"Content-Encoding": "identity"}, id="identity"),
    pytest.param(
        gzip.compress(DOCUMENTED), {"Content-Encoding": " GZIP , identity"}, id="GZIP"
    ),
    pytest.param(
        DOCUMENTED,
        {"Content-Type": "application/json; charset=x-unknown"},
        id="unknown charset",
    ),
    pytest.param(
        DOCUMENTED, {"Content-Type": "application/json; charset=hex"}, id="bytes codec"
    ),
    pytest.param(
        DOCUMENTED, {"Content-Type": "application/json; charset=idna"}, id="idna"
    ),
    pytest.param(
        json.dumps(sms_payload()).encode("utf-16"),
        {"Content-Type": 'application/json; charset="UTF-16"'},
        id="utf-16",
    ),
    pytest.param(
        DOCUMENTED + b" " * (MAX_BODY - len(DOCUMENTED)), {}, id="exactly the cap"
    ),
]


INVALID = [
    pytest.param(b" " * (MAX_BODY + 1), {}, id="one byte over the cap"),
    pytest.param(DOCUMENTED + b" " * (10 << 20), {}, id="10 MiB"),
    pytest.param(_bomb(50 << 20), {"Content-Encoding": "gzip"}, id="gzip bomb"),
    pytest.param(
        _deflate(bytes(50 << 20)), {"Content-Encoding": "deflate"}, id="deflate bomb"
    ),
    pytest.param(DOCUMENTED, {"Content-Encoding": "br"}, id="brotli"),
    pytest.param(DOCUMENTED, {"Content-Encoding": "zstd"}, id="zstd"),
    pytest.param(
        gzip.compress(gzip.compress(DOCUMENTED)),
        {"Content-Encoding": "gzip, gzip"},
        id="gzip twice",
    ),
    pytest.param(DOCUMENTED, {"Content-Encoding": "gzip"}, id="gzip header, plain"),
    pytest.param(
        gzip.compress(DOCUMENTED)[:-12], {"Content-Encoding": "gzip"}, id="truncated"
    ),
    pytest.param(
        zlib.compress(DOCUMENTED)[2:-4], {"Content-Encoding": "deflate"}, id="raw"
    ),
    # Deep nesting within the cap (Python 3.13 cannot parse it; 3.14 can, and
    # then it is no JSON object).
    pytest.param(b"[" * 30_000 + b"]" * 30_000, {}, id="nested lists"),
    pytest.param(
        b"[" + b'{"a":' * 6_000 + b"1" + b"}" * 6_000 + b"]", {}, id="nested objects"
    ),
    pytest.param(
        b'{"success": true, "credits": {"creditSms": ' + b"9" * 5000 + b"}}",
        {},
        id="5000-digit number",
    ),
]


@pytest.mark.parametrize(
    ("body", "headers", "invalid"),
    [
        *(pytest.param(*case.values, False, id=case.id) for case in PARSED),
        *(pytest.param(*case.values, True, id=case.id) for case in INVALID),
    ],
)
async def test_bodies(
    session: aiohttp.ClientSession,
    aioclient_mock: AiohttpClientMocker,
    *,
    body: bytes,
    headers: dict[str, str],
    invalid: bool,
) -> None:
    """Readable bodies give the credits; the others are invalid responses.

    PARSED: encodings and charsets the client reads; INVALID: too large,
    unreadable or over-nested bodies.
    """
    aioclient_mock.get(SMS_URL, content=body, headers=headers)
    read = SmsPartnerClient(session, SMS_KEY).async_get_credits
    if invalid:
        with pytest.raises(SmsPartnerInvalidResponseError):
            await read()
    else:
        assert await read() == parse_sms_credits(sms_payload())


async def test_lone_surrogates_in_texts(
    session: aiohttp.ClientSession, aioclient_mock: AiohttpClientMocker
) -> None:
    """JSON escapes of lone surrogates never reach a text Home Assistant stores."""
    aioclient_mock.get(
        SMS_URL, content=b'{"success": false, "code": 9, "message": "bad \\ud800"}'
    )
    with pytest.raises(SmsPartnerApiError) as caught:
        await SmsPartnerClient(session, SMS_KEY).async_get_credits()
    caught.value.detail.encode()  # UTF-8 encodable: no lone surrogate left


@pytest.fixture
async def provider(socket_enabled: None) -> AsyncIterator[LocalApi]:
    """Return the provider on a real local port."""
    async with LocalApi() as api:
        yield api


@pytest.mark.parametrize("status", [300, 301, 302, 303, 307, 308])
async def test_redirects_not_followed(provider: LocalApi, status: int) -> None:
    """A redirect is an invalid response: neither the key nor a send goes elsewhere."""
    async with LocalApi() as elsewhere:
        elsewhere.answer({"success": True, "code": 200, "message_id": 1, "nb_sms": 1})
        provider.answer(
            sms_payload(), status, Location=elsewhere.url("/v1/send?apiKey=x")
        )
        async with aiohttp.ClientSession() as session:
            client = SmsPartnerClient(session, SMS_KEY, url=provider.url())
            with pytest.raises(SmsPartnerInvalidResponseError, match="redirect"):
                await client.async_get_credits()
            with pytest.raises(SmsPartnerInvalidResponseError, match="redirect"):
                await client.async_send_sms(["0612345678"], "Hello")
        assert len(provider.requests) == 2
        assert elsewhere.requests == []
