"""How a simulated service answers (its failure mode), and the checks of the commands that change it."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Final, Literal, get_args

Service = Literal["sms", "voice"]
SERVICES: Final[tuple[Service, ...]] = get_args(Service)

Mode = Literal["ok", "wrong_key", "500", "html", "malformed", "empty", "slow", "429"]
MODES: Final[tuple[Mode, ...]] = get_args(Mode)

BEHAVIOUR_FIELDS: Final = ("mode", "retry_after", "delay", "error_status")


@dataclass
class Behaviour:
    """How one service answers right now."""

    mode: Mode = "ok"
    retry_after: int | None = None
    delay: float = 20.0
    error_status: int = 400


def validated_services(value: object) -> tuple[Service, ...]:
    """Return the services a command applies to."""
    if value is None:
        return SERVICES
    for service in SERVICES:
        if value == service:
            return (service,)
    raise ValueError(f"service must be one of {', '.join(SERVICES)}")


def validated_behaviour(command: Mapping[str, Any]) -> dict[str, Any]:
    """Check the behaviour fields of a command and return them."""
    changes = {k: command[k] for k in BEHAVIOUR_FIELDS if k in command}
    if "mode" in changes and changes["mode"] not in MODES:
        raise ValueError(f"mode must be one of {', '.join(MODES)}")
    retry_after = changes.get("retry_after")
    if retry_after is not None and (not is_int(retry_after) or retry_after < 0):
        raise ValueError("retry_after must be a non-negative integer or null")
    if "delay" in changes and (
        not isinstance(changes["delay"], int | float)
        or isinstance(changes["delay"], bool)
        or changes["delay"] < 0
    ):
        raise ValueError("delay must be a non-negative number of seconds")
    if "error_status" in changes and (
        not is_int(changes["error_status"]) or not 200 <= changes["error_status"] <= 599
    ):
        raise ValueError("error_status must be an HTTP status between 200 and 599")
    return changes


def is_int(value: object) -> bool:
    """Return True for an int that is not a bool."""
    return isinstance(value, int) and not isinstance(value, bool)


def optional_key(command: Mapping[str, Any], name: str) -> str | None:
    """Return a key field of a command, checking it is a non-empty string."""
    value = command.get(name)
    if value is None:
        return None
    if not isinstance(value, str) or not value:
        raise ValueError(f"{name} must be a non-empty API key")
    return value
