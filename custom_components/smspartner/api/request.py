"""The request core both clients share: budgets, timeout, bounded reads, errors."""

from __future__ import annotations

from abc import ABC, abstractmethod
import asyncio
from collections.abc import Mapping
import json
import logging
import time
from typing import Any, ClassVar, Final

import aiohttp
from aiohttp import hdrs

from .body import ACCEPT_ENCODING, Content, read_body
from .exceptions import (
    API_ERRORS,
    SmsPartnerApiError,
    SmsPartnerAuthenticationError,
    SmsPartnerConnectionError,
    SmsPartnerInvalidResponseError,
    SmsPartnerRateLimitError,
    SmsPartnerThrottledError,
)
from .failure import error_code, error_message, seconds_to_wait
from .keys import is_api_key, redact
from .limiter import RequestLimiter

REQUEST_TIMEOUT: Final = 10.0
AUTH_ERROR_CODE: Final = 10
# A child of the integration's logger: its debug switch covers the client too.
_LOGGER: Final = logging.getLogger(__package__)


class ProviderClient[CreditsT](ABC):
    """A client for one API key of one provider, at `url` or its `base_url`."""

    base_url: ClassVar[str]

    def __init__(
        self,
        session: aiohttp.ClientSession,
        api_key: str,
        *,
        url: str | None = None,
        limiter: RequestLimiter | None = None,
        send_limiter: RequestLimiter | None = None,
        timeout: float = REQUEST_TIMEOUT,
    ) -> None:
        """Store the session and the key; `limiter` budgets reads, `send_limiter` sends."""
        self._session = session
        self._api_key = api_key
        self._url = (url or self.base_url).rstrip("/")
        self.limiter = limiter
        self.send_limiter = send_limiter
        self._timeout = timeout

    def __repr__(self) -> str:
        """Describe the client without its key."""
        return f"{type(self).__name__}(url={self._url!r})"

    @abstractmethod
    async def async_get_credits(self) -> CreditsT:
        """Return the credits of the account."""

    def _key(self) -> str:
        """Return the key to send; one no provider could have is refused unsent."""
        if not is_api_key(self._api_key):
            raise SmsPartnerAuthenticationError("The API key cannot be valid")
        return self._api_key

    async def _request(
        self,
        method: str,
        path: str,
        *,
        params: Mapping[str, str] | None = None,
        body: Mapping[str, Any] | None = None,
        send: bool = False,
        budget: tuple[str, RequestLimiter | None] | None = None,
        success_field: bool = True,
    ) -> Mapping[str, Any]:
        r"""Send one request within its budget and return the JSON object.

        A send counts against the send budget (the reads' one without it),
        anything else against the reads', unless `budget` (its name and
        limiter, None for no limit) gives the request a budget of its own.
        Without `success_field` (an answer documented without it), a body needs
        no `"success": true`, only no false.
        A body is sent as JSON, which escapes `"` as \" the way the providers
        ask. The timeout covers connecting, reading and decoding; redirects are
        not followed, so the key goes to the provider's host and nowhere else.
        """
        data = None if body is None else _json_body(body)
        # What the debug lines show of a request: the Voice Partner key is a
        # path segment (the SMS Partner one a parameter, never shown).
        shown = f"{method} {redact(path, self._api_key)}"
        if budget is not None:
            name, limiter = budget
        else:
            limiter = (send and self.send_limiter) or self.limiter
            name = "send" if send and self.send_limiter else "read"
        if limiter is not None:
            try:
                limiter.acquire()
            except SmsPartnerThrottledError as err:
                _LOGGER.debug(
                    "%s not sent: %s budget spent, next request in %.0f s",
                    shown,
                    name,
                    err.retry_after,
                )
                raise
            _LOGGER.debug(
                "%s sent (%s budget: %d of %d in %.0f s)",
                shown,
                name,
                limiter.requests_in_window,
                limiter.max_requests,
                limiter.period,
            )
        headers = {hdrs.ACCEPT_ENCODING: ACCEPT_ENCODING}
        if data is not None:
            headers[hdrs.CONTENT_TYPE] = "application/json"
        started = time.monotonic()
        try:
            async with (
                asyncio.timeout(self._timeout),
                self._session.request(
                    method,
                    f"{self._url}{path}",
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
            _LOGGER.debug("%s timed out after %d ms", shown, _ms_since(started))
            raise SmsPartnerConnectionError("Timed out talking to the API") from None
        except aiohttp.ClientError as err:
            error = SmsPartnerConnectionError(
                redact(
                    f"Cannot reach the API: {type(err).__name__}: {err}", self._api_key
                )
            )
            _LOGGER.debug("%s failed after %d ms: %s", shown, _ms_since(started), error)
            raise error from None
        _LOGGER.debug("%s answered HTTP %d in %d ms", shown, status, _ms_since(started))
        if status == 429:
            seconds = seconds_to_wait(retry_after)
            if limiter is not None:
                limiter.pause(seconds)
                _LOGGER.debug(
                    "%s: too many requests, %s budget paused for %.0f s",
                    shown,
                    name,
                    seconds,
                )
            raise SmsPartnerRateLimitError(seconds)
        return self._payload(status, content, success_field)

    def _payload(
        self, status: int, content: Content, success_field: bool = True
    ) -> Mapping[str, Any]:
        """Check the status and the body, and return the JSON object."""
        if 300 <= status < 400:
            raise SmsPartnerInvalidResponseError(
                f"The API answered a redirect (HTTP {status}), not followed"
            )
        payload = content.json()
        code = error_code(payload.get("code")) if isinstance(payload, dict) else None
        if code == AUTH_ERROR_CODE or status == 401:
            raise SmsPartnerAuthenticationError("The API key was refused")
        if status >= 500:
            raise SmsPartnerConnectionError(f"The API answered HTTP {status}")
        if not isinstance(payload, dict):
            raise SmsPartnerInvalidResponseError(
                f"The API answered HTTP {status} without a JSON object"
            )
        success = payload.get("success", None if success_field else True)
        if success is not True or status >= 400:
            message = error_message(payload) or f"HTTP {status}"
            raise API_ERRORS.get(code or 0, SmsPartnerApiError)(
                code, redact(message, self._api_key)
            )
        return payload


def _ms_since(started: float) -> int:
    """Return the milliseconds since `started` (monotonic clock)."""
    return round((time.monotonic() - started) * 1000)


def _json_body(body: Mapping[str, Any]) -> bytes:
    """Return a request body as UTF-8 JSON; raise ValueError without its text."""
    try:
        return json.dumps(body, ensure_ascii=False).encode()
    except UnicodeEncodeError:
        raise ValueError("The request holds text that is not valid Unicode") from None
