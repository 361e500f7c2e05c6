"""Funding events in the database: finding an article's event, creating or updating it, and
writing its alerts to the outbox in the caller's transaction.

The rules themselves (when an article belongs to an event, how facts and investors merge) are in
storage/event_rules.py and touch no database; this module runs the queries around them.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from fundwatch.storage.event_rules import (
    EventSettings,
    Facts,
    choose_event,
    disagreement,
    event_values,
    merge_facts,
    note_article,
    start_event,
)
from fundwatch.storage.models import FundingEvent
from fundwatch.storage.outbox import AlertChannelSpec, enqueue_alerts
from fundwatch.storage.pinyin_keys import across_scripts, is_han, is_latin
from fundwatch.storage.timeutil import utcnow

__all__ = ["EventOutcome", "EventSettings", "Facts", "find_event", "record_article_event"]


@dataclass(frozen=True)
class EventOutcome:
    event: FundingEvent
    created: bool
    changed: bool  # material change: revision incremented
    refused_join: str | None = None  # why the copy did not join its original's event


def _locked(session: Session, event_id: int) -> FundingEvent | None:
    return session.scalars(
        select(FundingEvent).where(FundingEvent.id == event_id).with_for_update()
    ).one_or_none()


def find_event(
    session: Session, facts: Facts, seen_at: datetime, settings: EventSettings
) -> FundingEvent | None:
    """The event this article belongs to, locked for update (PostgreSQL), or None."""
    if facts.company_key is None:
        return None
    live = FundingEvent.withdrawn_at.is_(None)
    candidates = list(
        session.scalars(
            select(FundingEvent)
            .where(FundingEvent.company_key == facts.company_key, live)
            .order_by(FundingEvent.id.desc())
        )
    )
    other_script = _other_script_ids(session, facts.company_key, seen_at, settings)
    if other_script:
        candidates += session.scalars(
            select(FundingEvent)
            .where(FundingEvent.id.in_(other_script))
            .order_by(FundingEvent.id.desc())
        )
    chosen = choose_event(candidates, facts, seen_at, settings)
    return None if chosen is None else _locked(session, chosen.id)


def _other_script_ids(
    session: Session, company_key: str, seen_at: datetime, settings: EventSettings
) -> list[int]:
    """Live events whose key is `company_key` in the other script (生数 for "shengshu"), among
    those whose anchor can be within the window: the keys are compared as stored, so every
    event stored so far can be found, with no column of its own. The narrow scan (id and key of
    the window's events) is done only for a key all Han or all Latin."""
    if not (is_han(company_key) or is_latin(company_key)):
        return []
    since = seen_at - settings.window
    # the anchor is announced_at, else first_seen_at: one of the two is within the window
    rows = session.execute(
        select(FundingEvent.id, FundingEvent.company_key).where(
            FundingEvent.withdrawn_at.is_(None),
            FundingEvent.company_key != company_key,
            or_(FundingEvent.first_seen_at >= since, FundingEvent.announced_at >= since),
        )
    )
    return [event_id for event_id, key in rows if across_scripts(company_key, key)]


def record_article_event(
    session: Session,
    facts: Facts | None,
    *,
    source: str,
    seen_at: datetime,
    published_at: datetime | None,
    join_event_id: int | None = None,
    copy_facts: Facts | None = None,
    settings: EventSettings | None = None,
    alert_channels: Sequence[AlertChannelSpec] = (),
) -> EventOutcome | None:
    """Attach an article to its event (creating it if needed) and enqueue alerts in the caller's
    transaction.

    `facts` is None for an article that is not a flagged funding story; it can still join the
    event of the article it copies (`join_event_id`) when what it says (`copy_facts`, or
    `facts`) does not contradict that event. Returns None when there is no event.
    """
    settings = settings or EventSettings()
    event: FundingEvent | None = None
    refused: str | None = None
    if join_event_id is not None:
        event = _locked(session, join_event_id)
        said = facts or copy_facts
        if event is not None and said is not None:
            refused = disagreement(event, said, settings)
            if refused is not None:
                event = None
    if event is None and facts is not None:
        event = find_event(session, facts, seen_at, settings)
    now = utcnow()
    if event is None:
        if facts is None or facts.company_key is None:
            return None
        draft = start_event(facts, now)
        note_article(draft, source, published_at, now)
        event = FundingEvent(**event_values(draft), revision=0)
        session.add(event)
        session.flush()
        enqueue_alerts(session, event, alert_channels, revision=0)
        return EventOutcome(event, created=True, changed=False, refused_join=refused)
    changed = merge_facts(event, facts) if facts is not None else False
    note_article(event, source, published_at, now)
    if changed:
        event.revision = (event.revision or 0) + 1
    session.flush()
    if changed:
        # updates go where asked for; a channel that accepts the event only now gets its first
        enqueue_alerts(session, event, alert_channels, revision=event.revision)
    return EventOutcome(event, created=False, changed=changed, refused_join=refused)
