"""`fundwatch redetect` in the database: which stored articles to re-detect, what their new
verdicts change (storage/regroup.py decides, in memory), and writing it.

Scope: the chosen articles, plus every article of an event one of them belongs to (that event
is rebuilt from all its articles); regrouped articles may also join other stored events of
their company. Detection itself is the caller's (storage imports no detector): it passes the
new `Detection` of each chosen article.

Alerts when applying: a created event (including one split off another) is announced like a new
one; an event that existed keeps its alerts and is not announced again unless `realert` is set,
in which case a merged, split or materially changed event is announced to every channel under
a new revision. A withdrawn event (no article reports it any more) is deleted when nothing was
ever queued for it; otherwise it stays, marked `withdrawn_at`, and its pending alerts are
cancelled.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Any

from sqlalchemy import delete, func, select, text, update
from sqlalchemy.orm import Session

from fundwatch.storage.articles import DETECTION_COLUMNS, detection_values
from fundwatch.storage.event_rules import EventDraft, EventSettings, event_values
from fundwatch.storage.models import AlertOutbox, Article, FundingEvent
from fundwatch.storage.outbox import AlertChannelSpec, enqueue_alerts
from fundwatch.storage.pinyin_keys import across_scripts, han_romanised, latin_stems
from fundwatch.storage.regroup import (
    Group,
    Regrouping,
    StoredArticle,
    fact_changes,
    is_material,
    regroup,
)
from fundwatch.storage.timeutil import as_utc, utcnow

if TYPE_CHECKING:
    from fundwatch.records import Detection

_CHUNK = 500
_STORED_COLUMNS = (
    Article.id,
    Article.source,
    Article.title,
    Article.duplicate_of,
    Article.event_id,
    Article.published_at,
    Article.fetched_at,
    *(getattr(Article, name) for name in DETECTION_COLUMNS),
)


@dataclass(frozen=True)
class ArticleText:
    id: int
    title: str
    body: str
    language: str | None


@dataclass
class Plan:
    """What re-detection changes: the regrouped articles (re-detected ones carry new values) and
    the regrouping; `touched` are the stored events rebuilt, as they were."""

    articles: list[StoredArticle]
    touched: dict[int, EventDraft]
    regrouping: Regrouping
    redetected: int


def articles_to_redetect(
    session: Session, *, since: datetime | None = None, source: str | None = None
) -> Iterator[ArticleText]:
    """The chosen articles' text, oldest first (published, else fetched, on or after `since`)."""
    when = func.coalesce(Article.published_at, Article.fetched_at)
    query = select(Article.id, Article.title, Article.body, Article.language).order_by(Article.id)
    if since is not None:
        query = query.where(when >= since)
    if source is not None:
        query = query.where(Article.source == source)
    for row in session.execute(query.execution_options(yield_per=200)):
        yield ArticleText(row.id, row.title, row.body, row.language)


def _chunks(ids: Sequence[int]) -> Iterator[list[int]]:
    ordered = sorted(ids)
    for start in range(0, len(ordered), _CHUNK):
        yield ordered[start : start + _CHUNK]


def _stored_rows(session: Session, *conditions: Any) -> list[Any]:
    return list(session.execute(select(*_STORED_COLUMNS).where(*conditions)))


def _draft(event: FundingEvent) -> EventDraft:
    return EventDraft(**event_values(event), revision=event.revision or 0, id=event.id)


def _events(session: Session, *conditions: Any) -> list[FundingEvent]:
    return list(session.scalars(select(FundingEvent).where(*conditions)))


def _other_script_ids(session: Session, keys: Sequence[str], *conditions: Any) -> set[int]:
    """Events whose key is one of `keys` in the other script (生数 for "shengshu"): regrouped
    articles may join them (storage/pinyin_keys.py). A narrow scan of ids and keys, done only
    when a key is all Han or all Latin."""
    by_form: dict[str, list[str]] = {}
    for key in keys:
        for form in han_romanised(key) | latin_stems(key):
            by_form.setdefault(form, []).append(key)
    if not by_form:
        return set()
    rows = session.execute(select(FundingEvent.id, FundingEvent.company_key).where(*conditions))
    return {
        event_id
        for event_id, event_key in rows
        for form in han_romanised(event_key) | latin_stems(event_key)
        for key in by_form.get(form, [])
        if across_scripts(key, event_key)
    }


