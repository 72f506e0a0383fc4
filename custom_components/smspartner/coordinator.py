"""Polling, rate limiting and shared clients for SMS Partner."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
import hashlib
import os
from typing import Any

from homeassistant.config_entries import ConfigEntry
from homeassistant.const import CONF_API_KEY
from homeassistant.core import HomeAssistant
from homeassistant.exceptions import ConfigEntryAuthFailed
from homeassistant.helpers.aiohttp_client import async_get_clientsession
from homeassistant.helpers.update_coordinator import DataUpdateCoordinator, UpdateFailed
from homeassistant.util.hass_dict import HassKey

from .api import (
    SMS_API_URL,
    VOICE_API_URL,
    RequestLimiter,
    SmsPartnerApiError,
    SmsPartnerAuthenticationError,
    SmsPartnerClient,
    SmsPartnerCredits,
    SmsPartnerError,
    SmsPartnerInvalidResponseError,
    SmsPartnerRateLimitError,
    SmsPartnerThrottledError,
    VoicePartnerCredits,
)
from .const import (
    CONF_SERVICE,
    DOMAIN,
    ENV_SMS_API_URL,
    ENV_VOICE_API_URL,
    HOST_BUDGETS,
    LOGGER,
    MAX_REQUESTS,
    REQUEST_PERIOD,
    SEND_BUDGETS,
    SERVICE_NAMES,
    SERVICE_SMS,
    UPDATE_INTERVAL,
)

type Credits = SmsPartnerCredits | VoicePartnerCredits
type SmsPartnerConfigEntry = ConfigEntry[SmsPartnerCoordinator[Any]]

# Credit reads and key checks, per provider (service) and key.
LIMITERS: HassKey[dict[str, RequestLimiter]] = HassKey(f"{DOMAIN}_limiters")
# Credit reads and key checks, per provider host, all keys: the parent of the above.
HOST_LIMITERS: HassKey[dict[str, RequestLimiter]] = HassKey(f"{DOMAIN}_host_limiters")
# Sends, per key.
SEND_LIMITERS: HassKey[dict[str, RequestLimiter]] = HassKey(f"{DOMAIN}_send_limiters")


def hash_api_key(api_key: str) -> str:
    """Return a stable identifier for a key that does not reveal it."""
    return hashlib.sha256(api_key.encode()).hexdigest()


def async_get_host_limiter(hass: HomeAssistant, service: str) -> RequestLimiter:
    """Return the budget of credit reads and key checks for all keys of a provider."""
    limiters = hass.data.setdefault(HOST_LIMITERS, {})
    if service not in limiters:
        limiters[service] = RequestLimiter(*HOST_BUDGETS[service])
    return limiters[service]


def async_get_limiter(
    hass: HomeAssistant, service: str, api_key: str
) -> RequestLimiter:
    """Return the budget of credit reads and key checks of one key.

    Each request also counts in, and must fit, the provider host's budget.
    """
    limiters = hass.data.setdefault(LIMITERS, {})
    key_id = f"{service}_{hash_api_key(api_key)}"
    if key_id not in limiters:
        limiters[key_id] = RequestLimiter(
            MAX_REQUESTS, REQUEST_PERIOD, parent=async_get_host_limiter(hass, service)
        )
    return limiters[key_id]


def async_get_send_limiter(
    hass: HomeAssistant, service: str, api_key: str
) -> RequestLimiter:
    """Return the send budget shared by everything that sends with this key."""
    limiters = hass.data.setdefault(SEND_LIMITERS, {})
    key_id = hash_api_key(api_key)
    if key_id not in limiters:
        limiters[key_id] = RequestLimiter(*SEND_BUDGETS[service])
    return limiters[key_id]


def async_create_client(
    hass: HomeAssistant, api_key: str, service: str
) -> SmsPartnerClient:
    """Create a client on Home Assistant's session with the key's shared budgets."""
    return SmsPartnerClient(
        async_get_clientsession(hass),
        api_key,
        sms_url=os.environ.get(ENV_SMS_API_URL, SMS_API_URL),
        voice_url=os.environ.get(ENV_VOICE_API_URL, VOICE_API_URL),
        limiter=async_get_limiter(hass, service, api_key),
        send_limiter=async_get_send_limiter(hass, service, api_key),
    )


def credits_fetcher(
    client: SmsPartnerClient, service: str
) -> Callable[[], Awaitable[Credits]]:
    """Return the client method that reads the credits of `service`."""
    if service == SERVICE_SMS:
        return client.async_get_sms_credits
    return client.async_get_voice_credits


def update_error(err: SmsPartnerError) -> UpdateFailed:
    """Translate a client error into a coordinator failure."""
    placeholders: dict[str, str] | None = None
    if isinstance(err, SmsPartnerRateLimitError):
        key = "rate_limited"
        placeholders = {"seconds": str(round(err.retry_after))}
    elif isinstance(err, SmsPartnerApiError):
        key = "api_error"
        placeholders = {"message": err.detail}
    elif isinstance(err, SmsPartnerInvalidResponseError):
        key = "invalid_response"
    else:
        key = "cannot_connect"
    return UpdateFailed(
        translation_domain=DOMAIN,
        translation_key=key,
        translation_placeholders=placeholders,
    )


class SmsPartnerCoordinator[DataT: Credits](DataUpdateCoordinator[DataT]):
    """Poll the credits of one account within its request budget."""

    config_entry: SmsPartnerConfigEntry

    def __init__(
        self,
        hass: HomeAssistant,
        entry: SmsPartnerConfigEntry,
        client: SmsPartnerClient,
        fetch: Callable[[], Awaitable[DataT]],
    ) -> None:
        """Set up polling for one config entry."""
        super().__init__(
            hass,
            LOGGER,
            config_entry=entry,
            name=f"{SERVICE_NAMES[entry.data[CONF_SERVICE]]} credits",
            update_interval=UPDATE_INTERVAL,
            always_update=False,
        )
        self.client = client
        self._fetch = fetch
        # The registry ID of the account's device, once set up.
        self.device_id: str | None = None

    async def _async_update_data(self) -> DataT:
        """Fetch the credits, or keep the last ones when the budget is spent."""
        try:
            return await self._fetch()
        except SmsPartnerThrottledError as err:
            if self.last_update_success and self.data is not None:
                LOGGER.debug("Request budget spent; keeping the last credits")
                return self.data
            raise update_error(err) from None
        except SmsPartnerAuthenticationError as err:
            raise ConfigEntryAuthFailed(
                translation_domain=DOMAIN, translation_key="invalid_auth"
            ) from err
        except SmsPartnerError as err:
            raise update_error(err) from err


def async_create_coordinator(
    hass: HomeAssistant, entry: SmsPartnerConfigEntry
) -> SmsPartnerCoordinator[Any]:
    """Create the coordinator of a config entry."""
    client = async_create_client(
        hass, entry.data[CONF_API_KEY], entry.data[CONF_SERVICE]
    )
    return SmsPartnerCoordinator(
        hass, entry, client, credits_fetcher(client, entry.data[CONF_SERVICE])
    )
