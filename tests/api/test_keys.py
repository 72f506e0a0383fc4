"""The key: checked before it is sent, one path segment, redacted where it sits.

A short key is only looked for where a key can sit (URLs, echoed parameters), so
that the provider's words and the currency are never mangled.
"""

from __future__ import annotations

from urllib.parse import quote, quote_plus

import aiohttp
import pytest
from pytest_homeassistant_custom_component.test_util.aiohttp import AiohttpClientMocker
from yarl import URL

from custom_components.smspartner.api import (
    SmsPartnerApiError,
    SmsPartnerAuthenticationError,
    SmsPartnerClient,
    SmsPartnerConnectionError,
    VoicePartnerClient,
)

from ..conftest import SMS_URL, sms_payload

REDACTED = "**REDACTED**"


@pytest.mark.parametrize(
    "key", ["", "   ", ".", "..", "....", "two words", "tab\tkey", "clé", "\ud800key"]
)
async def test_impossible_keys_never_sent(
    session: aiohttp.ClientSession, aioclient_mock: AiohttpClientMocker, key: str
) -> None:
    """A key no provider could have is refused before any request, without the key."""
    sms, voice = SmsPartnerClient(session, key), VoicePartnerClient(session, key)
    for call in (
        sms.async_get_credits,
        voice.async_get_credits,
        lambda: sms.async_send_sms(["0612345678"], "Hi"),
    ):
        with pytest.raises(SmsPartnerAuthenticationError) as caught:
            await call()
        if key.strip():
            assert key not in f"{caught.value} {caught.value!r} {caught.value.args}"
    assert aioclient_mock.call_count == 0


async def test_voice_key_is_one_path_segment(
    session: aiohttp.ClientSession, aioclient_mock: AiohttpClientMocker
) -> None:
    """A key holding /, ? or # reaches Voice Partner as one encoded path segment."""
    aioclient_mock.get(
        URL("https://api.voicepartner.fr/v1/me/a%2Fb%3Fc%23d..", encoded=True), json={}
    )
    with pytest.raises(SmsPartnerApiError):
        await VoicePartnerClient(session, "a/b?c#d..").async_get_credits()
    ((_, url, _, _),) = aioclient_mock.mock_calls
    assert url.raw_path == "/v1/me/a%2Fb%3Fc%23d.."


@pytest.mark.parametrize(
    ("key", "message", "shown"),
    [
        pytest.param(
            "EUR", "Crédit EUR insuffisant", "Crédit EUR insuffisant", id="currency"
        ),
        pytest.param(
            "a",
            "Invalid apiKey=a for account",
            f"Invalid apiKey={REDACTED} for account",
        ),
        pytest.param(
            "t",
            'Param {"apiKey": "t"} refused',
            f'Param {{"apiKey": "{REDACTED}"}} refused',
        ),
        pytest.param(
            "AbCdEf0123456789",
            "Clé abcdef0123456789 refusée",
            f"Clé {REDACTED} refusée",
            id="long key, other case",
        ),
        pytest.param(
            "AbCdEf0123456789",
            "APIKEY: ABCDEF0123456789, retry",
            f"APIKEY: {REDACTED}, retry",
            id="echoed upper case",
        ),
    ],
)
async def test_provider_message(
    session: aiohttp.ClientSession,
    aioclient_mock: AiohttpClientMocker,
    key: str,
    message: str,
    shown: str,
) -> None:
    """The provider's message keeps its words; the key is gone where it sits."""
    aioclient_mock.get(
        SMS_URL, status=400, json={"success": False, "code": 9, "message": message}
    )
    with pytest.raises(SmsPartnerApiError) as caught:
        await SmsPartnerClient(session, key).async_get_credits()
    assert caught.value.detail == shown


async def test_short_key_leaves_the_currency(
    session: aiohttp.ClientSession, aioclient_mock: AiohttpClientMocker
) -> None:
    """A key that reads like the currency does not change the credits."""
    aioclient_mock.get(SMS_URL, json=sms_payload())
    result = await SmsPartnerClient(session, "EUR").async_get_credits()
    assert result.currency == "EUR"


async def _invalid_url_errors(
    session: aiohttp.ClientSession, aioclient_mock: AiohttpClientMocker, key: str
) -> list[str]:
    """Return the errors of both products' reads with `key`, aiohttp quoting the URL."""
    sms_url = URL(SMS_URL).with_query(apiKey=key)
    voice_url = URL(f"https://api.voicepartner.fr/v1/me/{quote(key, safe='')}")
    texts = []
    for url, client in (
        (sms_url, SmsPartnerClient(session, key)),
        (voice_url, VoicePartnerClient(session, key)),
    ):
        aioclient_mock.get(url, exc=aiohttp.InvalidURL(url))
        with pytest.raises(SmsPartnerConnectionError) as caught:
            await client.async_get_credits()
        texts.append(str(caught.value))
    return texts


@pytest.mark.parametrize("key", ["k", "EUR", "MiXeD-Case_Key-0123"])
async def test_short_key_in_urls(
    session: aiohttp.ClientSession, aioclient_mock: AiohttpClientMocker, key: str
) -> None:
    """Errors that print the request URL never show a key, however short."""
    for text in await _invalid_url_errors(session, aioclient_mock, key):
        assert f"apiKey={REDACTED}" in text or f"/me/{REDACTED}" in text
        assert f"={key}" not in text
        assert f"/{key}" not in text


@pytest.mark.parametrize(
    "key", ["0123456789abcdef", "k3y/slash+plus&amp=eq%pct?#x", "Q'uote\"{brace}~|"]
)
async def test_key_redacted_in_every_form(
    session: aiohttp.ClientSession, aioclient_mock: AiohttpClientMocker, key: str
) -> None:
    """The key, as sent in a path or a query and however encoded, is never shown."""
    query = URL(SMS_URL).with_query(apiKey=key).raw_query_string
    for text in await _invalid_url_errors(session, aioclient_mock, key):
        assert "InvalidURL" in text
        assert REDACTED in text
        for form in (key, quote(key, safe=""), quote_plus(key), query):
            assert form.removeprefix("apiKey=") not in text