def plan_redetect(
    session: Session,
    detections: Mapping[int, Detection],
    settings: EventSettings | None = None,
) -> Plan:
    """What storing `detections` (article id -> new detection) would change."""
    settings = settings or EventSettings()
    rows: dict[int, Any] = {}
    for chunk in _chunks(list(detections)):
        rows.update((row.id, row) for row in _stored_rows(session, Article.id.in_(chunk)))
    touched_ids = sorted({row.event_id for row in rows.values() if row.event_id is not None})
    for chunk in _chunks(touched_ids):
        rows.update((row.id, row) for row in _stored_rows(session, Article.event_id.in_(chunk)))
    originals = {row.duplicate_of for row in rows.values() if row.duplicate_of is not None}
    original_event: dict[int, int | None] = {}
    for chunk in _chunks(sorted(originals - set(rows))):
        original_event.update(
            session.execute(select(Article.id, Article.event_id).where(Article.id.in_(chunk)))
            .tuples()
            .all()
        )
    articles = []
    for article_id in sorted(rows):
        row = rows[article_id]
        values = {name: getattr(row, name) for name in DETECTION_COLUMNS}
        detection = detections.get(article_id)
        new_values = None
        if detection is not None:
            new_values = values | detection_values(detection)
        root = row.duplicate_of
        articles.append(
            StoredArticle(
                id=row.id,
                source=row.source,
                title=row.title,
                duplicate_of=root,
                event_id=row.event_id,
                published_at=row.published_at,
                fetched_at=row.fetched_at,
                values=values,
                new_values=new_values,
                detection=detection,
                original_event_id=rows[root].event_id if root in rows else original_event.get(root),
            )
        )
    touched: dict[int, EventDraft] = {}
    for chunk in _chunks(touched_ids):
        touched.update((e.id, _draft(e)) for e in _events(session, FundingEvent.id.in_(chunk)))
    keys = sorted({a.current.get("company_key") for a in articles} - {None})
    outside: dict[int, EventDraft] = {}
    live = FundingEvent.withdrawn_at.is_(None)
    for start in range(0, len(keys), _CHUNK):
        for event in _events(
            session, FundingEvent.company_key.in_(keys[start : start + _CHUNK]), live
        ):
            if event.id not in touched:
                outside[event.id] = _draft(event)
    other_script = _other_script_ids(session, keys, live)
    wanted = sorted(
        ({e for e in original_event.values() if e is not None} | other_script)
        - set(touched)
        - set(outside)
    )
    for chunk in _chunks(wanted):
        outside.update(
            (e.id, _draft(e)) for e in _events(session, FundingEvent.id.in_(chunk), live)
        )
    regrouping = regroup(articles, touched, outside.values(), settings)
    return Plan(articles, touched, regrouping, redetected=len(detections))


@dataclass(frozen=True)
class Applied:
    articles_updated: int
    events_created: int
    events_updated: int
    events_withdrawn: int
    events_deleted: int
    alerts_queued: int


@dataclass(frozen=True)
class _Announcing:
    """A channel as seen for a re-announcement: every revision goes to it."""

    channel: AlertChannelSpec
    send_updates: bool = True

    @property
    def name(self) -> str:
        return self.channel.name

    def accepts(self, event: FundingEvent) -> bool:
        return self.channel.accepts(event)


def lock_events(session: Session) -> None:
    """PostgreSQL: hold off concurrent event writes (ingest) until this transaction ends; SQLite
    writers are serialized already (BEGIN IMMEDIATE)."""
    if session.get_bind().dialect.name == "postgresql":
        session.execute(text("LOCK TABLE funding_events IN SHARE ROW EXCLUSIVE MODE"))


