"""SMS Partner's delivery-status and cancel routes: message-status, bulk-status, message-cancel.

Codes from the providers' pages: 2 number required, 3 message id required,
4 message (or number) not found, 5 already cancelled, 6 less than 5 minutes before
the scheduled time, 7 already sent. A cancelled send answers code 4 to status
requests (inferred: no page says), and its cost is refunded.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, Final

from aiohttp import web

from .numbers import InvalidNumber, parse
from .payloads import DATE_FORMAT
from .serving import Answer, error_body, sms_query_route
from .state import Simulator, key_id
from .tracking import CancelRefused, TrackedSms

_NOT_FOUND: Final = (4, "Message not found")


def _refusal(sim: Simulator, code: int, message: str) -> web.Response:
    """Return an error body with the status SMS Partner errors use right now."""
    return error_body(code, message, sim.behaviour["sms"].error_status)


def _followed(
    respond: Callable[[Simulator, TrackedSms, dict[str, str]], web.Response],
) -> Callable[[dict[str, str]], Answer]:
    """Return an answer factory that finds the send `messageId` names, then responds."""

    def make(query: dict[str, str]) -> Answer:
        def answer(sim: Simulator, api_key: str) -> web.Response | None:
            if sim.sms_account(api_key) is None:
                return None
            if not (message_id := query.get("messageId", "")):
                return _refusal(sim, 3, "Message ID is required")
            tracked = sim.tracker.find(key_id(api_key), message_id)
            if tracked is None or tracked.cancelled:
                return _refusal(sim, *_NOT_FOUND)
            return respond(sim, tracked, query)

        return answer

    return make


@_followed
def _message_status(
    sim: Simulator, tracked: TrackedSms, query: dict[str, str]
) -> web.Response:
    """Answer GET message-status (one number of one send)."""
    if not (number := query.get("phoneNumber", "")):
        return _refusal(sim, 2, "The field phoneNumber is required")
    if (recipient := tracked.recipient(number)) is None:
        return _refusal(sim, *_NOT_FOUND)
    return web.json_response(
        {
            "success": True,
            "code": 200,
            "number": recipient.number,
            "messageId": str(tracked.message_id),
            "stopSms": recipient.stop,
            "date": f"{recipient.date:{DATE_FORMAT}}",
            "statut": recipient.status,
            "cost": tracked.cost_each,
            "countryCode": _country(recipient.number),
            "currency": "EUR",
        }
    )


def _country(number: str) -> str:
    """Return the ISO country of a number, FR when unknown."""
    try:
        return parse(number).country.iso
    except InvalidNumber:
        return "FR"


@_followed
def _bulk_status(
    sim: Simulator, tracked: TrackedSms, query: dict[str, str]
) -> web.Response:
    """Answer GET bulk-status (every number of one send)."""
    statuses: list[dict[str, Any]] = [
        {
            "phoneNumber": recipient.number,
            "status": recipient.status,
            "stopSMS": recipient.stop,
            "date": f"{recipient.date:{DATE_FORMAT}}",
        }
        for recipient in tracked.recipients.values()
    ]
    return web.json_response(
        {
            "success": True,
            "code": 200,
            "message_id": tracked.message_id,
            "StatutResponse_List": statuses,
        }
    )


def _message_cancel(query: dict[str, str]) -> Answer:
    """Return the answer to GET message-cancel."""

    def answer(sim: Simulator, api_key: str) -> web.Response | None:
        if (account := sim.sms_account(api_key)) is None:
            return None
        try:
            tracked = sim.tracker.cancel(
                key_id(api_key), query.get("messageId", ""), sim.paris_now()
            )
        except CancelRefused as err:
            return _refusal(sim, err.code, err.message)
        sim.callbacks.cancel(tracked.message_id)
        account.debited -= tracked.cost
        return web.json_response(
            {
                "success": True,
                "code": 200,
                "message": "The SMS sending has been canceled.",
            }
        )

    return answer


def add_status_routes(app: web.Application, prefix: str) -> None:
    """Serve the status and cancel routes under the SMS Partner prefix."""
    app.router.add_get(f"{prefix}/message-status", sms_query_route(_message_status))
    app.router.add_get(f"{prefix}/bulk-status", sms_query_route(_bulk_status))
    app.router.add_get(f"{prefix}/message-cancel", sms_query_route(_message_cancel))
