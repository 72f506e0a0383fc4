"""Constants for the SMS Partner integration."""

from datetime import timedelta
import logging
from typing import Final

DOMAIN: Final = "smspartner"
LOGGER = logging.getLogger(__package__)

# The product an entry is for (product.Product), stored under its first name.
CONF_PRODUCT: Final = "service"
CONF_ACCOUNT: Final = "account"
# Recipients of SMS notifications: config subentries of SMS Partner entries.
SUBENTRY_RECIPIENT: Final = "recipient"
CONF_PHONE_NUMBERS: Final = "phone_numbers"
CONF_SENDER: Final = "sender"

MANUFACTURER: Final = "NDA Media"
UPDATE_INTERVAL: Final = timedelta(minutes=5)
# Credit reads and key checks of one key (polls, refreshes, the config flow's
# check of that key): requests in a period (seconds). Voice Partner allows 5 a
# minute; SMS Partner documents no limit, so the same budget applies to both.
# Each also counts in its product's host budget (product.ProductSpec).
KEY_BUDGET: Final = (5, 60.0)
# Delivery status requests (bulk-status) of one SMS Partner key, in a budget of
# their own so that they never delay credit reads. No limit is documented: 10 a
# minute is a conservative guess (inferred).
STATUS_BUDGET: Final = (10, 60.0)
