"""Sending, the one path of the actions and the notify entities.

Arguments are checked before (validation.py); a client error becomes a
translated error here, and a refused key starts re-authentication.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from datetime import datetime
from typing import Unpack

from homeassistant.exceptions import HomeAssistantError

from .api import (
    ReportKind,
    SmsOptions,
    SmsPartnerClient,
    SmsSendResult,
    VoicePartnerClient,
    VoiceSendResult,
    exceptions as errors,
)
from .const import DOMAIN, LOGGER
from .coordinator import SmsPartnerConfigEntry
from .product import PRODUCTS, Product
from .validation import invalid, shown
from .webhook import webhook_url


def _failed(key: str, **placeholders: str) -> HomeAssistantError:
    """Return a translated error of the provider or the connection."""
    return HomeAssistantError(
        translation_domain=DOMAIN,
        translation_key=key,
        translation_placeholders=placeholders or None,
    )


def _send_error(err: errors.SmsPartnerError, *, unicode: bool) -> HomeAssistantError:
    """Return the translated error of a failed send (`unicode`: one asked for it).

    The provider's answer when unicode is not enabled on the account is not
    documented: with unicode, a refusal other than credit or STOP says that it
    may be the cause (inferred).
    """
    if isinstance(err, errors.SmsPartnerAuthenticationError):
        return _failed("invalid_auth")
    if isinstance(err, errors.SmsPartnerThrottledError):
        return _failed("send_budget_spent", seconds=str(round(err.retry_after)))
    if isinstance(err, errors.SmsPartnerRateLimitError):
        return _failed("rate_limited", seconds=str(round(err.retry_after)))
    if isinstance(err, errors.SmsPartnerStopListError):
        return invalid("stop_list", detail=err.detail)
    if isinstance(err, errors.SmsPartnerInsufficientCreditError):
        return _failed("insufficient_credit")
    if unicode and isinstance(err, errors.SmsPartnerApiError):
        return _failed("unicode_refused", detail=err.detail)
    if isinstance(err, errors.SmsPartnerInvalidRequestError):
        return invalid("invalid_parameters", detail=err.detail)
    if isinstance(err, errors.SmsPartnerApiError) and err.code is not None:
        return _failed("send_failed", code=str(err.code), detail=err.detail)
    if isinstance(err, errors.SmsPartnerApiError):
        return _failed("send_refused", detail=err.detail)
    if isinstance(err, errors.SmsPartnerInvalidResponseError):
        return _failed("send_unconfirmed")
    return _failed("cannot_connect")


@contextmanager
def _handle_send_errors(
    entry: SmsPartnerConfigEntry, *, unicode: bool = False
) -> Iterator[None]:
    """Translate the errors of a send; a refused key starts re-authentication.

    A ValueError of the client is refused without its text, which could quote
    the request. The debug line names the error's type only: a provider's
    message may quote the numbers.
    """
    try:
        yield
    except errors.SmsPartnerAuthenticationError as err:
        _log_failure(entry, err)
        entry.async_start_reauth(entry.runtime_data.coordinator.hass)
        raise _send_error(err, unicode=unicode) from err
    except errors.SmsPartnerError as err:
        _log_failure(entry, err)
        raise _send_error(err, unicode=unicode) from err
    except ValueError as err:
        _log_failure(entry, err)
        raise invalid("invalid_send_arguments") from None


def _log_failure(entry: SmsPartnerConfigEntry, err: Exception) -> None:
    """Log at debug level that a send of `entry` failed, without the error's text."""
    code = getattr(err, "code", None)
    LOGGER.debug(
        "Send from %s failed: %s%s",
        entry.runtime_data.coordinator.label,
        type(err).__name__,
        "" if code is None else f" (code {code})",
    )


def wrong_product(entry: SmsPartnerConfigEntry, product: Product) -> Exception:
    """Return the error of an entry that is not for `product`."""
    return invalid("wrong_service", entry=entry.title, service=PRODUCTS[product].name)


