"""Offline simulator of the SMS Partner and Voice Partner HTTP APIs.

Used by the end-to-end test, the demo mode and the screenshots: run it with
``python -m simulator`` and start Home Assistant with scripts/simulator_hook on
its PYTHONPATH and the SMSPARTNER_SMS_API_URL and SMSPARTNER_VOICE_API_URL
environment variables set.
"""

from .accounts import (
    DEMO_SMS_KEY,
    DEMO_SMS_LOW_KEY,
    DEMO_VOICE_KEY,
    DEMO_VOICE_SECOND_KEY,
)
from .app import create_app
from .serving import SIMULATOR
from .state import Simulator, key_id

__all__ = [
    "DEMO_SMS_KEY",
    "DEMO_SMS_LOW_KEY",
    "DEMO_VOICE_KEY",
    "DEMO_VOICE_SECOND_KEY",
    "SIMULATOR",
    "Simulator",
    "create_app",
    "key_id",
]
