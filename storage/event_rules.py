"""The rules of funding events, apart from the database: which event an article's facts belong
to, and how an event folds in a new article's facts and investors.

Nothing here reads or writes the database: storage/events.py runs the queries and writes the
outbox, and `fundwatch redetect` regroups stored articles in memory with these same rules.
The rules work on anything shaped like an event (`EventState`): the `FundingEvent` row, or an
`EventDraft` in memory.

Same round, two articles: they agree when nothing they both know differs
- company: the same `company_key` (the detector maps the names it knows, in every language, to
  one key); or, for a company it does not know, a key in Han script and one in Latin letters
  whose pinyin agrees (生数 and "shengshu"), or a Traditional and a Simplified key of one name
  (影駿 and 影骏; storage/pinyin_keys.py), and then only when the round or the amount agrees as
  well (the same round with amounts not apart, or agreeing amounts): two outlets, one Chinese
  and one English (or one in Taipei and one in Beijing), report one round, but the name alone
  (or a name and a round raised once, with amounts apart) is not enough to join them;
- round: the same known round (a missing or undisclosed round contradicts nothing); two names
  one round is reported under (A and A1, pre-seed and seed, seed and angel) when the amounts
  agree;
- amount: for a round a company raises once (a letter round, seed, angel), the same round is
  enough: amounts apart are one round misreported or grown, not a second Series D; otherwise
  the amounts (in USD, or both in one currency) are within the relative tolerance; a
  vague amount ("数千万元", "eight figures") is its range `amount_low`..`amount_high`, and two
  ranges agree when the gap between them is within the tolerance;
- date: the article was seen within the window around the event's announcement (not checked for
  a copy, whose original is the event's own article).
An article joins the best agreeing event of its company (same round beats agreeing amounts beats
nothing said; then the closest amount, then the nearest in time); a copy of an earlier article
(storage/dedup.py) joins its original's event only when its own facts agree with that event,
whatever its text similarity: formulaic briefs ("X raises $22M pre-A led by A" / "Y raises $36M
Series A led by B", "X完成Y轮融资,Z领投") look alike but are different rounds, and one round's
investors must not reach another's event.

Merging: gaps are filled, an approximate amount gives way to a precise one, investors and
sources accumulate. Investors merge by the keys the detector gives each name (`investor_keys`,
`lead_investor_keys`: 远澜资本 and 遠瀾資本 share one); "X (Y)" also answers to Y's spelling, and
the first-seen spelling is the one listed. The event remembers key -> listed name
(`investor_keys`). Records without keys fall back to comparing names (NFKC, case and spaces
folded). A material change (round, amount, valuation or lead investors newly known or changed)
is reported to the caller, which increments `revision`.
"""

from __future__ import annotations

import math
import re
import unicodedata
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, fields
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any, Protocol, TypeVar

from fundwatch.storage.pinyin_keys import across_scripts
from fundwatch.storage.timeutil import as_utc

if TYPE_CHECKING:
    from fundwatch.records import Detection

UNKNOWN_ROUNDS = frozenset({"", "undisclosed", "unknown"})


@dataclass(frozen=True)
class EventSettings:
    window: timedelta = timedelta(days=45)
    amount_tolerance: float = 0.15  # relative difference for amounts to count as the same

    def __post_init__(self) -> None:
        if self.window <= timedelta(0):
            raise ValueError(f"event window must be positive, got {self.window}")
        if not 0 <= self.amount_tolerance < 1:
            raise ValueError(
                f"amount_tolerance is a fraction between 0 and 1, got {self.amount_tolerance}"
            )


class Amounts(Protocol):
    """An amount as facts and events both hold it."""

    amount: float | None
    currency: str | None
    amount_usd: float | None
    amount_low: float | None
    amount_high: float | None


class EventState(Amounts, Protocol):
    """What the rules read and change on an event (`FundingEvent` and `EventDraft` have it)."""

    company_key: str
    company: str
    round: str | None
    amount_approximate: bool
    valuation_usd: float | None
    investors: list[str]
    lead_investors: list[str]
    investor_keys: dict[str, str]
    sources: list[str]
    article_count: int
    first_seen_at: datetime
    last_seen_at: datetime
    announced_at: datetime | None


