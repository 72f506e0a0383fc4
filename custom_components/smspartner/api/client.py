"""The SMS Partner and Voice Partner clients: credits and sends."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any, Final
from urllib.parse import quote
from zoneinfo import ZoneInfo

from .models import (
    SmsPartnerCredits,
    SmsSendResult,
    VoicePartnerCredits,
    VoiceSendResult,
    parse_sms_credits,
    parse_sms_send,
    parse_voice_credits,
    parse_voice_send,
)
from .phone import encode_sms_message
from .request import ProviderClient

SMS_API_URL: Final = "https://api.smspartner.fr/v1"
VOICE_API_URL: Final = "https://api.voicepartner.fr/v1"
# Schedules are read on the providers' clock (French time; inferred).
PROVIDER_TIMEZONE: Final = ZoneInfo("Europe/Paris")


class SmsPartnerClient(ProviderClient[SmsPartnerCredits]):
    """An SMS Partner account: its credits, and SMS sends.

    Arguments are sent as given: check them first with the rules of `phone`.
    """

    base_url = SMS_API_URL

    async def async_get_credits(self) -> SmsPartnerCredits:
        """Return the credits of the account (GET /v1/me)."""
        payload = await self._request("GET", "/me", params={"apiKey": self._key()})
        return parse_sms_credits(payload)

    async def async_send_sms(
        self,
        phone_numbers: Sequence[str],
        message: str,
        *,
        sender: str | None = None,
        scheduled: datetime | None = None,
        sandbox: bool = False,
    ) -> SmsSendResult:
        """Send an SMS (POST /v1/send); `scheduled` is aware, minute in steps of 5."""
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
        if sandbox:
            body["sandbox"] = 1
        return parse_sms_send(
            await self._request("POST", "/send", body=body, send=True)
        )


class VoicePartnerClient(ProviderClient[VoicePartnerCredits]):
    """A Voice Partner account: its credits, and text-to-speech calls.

    Arguments are sent as given: check them first with the rules of `phone`.
    """

    base_url = VOICE_API_URL

    async def async_get_credits(self) -> VoicePartnerCredits:
        """Return the credits of the account (GET /v1/me/KEY: the key is the path)."""
        payload = await self._request("GET", f"/me/{quote(self._key(), safe='')}")
        return parse_voice_credits(payload)

    async def async_send_voice_message(
        self,
        phone_numbers: Sequence[str],
        text: str,
        *,
        language: str,
        speech_rate: float | None = None,
        scheduled: datetime | None = None,
    ) -> VoiceSendResult:
        """Call recipients and read `text` (POST /v1/tts/send); `scheduled` is aware."""
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
        payload = await self._request("POST", "/tts/send", body=body, send=True)
        return parse_voice_send(payload)
