"""Constants for the SMS Partner integration."""

from datetime import timedelta
import logging
from typing import Final

DOMAIN: Final = "smspartner"
LOGGER = logging.getLogger(__package__)

CONF_SERVICE: Final = "service"
CONF_ACCOUNT: Final = "account"
# Recipients of SMS notifications: config subentries of SMS Partner entries.
SUBENTRY_RECIPIENT: Final = "recipient"
CONF_PHONE_NUMBERS: Final = "phone_numbers"
CONF_SENDER: Final = "sender"
SERVICE_SMS: Final = "sms_partner"
SERVICE_VOICE: Final = "voice_partner"

MANUFACTURER: Final = "NDA Media"
SERVICE_NAMES: Final = {SERVICE_SMS: "SMS Partner", SERVICE_VOICE: "Voice Partner"}
CUSTOMER_SITES: Final = {
    SERVICE_SMS: "https://my.smspartner.fr/",
    SERVICE_VOICE: "https://my.voicepartner.fr/",
}

UPDATE_INTERVAL: Final = timedelta(minutes=5)
# Budgets: requests allowed in a period (seconds).
# Per key, for its credit reads (polling, refreshes) and the config flow's checks
# of that key. Voice Partner allows 5 requests a minute; SMS Partner documents no
# limit, so the same conservative budget applies to both.
MAX_REQUESTS: Final = 5
REQUEST_PERIOD: Final = 60.0
# Per provider host, all keys together, for the same credit reads and key checks:
# every key's budget above also counts here, so that trying key after key in the
# config flow cannot flood a provider. Voice Partner's documented limit is 5 a
# minute; SMS Partner documents none, and 20 a minute leaves room for several
# accounts polling every 5 minutes and a user correcting a key a few times.
HOST_BUDGETS: Final = {SERVICE_SMS: (20, 60.0), SERVICE_VOICE: (5, 60.0)}
# Per key, for sends only (send actions and notify entities). Voice Partner allows
# 2000 text-to-speech sends an hour. SMS Partner documents no limit for sending;
# 60 an hour (up to 500 numbers each) keeps a looping automation from spending
# the whole credit.
SEND_BUDGETS: Final = {SERVICE_SMS: (60, 3600.0), SERVICE_VOICE: (2000, 3600.0)}

ENV_SMS_API_URL: Final = "SMSPARTNER_SMS_API_URL"
ENV_VOICE_API_URL: Final = "SMSPARTNER_VOICE_API_URL"
