"""Read-side queries of the dashboard and API: events, stories, sources, alerts.

Lists are newest first with keyset pagination on (time, id), so a deep page costs the same as the
first one. Storage stays unaware of the web app; this module only reads its tables.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Generic, TypeVar

from sqlalchemy import ColumnElement, and_, exists, func, inspect, or_, select, true
from sqlalchemy import column as sql_column
from sqlalchemy import table as sql_table
from sqlalchemy.orm import Session

from fundwatch.storage.models import (
    AlertAttempt,
    AlertOutbox,
    Article,
    CrawlRun,
    FundingEvent,
    SourceState,
)
from fundwatch.storage.outlets import article_outlet
from fundwatch.storage.timeutil import as_utc
from fundwatch.web.filters import Cursor, EventFilter, StoryFilter
from fundwatch.web.textsearch import contains, json_text_contains

T = TypeVar("T")


@dataclass
class Page(Generic[T]):
    rows: list[T]
    next_cursor: str | None
    total: int | None = None


@dataclass
class EventRow:
    event: FundingEvent
    languages: list[str] = field(default_factory=list)
    aliases: list[str] = field(default_factory=list)
    outlets: list[str] = field(default_factory=list)
    first_title: str | None = None


def base_language(code: str | None) -> str | None:
    return code.split("-")[0].lower() if code else None


def _before(at_column: Any, id_column: Any, cursor: Cursor | None) -> list[ColumnElement[bool]]:
    if cursor is None:
        return []
    return [or_(at_column < cursor.at, and_(at_column == cursor.at, id_column < cursor.id))]


def _event_article(*conditions: ColumnElement[bool]) -> ColumnElement[bool]:
    return exists(select(true()).where(Article.event_id == FundingEvent.id, *conditions)).correlate(
        FundingEvent
    )


def event_conditions(session: Session, f: EventFilter) -> list[ColumnElement[bool]]:
    where: list[ColumnElement[bool]] = []
    if f.since is not None:
        where.append(FundingEvent.first_seen_at >= f.since)
    if f.until is not None:
        where.append(FundingEvent.first_seen_at < f.until)
    if f.round is not None:
        where.append(func.lower(FundingEvent.round) == f.round.lower())
    if f.min_usd is not None:
        where.append(FundingEvent.amount_usd >= f.min_usd)
    if f.max_usd is not None:
        where.append(FundingEvent.amount_usd <= f.max_usd)
    if f.investor is not None:
        where.append(json_text_contains(FundingEvent.investors, f.investor))
    if f.lang is not None:
        where.append(_event_article(func.lower(Article.language).like(f"{f.lang.lower()}%")))
    if f.source is not None:
        where.append(_event_article(Article.source == f.source))
    if f.q is not None:
        where.append(
            or_(
                contains(FundingEvent.company, f.q),
                contains(FundingEvent.company_key, f.q),
                json_text_contains(FundingEvent.investors, f.q),
                # one pass over the articles of events, not one lookup per event
                FundingEvent.id.in_(
                    select(Article.event_id).where(
                        Article.event_id.is_not(None),
                        or_(contains(Article.title, f.q), contains(Article.company, f.q)),
                    )
                ),
            )
        )
    return where


def _decorate(session: Session, events: Sequence[FundingEvent]) -> list[EventRow]:
    """Languages, company aliases and outlets of a page of events (one indexed query)."""
    rows = {event.id: EventRow(event) for event in events}
    if not rows:
        return []
    found = session.execute(
        select(
            Article.fetched_at,
            Article.id,
            Article.event_id,
            Article.language,
            Article.company,
            Article.source,
            Article.outlet,
            Article.origin_name,
            Article.origin_url,
            Article.url,
            Article.title,
        ).where(Article.event_id.in_(rows))
    )
    # Sorted here: an ORDER BY lets SQLite walk the whole fetched_at index for a long id list.
    ordered = sorted(found, key=lambda r: (as_utc(r.fetched_at), r.id))
    for found_row in ordered:
        row = rows[found_row.event_id]
        language, company, title = found_row.language, found_row.company, found_row.title
        language = base_language(language)
        if language and language not in row.languages:
            row.languages.append(language)
        if company and company != row.event.company and company not in row.aliases:
            row.aliases.append(company)
        outlet = article_outlet(found_row)
        if outlet not in row.outlets:
            row.outlets.append(outlet)
        if row.first_title is None:
            row.first_title = title
    for row in rows.values():
        row.languages.sort()
    return list(rows.values())


def list_events(
    session: Session, f: EventFilter, limit: int, *, count: bool = True
) -> Page[EventRow]:
    where = event_conditions(session, f)
    statement = (
        select(FundingEvent)
        .where(*where, *_before(FundingEvent.first_seen_at, FundingEvent.id, f.after))
        .order_by(FundingEvent.first_seen_at.desc(), FundingEvent.id.desc())
        .limit(limit + 1)
    )
    events = list(session.scalars(statement))
    more = len(events) > limit
    events = events[:limit]
    total = None
    if count and (more or f.after is not None):
        total = session.scalar(select(func.count()).select_from(FundingEvent).where(*where))
    elif count:
        total = len(events)  # the first page holds every match
    cursor = None
    if more:
        last = events[-1]
        cursor = Cursor(as_utc(last.first_seen_at), last.id).encode()  # type: ignore[arg-type]
    return Page(_decorate(session, events), cursor, total)


def iter_events(session: Session, f: EventFilter, batch: int = 500) -> Iterator[EventRow]:
    """Every event matching the filter (cursor ignored), newest first, in batches."""
    f.after = None
    while True:
        page = list_events(session, f, batch, count=False)
        yield from page.rows
        if page.next_cursor is None:
            return
        f.after = Cursor.decode(page.next_cursor)


def filter_choices(session: Session) -> dict[str, list[str]]:
    """Values offered in the filter drop-downs."""
    rounds = session.scalars(
        select(FundingEvent.round).where(FundingEvent.round.is_not(None)).distinct()
    )
    languages = session.scalars(
        select(Article.language).where(Article.language.is_not(None)).distinct()
    )
    sources = session.scalars(select(Article.source).distinct())
    return {
        "rounds": sorted({r for r in rounds if r}),
        "languages": sorted({lang.split("-")[0] for lang in languages if lang}),
        "sources": sorted(s for s in sources if s),
    }


# --- one event --------------------------------------------------------------------------------


@dataclass
class Delivery:
    alert: AlertOutbox
    attempts: list[AlertAttempt]


@dataclass
class EventDetail:
    event: FundingEvent
    articles: list[Article]
    deliveries: list[Delivery]
    aliases: list[str]
    languages: list[str]


def event_detail(session: Session, event_id: int) -> EventDetail | None:
    event = session.get(FundingEvent, event_id)
    if event is None:
        return None
    articles = list(
        session.scalars(
            select(Article)
            .where(Article.event_id == event_id)
            .order_by(Article.fetched_at, Article.id)
        )
    )
    alerts = list(
        session.scalars(
            select(AlertOutbox)
            .where(AlertOutbox.event_id == event_id)
            .order_by(AlertOutbox.created_at, AlertOutbox.id)
        )
    )
    attempts = _attempts(session, [a.id for a in alerts])
    aliases = sorted({a.company for a in articles if a.company and a.company != event.company})
    languages = sorted({base_language(a.language) for a in articles if a.language})
    return EventDetail(
        event,
        articles,
        [Delivery(a, attempts.get(a.id, [])) for a in alerts],
        aliases,
        languages,
    )


def _attempts(session: Session, outbox_ids: list[int]) -> dict[int, list[AlertAttempt]]:
    found: dict[int, list[AlertAttempt]] = defaultdict(list)
    if outbox_ids:
        for attempt in session.scalars(
            select(AlertAttempt)
            .where(AlertAttempt.outbox_id.in_(outbox_ids))
            .order_by(AlertAttempt.attempted_at, AlertAttempt.id)
        ):
            found[attempt.outbox_id].append(attempt)
    return found


# --- stories ----------------------------------------------------------------------------------


def story_conditions(f: StoryFilter) -> list[ColumnElement[bool]]:
    where: list[ColumnElement[bool]] = []
    if f.since is not None:
        where.append(Article.fetched_at >= f.since)
    if f.until is not None:
        where.append(Article.fetched_at < f.until)
    if f.lang is not None:
        where.append(func.lower(Article.language).like(f"{f.lang.lower()}%"))
    if f.source is not None:
        where.append(Article.source == f.source)
    if f.verdict == "flagged":
        where.append(Article.flag.is_(True))
    elif f.verdict == "funding":
        where.append(Article.is_funding.is_(True))
    elif f.verdict == "not-flagged":
        where.append(Article.flag.is_(False))
    elif f.verdict == "copies":
        where.append(Article.duplicate_of.is_not(None))
    if f.q is not None:
        where.append(or_(contains(Article.title, f.q), contains(Article.company, f.q)))
    return where


def list_stories(session: Session, f: StoryFilter, limit: int) -> Page[Article]:
    # With a search, order by an expression: walking the fetched_at index would fetch every
    # row to test the LIKE (7x slower on SQLite at 100k articles than one scan and a sort).
    newest = Article.fetched_at if f.q is None else func.coalesce(Article.fetched_at, None)
    statement = (
        select(Article)
        .where(*story_conditions(f), *_before(Article.fetched_at, Article.id, f.after))
        .order_by(newest.desc(), Article.id.desc())
        .limit(limit + 1)
    )
    articles = list(session.scalars(statement))
    cursor = None
    if len(articles) > limit:
        articles = articles[:limit]
        last = articles[-1]
        cursor = Cursor(as_utc(last.fetched_at), last.id).encode()  # type: ignore[arg-type]
    return Page(articles, cursor)


def story(session: Session, article_id: int) -> Article | None:
    return session.get(Article, article_id)


# --- sources ----------------------------------------------------------------------------------

_KNOWN_STATE_COLUMNS = {c.name for c in SourceState.__table__.columns}


@dataclass
class SourceExtras:
    """Columns other branches add (frontier, template health): shown only when they exist."""

    state_columns: list[str]
    frontier: dict[str, dict[str, int]]  # source -> state -> rows


def source_extras(session: Session) -> SourceExtras:
    inspector = inspect(session.get_bind())
    tables = set(inspector.get_table_names())
    state_columns = [
        c["name"]
        for c in inspector.get_columns("source_state")
        if c["name"] not in _KNOWN_STATE_COLUMNS
    ]
    frontier: dict[str, dict[str, int]] = defaultdict(dict)
    for table in sorted(t for t in tables if "frontier" in t):
        columns = {c["name"] for c in inspector.get_columns(table)}
        state = next((c for c in ("state", "status") if c in columns), None)
        if "source" not in columns:
            continue
        t = sql_table(table, sql_column("source"), *([sql_column(state)] if state else []))
        keys = [t.c.source, t.c[state]] if state else [t.c.source]
        for source, *value, count in session.execute(select(*keys, func.count()).group_by(*keys)):
            frontier[source][str(value[0]) if value else "rows"] = count
    return SourceExtras(state_columns, dict(frontier))


def source_rows(session: Session) -> tuple[dict[str, SourceState], dict[str, CrawlRun]]:
    from fundwatch.storage.runs import latest_runs, source_states

    return source_states(session), latest_runs(session)


def state_extra_values(session: Session, columns: list[str]) -> dict[str, dict[str, Any]]:
    if not columns:
        return {}
    t = sql_table("source_state", sql_column("name"), *(sql_column(c) for c in columns))
    return {
        row[0]: dict(zip(columns, row[1:], strict=True))
        for row in session.execute(select(t.c.name, *(t.c[c] for c in columns)))
    }


# --- alerts -----------------------------------------------------------------------------------


@dataclass
class AlertRow:
    alert: AlertOutbox
    event: FundingEvent | None
    attempts: list[AlertAttempt]


def list_alerts(
    session: Session,
    *,
    channel: str | None,
    status: str | None,
    before_id: int | None,
    limit: int,
) -> Page[AlertRow]:
    statement = (
        select(AlertOutbox, FundingEvent)
        .outerjoin(FundingEvent, FundingEvent.id == AlertOutbox.event_id)
        .order_by(AlertOutbox.id.desc())
        .limit(limit + 1)
    )
    if channel:
        statement = statement.where(AlertOutbox.channel == channel)
    if status:
        statement = statement.where(AlertOutbox.status == status)
    if before_id:
        statement = statement.where(AlertOutbox.id < before_id)
    found = list(session.execute(statement))
    cursor = None
    if len(found) > limit:
        found = found[:limit]
        cursor = str(found[-1][0].id)
    attempts = _attempts(session, [alert.id for alert, _ in found])
    return Page([AlertRow(a, e, attempts.get(a.id, [])) for a, e in found], cursor)


def alert_summary(session: Session) -> dict[str, dict[str, int]]:
    """channel -> status -> count."""
    summary: dict[str, dict[str, int]] = defaultdict(dict)
    for channel, status, count in session.execute(
        select(AlertOutbox.channel, AlertOutbox.status, func.count()).group_by(
            AlertOutbox.channel, AlertOutbox.status
        )
    ):
        summary[channel][status] = count
    return dict(summary)


def last_crawl_at(session: Session) -> datetime | None:
    return as_utc(session.scalar(select(func.max(CrawlRun.started_at))))
