"""Amounts: which figures of a raise sentence are the round's size and which its valuation."""

from __future__ import annotations

import re
from dataclasses import replace

from .cues import reported_speech
from .matcher import Hit
from .money import MIN_FUNDING_AMOUNT, Money
from .passage import Passage, Sentence, same_clause
from .patterns import (
    AMOUNT_VETOES,
    FUND_SIZED_AFTER,
    RANGE_AFTER,
    RANGE_BEFORE,
    RANGE_JOIN_BEFORE,
    ROUND_BEFORE_WORTH,
    ROUND_TOTAL_BEFORE,
    VALUATION_EARLIER_BEFORE,
)
from .toolkit import Toolkit
from .valuation import OTHER_VALUE, VALUATION, figure_role


def eligible_money(
    kit: Toolkit, p: Passage, sent: Sentence, cues: list[Hit]
) -> tuple[list[Money], list[Money]]:
    """(round amounts, valuation amounts) in the sentence."""
    cache = p.memo.setdefault("amounts", {})
    key = (sent.start, tuple((c.start, c.kind) for c in cues))
    found = cache.get(key)
    if found is None:
        found = cache[key] = _eligible_money(kit, p, sent, cues)
    return found


def _eligible_money(
    kit: Toolkit, p: Passage, sent: Sentence, cues: list[Hit]
) -> tuple[list[Money], list[Money]]:
    text = p.folded[sent.start : sent.end]
    amounts: list[Money] = []
    valuations: list[Money] = []
    found = kit.money.find(text)
    history = [h for h in sent.hits if h.kind == "background" and not reported_speech(p, sent, h)]
    for i, m0 in enumerate(found):
        m = replace(m0, start=m0.start + sent.start, end=m0.end + sent.start)
        if m.amount is not None and m.amount < MIN_FUNDING_AMOUNT:
            continue
        after = p.folded[m.end : m.end + 24]
        before = p.folded[max(sent.start, m.start - 48) : m.start]
        if _is_range(before, after, found, i) and not _valuation_between(p, sent, found, i):
            continue
        if FUND_SIZED_AFTER.match(p.folded, m.end):
            continue  # "closes its $100M fund": the size of a VC's fund
        if any(same_clause(p, sent, h.start, m.start) for h in history):
            continue  # "去年曾拿下两轮超千万美金的融资": an amount of history
        near_before = [
            h for h in sent.hits if m.start - 48 <= h.end <= m.start + 1 and not round_worth(p, h)
        ]
        near_after = [h for h in sent.hits if m.end <= h.start <= m.end + 14]
        worth_round = {h.start for h in sent.hits if round_worth(p, h)}
        role = figure_role(p, sent, m, worth_round)
        if role == OTHER_VALUE:
            continue  # "up from $500 million", "$1 trillion market value": no round figure
        if role == VALUATION:
            hypothetical = any(
                h.kind == "hypothetical" and h.start < m.start
                and same_clause(p, sent, h.start, m.start)
                for h in sent.hits
            )  # fmt: skip
            if not hypothetical:
                valuations.append(m)
            continue
        if any(
            h.kind == "aggregate" and m.start - 24 <= h.end <= m.start + 1 and not round_total(p, h)
            for h in near_before
        ) or any(h.kind == "aggregate" and h.start <= m.end + 10 for h in near_after):
            continue
        if any(
            h.kind == "veto"
            and h.value in AMOUNT_VETOES
            and m.start - 24 <= h.end
            and not any(h.end <= c.start and c.end <= m.start for c in cues)
            for h in near_before
        ):  # "GPU企业某某宣布完成15亿元融资": a raise verb between, the amount is the round
            continue
        if any(h.kind == "count_deals" for h in sent.hits):
            continue
        if m.bare and not any(same_clause(p, sent, c.start, m.start) for c in cues):
            continue
        amounts.append(m)
    return amounts, valuations


def round_total(p: Passage, h: Hit) -> bool:
    """ "完成总额1.2亿元的A轮融资": the total right after the raise verb sizes this round."""
    return bool(ROUND_TOTAL_BEFORE.search(p.folded, max(0, h.start - 4), h.start))


def round_worth(p: Passage, h: Hit) -> bool:
    """ "a funding round worth several hundred million yuan": the round's size, not a
    valuation; "value" only names a valuation right after the amount ("$1 billion
    value"), not before it ("a deal value of $20 million")."""
    if h.kind == "valuation" and h.term == "value":
        return True
    return (
        h.kind == "valuation"
        and h.term == "worth"
        and bool(ROUND_BEFORE_WORTH.search(p.folded, max(0, h.start - 24), h.start))
    )


def _valuation_between(p: Passage, sent: Sentence, found: list[Money], i: int) -> bool:
    """ "a $200 million round, lifting its valuation to $4 billion", "融资1亿美元,估值达到31亿":
    a valuation word between two figures joins no range; "valued ... from $1B to $4B" states
    a change, whose second figure is the new value."""
    if i == 0:
        return False
    start, end = found[i - 1].end + sent.start, found[i].start + sent.start
    if any(h.kind == "valuation" and start <= h.start < end for h in sent.hits):
        return True
    prev = found[i - 1].start + sent.start
    return bool(
        VALUATION_EARLIER_BEFORE.search(p.folded[max(sent.start, prev - 24) : prev])
        and any(
            h.kind == "valuation" and h.end <= prev and same_clause(p, sent, h.start, prev)
            for h in sent.hits
        )
    )


def _is_range(before: str, after: str, found: list[Money], i: int) -> bool:
    if RANGE_BEFORE.search(before):
        return True
    if RANGE_AFTER.match(after):
        return True
    return bool(i > 0 and RANGE_JOIN_BEFORE.search(before)
                and found[i - 1].end >= len(before) - 40)  # fmt: skip


def resolve_symbol(kit: Toolkit, p: Passage, money: Money) -> Money:
    """A shared symbol ("¥") takes the currency whose hint words the text contains."""
    for sym, alts in kit.ambiguous.items():
        if not p.folded.startswith(sym, money.start):
            continue
        for code, hints in alts.items():
            if any(_word_in(hint, p.folded) for hint in hints):
                return replace(money, currency=code)
    return money


def _word_in(word: str, text: str) -> bool:
    if not word.isascii():
        return word in text
    return re.search(rf"(?<![a-z0-9]){re.escape(word)}(?![a-z0-9])", text) is not None