@dataclass
class EventDraft:
    """An event in memory (tests, `fundwatch redetect`); `id` is the stored row's, if any."""

    company_key: str
    company: str
    first_seen_at: datetime
    last_seen_at: datetime
    round: str | None = None
    amount: float | None = None
    currency: str | None = None
    amount_usd: float | None = None
    amount_approximate: bool = False
    amount_low: float | None = None
    amount_high: float | None = None
    valuation_usd: float | None = None
    investors: list[str] = field(default_factory=list)
    lead_investors: list[str] = field(default_factory=list)
    investor_keys: dict[str, str] = field(default_factory=dict)
    sources: list[str] = field(default_factory=list)
    article_count: int = 0
    announced_at: datetime | None = None
    revision: int = 0
    id: int | None = None


@dataclass(frozen=True)
class Facts:
    """What one article says about a round: its detection's facts, as stored in its columns."""

    company: str | None
    company_key: str | None
    round: str | None
    amount: float | None = None
    currency: str | None = None
    amount_usd: float | None = None
    amount_approximate: bool = False
    amount_low: float | None = None  # a vague amount's range, in `currency`
    amount_high: float | None = None
    valuation_usd: float | None = None
    investors: list[str] = field(default_factory=list)
    lead_investors: list[str] = field(default_factory=list)
    investor_keys: list[str] | None = None  # one per name of `investors`, when the record has them
    lead_investor_keys: list[str] | None = None

    @classmethod
    def from_values(cls, values: Mapping[str, Any], detection: Detection | None = None) -> Facts:
        """Facts from stored column values (`STORED_FACTS`); `detection` (the article's) may add
        the investor keys, which have no article column."""
        facts = {name: values.get(name) for name in STORED_FACTS}
        company = facts["company"] = facts["company"] or None
        facts["company_key"] = facts["company_key"] or (
            company.strip().casefold() if company else None
        )
        facts["round"] = known_round(facts["round"])
        facts["amount_approximate"] = bool(facts["amount_approximate"])
        for keys_field, names_field in KEY_LISTS.items():
            names = facts[names_field] = list(facts[names_field] or [])
            keys = getattr(detection, keys_field) if detection is not None else None
            facts[keys_field] = _aligned_keys(keys, names)
        return cls(**facts)


# investor key list -> the names it keys (the detector gives both; only the names are columns)
KEY_LISTS = {"investor_keys": "investors", "lead_investor_keys": "lead_investors"}
# the facts an article's columns hold (of the same names as `Detection`'s fields)
STORED_FACTS: tuple[str, ...] = tuple(f.name for f in fields(Facts) if f.name not in KEY_LISTS)


def _aligned_keys(keys: list[str] | None, names: list[str]) -> list[str] | None:
    if not isinstance(keys, list) or len(keys) != len(names):
        return None
    return [str(k) for k in keys]


def known_round(value: str | None) -> str | None:
    return None if value is None or value.strip().lower() in UNKNOWN_ROUNDS else value


# Rounds a company raises once: the letter rounds (A, pre-A, A1, B+) and the named stages. Two
# reports of one of these for one company within the window are one round whatever amounts they
# give ("about $100 million" and "$308 million" for Runway's Series D; a first close and the
# final one): a company does not raise two Series D in six weeks. A strategic investment or a
# bridge can come twice, so for them, as for an unnamed round, amounts apart are two rounds.
_ONCE_ROUND = re.compile(r"^(pre-)?[a-z](\d+|\+*)$|^(pre-seed|seed|angel\+?|pre-ipo)$")


# Round names outlets give one round under: "Series A" for what the company calls its A1轮
# (the sub-round's number dropped), "seed" for a pre-seed, "angel" for a seed.
_SUB_ROUND = re.compile(r"^(pre-)?([a-z])-?(\d+)$")
_NEIGHBOUR_ROUNDS = (frozenset({"pre-seed", "seed"}), frozenset({"seed", "angel"}))


def loosely_same_round(a: str, b: str) -> bool:
    """Two round names one round can be reported under (A and A1, pre-seed and seed, seed and
    angel); they are one round only when the amounts agree too (`disagreement`)."""
    a, b = a.strip().casefold(), b.strip().casefold()
    return frozenset({a, b}) in _NEIGHBOUR_ROUNDS or refines_round(a, b) or refines_round(b, a)


