"""The clients of a key, on Home Assistant's session, with the shared budgets.

The budgets, shared by everything in Home Assistant that uses them:
- credit reads and key checks of one key (const.KEY_BUDGET);
- the same requests of every key to one provider host (ProductSpec.host_budget),
  the parent of the above, so that trying key after key cannot flood a provider;
- the sends (and cancels) of one key (ProductSpec.send_budget);
- SMS Partner's number lookups, of every key together (LOOKUP_BUDGET);
- the delivery status requests of one SMS Partner key (const.STATUS_BUDGET).
- the hourly reads of one SMS Partner key, each with a budget of its own so that
  they never delay a credit read: spend statistics and the pages of sub-accounts
  (HOURLY_BUDGETS).
"""

from __future__ import annotations

import hashlib
from typing import Final

from homeassistant.core import HomeAssistant, callback
from homeassistant.helpers.aiohttp_client import async_get_clientsession
from homeassistant.util.hass_dict import HassKey

from .api import (
    MAX_SUBACCOUNT_PAGES,
    Credits,
    ProviderClient,
    RequestLimiter,
    SmsPartnerClient,
)
from .const import DOMAIN, KEY_BUDGET, STATUS_BUDGET
from .product import PRODUCTS, Product, ProductSpec

# Every budget, by a name that says what it covers (and whose key, hashed).
LIMITERS: HassKey[dict[str, RequestLimiter]] = HassKey(f"{DOMAIN}_limiters")
# SMS Partner allows 360 lookups a minute (then HTTP 429). Whether per key or
# per client is not said: one budget for all keys keeps within it either way.
LOOKUP_BUDGET: Final = (360, 60.0)
SPEND_READS: Final = "spend"
SUBACCOUNT_READS: Final = "subaccounts"
HOURLY_BUDGETS: Final = {
    # statistics/cost-resume allows 5 requests a minute: one read an hour, of
    # two requests (this month and last month).
    SPEND_READS: (2, 3600.0),
    # subaccount/list documents no limit: one read an hour, of every page.
    SUBACCOUNT_READS: (MAX_SUBACCOUNT_PAGES, 3600.0),
}


def _key_id(product: Product, api_key: str) -> str:
    """Return a stable identifier for a key that does not reveal it."""
    return f"{product}_{hashlib.sha256(api_key.encode()).hexdigest()}"


def _limiter(
    hass: HomeAssistant,
    name: str,
    budget: tuple[int, float],
    parent: RequestLimiter | None = None,
) -> RequestLimiter:
    """Return the budget `name`, created the first time it is asked for."""
    limiters = hass.data.setdefault(LIMITERS, {})
    if name not in limiters:
        limiters[name] = RequestLimiter(*budget, parent=parent)
    return limiters[name]


@callback
def async_get_host_limiter(hass: HomeAssistant, product: Product) -> RequestLimiter:
    """Return the budget of credit reads and key checks for all keys of a product."""
    return _limiter(hass, f"host_{product}", PRODUCTS[product].host_budget)


@callback
def async_get_limiter(
    hass: HomeAssistant, product: Product, api_key: str
) -> RequestLimiter:
    """Return the budget of credit reads and key checks of one key."""
    host = async_get_host_limiter(hass, product)
    return _limiter(hass, f"reads_{_key_id(product, api_key)}", KEY_BUDGET, host)


@callback
def async_get_send_limiter(
    hass: HomeAssistant, product: Product, api_key: str
) -> RequestLimiter:
    """Return the budget of the sends of one key."""
    budget = PRODUCTS[product].send_budget
    return _limiter(hass, f"sends_{_key_id(product, api_key)}", budget)


@callback
def async_get_lookup_limiter(hass: HomeAssistant) -> RequestLimiter:
    """Return the budget of SMS Partner's number lookups, for all keys."""
    return _limiter(hass, "lookups", LOOKUP_BUDGET)


@callback
def async_get_status_limiter(hass: HomeAssistant, api_key: str) -> RequestLimiter:
    """Return the budget of the delivery status requests of one SMS Partner key."""
    key_id = _key_id(Product.SMS_PARTNER, api_key)
    return _limiter(hass, f"statuses_{key_id}", STATUS_BUDGET)


@callback
def async_create_client[DataT: Credits](
    hass: HomeAssistant, spec: ProductSpec[DataT], api_key: str
) -> ProviderClient[DataT]:
    """Create the client of a key for a product, with the shared budgets."""
    client = spec.client(
        async_get_clientsession(hass),
        api_key,
        limiter=async_get_limiter(hass, spec.product, api_key),
        send_limiter=async_get_send_limiter(hass, spec.product, api_key),
    )
    if isinstance(client, SmsPartnerClient):
        client.lookup_limiter = async_get_lookup_limiter(hass)
        client.status_limiter = async_get_status_limiter(hass, api_key)
        client.spend_limiter = async_get_hourly_limiter(hass, SPEND_READS, api_key)
        client.subaccount_limiter = async_get_hourly_limiter(
            hass, SUBACCOUNT_READS, api_key
        )
    return client


@callback
def async_get_hourly_limiter(
    hass: HomeAssistant, what: str, api_key: str
) -> RequestLimiter:
    """Return the budget of one hourly read (`what`) of an SMS Partner key."""
    key_id = _key_id(Product.SMS_PARTNER, api_key)
    return _limiter(hass, f"{what}_{key_id}", HOURLY_BUDGETS[what])
