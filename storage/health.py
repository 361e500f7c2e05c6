"""Source health beyond fetching: template problems (required fields missing, a listing that
stopped yielding links) and quiet sources (no new article for N x the source's typical gap).

The verdicts are pure functions; `update_health` keeps the current problem on source_state and
says when the operator must be told: on a new problem, again every ALERT_REPEAT while it lasts,
and once on recovery.
"""

from __future__ import annotations

import itertools
import statistics
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from fundwatch.storage.models import Article, CrawlRun, ExtractionError, SourceState
from fundwatch.storage.runs import locked_source_state
from fundwatch.storage.timeutil import as_utc, utcnow

ALERT_REPEAT = timedelta(days=1)
MOST = 0.5  # a run where more than this share of pages misses a field has a broken template
MIN_PAGES = 2  # fewer checked pages say nothing about the template
QUIET_FACTOR = 4.0  # quiet when the last new article is older than this many typical gaps
QUIET_HISTORY = 30  # newest productive runs whose gaps make the typical interval
QUIET_MIN_ARTICLES = 5  # productive runs needed before a source can be called quiet
LISTING_PROBLEM = "template: no article links"
QUIET = "quiet"  # the kind of a quiet source's problem ("quiet: no new article for …")
QUIET_FLOOR = timedelta(hours=6)  # never call a source quiet sooner than this


@dataclass(frozen=True)
class Missing:
    url: str
    field: str
    detail: str | None = None


def template_problem(pages: int, missing: Sequence[Missing]) -> str | None:
    """'template: title missing on 21/21 pages (e.g. URL)' when most pages miss a field."""
    if pages < MIN_PAGES:
        return None
    by_field: dict[str, list[Missing]] = {}
    for miss in missing:
        by_field.setdefault(miss.field, []).append(miss)
    for field, misses in sorted(by_field.items(), key=lambda item: -len(item[1])):
        urls = {miss.url for miss in misses}
        if len(urls) > MOST * pages:
            example = misses[0]
            detail = f"; {example.detail}" if example.detail else ""
            return (
                f"template: {field} missing on {len(urls)}/{pages} pages "
                f"(e.g. {example.url}{detail})"
            )
    return None


def listing_problem(links: int, listings: int, had_articles: bool) -> str | None:
    """A listing that yields no article links although the source yielded articles before."""
    if listings and links == 0 and had_articles:
        return (
            f"{LISTING_PROBLEM} on {listings} listing page(s), where earlier runs found "
            "articles (site redesign? check listing.article_links / article_url_pattern)"
        )
    return None


def typical_gap(times: Sequence[datetime]) -> timedelta | None:
    """Median gap between consecutive publication times (None with too little history)."""
    ordered = sorted(times)
    gaps = [b - a for a, b in itertools.pairwise(ordered) if b > a]
    if len(ordered) < QUIET_MIN_ARTICLES or not gaps:
        return None
    return statistics.median(gaps)


def quiet_problem(times: Sequence[datetime], now: datetime) -> str | None:
    gap = typical_gap(times)
    if gap is None:
        return None
    last = max(times)
    silent = now - last
    if silent > max(QUIET_FLOOR, QUIET_FACTOR * gap):
        return (
            f"quiet: no new article for {_span(silent)} (typically one every {_span(gap)}; "
            f"last {last:%Y-%m-%d %H:%M} UTC)"
        )
    return None


def _span(delta: timedelta) -> str:
    hours = delta.total_seconds() / 3600
    return f"{hours / 24:.1f} days" if hours >= 48 else f"{hours:.1f} h"


def productive_runs(session: Session, source: str, limit: int = QUIET_HISTORY) -> list[datetime]:
    """Start times of the source's newest runs that found new articles (the history the
    typical interval is learned from; a first crawl's backfill counts once)."""
    rows = session.scalars(
        select(CrawlRun.started_at)
        .where(CrawlRun.source == source, CrawlRun.new > 0)
        .order_by(CrawlRun.started_at.desc())
        .limit(limit)
    )
    return [t for t in (as_utc(row) for row in rows) if t is not None]


