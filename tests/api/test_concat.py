"""Tests of the reassembly of long replies from their parts."""

from __future__ import annotations

from dataclasses import replace

from custom_components.smspartner.api import (
    ReceivedSms,
    ReplyAssembler,
    ReplyKind,
    ReplyPart,
)
from custom_components.smspartner.api.concat import (
    MAX_PENDING_REPLIES,
    MAX_PENDING_TEXT,
)

SMS = ReceivedSms(ReplyKind.REPLY, "+33612345678", "", None, "+33700000001")


def part(number: int, total: int = 3, ref: str = "171", text: str = "") -> ReplyPart:
    """Return part `number` of `total` of reply `ref`, its text by default 'p<n>'."""
    return ReplyPart(
        replace(SMS, text=text or f"p{number} "), ref=ref, number=number, total=total
    )


def test_parts_out_of_order() -> None:
    """Parts arriving in any order make the reply in part order, once."""
    assembler = ReplyAssembler()
    assert assembler.add(part(3)) == []
    assert assembler.add(part(1)) == []
    assert assembler.add(part(1)) == []  # sent twice
    assert assembler.add(part(2)) == [replace(SMS, text="p1 p2 p3 ")]
    assert part(1).key not in assembler
    assert assembler.give_up(part(1).key) is None


def test_replies_kept_apart() -> None:
    """Parts of two replies (another ref, another sender) do not mix."""
    assembler = ReplyAssembler()
    other = ReplyPart(replace(SMS, phone_number="+33611111111", text="x"), "171", 1, 2)
    assert assembler.add(part(1, total=2)) == []
    assert assembler.add(other) == []
    assert assembler.add(part(1, total=2, ref="172")) == []
    assert assembler.add(part(2, total=2)) == [replace(SMS, text="p1 p2 ")]
    assert other.key in assembler


def test_missing_part_given_up() -> None:
    """Given up on, a reply has the parts that arrived, in order."""
    assembler = ReplyAssembler()
    assembler.add(part(3))
    assembler.add(part(1))
    assert assembler.give_up(part(1).key) == replace(SMS, text="p1 p3 ")
    assert assembler.give_up_all() == []


def test_give_up_all() -> None:
    """On unload, every reply still missing parts comes out with what arrived."""
    assembler = ReplyAssembler()
    assembler.add(part(2))
    assembler.add(part(1, ref="9"))
    assert assembler.give_up_all() == [
        replace(SMS, text="p2 "),
        replace(SMS, text="p1 "),
    ]


def test_memory_is_bounded() -> None:
    """Past the text held, the oldest replies are given up on with what arrived."""
    assembler = ReplyAssembler()
    size = MAX_PENDING_TEXT // 4
    done = [
        sms
        for ref in range(10)
        for sms in assembler.add(part(1, ref=str(ref), text="x" * size))
    ]
    assert len(done) == 6
    assert all(len(sms.text) == size for sms in done)
    assert part(1, ref="0").key not in assembler
    assert part(1, ref="9").key in assembler
    assert len(assembler.give_up_all()) == 4


def test_pending_replies_are_bounded() -> None:
    """Past so many replies missing parts, the oldest are given up on."""
    assembler = ReplyAssembler()
    done = [
        sms
        for ref in range(MAX_PENDING_REPLIES + 5)
        for sms in assembler.add(part(1, total=2, ref=str(ref), text="x"))
    ]
    assert len(done) == 5
    assert part(1, ref="4").key not in assembler
    assert part(1, ref="5").key in assembler