def refines_round(bare: str, sub: str) -> bool:
    """`sub` is a numbered round of the letter round `bare` (A1 or A-1 of A, pre-A2 of pre-A)."""
    m = _SUB_ROUND.match(sub.strip().casefold())
    return m is not None and bare.strip().casefold() == f"{m.group(1) or ''}{m.group(2)}"


def same_once_round(a: str | None, b: str | None) -> bool:
    """Both name the same round of a kind a company raises once (see `_ONCE_ROUND`)."""
    a, b = known_round(a), known_round(b)
    if a is None or b is None or a.casefold() != b.casefold():
        return False
    return _ONCE_ROUND.match(a.strip().casefold()) is not None


# --- agreement ---------------------------------------------------------------------------------


def _span(side: Amounts) -> tuple[float, float] | None:
    """The amount as an interval in its currency: the stated range (a missing bound is open:
    "超4亿元" is 4e8 and up), else the figure itself; None when there is neither."""
    low, high = side.amount_low, side.amount_high
    if low is not None or high is not None:
        low = 0.0 if low is None else low
        high = math.inf if high is None else high
        return (min(low, high), max(low, high))
    if side.amount is not None:
        return (side.amount, side.amount)
    return None


def _in_usd(side: Amounts) -> tuple[float, float] | None:
    span = _span(side)
    if span is None or side.amount_usd is None:
        return None
    if side.amount in (None, 0):
        return (side.amount_usd, side.amount_usd)
    rate = side.amount_usd / side.amount
    return (span[0] * rate, span[1] * rate)


def _relative_gap(a: tuple[float, float], b: tuple[float, float]) -> float:
    """The gap between the two intervals, as a fraction of the larger finite bound."""
    gap = max(0.0, max(a[0], b[0]) - min(a[1], b[1]))
    scale = max((abs(v) for v in (*a, *b) if math.isfinite(v)), default=0.0)
    return 0.0 if gap == 0 else (gap / scale if scale else math.inf)


def _spans_agree(a: tuple[float, float], b: tuple[float, float], tolerance: float) -> bool:
    """The gap between the two intervals is within `tolerance` of the larger finite bound."""
    return _relative_gap(a, b) <= tolerance


def amount_gap(a: Amounts, b: Amounts) -> float | None:
    """How far apart the two amounts are (a fraction, 0 when they meet; in USD, or both in one
    currency), None when they cannot be compared."""
    a_usd, b_usd = _in_usd(a), _in_usd(b)
    if a_usd is not None and b_usd is not None:
        return _relative_gap(a_usd, b_usd)
    a_span, b_span = _span(a), _span(b)
    if a_span is not None and b_span is not None and a.currency and a.currency == b.currency:
        return _relative_gap(a_span, b_span)
    return None


def amounts_agree(a: Amounts, b: Amounts, tolerance: float) -> bool | None:
    """True/False when both amounts are comparable (in USD, or in one currency), None when one
    is unknown or they cannot be compared."""
    a_usd, b_usd = _in_usd(a), _in_usd(b)
    if a_usd is not None and b_usd is not None:
        return _spans_agree(a_usd, b_usd, tolerance)
    a_span, b_span = _span(a), _span(b)
    if a_span is not None and b_span is not None and a.currency and a.currency == b.currency:
        return _spans_agree(a_span, b_span, tolerance)
    return None


def _money(side: Amounts) -> str:
    span = _span(side)
    if span is None:
        return "-"
    low, high = span
    if low == high:
        text = f"{low:,.0f}"
    elif math.isinf(high):
        text = f"over {low:,.0f}"
    elif low == 0:
        text = f"up to {high:,.0f}"
    else:
        text = f"{low:,.0f}-{high:,.0f}"
    return f"{text} {side.currency or ''}".strip()


def _rounds_and_amounts_disagree(
    first_round: str | None,
    first: Amounts,
    second_round: str | None,
    second: Amounts,
    settings: EventSettings,
) -> str | None:
    """Why the second side's round and amount cannot be the first's round, or None."""
    a, b = known_round(first_round), known_round(second_round)
    agree = amounts_agree(first, second, settings.amount_tolerance)
    if a is not None and b is not None and a.casefold() != b.casefold():
        if agree is True and loosely_same_round(a, b):
            return None
        return f"round {b} is not {a}"
    if same_once_round(a, b):
        return None
    if agree is False:
        return f"amount {_money(second)} is not {_money(first)}"
    return None


