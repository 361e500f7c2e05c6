"""Funding events: one row per real-world round, joined from every article that reports it.

An article joins an event of the same company (`company_key`, which the detector maps across
names and languages) when it was seen within the window of the event and
- both know the round and it is the same; or
- a round is missing or undisclosed and both amounts (in USD, or in one currency) are within the
  relative tolerance; or
- a round is missing and an amount is missing too (the latest round of the company is meant).
Different known rounds never join. The event keeps the best-known facts: gaps are filled, an
approximate amount gives way to a precise one, investors and sources accumulate.

Investors merge by the keys the detector gives each name (`investor_keys`, `lead_investor_keys`:
远澜资本 and 遠瀾資本 share one); "X (Y)" also answers to Y's spelling, and the first-seen
spelling is the one listed. The event remembers key -> listed name (`investor_keys`). Records
without keys fall back to comparing names (NFKC, case and spaces folded). A material
change (round, amount, valuation or lead investors newly known or changed) increments `revision`.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from fundwatch.storage.models import FundingEvent
from fundwatch.storage.outbox import AlertChannelSpec, enqueue_alerts
from fundwatch.storage.timeutil import as_utc, utcnow

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


@dataclass(frozen=True)
class Facts:
    """What one article says about a round (from its stored detection columns)."""

    company: str | None
    company_key: str | None
    round: str | None
    amount: float | None = None
    currency: str | None = None
    amount_usd: float | None = None
    amount_approximate: bool = False
    valuation_usd: float | None = None
    investors: list[str] = field(default_factory=list)
    lead_investors: list[str] = field(default_factory=list)
    investor_keys: list[str] | None = None  # one per name of `investors`, when the record has them
    lead_investor_keys: list[str] | None = None

    @classmethod
    def from_values(cls, values: dict[str, Any], detection: dict[str, Any] | None = None) -> Facts:
        """Facts from stored column values; `detection` (the record's detection dict) may add
        the investor keys, which have no article column."""
        company = values.get("company") or None
        key = values.get("company_key") or (company.strip().casefold() if company else None)
        investors = list(values.get("investors") or [])
        leads = list(values.get("lead_investors") or [])
        round_ = values.get("round") or None
        if round_ is not None and round_.strip().lower() in UNKNOWN_ROUNDS:
            round_ = None
        return cls(
            company=company,
            company_key=key,
            round=round_,
            amount=values.get("amount"),
            currency=values.get("currency"),
            amount_usd=values.get("amount_usd"),
            amount_approximate=bool(values.get("amount_approximate")),
            valuation_usd=values.get("valuation_usd"),
            investors=investors,
            lead_investors=leads,
            investor_keys=_aligned_keys(detection, "investor_keys", investors),
            lead_investor_keys=_aligned_keys(detection, "lead_investor_keys", leads),
        )


def _aligned_keys(
    detection: dict[str, Any] | None, field_: str, names: list[str]
) -> list[str] | None:
    keys = (detection or {}).get(field_)
    if not isinstance(keys, list) or len(keys) != len(names):
        return None
    return [str(k) for k in keys]


@dataclass(frozen=True)
class EventOutcome:
    event: FundingEvent
    created: bool
    changed: bool  # material change: revision incremented


def _known_round(value: str | None) -> str | None:
    return None if value is None or value.strip().lower() in UNKNOWN_ROUNDS else value


def _close(a: float, b: float, tolerance: float) -> bool:
    return abs(a - b) <= tolerance * max(abs(a), abs(b))


def _amounts_agree(event: FundingEvent, facts: Facts, tolerance: float) -> bool | None:
    """True/False when both amounts are comparable, None when one is unknown."""
    if event.amount_usd is not None and facts.amount_usd is not None:
        return _close(event.amount_usd, facts.amount_usd, tolerance)
    if (
        event.amount is not None
        and facts.amount is not None
        and event.currency
        and event.currency == facts.currency
    ):
        return _close(event.amount, facts.amount, tolerance)
    return None


def match_score(event: FundingEvent, facts: Facts, tolerance: float) -> int | None:
    """2: same round; 1: amounts agree; 0: nothing contradicts; None: a different round."""
    event_round, article_round = _known_round(event.round), facts.round
    if event_round is not None and article_round is not None:
        return 2 if event_round.casefold() == article_round.casefold() else None
    agree = _amounts_agree(event, facts, tolerance)
    if agree is None:
        return 0
    return 1 if agree else None


def find_event(
    session: Session, facts: Facts, seen_at: datetime, settings: EventSettings
) -> FundingEvent | None:
    """The event this article belongs to, locked for update (PostgreSQL), or None."""
    if facts.company_key is None:
        return None
    events = session.scalars(
        select(FundingEvent)
        .where(FundingEvent.company_key == facts.company_key)
        .order_by(FundingEvent.id.desc())
    ).all()
    best: tuple[int, float, FundingEvent] | None = None
    for event in events:
        anchor = as_utc(event.announced_at) or as_utc(event.first_seen_at)
        gap = abs((seen_at - anchor).total_seconds())
        if gap > settings.window.total_seconds():
            continue
        score = match_score(event, facts, settings.amount_tolerance)
        if score is None:
            continue
        if best is None or (score, -gap) > (best[0], best[1]):
            best = (score, -gap, event)
    if best is None:
        return None
    return session.scalars(
        select(FundingEvent).where(FundingEvent.id == best[2].id).with_for_update()
    ).one()


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


def _add_names(existing: list[str], new: Sequence[str]) -> tuple[list[str], bool]:
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


def _known_keys(event: FundingEvent) -> dict[str, str]:
    """The event's key -> listed name map, with fallback keys for names listed without one."""
    known = dict(event.investor_keys or {})
    listed = set(known.values())
    for name in [*(event.lead_investors or []), *(event.investors or [])]:
        if name not in listed:
            for k in _spelling_keys(name):
                known.setdefault(k, name)
            listed.add(name)
    return known


def _merge_investors(event: FundingEvent, facts: Facts) -> bool:
    """Fold the article's investors into the event; return whether the leads changed."""
    if facts.investor_keys is None or facts.lead_investor_keys is None:
        leads, leads_changed = _add_names(list(event.lead_investors or []), facts.lead_investors)
        if leads_changed:
            event.lead_investors = leads
        everyone = [*facts.lead_investors, *facts.investors]
        event.investors, _ = _add_names(list(event.investors or []), everyone)
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


def merge_facts(event: FundingEvent, facts: Facts) -> bool:
    """Fold an article's facts into the event; return whether anything material changed."""
    material = False
    if _known_round(event.round) is None and facts.round is not None:
        event.round = facts.round
        material = True
    more_precise = event.amount_approximate and not facts.amount_approximate
    if facts.amount is not None and (
        event.amount is None
        or (more_precise and (event.amount != facts.amount or event.currency != facts.currency))
    ):
        material = material or event.amount != facts.amount or event.currency != facts.currency
        event.amount, event.currency = facts.amount, facts.currency
        event.amount_usd = facts.amount_usd
        event.amount_approximate = facts.amount_approximate
    elif (
        event.amount_usd is None
        and facts.amount_usd is not None
        and (event.amount, event.currency) == (facts.amount, facts.currency)
    ):
        event.amount_usd = facts.amount_usd
    if event.valuation_usd is None and facts.valuation_usd is not None:
        event.valuation_usd = facts.valuation_usd
        material = True
    if _merge_investors(event, facts):
        material = True
    if event.company_key == event.company and facts.company:
        event.company = facts.company  # a display name beats the bare key
    return material


def _note_article(event: FundingEvent, source: str, published_at: datetime | None) -> None:
    sources, _ = _add_names(list(event.sources or []), [source])
    event.sources = sources
    event.article_count = (event.article_count or 0) + 1
    event.last_seen_at = utcnow()
    published = as_utc(published_at)
    if published is not None:
        current = as_utc(event.announced_at)
        event.announced_at = published if current is None else min(current, published)


def record_article_event(
    session: Session,
    facts: Facts | None,
    *,
    source: str,
    seen_at: datetime,
    published_at: datetime | None,
    join_event_id: int | None = None,
    settings: EventSettings | None = None,
    alert_channels: Sequence[AlertChannelSpec] = (),
) -> EventOutcome | None:
    """Attach an article to its event (creating it if needed) and enqueue alerts in the caller's
    transaction.

    `facts` is None for an article that is not a flagged funding story; it can still join the
    event of the article it copies (`join_event_id`). Returns None when there is no event.
    """
    settings = settings or EventSettings()
    event: FundingEvent | None = None
    if join_event_id is not None:
        event = session.scalars(
            select(FundingEvent).where(FundingEvent.id == join_event_id).with_for_update()
        ).one_or_none()
    if event is None and facts is not None:
        event = find_event(session, facts, seen_at, settings)
    if event is None:
        if facts is None or facts.company_key is None:
            return None
        now = utcnow()
        event = FundingEvent(
            company_key=facts.company_key,
            company=facts.company or facts.company_key,
            round=None,
            investors=[],
            lead_investors=[],
            investor_keys={},
            sources=[],
            article_count=0,
            revision=0,
            first_seen_at=now,
            last_seen_at=now,
        )
        if facts is not None:
            merge_facts(event, facts)
        _note_article(event, source, published_at)
        session.add(event)
        session.flush()
        enqueue_alerts(session, event, alert_channels, revision=0)
        return EventOutcome(event, created=True, changed=False)
    changed = merge_facts(event, facts) if facts is not None else False
    _note_article(event, source, published_at)
    if changed:
        event.revision = (event.revision or 0) + 1
    session.flush()
    if changed:
        wanting_updates = [c for c in alert_channels if getattr(c, "send_updates", False)]
        enqueue_alerts(session, event, wanting_updates, revision=event.revision)
    return EventOutcome(event, created=False, changed=changed)
