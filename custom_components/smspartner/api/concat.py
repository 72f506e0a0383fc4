"""Long replies to a long number, put back together from the parts they arrive in."""

from __future__ import annotations

from dataclasses import replace
from typing import Final

from .reports import ReceivedSms, ReplyPart

# The text held for replies still missing parts, and how many such replies;
# past either the oldest reply is given up on with what arrived, so that memory
# stays bounded.
MAX_PENDING_TEXT: Final = 64 * 1024
MAX_PENDING_REPLIES: Final = 100

type PartsKey = tuple[str, str | None, str]


class ReplyAssembler:
    """The parts of long replies, by reply, until each is whole or given up on."""

    def __init__(self) -> None:
        """Start with no part."""
        # By reply, oldest first; by part number within a reply.
        self._parts: dict[PartsKey, dict[int, ReplyPart]] = {}
        self._size = 0

    def __contains__(self, key: PartsKey) -> bool:
        """Return whether a reply is missing parts."""
        return key in self._parts

    def add(self, part: ReplyPart) -> list[ReceivedSms]:
        """Keep `part`; return the replies now whole, and any given up on for room.

        A part received twice is kept once; a reply counts the parts its first
        part announced.
        """
        parts = self._parts.setdefault(part.key, {})
        if part.number not in parts:
            parts[part.number] = part
            self._size += len(part.sms.text)
        done = []
        if len(parts) >= next(iter(parts.values())).total:
            done.append(self._join(part.key))
        while self._size > MAX_PENDING_TEXT or len(self._parts) > MAX_PENDING_REPLIES:
            done.append(self._join(next(iter(self._parts))))
        return done

    def give_up(self, key: PartsKey) -> ReceivedSms | None:
        """Return a reply with the parts that arrived, in order (None if gone)."""
        return self._join(key) if key in self._parts else None

    def give_up_all(self) -> list[ReceivedSms]:
        """Return every reply still missing parts, with what arrived."""
        return [self._join(key) for key in list(self._parts)]

    def _join(self, key: PartsKey) -> ReceivedSms:
        """Forget a reply's parts and return the reply they make, in part order."""
        parts = self._parts.pop(key)
        ordered = [parts[number] for number in sorted(parts)]
        self._size -= sum(len(part.sms.text) for part in ordered)
        text = "".join(part.sms.text for part in ordered)
        return replace(ordered[0].sms, text=text)