def same_company(a: str, b: str) -> bool:
    """The same company key, or one name in two scripts (`across_scripts`: pinyin, or
    Traditional and Simplified): a candidate only, which `disagreement` confirms with the round
    or the amount."""
    return a == b or across_scripts(a, b)


def _rounds_or_amounts_agree(
    first_round: str | None,
    first: Amounts,
    second_round: str | None,
    second: Amounts,
    settings: EventSettings,
) -> bool:
    """Something both know agrees: the same round (amounts not apart), or the amounts."""
    a, b = known_round(first_round), known_round(second_round)
    agree = amounts_agree(first, second, settings.amount_tolerance)
    if a is not None and b is not None and a.casefold() == b.casefold():
        return agree is not False
    return agree is True


def _companies_disagree(
    first_key: str,
    first_round: str | None,
    first: Amounts,
    second_key: str,
    second_round: str | None,
    second: Amounts,
    settings: EventSettings,
) -> str | None:
    if first_key == second_key:
        return None
    if not across_scripts(first_key, second_key):
        return f"company {second_key} is not {first_key}"
    if _rounds_or_amounts_agree(first_round, first, second_round, second, settings):
        return None
    return (
        f"company {second_key} is {first_key} in another script, "
        "but neither round nor amount agrees"
    )


def disagreement(event: EventState, facts: Facts, settings: EventSettings) -> str | None:
    """Why the article's facts cannot be the event's round (company, round or amount), or None
    when nothing they both know differs. The date window is `within_window`'s."""
    if facts.company_key is not None:
        why = _companies_disagree(
            event.company_key, event.round, event, facts.company_key, facts.round, facts, settings
        )
        if why is not None:
            return why
    return _rounds_and_amounts_disagree(event.round, event, facts.round, facts, settings)


def articles_disagree(first: Facts, second: Facts, settings: EventSettings) -> str | None:
    """Why two articles' facts cannot be one round (for a near copy and its original), or None.
    Only what both know counts: an article without a company or round contradicts nothing."""
    if first.company_key and second.company_key:
        why = _companies_disagree(
            first.company_key, first.round, first, second.company_key, second.round, second,
            settings,
        )  # fmt: skip
        if why is not None:
            return why
    return _rounds_and_amounts_disagree(first.round, first, second.round, second, settings)


def match_score(event: EventState, facts: Facts, settings: EventSettings) -> int | None:
    """3: same round, amounts agreeing or unknown; 2: same round, amounts apart (a round raised
    once); 1: amounts agree (rounds unknown on a side, or loosely the same); 0: nothing
    contradicts; None: they disagree."""
    if disagreement(event, facts, settings) is not None:
        return None
    agree = amounts_agree(event, facts, settings.amount_tolerance)
    event_round = known_round(event.round)
    if (
        event_round is not None
        and facts.round is not None
        and event_round.casefold() == facts.round.casefold()
    ):
        return 2 if agree is False else 3
    return 1 if agree else 0


_E = TypeVar("_E", bound=EventState)


def event_anchor(event: EventState) -> datetime:
    anchor = as_utc(event.announced_at) or as_utc(event.first_seen_at)
    assert anchor is not None
    return anchor


def within_window(event: EventState, seen_at: datetime, settings: EventSettings) -> bool:
    return abs(seen_at - event_anchor(event)) <= settings.window


def choose_event(
    events: Iterable[_E], facts: Facts, seen_at: datetime, settings: EventSettings
) -> _E | None:
    """The event of `facts`' company that the article belongs to: within the window, agreeing,
    the best score, then its own key before a key in the other script (`same_company`), then
    the closest amount ("$200 million" belongs to the $200M round rather than to the $180M
    one, both within the tolerance; an amount that cannot be compared counts as the tolerance
    away), then the nearest in time; None when none agrees."""
    if facts.company_key is None:
        return None
    best: tuple[tuple[int, bool, float, float], _E] | None = None
    for event in events:
        if not same_company(event.company_key, facts.company_key):
            continue
        if not within_window(event, seen_at, settings):
            continue
        score = match_score(event, facts, settings)
        if score is None:
            continue
        apart = amount_gap(event, facts)
        apart = settings.amount_tolerance if apart is None else apart
        gap = abs((seen_at - event_anchor(event)).total_seconds())
        rank = (score, event.company_key == facts.company_key, -apart, -gap)
        if best is None or rank > best[0]:
            best = (rank, event)
    return None if best is None else best[1]


