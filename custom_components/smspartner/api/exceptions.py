"""Errors of the SMS Partner and Voice Partner client; none holds the API key."""

from __future__ import annotations

from typing import Final


class SmsPartnerError(Exception):
    """Base error of the client; its message never contains the API key."""


class SmsPartnerAuthenticationError(SmsPartnerError):
    """The API key was refused (code 10), or no provider could have issued it."""


class SmsPartnerConnectionError(SmsPartnerError):
    """The API could not be reached, timed out or answered a server error."""


class SmsPartnerInvalidResponseError(SmsPartnerError):
    """The API answered something that is not a usable payload."""


class SmsPartnerApiError(SmsPartnerError):
    """The API answered with an error code other than an authentication failure."""

    def __init__(self, code: int | None, message: str) -> None:
        """Store the provider's error code (None when it gave none) and message."""
        super().__init__(message if code is None else f"API error {code}: {message}")
        self.code = code
        self.detail = message


class SmsPartnerInvalidRequestError(SmsPartnerApiError):
    """The provider refused the parameters of a send (codes 2, 9 and 13)."""


class SmsPartnerInsufficientCreditError(SmsPartnerApiError):
    """The account has not enough credit for the send (code 11)."""


class SmsPartnerStopListError(SmsPartnerApiError):
    """A recipient is on the account's STOP list (code 14)."""


class SmsPartnerCancelTooLateError(SmsPartnerApiError):
    """A scheduled SMS is due within 5 minutes: too late to cancel (code 6)."""


API_ERRORS: Final[dict[int, type[SmsPartnerApiError]]] = {
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
