"""Async client for the SMS Partner and Voice Partner APIs (NDA Media).

No Home Assistant import: the package could be published on its own.
"""

from .body import MAX_BODY
from .client import (
    PROVIDER_TIMEZONE,
    SMS_API_URL,
    VOICE_API_URL,
    SmsOptions,
    SmsPartnerClient,
    VoicePartnerClient,
)
from .concat import ReplyAssembler
from .exceptions import (
    SmsPartnerApiError,
    SmsPartnerAuthenticationError,
    SmsPartnerCancelTooLateError,
    SmsPartnerConnectionError,
    SmsPartnerError,
    SmsPartnerInsufficientCreditError,
    SmsPartnerInvalidRequestError,
    SmsPartnerInvalidResponseError,
    SmsPartnerRateLimitError,
    SmsPartnerStopListError,
    SmsPartnerThrottledError,
)
from .failure import MAX_RETRY_AFTER
from .keys import check_api_key
from .limiter import RequestLimiter
from .lookup import LOOKUP_BATCH, NumberLookup, parse_lookup
from .models import (
    Credits,
    SmsPartnerCredits,
    SmsSendResult,
    VoicePartnerCredits,
    VoiceSendResult,
    parse_sms_credits,
    parse_sms_send,
    parse_voice_credits,
    parse_voice_send,
)
from .phone import (
    MAX_RECIPIENTS,
    SENDER_PATTERN,
    SPEECH_RATE_RANGE,
    encode_sms_message,
    normalize_phone_number,
    to_e164,
)
from .reports import (
    MAX_REPORT_BODY,
    CallOutcome,
    CallStatus,
    InvalidReportError,
    ReceivedSms,
    ReplyKind,
    ReplyPart,
    Report,
    ReportKind,
    read_report,
)
from .request import REQUEST_TIMEOUT, ProviderClient
from .segments import Encoding, SmsLength, sms_length
from .spend import Spend, parse_cost_resume
from .status import DeliveryStatus, MessageStatus, delivery_status
from .subaccounts import (
    MAX_SUBACCOUNT_PAGES,
    SubAccount,
    SubAccountPage,
    parse_subaccount_page,
)

__all__ = [
    "LOOKUP_BATCH",
    "MAX_BODY",
    "MAX_RECIPIENTS",
    "MAX_REPORT_BODY",
    "MAX_RETRY_AFTER",
    "MAX_SUBACCOUNT_PAGES",
    "PROVIDER_TIMEZONE",
    "REQUEST_TIMEOUT",
    "SENDER_PATTERN",
    "SMS_API_URL",
    "SPEECH_RATE_RANGE",
    "VOICE_API_URL",
    "CallOutcome",
    "CallStatus",
    "Credits",
    "DeliveryStatus",
    "Encoding",
    "InvalidReportError",
    "MessageStatus",
    "NumberLookup",
    "ProviderClient",
    "ReceivedSms",
    "ReplyAssembler",
    "ReplyKind",
    "ReplyPart",
    "Report",
    "ReportKind",
    "RequestLimiter",
    "SmsPartnerApiError",
    "SmsPartnerAuthenticationError",
    "SmsLength",
    "SmsPartnerCancelTooLateError",
    "SmsOptions",
    "SmsPartnerClient",
    "SmsPartnerConnectionError",
    "SmsPartnerCredits",
    "SmsPartnerError",
    "SmsPartnerInsufficientCreditError",
    "SmsPartnerInvalidRequestError",
    "SmsPartnerInvalidResponseError",
    "SmsPartnerRateLimitError",
    "SmsPartnerStopListError",
    "SmsPartnerThrottledError",
    "SmsSendResult",
    "Spend",
    "SubAccount",
    "SubAccountPage",
    "VoicePartnerClient",
    "VoicePartnerCredits",
    "VoiceSendResult",
    "check_api_key",
    "delivery_status",
    "encode_sms_message",
    "normalize_phone_number",
    "parse_lookup",
    "parse_cost_resume",
    "parse_sms_credits",
    "parse_sms_send",
    "parse_subaccount_page",
    "parse_voice_credits",
    "parse_voice_send",
    "sms_length",
    "read_report",
    "to_e164",
]
