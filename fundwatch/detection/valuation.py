"""Valuation: which figure of a raise sentence is the round's valuation, and which one wins.

The rules (the labelling convention is in docs/detection.md):

- a figure is a valuation when a valuation word sits before it in its clause ("valued at",
  "lifting its valuation to", "投后估值超过"), or right after it ("a $1 billion valuation",
  "10亿美元估值"), or when "values <the company> at" leads to it;
- a clause that only continues the one before ("估值几乎翻倍,达到53亿美元", "..., reaching
  $4 billion") takes the valuation word of that clause;
- not a valuation: a market value, a fund's assets or a stake "worth" the figure, a revenue
  multiple ("20 times its $50 million revenue"), a rival's value, a person's 身价;
- an earlier valuation is not the round's ("up from $500 million", "valued at $440M only a
  few months back"), nor is a raise figure before its own raise noun ("2亿美元融资让估值翻倍");
- of several valuations, a post-money one ("post-money", "投后") wins; else the first.
"""

from __future__ import annotations

from .matcher import Hit
from .money import Money
from .passage import Passage, Sentence, clauses, same_clause
from .patterns import (
    VALUATION_CONTINUES,
    VALUATION_EARLIER_AFTER,
    VALUATION_EARLIER_BEFORE,
    VALUATION_MULTIPLE,
    VALUATION_NOT_COMPANY_BEFORE,
    VALUATION_OF_FIGURE,
    VALUATION_PERSON_BEFORE,
    VALUATION_POST_MONEY,
    VALUATION_RIVAL,
    VALUES_AT_BEFORE,
)

# how far before a figure a valuation word still names it (characters)
REACH_BEFORE = 48
# how far after a figure a valuation word still names it ("$1 billion valuation")
REACH_AFTER = 14


# what a valuation word makes of a figure
VALUATION = "valuation"  # the company's valuation with this round
OTHER_VALUE = "other value"  # a value, but not the round's: neither valuation nor amount


def figure_role(p: Passage, sent: Sentence, m: Money, round_worth: set[int]) -> str | None:
    """``VALUATION`` when a valuation word (or "values X at") names the figure ``m`` as the
    company's value with this round; ``OTHER_VALUE`` when it names another value (an earlier
    one, a rival's, a market value, a fund's assets, revenue under a multiple, a person's
    wealth); None when no valuation word names it (it may be the round's amount).

    ``round_worth`` holds the start of valuation hits that, before a figure, size the round
    instead ("a round worth 3亿元", "a deal value of $20 million")."""
    every = [h for h in sent.hits if h.kind == "valuation"]
    hits = [h for h in every if h.start not in round_worth]
    roles = [
        _role_before(p, sent, h, m) for h in hits if m.start - REACH_BEFORE <= h.end <= m.start + 1
    ]
    roles += [_role_after(p, sent, h, m) for h in every if m.end <= h.start <= m.end + REACH_AFTER]
    clause_start = _clause_start(p, sent, m.start)
    head = p.folded[max(sent.start, m.start - REACH_BEFORE, clause_start) : m.start]
    if VALUES_AT_BEFORE.search(head) or _continues_valuation(p, sent, m, hits, clause_start):
        roles.append(VALUATION)
    if VALUATION in roles:
        if _not_the_company(p, sent, m) or _earlier(p, sent, m):
            return OTHER_VALUE
        return VALUATION
    return OTHER_VALUE if OTHER_VALUE in roles else None


def _earlier(p: Passage, sent: Sentence, m: Money) -> bool:
    """ "up from $500 million in December", "valued at $440M only a few months back": the
    company's earlier value."""
    before = p.folded[max(sent.start, m.start - 24) : m.start]
    after = p.folded[m.end : min(sent.end, m.end + 40)]
    return bool(VALUATION_EARLIER_BEFORE.search(before) or VALUATION_EARLIER_AFTER.match(after))


def _role_before(p: Passage, sent: Sentence, h: Hit, m: Money) -> str | None:
    if not same_clause(p, sent, h.start, m.start):
        return None
    if VALUATION_MULTIPLE.search(p.folded, h.end, m.start):
        return OTHER_VALUE  # "valued at 20 times its $50 million revenue"
    if h.term in ("worth", "value") and VALUATION_NOT_COMPANY_BEFORE.search(
        p.folded, max(sent.start, h.start - 16), h.start
    ):
        return OTHER_VALUE  # "assets worth $12 billion"
    if h.term == "身价" and VALUATION_PERSON_BEFORE.search(
        p.folded, max(sent.start, h.start - 8), h.start
    ):
        return OTHER_VALUE  # "创始人身价超过10亿美元"
    return VALUATION


def _role_after(p: Passage, sent: Sentence, h: Hit, m: Money) -> str | None:
    if not same_clause(p, sent, m.end, h.start):
        return None
    if any(
        g.kind in ("funding", "funding_weak") and m.end <= g.start and g.end <= h.start
        for g in sent.hits
    ):
        return None  # "2亿美元融资让估值翻倍": the figure sizes the raise
    if VALUATION_OF_FIGURE.match(p.folded, h.end):
        return None  # "$50 million at a post-money valuation of $600 million": the next one's
    if h.term in ("worth", "value", "身价") and VALUATION_NOT_COMPANY_BEFORE.search(
        p.folded, max(sent.start, h.start - 16), h.start
    ):
        return OTHER_VALUE  # "$1 trillion market value"
    return VALUATION


def _not_the_company(p: Passage, sent: Sentence, m: Money) -> bool:
    """ "rival Lumora is valued at $2 billion", "竞争对手估值达…": another company's value."""
    start = _clause_start(p, sent, m.start)
    return bool(VALUATION_RIVAL.search(p.folded, start, m.start))


def _clause_start(p: Passage, sent: Sentence, pos: int) -> int:
    starts = [c for c in clauses(p, sent) if c <= pos]
    return starts[-1] if starts else sent.start


def _continues_valuation(
    p: Passage, sent: Sentence, m: Money, hits: list[Hit], clause_start: int
) -> bool:
    """ "这家新创公司的估值几乎翻倍,达到53亿美元": the figure's clause is only a verb of
    reaching, and the clause before it names the valuation (with no figure of its own)."""
    if clause_start <= sent.start:
        return False
    if not VALUATION_CONTINUES.match(p.folded[clause_start : m.start]):
        return False
    prev_start = _clause_start(p, sent, clause_start - 1)
    prev = [h for h in hits if prev_start <= h.start < clause_start and h.term not in ("value",)]
    if not prev:
        return False
    return not any(ch.isdigit() for ch in p.folded[prev[-1].end : clause_start])


def pick_valuation(p: Passage, found: list[Money]) -> Money | None:
    """The round's valuation among those found in order: a post-money one, else the first."""
    for m in found:
        if VALUATION_POST_MONEY.search(p.folded, max(0, m.start - REACH_BEFORE), m.end + 16):
            return m
    return found[0] if found else None
