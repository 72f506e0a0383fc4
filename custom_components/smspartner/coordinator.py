"""The coordinator that polls an account's credits, and the entry's runtime data."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Self

from homeassistant.config_entries import ConfigEntry
from homeassistant.const import CONF_API_KEY
from homeassistant.core import HomeAssistant, callback
from homeassistant.exceptions import ConfigEntryAuthFailed
from homeassistant.helpers.update_coordinator import DataUpdateCoordinator, UpdateFailed

from .api import (
    Credits,
    ProviderClient,
    SmsPartnerApiError,
    SmsPartnerAuthenticationError,
    SmsPartnerCredits,
    SmsPartnerError,
    SmsPartnerInvalidResponseError,
    SmsPartnerRateLimitError,
    SmsPartnerThrottledError,
    VoicePartnerCredits,
)
from .balance_history import BalanceHistory
from .budgets import async_create_client
from .const import DOMAIN, LOGGER, UPDATE_INTERVAL
from .descriptions import SmsPartnerSensorEntityDescription
from .identity import account_label
from .product import ProductSpec, product_of

if TYPE_CHECKING:
    from .spend import SpendCoordinator
    from .subaccounts import SubAccountCoordinator
    from .tracker import DeliveryTracker
    from .webhook import ReportWebhook

type AnyCoordinator = (
    SmsPartnerCoordinator[SmsPartnerCredits]
    | SmsPartnerCoordinator[VoicePartnerCredits]
)
type SmsPartnerConfigEntry = ConfigEntry[SmsPartnerData]


@dataclass(kw_only=True)
class SmsPartnerData:
    """What a loaded entry holds: its coordinators and helpers.

    `spend` and `subaccounts` read SMS Partner accounts hourly (None for Voice
    Partner); their failures leave the credits alone.
    """

    coordinator: AnyCoordinator
    balance_history: BalanceHistory
    # The delivery statuses of its SMS (SMS Partner only).
    tracker: DeliveryTracker | None = None
    webhook: ReportWebhook
    spend: SpendCoordinator | None = None
    subaccounts: SubAccountCoordinator | None = None


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
    elif isinstance(err, SmsPartnerAuthenticationError):
        key = "invalid_auth"
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
        spec: ProductSpec[DataT],
    ) -> None:
        """Set up polling for one config entry, with its product's client.

        The name, which Home Assistant's log lines about the polls quote, tells
        the account apart (identity.account_label).
        """
        self.label = account_label(entry)
        super().__init__(
            hass,
            LOGGER,
            config_entry=entry,
            name=f"{self.label} credits",
            update_interval=UPDATE_INTERVAL,
            always_update=False,
        )
        self.spec = spec
        self.client: ProviderClient[DataT] = async_create_client(
            hass, spec, entry.data[CONF_API_KEY]
        )
        # The registry ID of the account's device, once set up.
        self.device_id: str | None = None
        # Told of every credit read, changed or not (the listeners hear only of
        # changes, and the balance history counts the time a balance held).
        self.on_read: Callable[[DataT], None] | None = None

    def entities[E](
        self, build: Callable[[Self, SmsPartnerSensorEntityDescription[DataT]], E]
    ) -> list[E]:
        """Return one entity per sensor of the product, made by `build`."""
        return [build(self, description) for description in self.spec.sensors]

    async def _async_update_data(self) -> DataT:
        """Fetch the credits, or keep the last ones when the budget is spent."""
        try:
            answer = await self.client.async_get_credits()
        except SmsPartnerThrottledError as err:
            if self.last_update_success and self.data is not None:
                LOGGER.debug(
                    "%s: request budget spent, keeping the last credits", self.label
                )
                return self.data
            raise update_error(err) from None
        except SmsPartnerAuthenticationError as err:
            raise ConfigEntryAuthFailed(
                translation_domain=DOMAIN, translation_key="invalid_auth"
            ) from err
        except SmsPartnerError as err:
            raise update_error(err) from err
        if self.on_read is not None:
            self.on_read(answer)
        return answer


@callback
def async_create_coordinator(
    hass: HomeAssistant, entry: SmsPartnerConfigEntry
) -> AnyCoordinator:
    """Create the coordinator of an entry, for its product."""
    return product_of(entry).apply(
        lambda spec: SmsPartnerCoordinator(hass, entry, spec)
    )