def sms_client(entry: SmsPartnerConfigEntry) -> SmsPartnerClient:
    """Return the client of a loaded SMS Partner entry; refuse another product's."""
    if not isinstance(
        client := entry.runtime_data.coordinator.client, SmsPartnerClient
    ):
        raise wrong_product(entry, Product.SMS_PARTNER)
    return client


async def async_send_sms(
    entry: SmsPartnerConfigEntry,
    numbers: Sequence[str],
    message: str,
    **options: Unpack[SmsOptions],
) -> SmsSendResult:
    """Send checked arguments as an SMS, then refresh the credits (not in sandbox).

    Reports are asked for at the webhook when it has a URL (not in sandbox).
    """
    coordinator = entry.runtime_data.coordinator
    client = sms_client(entry)
    hass = coordinator.hass
    sandbox = options.get("sandbox", False)
    url_dlr = None if sandbox else webhook_url(hass, entry, ReportKind.DELIVERY)
    url_response = None if sandbox else webhook_url(hass, entry, ReportKind.REPLY)
    LOGGER.debug(
        "Sending an SMS from %s to %d numbers%s%s",
        coordinator.label,
        len(numbers),
        " (sandbox)" if sandbox else "",
        " with report URLs" if url_dlr else "",
    )
    with _handle_send_errors(entry, unicode=options.get("unicode", False)):
        result = await client.async_send_sms(
            numbers, message, url_dlr=url_dlr, url_response=url_response, **options
        )
    LOGGER.debug(
        "SMS sent from %s: message %s, %d SMS, cost %s %s",
        coordinator.label,
        result.message_id,
        result.sms_count,
        result.cost,
        result.currency,
    )
    if not sandbox:
        if tracker := entry.runtime_data.tracker:
            tracker.async_track(result.message_id, numbers, at=options.get("scheduled"))
        await coordinator.async_request_refresh()
    return result


async def async_cancel_sms(entry: SmsPartnerConfigEntry, message_id: str) -> None:
    """Cancel a scheduled SMS, stop following it, then refresh the (refunded) credits."""
    coordinator = entry.runtime_data.coordinator
    client = sms_client(entry)
    with _handle_send_errors(entry):
        try:
            await client.async_cancel_sms(message_id)
        except errors.SmsPartnerCancelTooLateError:
            raise invalid("cancel_too_late", message_id=shown(message_id)) from None
        except errors.SmsPartnerApiError as err:
            raise invalid(
                "cancel_refused", message_id=shown(message_id), detail=err.detail
            ) from None
    LOGGER.debug("%s: message %s cancelled", coordinator.label, message_id)
    if tracker := entry.runtime_data.tracker:
        tracker.async_forget(message_id)
    await coordinator.async_request_refresh()


async def async_send_voice_message(
    entry: SmsPartnerConfigEntry,
    numbers: Sequence[str],
    message: str,
    *,
    language: str,
    speech_rate: float | None = None,
    scheduled: datetime | None = None,
) -> VoiceSendResult:
    """Send checked arguments as a text-to-speech call, then refresh the credits.

    The calls' results are asked for at the webhook when it has a URL.
    """
    coordinator = entry.runtime_data.coordinator
    if not isinstance(client := coordinator.client, VoicePartnerClient):
        raise wrong_product(entry, Product.VOICE_PARTNER)
    notify_url = webhook_url(coordinator.hass, entry, ReportKind.CALL)
    LOGGER.debug(
        "Sending a voice message from %s to %d numbers%s",
        coordinator.label,
        len(numbers),
        " with a report URL" if notify_url else "",
    )
    with _handle_send_errors(entry):
        result = await client.async_send_voice_message(
            numbers,
            message,
            language=language,
            speech_rate=speech_rate,
            scheduled=scheduled,
            notify_url=notify_url,
        )
    LOGGER.debug(
        "Voice message sent from %s: campaign %s, %d messages, cost %s %s",
        coordinator.label,
        result.campaign_id,
        result.message_count,
        result.cost,
        result.currency,
    )
    await coordinator.async_request_refresh()
    return result