# --- merging ---------------------------------------------------------------------------------


_NOT_KEY = re.compile(r"[\s\W_]+")
_ALIAS_FORM = re.compile(r"^(.+?)\s*\(\s*([^()]+?)\s*\)\s*$")


def _name_key(name: str) -> str:
    return "".join(unicodedata.normalize("NFKC", name).casefold().split())


def _spelling_keys(name: str) -> list[str]:
    """Keys of a name without the detector's keys: the name folded (NFKC, case, spaces and
    punctuation out), and for "X (Y)" each of X and Y."""
    forms = [name]
    m = _ALIAS_FORM.match(unicodedata.normalize("NFKC", name))
    if m:
        forms += [m.group(1), m.group(2)]
    keys = [_NOT_KEY.sub("", unicodedata.normalize("NFKC", f).casefold()) for f in forms]
    return [k for k in keys if k]


def _same_key(a: str, b: str) -> bool:
    """Equal, or one contains the other (北岬资本 / 北岬资本领投, khosla / khoslaventures);
    short Latin keys only when equal."""
    if a == b:
        return True
    short, long_ = sorted((a, b), key=len)
    if len(short) < 2 or (short.isascii() and len(short) < 4):
        return False
    return short in long_


def add_names(existing: list[str], new: Sequence[str]) -> tuple[list[str], bool]:
    """Append names not known yet; a name containing a known one, or contained in it, is known
    (北岬资本 and 北岬资本(领投), PixVerse and pixverse)."""
    keys = [_name_key(name) for name in existing]
    merged = list(existing)
    for name in new:
        key = _name_key(name)
        if not key or any(key in known or known in key for known in keys):
            continue
        merged.append(name)
        keys.append(key)
    return merged, len(merged) != len(existing)


def _add_keyed(
    existing: list[str],
    names: Sequence[str],
    keys: Sequence[str],
    known: dict[str, str],
    folded: dict[str, str],
) -> tuple[list[str], bool]:
    """Append the investors of `names` (with the detector's `keys`) not in `existing`;
    `known` (key -> listed name, updated in place) links spellings across articles. A name
    that links two listed names ("北岬资本 (Northgate Capital)" after "北岬资本" and
    "Northgate Capital") folds the later one into the first."""
    merged = list(existing)
    added = False
    for name, key in zip(names, keys, strict=True):
        candidates = [k for k in (key, *_spelling_keys(name)) if k]
        matched = {shown for k in candidates for seen, shown in known.items() if _same_key(k, seen)}
        listed_matches = [n for n in merged if n in matched]
        listed = listed_matches[0] if listed_matches else (min(matched) if matched else name)
        for other in listed_matches[1:]:
            merged.remove(other)
        for other in matched - {listed}:
            folded[other] = listed
        for seen, shown in list(known.items()):
            if shown in matched:
                known[seen] = listed
        if listed not in merged:
            merged.append(listed)
            added = True
        for k in candidates:
            known.setdefault(k, listed)
    return merged, added


def _known_keys(event: EventState) -> dict[str, str]:
    """The event's key -> listed name map, with fallback keys for names listed without one."""
    known = dict(event.investor_keys or {})
    listed = set(known.values())
    for name in [*(event.lead_investors or []), *(event.investors or [])]:
        if name not in listed:
            for k in _spelling_keys(name):
                known.setdefault(k, name)
            listed.add(name)
    return known


def _fold(names: list[str], folded: dict[str, str]) -> list[str]:
    out: list[str] = []
    for name in names:
        seen = {name}
        while name in folded and folded[name] not in seen:
            name = folded[name]
            seen.add(name)
        if name not in out:
            out.append(name)
    return out


