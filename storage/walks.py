"""Progress of listing walks (see models.ListingWalk): a walk is `walking` from its first page
until it ends cleanly; only a complete walk lets the next crawl trust validators (304) and stop
early at a page with nothing unseen."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from fundwatch.storage.models import Article, ListingWalk
from fundwatch.storage.timeutil import as_utc, utcnow

WALKING = "walking"
COMPLETE = "complete"


def walk_of(session: Session, key: str) -> ListingWalk | None:
    return session.get(ListingWalk, key)


def walks_of(session: Session, source: str) -> list[ListingWalk]:
    return list(session.scalars(select(ListingWalk).where(ListingWalk.source == source)))


def _row(session: Session, key: str, url: str, source: str) -> ListingWalk:
    walk = session.get(ListingWalk, key)
    if walk is None:
        walk = ListingWalk(url_key=key, url=url, source=source, state=WALKING, page=1, depth_done=0)
        session.add(walk)
    return walk


def walking(session: Session, key: str, url: str, source: str, page: int) -> None:
    """The walk is about to fetch `page`: a crawl cut short from here resumes at least there."""
    walk = _row(session, key, url, source)
    if walk.state != WALKING or page > walk.page:
        walk.page = page
    walk.state = WALKING
    walk.updated_at = utcnow()


def walk_failed(session: Session, key: str, url: str, source: str, reason: str) -> None:
    walk = _row(session, key, url, source)
    walk.state = WALKING
    walk.last_error = reason[:1000]
    walk.updated_at = utcnow()


def walk_complete(session: Session, key: str, url: str, source: str, depth: int) -> None:
    """The walk ended cleanly after a walk `depth` pages deep (its target, when it had one)."""
    walk = _row(session, key, url, source)
    walk.state = COMPLETE
    walk.page = 1
    walk.depth_done = max(walk.depth_done or 0, depth)
    walk.target_pages = None
    walk.since = None
    walk.last_error = None
    walk.updated_at = utcnow()


def request_deeper_walk(
    session: Session, key: str, url: str, source: str, pages: int, since: datetime | None = None
) -> None:
    """Backfill: the next crawl walks this listing `pages` deep once, without stopping early."""
    walk = _row(session, key, url, source)
    walk.target_pages = max(pages, walk.target_pages or 0)
    walk.since = since
    walk.updated_at = utcnow()


def published_before(session: Session, keys: list[str], since: datetime) -> bool:
    """Are all these URL keys stored articles published (or fetched) before `since`?"""
    rows = session.execute(
        select(
            func.count(), func.max(func.coalesce(Article.published_at, Article.fetched_at))
        ).where(Article.url_key.in_(keys))
    ).one()
    count, newest = rows
    if count < len(set(keys)) or newest is None:
        return False
    return as_utc(newest) < as_utc(since)