def apply_plan(
    session: Session,
    plan: Plan,
    *,
    alert_channels: Sequence[AlertChannelSpec] = (),
    realert: bool = False,
) -> Applied:
    """Write the plan in the caller's transaction (take `lock_events` before planning). Only
    what differs is written: a second run over the same verdicts writes nothing."""
    kinds = {c.event_id: c.kind for c in plan.regrouping.changes if c.event_id is not None}
    created = changed = queued = 0
    for group in plan.regrouping.groups:
        if group.id is None:
            event = FundingEvent(**event_values(group.draft), revision=0)
            session.add(event)
            session.flush()
            group.draft.id = event.id
            queued += enqueue_alerts(session, event, alert_channels, revision=0)
            created += 1
        else:
            wrote, sent = _update_event(session, group, plan, kinds, alert_channels, realert)
            changed += wrote
            queued += sent
    event_of = {m: g.draft.id for g in plan.regrouping.groups for m in g.members}
    updated = 0
    for article in plan.articles:
        values: dict[str, Any] = {}
        if article.new_values is not None:
            values = {
                name: value
                for name, value in article.new_values.items()
                if article.values.get(name) != value
            }
        if event_of.get(article.id) != article.event_id:
            values["event_id"] = event_of.get(article.id)
        if values:
            session.execute(update(Article).where(Article.id == article.id).values(**values))
            updated += 1
    withdrawn = deleted = 0
    for event_id in plan.regrouping.withdrawn:
        alerted = session.scalar(
            select(func.count()).select_from(AlertOutbox).where(AlertOutbox.event_id == event_id)
        )
        if alerted:
            session.execute(
                update(FundingEvent)
                .where(FundingEvent.id == event_id)
                .values(withdrawn_at=utcnow(), article_count=0)
            )
            session.execute(
                update(AlertOutbox)
                .where(AlertOutbox.event_id == event_id, AlertOutbox.status == "pending")
                .values(status="cancelled", last_error="event withdrawn by fundwatch redetect")
            )
            withdrawn += 1
        else:
            session.execute(delete(FundingEvent).where(FundingEvent.id == event_id))
            deleted += 1
    session.flush()
    return Applied(updated, created, changed, withdrawn, deleted, queued)


def _comparable(values: Mapping[str, Any]) -> dict[str, Any]:
    """Event values as compared for a change: datetimes in UTC (SQLite gives naive ones), and
    last_seen_at out (when an article was stored is not a fact)."""
    out = {k: as_utc(v) if isinstance(v, datetime) else v for k, v in values.items()}
    out.pop("last_seen_at", None)
    return out


def _update_event(
    session: Session,
    group: Group,
    plan: Plan,
    kinds: Mapping[int, str],
    channels: Sequence[AlertChannelSpec],
    realert: bool,
) -> tuple[bool, int]:
    """Write a kept event's new state; returns (written, alerts queued)."""
    assert group.id is not None
    before = group.before if group.stored else plan.touched[group.id]
    assert before is not None
    values = event_values(group.draft)
    if group.stored:
        values["first_seen_at"] = before.first_seen_at
    material = is_material(fact_changes(before, group.draft))
    announce = realert and (material or kinds.get(group.id) in ("merged", "split"))
    old_values = event_values(before)
    # last_seen_at is when an article was stored, not a fact: it alone does not make a change
    values["last_seen_at"] = max(as_utc(before.last_seen_at), as_utc(group.draft.last_seen_at))
    if _comparable(values) == _comparable(old_values) and not announce:
        return False, 0
    event = session.get(FundingEvent, group.id, with_for_update=True)
    assert event is not None
    for name, value in values.items():
        setattr(event, name, value)
    if material or announce:
        event.revision = (event.revision or 0) + 1
    session.flush()
    if not announce:
        return True, 0
    announced = [_Announcing(c) for c in channels]
    return True, enqueue_alerts(session, event, announced, revision=event.revision)