def productive_runs_of(
    session: Session, sources: Sequence[str], limit: int = QUIET_HISTORY
) -> dict[str, list[datetime]]:
    """`productive_runs` of many sources in one query (newest `limit` per source, through the
    (source, started_at) index)."""
    if not sources:
        return {}
    newest = (
        select(
            CrawlRun.source,
            CrawlRun.started_at,
            func.row_number()
            .over(partition_by=CrawlRun.source, order_by=CrawlRun.started_at.desc())
            .label("rank"),
        )
        .where(CrawlRun.source.in_(sources), CrawlRun.new > 0)
        .subquery()
    )
    found: dict[str, list[datetime]] = {}
    for source, started in session.execute(
        select(newest.c.source, newest.c.started_at).where(newest.c.rank <= limit)
    ):
        at = as_utc(started)
        if at is not None:
            found.setdefault(source, []).append(at)
    return found


@dataclass(frozen=True)
class HealthChange:
    source: str
    action: str  # "alert" or "recovered", as update_health says
    problem: str | None


def check_quiet(
    session: Session, sources: Sequence[str], now: datetime | None = None
) -> list[HealthChange]:
    """Judge every source's quietness now, between crawls (crawls that keep failing or do not
    run never reach the end-of-run check). A source with a template problem is left alone: only
    a crawl that extracts pages right again can clear that."""
    now = now or utcnow()
    history = productive_runs_of(session, sources)
    health = dict(
        session.execute(
            select(SourceState.name, SourceState.health).where(SourceState.name.in_(sources))
        ).all()
    )
    changes = []
    for source in sources:
        current = health.get(source)
        if current is not None and not _same_kind(current, QUIET):
            continue
        problem = quiet_problem(history.get(source, []), now)
        if problem is None and current is None:
            continue
        action = update_health(session, source, problem, now, only=QUIET)
        if action is not None:
            changes.append(HealthChange(source, action, problem))
    return changes


def has_articles(session: Session, source: str) -> bool:
    return session.scalar(select(Article.id).where(Article.source == source).limit(1)) is not None


def record_missing(
    session: Session, source: str, run_id: int | None, missing: Sequence[Missing]
) -> None:
    session.add_all(
        ExtractionError(source=source, run_id=run_id, url=m.url, field=m.field, detail=m.detail)
        for m in missing
    )


def recent_missing(session: Session, source: str, limit: int = 20) -> list[ExtractionError]:
    query = (
        select(ExtractionError)
        .where(ExtractionError.source == source)
        .order_by(ExtractionError.id.desc())
        .limit(limit)
    )
    return list(session.scalars(query))


def _same_kind(current: str, problem: str | None) -> bool:
    """'quiet: …' and 'quiet: …' are one kind of problem ('template', 'quiet')."""
    return problem is not None and current.split(":", 1)[0] == problem.split(":", 1)[0]


def update_health(
    session: Session,
    source: str,
    problem: str | None,
    now: datetime | None = None,
    *,
    judged_template: bool = True,
    only: str | None = None,
) -> str | None:
    """Keep the source's current problem. Returns "alert" (new problem, or a day since the
    last alert), "recovered" (a problem ended), or None (nothing to tell).

    The decision is taken on the source's row locked for this transaction
    (runs.locked_source_state): a crawl's end and the daemon's quiet check judging the same
    episode at once tell the operator once. judged_template=False (the run checked no page:
    nothing new) keeps a template problem: only pages extracted right again clear it.
    only="quiet" (the quiet check): a problem of another kind on the row stands."""
    now = now or utcnow()
    state = locked_source_state(session, source)
    if only is not None and state.health is not None and not _same_kind(state.health, only):
        return None
    if problem is None:
        if state.health is None:
            return None
        if not judged_template and state.health.startswith("template"):
            return update_health(session, source, state.health, now)
        state.health = state.health_since = state.health_alerted_at = None
        return "recovered"
    last = as_utc(state.health_alerted_at)
    same_kind = state.health is not None and _same_kind(state.health, problem)
    state.health = problem
    if not same_kind:
        state.health_since = now
    if same_kind and last is not None and now - last < ALERT_REPEAT:
        return None
    state.health_alerted_at = now
    return "alert"
