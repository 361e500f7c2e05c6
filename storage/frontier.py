"""The crawl frontier: article URLs found and not stored yet, with their retry schedule.

A URL found on a listing, feed or sitemap is recorded `pending` (with its source and where it
was found) before it is fetched. It leaves the frontier in the transaction that stores the
article (`forget`, called by the writer) or is `given_up` after `max_attempts` failed attempts,
keeping the last reason; `requeue` makes given-up URLs pending again.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import bindparam, delete, func, select, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import Session

from fundwatch.storage.models import FrontierEntry
from fundwatch.storage.timeutil import utcnow

PENDING = "pending"
GIVEN_UP = "given_up"
# the URL was fetched and its article stored under another URL (a redirect, or the page's
# canonical link: an AMP or mobile URL); kept so the URL is not fetched again when found again
STORED_AS = "stored_as"
DEFAULT_MAX_ATTEMPTS = 6
DEFAULT_RETRY_BASE = timedelta(minutes=5)
MAX_RETRY_DELAY = timedelta(hours=12)


@dataclass(frozen=True)
class Found:
    """One URL found on a page: its canonical form and key, and the entry's own data."""

    url: str
    url_key: str
    hint: dict[str, Any] | None = None


def retry_delay(attempts: int, base: timedelta = DEFAULT_RETRY_BASE) -> timedelta:
    """Wait before the next attempt after `attempts` failures: the first failure is retried by
    the next run, then base, 2*base, 4*base ... up to MAX_RETRY_DELAY."""
    if attempts <= 1:
        return timedelta(0)
    return min(base * (2 ** (attempts - 2)), MAX_RETRY_DELAY)


_FRONTIER = FrontierEntry.__table__
_INSERT_NEW = {
    name: insert(_FRONTIER).on_conflict_do_nothing()
    for name, insert in (("postgresql", pg_insert), ("sqlite", sqlite_insert))
}
# The writer holds no FrontierEntry objects: a Core DELETE, built once, with no ORM session
# synchronization (which cost more than the DELETE itself).
_FORGET = delete(_FRONTIER).where(_FRONTIER.c.url_key.in_(bindparam("keys", expanding=True)))


def record_found(
    session: Session, source: str, found_on: str | None, found: Sequence[Found]
) -> None:
    """Insert the URLs not in the frontier yet as pending (a URL already there keeps its row)."""
    if not found:
        return
    now = utcnow()
    rows = [
        {
            "url_key": item.url_key,
            "url": item.url,
            "source": source,
            "found_on": found_on,
            # a microsecond apart: due URLs come back in the order they were found
            "found_at": now + timedelta(microseconds=index),
            "hint": item.hint,
            "state": PENDING,
            "attempts": 0,
            "next_attempt_at": now,
        }
        for index, item in enumerate({item.url_key: item for item in found}.values())
    ]
    # one statement, built once, executed for many rows (Core: no ORM bulk machinery, and the
    # compiled form is cached, unlike a multi-row VALUES clause that is compiled for each size)
    statement = _INSERT_NEW[session.get_bind().dialect.name]
    session.connection().execute(statement, rows)


def known_keys(session: Session, keys: Iterable[str]) -> set[str]:
    """Which of these URL keys are in the frontier (pending, given up, or stored as another
    URL)."""
    keys = list(keys)
    found: set[str] = set()
    for start in range(0, len(keys), 500):
        chunk = keys[start : start + 500]
        found.update(
            session.scalars(select(FrontierEntry.url_key).where(FrontierEntry.url_key.in_(chunk)))
        )
    return found


def due_entries(
    session: Session, source: str, *, now: datetime | None = None, limit: int | None = None
) -> list[FrontierEntry]:
    """Pending URLs of a source whose next attempt is due, oldest first."""
    query = (
        select(FrontierEntry)
        .where(
            FrontierEntry.source == source,
            FrontierEntry.state == PENDING,
            FrontierEntry.next_attempt_at <= (now or utcnow()),
        )
        .order_by(FrontierEntry.found_at, FrontierEntry.url_key)
    )
    if limit is not None:
        query = query.limit(limit)
    return list(session.scalars(query))


def forget(session: Session, keys: Iterable[str]) -> None:
    """The articles are stored (new or as a duplicate): they leave the frontier."""
    keys = [key for key in keys if key]
    if keys:
        session.connection().execute(_FORGET, {"keys": keys})


def stored_as(session: Session, key: str, url: str) -> None:
    """The frontier URL `key` was stored as the article at `url`: it stays known, not pending."""
    session.execute(
        update(FrontierEntry)
        .where(FrontierEntry.url_key == key)
        .values(state=STORED_AS, last_error=f"stored as {url}"[:2000]),
        execution_options={"synchronize_session": False},
    )


def record_failure(
    session: Session,
    key: str,
    reason: str,
    *,
    max_attempts: int = DEFAULT_MAX_ATTEMPTS,
    base: timedelta = DEFAULT_RETRY_BASE,
) -> FrontierEntry | None:
    """One failed attempt: schedule the next one, or give up after `max_attempts`."""
    entry = session.get(FrontierEntry, key)
    if entry is None or entry.state != PENDING:
        return entry
    now = utcnow()
    entry.attempts += 1
    entry.last_attempt_at = now
    entry.last_error = reason[:1000]
    if entry.attempts >= max_attempts:
        entry.state = GIVEN_UP
    else:
        entry.next_attempt_at = now + retry_delay(entry.attempts, base)
    return entry


def requeue(session: Session, source: str) -> int:
    """Make a source's given-up URLs pending again, due now; return how many."""
    result = session.execute(
        update(FrontierEntry)
        .where(FrontierEntry.source == source, FrontierEntry.state == GIVEN_UP)
        .values(state=PENDING, attempts=0, next_attempt_at=utcnow())
    )
    return int(result.rowcount or 0)


def counts_by_source(session: Session) -> dict[str, dict[str, int]]:
    """{source: {"pending": n, "given_up": m}}."""
    rows = session.execute(
        select(FrontierEntry.source, FrontierEntry.state, func.count()).group_by(
            FrontierEntry.source, FrontierEntry.state
        )
    )
    counts: dict[str, dict[str, int]] = {}
    for source, state, count in rows:
        if state in (PENDING, GIVEN_UP):
            counts.setdefault(source, {PENDING: 0, GIVEN_UP: 0})[state] = int(count)
    return counts


def pending_count(session: Session, source: str) -> int:
    return int(
        session.scalar(
            select(func.count()).where(
                FrontierEntry.source == source, FrontierEntry.state == PENDING
            )
        )
        or 0
    )


def given_up(session: Session, source: str) -> list[FrontierEntry]:
    return list(
        session.scalars(
            select(FrontierEntry)
            .where(FrontierEntry.source == source, FrontierEntry.state == GIVEN_UP)
            .order_by(FrontierEntry.found_at)
        )
    )
