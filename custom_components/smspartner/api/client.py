"""The SMS Partner and Voice Partner clients: credits, sends, lookups, statuses, cancels."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime
import logging
from typing import Any, Final, TypedDict, Unpack
from urllib.parse import quote
from zoneinfo import ZoneInfo

from . import models
from .exceptions import SmsPartnerApiError, SmsPartnerCancelTooLateError
from .limiter import RequestLimiter
from .lookup import LOOKUP_BATCH, NumberLookup, parse_lookup
from .phone import encode_sms_message
from .request import ProviderClient
from .spend import Spend, parse_cost_resume
from .status import MessageStatus, parse_bulk_status
from .subaccounts import MAX_SUBACCOUNT_PAGES, SubAccount, parse_subaccount_page

SMS_API_URL: Final = "https://api.smspartner.fr/v1"
VOICE_API_URL: Final = "https://api.voicepartner.fr/v1"
# Schedules are read on the providers' clock (French time; inferred).
PROVIDER_TIMEZONE: Final = ZoneInfo("Europe/Paris")
# message-cancel's code for a send due within 5 minutes.
CANCEL_TOO_LATE: Final = 6
_LOGGER: Final = logging.getLogger(__package__)


class SmsOptions(TypedDict, total=False):
    """How an SMS goes, besides its numbers and text (SmsPartnerClient.async_send_sms)."""

    sender: str | None
    scheduled: datetime | None
    sandbox: bool
    unicode: bool


class SmsPartnerClient(ProviderClient[models.SmsPartnerCredits]):
    """An SMS Partner account: credits, SMS sends, lookups, statuses and cancels.

    Arguments are sent as given: check them first with the rules of `phone`.
    `lookup_limiter` budgets the lookups, `status_limiter` the delivery status
    requests, `spend_limiter` the spend statistics, `subaccount_limiter` the
    pages of sub-accounts (none by default).
    """

    base_url = SMS_API_URL
    lookup_limiter: RequestLimiter | None = None
    status_limiter: RequestLimiter | None = None
    spend_limiter: RequestLimiter | None = None
    subaccount_limiter: RequestLimiter | None = None

    async def async_get_credits(self) -> models.SmsPartnerCredits:
        """Return the credits of the account (GET /v1/me)."""
        payload = await self._request("GET", "/me", params={"apiKey": self._key()})
        return models.parse_sms_credits(payload)

    async def async_get_spend(self, start: date, end: date) -> Spend:
        """Return what the account spent from `start` to `end`, both included.

        GET /v1/statistics/cost-resume, interval=custom; the provider allows 5 of
        these a minute and reads the dates on its own clock (inferred).
        """
        params = {
            "apiKey": self._key(),
            "interval": "custom",
            "from": start.strftime("%d-%m-%Y"),
            "to": end.strftime("%d-%m-%Y"),
        }
        payload = await self._request(
            "GET",
            "/statistics/cost-resume",
            params=params,
            budget=("spend", self.spend_limiter),
        )
        return parse_cost_resume(payload)

    async def async_get_subaccounts(
        self, max_pages: int = MAX_SUBACCOUNT_PAGES
    ) -> tuple[SubAccount, ...]:
        """Return the sub-accounts, page after page (GET /v1/subaccount/list).

        Pages are numbered from 1 (inferred); the read stops at a short page, at
        the total, or after `max_pages` pages.
        """
        found: dict[str, SubAccount] = {}
        for page in range(1, max_pages + 1):
            params = {"apiKey": self._key(), "page": str(page)}
            answer = parse_subaccount_page(
                await self._request(
                    "GET",
                    "/subaccount/list",
                    params=params,
                    budget=("subaccounts", self.subaccount_limiter),
                    success_field=False,
                )
            )
            for account in answer.accounts:
                found.setdefault(account.id, account)
            if len(answer.accounts) < answer.per_page or (
                answer.total is not None and page * answer.per_page >= answer.total
            ):
                return tuple(found.values())
        _LOGGER.debug(
            "More sub-accounts than %d pages: the others are not read", max_pages
        )
        return tuple(found.values())

    async def async_send_sms(
        self,
        phone_numbers: Sequence[str],
        message: str,
        *,
        url_dlr: str | None = None,
        url_response: str | None = None,
        **options: Unpack[SmsOptions],
    ) -> models.SmsSendResult:
        """Send an SMS (POST /v1/send); `scheduled` is aware, minute in steps of 5.

        With `unicode`, the message goes as unicode (70 characters an SMS), which
        the provider must have enabled on the account; without it, the provider
        replaces what GSM 7-bit lacks (segments.sms_length counts either way).
        `url_dlr` and `url_response` are where the provider pushes the delivery
        reports and the replies (api.reports parses them).
        """
        sender, scheduled = options.get("sender"), options.get("scheduled")
        body: dict[str, Any] = {
            "apiKey": self._key(),
            "phoneNumbers": ",".join(phone_numbers),
            "message": encode_sms_message(message),
        }
        if sender is not None:
            body["sender"] = sender
        if scheduled is not None:
            when = scheduled.astimezone(PROVIDER_TIMEZONE)
            body |= {
                "scheduledDeliveryDate": when.strftime("%d/%m/%Y"),
                "time": when.hour,
                "minute": when.minute,
            }
        if options.get("sandbox"):
            body["sandbox"] = 1
        if options.get("unicode"):
            body["isUnicode"] = 1
        if url_dlr is not None:
            body["urlDlr"] = url_dlr
        if url_response is not None:
            body["urlResponse"] = url_response
        return models.parse_sms_send(
            await self._request("POST", "/send", body=body, send=True)
        )

    async def async_lookup(self, phone_numbers: Sequence[str]) -> list[NumberLookup]:
        """Look numbers up (POST /v1/lookup, free), LOOKUP_BATCH to a request."""
        results: list[NumberLookup] = []
        for start in range(0, len(phone_numbers), LOOKUP_BATCH):
            batch = phone_numbers[start : start + LOOKUP_BATCH]
            body = {"apiKey": self._key(), "phoneNumbers": ",".join(batch)}
            payload = await self._request(
                "POST", "/lookup", body=body, budget=("lookup", self.lookup_limiter)
            )
            results += parse_lookup(payload, batch)
        return results

    async def async_get_bulk_status(self, message_id: str) -> tuple[MessageStatus, ...]:
        """Return the status of every number of a send (GET /v1/bulk-status)."""
        payload = await self._request(
            "GET",
            "/bulk-status",
            params={"apiKey": self._key(), "messageId": message_id},
            budget=("status", self.status_limiter),
        )
        return parse_bulk_status(payload, message_id)

    async def async_cancel_sms(self, message_id: str) -> None:
        """Cancel a scheduled send (GET /v1/message-cancel), in the send budget.

        The provider refuses within 5 minutes of the send's time: that refusal
        raises SmsPartnerCancelTooLateError.
        """
        try:
            await self._request(
                "GET",
                "/message-cancel",
                params={"apiKey": self._key(), "messageId": message_id},
                send=True,
            )
        except SmsPartnerApiError as err:
            if err.code == CANCEL_TOO_LATE:
                raise SmsPartnerCancelTooLateError(err.code, err.detail) from None
            raise


class VoicePartnerClient(ProviderClient[models.VoicePartnerCredits]):
    """A Voice Partner account: its credits, and text-to-speech calls.

    Arguments are sent as given: check them first with the rules of `phone`.
    """

    base_url = VOICE_API_URL

    async def async_get_credits(self) -> models.VoicePartnerCredits:
        """Return the credits of the account (GET /v1/me/KEY: the key is the path)."""
        payload = await self._request("GET", f"/me/{quote(self._key(), safe='')}")
        return models.parse_voice_credits(payload)

    async def async_send_voice_message(
        self,
        phone_numbers: Sequence[str],
        text: str,
        *,
        language: str,
        speech_rate: float | None = None,
        scheduled: datetime | None = None,
        notify_url: str | None = None,
    ) -> models.VoiceSendResult:
        """Call recipients and read `text` (POST /v1/tts/send); `scheduled` is aware.

        `notify_url` is where the provider pushes the calls' results.
        """
        body: dict[str, Any] = {
            "apiKey": self._key(),
            "phoneNumbers": ",".join(phone_numbers),
            "text": text,
            "lang": language,
        }
        if speech_rate is not None:
            body["speechRate"] = speech_rate
        if scheduled is not None:
            when = scheduled.astimezone(PROVIDER_TIMEZONE)
            body["scheduledDate"] = when.strftime("%Y-%m-%d %H:%M:00")
        if notify_url is not None:
            body["notifyUrl"] = notify_url
        payload = await self._request("POST", "/tts/send", body=body, send=True)
        return models.parse_voice_send(payload)