def merge_investors(event: EventState, facts: Facts) -> bool:
    """Fold the article's investors into the event; return whether the leads changed."""
    if facts.investor_keys is None or facts.lead_investor_keys is None:
        leads, leads_changed = add_names(list(event.lead_investors or []), facts.lead_investors)
        if leads_changed:
            event.lead_investors = leads
        everyone = [*facts.lead_investors, *facts.investors]
        event.investors, _ = add_names(list(event.investors or []), everyone)
        return leads_changed
    known = _known_keys(event)
    folded: dict[str, str] = {}  # listed name -> the listed name it turned out to be
    leads, _ = _add_keyed(
        list(event.lead_investors or []),
        facts.lead_investors,
        facts.lead_investor_keys,
        known,
        folded,
    )
    investors, _ = _add_keyed(
        list(event.investors or []),
        [*facts.lead_investors, *facts.investors],
        [*facts.lead_investor_keys, *facts.investor_keys],
        known,
        folded,
    )
    leads, investors = _fold(leads, folded), _fold(investors, folded)
    leads_changed = any(name not in (event.lead_investors or []) for name in leads)
    event.lead_investors = leads
    event.investors = investors
    event.investor_keys = known
    return leads_changed


def _take_amount(event: EventState, facts: Facts) -> None:
    event.amount, event.currency = facts.amount, facts.currency
    event.amount_usd = facts.amount_usd
    event.amount_approximate = facts.amount_approximate
    event.amount_low, event.amount_high = facts.amount_low, facts.amount_high


def merge_facts(event: EventState, facts: Facts) -> bool:
    """Fold an article's facts into the event; return whether anything material changed."""
    material = False
    event_round = known_round(event.round)
    if facts.round is not None and (event_round is None or refines_round(event_round, facts.round)):
        # a numbered round is the more precise name: "A" becomes "A1", and an A2 stays apart
        event.round = facts.round
        material = True
    more_precise = bool(event.amount_approximate) and not facts.amount_approximate
    has_amount = facts.amount is not None or facts.amount_low is not None
    had_amount = event.amount is not None or event.amount_low is not None
    if has_amount and (not had_amount or more_precise):
        before = (event.amount, event.currency, event.amount_low, event.amount_high)
        _take_amount(event, facts)
        material = material or before != (
            event.amount,
            event.currency,
            event.amount_low,
            event.amount_high,
        )
    elif (
        event.amount_usd is None
        and facts.amount_usd is not None
        and (event.amount, event.currency) == (facts.amount, facts.currency)
    ):
        event.amount_usd = facts.amount_usd
    if event.valuation_usd is None and facts.valuation_usd is not None:
        event.valuation_usd = facts.valuation_usd
        material = True
    if merge_investors(event, facts):
        material = True
    if event.company_key == event.company and facts.company:
        event.company = facts.company  # a display name beats the bare key
    return material


def note_article(
    event: EventState, source: str, published_at: datetime | None, now: datetime
) -> None:
    """Count one more article from `source` (first publication date wins)."""
    sources, _ = add_names(list(event.sources or []), [source])
    event.sources = sources
    event.article_count = (event.article_count or 0) + 1
    event.last_seen_at = now
    published = as_utc(published_at)
    if published is not None:
        current = as_utc(event.announced_at)
        event.announced_at = published if current is None else min(current, published)


def start_event(facts: Facts, now: datetime) -> EventDraft:
    """A new event for `facts` (which must name a company), with the facts merged in."""
    assert facts.company_key is not None
    draft = EventDraft(
        company_key=facts.company_key,
        company=facts.company or facts.company_key,
        first_seen_at=now,
        last_seen_at=now,
    )
    merge_facts(draft, facts)
    return draft


# an event's columns: what an `EventDraft` holds but the row's own `revision` and `id`
EVENT_COLUMNS: tuple[str, ...] = tuple(
    f.name for f in fields(EventDraft) if f.name not in ("revision", "id")
)


def event_values(event: EventState) -> dict[str, Any]:
    """The event's column values (lists and dicts copied)."""
    values = {name: getattr(event, name) for name in EVENT_COLUMNS}
    for name in ("investors", "lead_investors", "sources"):
        values[name] = list(values[name] or [])
    values["investor_keys"] = dict(values["investor_keys"] or {})
    return values
