"""The two products an entry can be for, and everything that differs between them."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from enum import StrEnum

from homeassistant.config_entries import ConfigEntry

from .api import (
    Credits,
    ProviderClient,
    SmsPartnerClient,
    SmsPartnerCredits,
    VoicePartnerClient,
    VoicePartnerCredits,
)
from .const import CONF_PRODUCT
from .descriptions import SMS_SENSORS, VOICE_SENSORS, SmsPartnerSensorEntityDescription


class Product(StrEnum):
    """An NDA Media product; the value is what an entry stores."""

    SMS_PARTNER = "sms_partner"
    VOICE_PARTNER = "voice_partner"


@dataclass(frozen=True, kw_only=True)
class ProductSpec[DataT: Credits]:
    """What the integration needs to know of a product whose credits are `DataT`.

    Budgets are (requests, period in seconds). `host_budget` covers the credit
    reads and key checks of every key to the product's API host; `send_budget`
    the sends of one key.
    """

    product: Product
    name: str
    customer_site: str
    client: type[ProviderClient[DataT]]
    sensors: tuple[SmsPartnerSensorEntityDescription[DataT], ...]
    host_budget: tuple[int, float]
    send_budget: tuple[int, float]
    has_recipients: bool

    def apply[R](self, build: Callable[[ProductSpec[DataT]], R]) -> R:
        """Return `build(self)`: type-checked for the product's own credits."""
        return build(self)


type AnySpec = ProductSpec[SmsPartnerCredits] | ProductSpec[VoicePartnerCredits]

PRODUCTS: dict[Product, AnySpec] = {
    Product.SMS_PARTNER: ProductSpec(
        product=Product.SMS_PARTNER,
        name="SMS Partner",
        customer_site="https://my.smspartner.fr/",
        client=SmsPartnerClient,
        sensors=SMS_SENSORS,
        # No limit is documented: 20 a minute leaves room for several accounts
        # polling every 5 minutes and a user correcting a key a few times.
        host_budget=(20, 60.0),
        # No limit is documented for sending: 60 an hour (up to 500 numbers
        # each) keeps a looping automation from spending the whole credit.
        send_budget=(60, 3600.0),
        has_recipients=True,
    ),
    Product.VOICE_PARTNER: ProductSpec(
        product=Product.VOICE_PARTNER,
        # The documented limits: 5 requests a minute, 2000 text-to-speech sends
        # an hour.
        host_budget=(5, 60.0),
        send_budget=(2000, 3600.0),
        name="Voice Partner",
        customer_site="https://my.voicepartner.fr/",
        client=VoicePartnerClient,
        sensors=VOICE_SENSORS,
        has_recipients=False,
    ),
}


def product_of(entry: ConfigEntry) -> AnySpec:
    """Return the spec of the product an entry is for."""
    return PRODUCTS[Product(entry.data[CONF_PRODUCT])]
