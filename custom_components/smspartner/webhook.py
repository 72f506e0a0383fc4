"""The webhook of an entry: where the providers push reports, and its URL for sends.

Its ID is a secret, like the API key: no log line, state or diagnostics shows it
(nor the URL, which holds it).
"""

from __future__ import annotations

import asyncio
from datetime import timedelta
from functools import partial
from http import HTTPStatus
from typing import Final

from aiohttp import hdrs
from aiohttp.web import Request, RequestPayloadError, Response
from yarl import URL

from homeassistant.components import webhook
from homeassistant.const import CONF_WEBHOOK_ID
from homeassistant.core import CALLBACK_TYPE, HomeAssistant, callback
from homeassistant.helpers.event import async_call_later
from homeassistant.helpers.network import NoURLAvailableError

from .api import (
    MAX_REPORT_BODY,
    CallStatus,
    InvalidReportError,
    MessageStatus,
    ReceivedSms,
    ReplyAssembler,
    ReplyPart,
    Report,
    ReportKind,
    read_report,
)
from .api.concat import PartsKey
from .api.reports import KIND_PARAMETER
from .cloudhook import async_start_cloudhook, cloudhook_url
from .const import DOMAIN, LOGGER
from .coordinator import SmsPartnerConfigEntry
from .identity import account_label
from .report_events import async_fire_report

# A long reply missing parts is given up on this long after its first part.
GIVE_UP_AFTER: Final = timedelta(minutes=3)
# A body not read within this time is not a report.
READ_TIMEOUT: Final = 10.0
# Every method is taken (Home Assistant would log the ID of a refused one);
# reports come by GET or POST, HEAD is answered as a check that the URL exists.
_METHODS: Final = (hdrs.METH_GET, hdrs.METH_HEAD, hdrs.METH_POST, hdrs.METH_PUT)


@callback
def webhook_url(
    hass: HomeAssistant, entry: SmsPartnerConfigEntry, kind: ReportKind | None = None
) -> str | None:
    """Return the URL the providers can reach the webhook at, or None.

    The cloudhook when Home Assistant Cloud is logged in, else the external URL
    as the user configured it (not second-guessed); `kind` tells the reports
    apart.
    """
    if not (url := cloudhook_url(hass, entry)):
        try:
            url = webhook.async_generate_url(
                hass, entry.data[CONF_WEBHOOK_ID], allow_internal=False, allow_ip=True
            )
        except NoURLAvailableError:
            return None
    return url if kind is None else str(URL(url).update_query({KIND_PARAMETER: kind}))


async def _async_read_body(request: Request) -> bytes:
    """Return a request's body, at most MAX_REPORT_BODY bytes, or raise."""
    data = bytearray()
    try:
        async with asyncio.timeout(READ_TIMEOUT):
            while chunk := await request.content.read(MAX_REPORT_BODY + 1 - len(data)):
                data += chunk
                if len(data) > MAX_REPORT_BODY:
                    raise InvalidReportError(
                        f"The body is larger than {MAX_REPORT_BODY} bytes"
                    )
    except (OSError, RequestPayloadError) as err:  # TimeoutError is an OSError
        raise InvalidReportError(
            f"The body was not read: {type(err).__name__}"
        ) from None
    return bytes(data)


class ReportWebhook:
    """An entry's webhook, registered while the entry is loaded.

    Reports become bus events; long replies are put back together first.
    """

    def __init__(self, hass: HomeAssistant, entry: SmsPartnerConfigEntry) -> None:
        """Prepare the webhook of `entry`."""
        self._hass = hass
        self._entry = entry
        self._label = account_label(entry)
        self._parts = ReplyAssembler()
        self._timers: dict[PartsKey, CALLBACK_TYPE] = {}

    @callback
    def async_start(self) -> None:
        """Register the webhook; with Home Assistant Cloud, get its cloudhook."""
        hass, entry = self._hass, self._entry
        webhook.async_register(
            hass,
            DOMAIN,
            entry.title,
            entry.data[CONF_WEBHOOK_ID],
            self._async_handle,
            local_only=False,
            allowed_methods=_METHODS,
        )
        entry.async_on_unload(self._async_stop)
        async_start_cloudhook(hass, entry)

    @callback
    def _async_stop(self) -> None:
        """Unregister the webhook; give up on long replies with what arrived."""
        webhook.async_unregister(self._hass, self._entry.data[CONF_WEBHOOK_ID])
        for sms in self._parts.give_up_all():
            self._fire(sms)
        self._cancel_timers()

    async def _async_handle(
        self, hass: HomeAssistant, webhook_id: str, request: Request
    ) -> Response:
        """Answer a request at once; fire the event of a report it carries.

        Whatever was wrong with a GET or POST, the answer is 200 so that the
        provider does not send it again.
        """
        if request.method not in (hdrs.METH_GET, hdrs.METH_POST):
            LOGGER.debug("%s: webhook %s request ignored", self._label, request.method)
            if request.method == hdrs.METH_HEAD:
                return Response(status=HTTPStatus.OK)
            return Response(status=HTTPStatus.METHOD_NOT_ALLOWED)
        try:
            report = read_report(request.query, await _async_read_body(request))
        except InvalidReportError as err:
            LOGGER.debug("%s: webhook request ignored: %s", self._label, err)
            return Response(status=HTTPStatus.OK)
        LOGGER.debug("%s: webhook report: %s", self._label, type(report).__name__)
        self._dispatch(report)
        return Response(status=HTTPStatus.OK)

    @callback
    def _dispatch(self, report: Report) -> None:
        """Fire a report's event, or keep a part of a long reply."""
        if isinstance(report, ReplyPart):
            self._add_part(report)
        elif isinstance(report, MessageStatus):
            # The tracker fires it once, whether pushed or polled first.
            if (tracker := self._entry.runtime_data.tracker) is not None:
                tracker.async_report(report, "webhook")
            else:
                LOGGER.debug("%s: delivery report ignored: no SMS here", self._label)
        else:
            self._fire(report)

    @callback
    def _fire(self, report: ReceivedSms | CallStatus) -> None:
        """Fire the event of a received SMS or a call's result."""
        async_fire_report(self._hass, self._entry.entry_id, report)

    @callback
    def _add_part(self, part: ReplyPart) -> None:
        """Keep a part; fire the replies it completes; time out a new reply."""
        new = part.key not in self._parts
        for sms in self._parts.add(part):
            self._fire(sms)
        self._cancel_timers(done_only=True)
        if new and part.key in self._parts:
            self._timers[part.key] = async_call_later(
                self._hass, GIVE_UP_AFTER, partial(self._give_up, part.key)
            )

    @callback
    def _give_up(self, key: PartsKey, _now: object) -> None:
        """Fire a reply still missing parts with the parts that arrived."""
        self._timers.pop(key, None)
        if (sms := self._parts.give_up(key)) is not None:
            LOGGER.debug("%s: a long reply is missing parts", self._label)
            self._fire(sms)

    @callback
    def _cancel_timers(self, *, done_only: bool = False) -> None:
        """Cancel the timers of replies no longer missing parts (or all)."""
        for key in list(self._timers):
            if not done_only or key not in self._parts:
                self._timers.pop(key)()
