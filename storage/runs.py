"""Crawl runs and source health, as `fundwatch sources` and the daemon read them."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import Session

from fundwatch.storage.crawl_outcome import RAN_STATUSES, CrawlOutcome
from fundwatch.storage.models import CrawlRun, SourceState
from fundwatch.storage.timeutil import utcnow


def start_run(session: Session, source: str, pid: int | None = None) -> CrawlRun:
    run = CrawlRun(source=source, started_at=utcnow(), status="running", pid=pid)
    session.add(run)
    session.flush()
    return run


def finish_run(session: Session, outcome: CrawlOutcome, *, pending: int = 0) -> CrawlRun:
    """Record a crawl's own outcome in its row (and its source's health)."""
    if outcome.run_id is None:
        raise LookupError(f"{outcome.source}: the crawl has no run to record")
    run = session.get(CrawlRun, outcome.run_id)
    if run is None:
        raise LookupError(f"crawl run {outcome.run_id} does not exist")
    run.finished_at = utcnow()
    run.status = outcome.status
    run.pages, run.new, run.duplicates = outcome.pages, outcome.new, outcome.duplicates
    run.flagged, run.errors, run.message = outcome.flagged, outcome.errors, outcome.message
    run.failed_pages, run.not_stored = outcome.failed_pages, outcome.not_stored
    run.pending = pending
    run.reasons = list(outcome.reasons)
    record_outcome(session, run.source, ok=outcome.ok, error=outcome.message, at=run.finished_at)
    return run


def source_state(session: Session, name: str) -> SourceState:
    state = session.get(SourceState, name)
    if state is None:
        state = SourceState(name=name, status="new", consecutive_failures=0, disabled=False)
        session.add(state)
        session.flush()
    return state


def locked_source_state(session: Session, name: str) -> SourceState:
    """The source's row as committed now, held until this transaction ends, so that two
    transactions deciding from it (a crawl's end and the daemon's quiet check, both about to
    tell the operator) take turns and the second sees what the first wrote.

    PostgreSQL: the row is created if missing (ON CONFLICT DO NOTHING waits for a concurrent
    creator instead of failing), then read with SELECT ... FOR UPDATE. SQLite: every write
    transaction already holds the database's write lock from its BEGIN IMMEDIATE."""
    insert = pg_insert if session.get_bind().dialect.name == "postgresql" else sqlite_insert
    session.execute(
        insert(SourceState)
        .values(name=name, status="new", consecutive_failures=0, disabled=False)
        .on_conflict_do_nothing()
    )
    query = (
        select(SourceState)
        .where(SourceState.name == name)
        .with_for_update()
        .execution_options(populate_existing=True)
    )
    return session.scalars(query).one()


def record_outcome(
    session: Session, name: str, *, ok: bool, error: str | None = None, at: datetime | None = None
) -> SourceState:
    state = source_state(session, name)
    at = at or utcnow()
    state.last_run_at = at
    if ok:  # with an error: partial (pages failed; the frontier retries them)
        state.status = "ok" if error is None else "partial"
        state.consecutive_failures = 0
        state.last_success_at = at
        state.last_error = error
    else:
        state.consecutive_failures += 1
        state.status = "failing"
        state.last_error = error
    return state


def disable_source(session: Session, name: str, reason: str) -> SourceState:
    """Stop scheduling a source until a person re-enables it (e.g. its feed answered 410)."""
    state = source_state(session, name)
    state.disabled = True
    state.status = "disabled"
    state.last_error = reason
    state.next_run_at = None
    return state


def enable_source(session: Session, name: str) -> SourceState:
    state = source_state(session, name)
    state.disabled = False
    state.consecutive_failures = 0
    if state.status == "disabled":
        state.status = "new"
    return state


def latest_runs(session: Session) -> dict[str, CrawlRun]:
    """The newest crawl run of every source."""
    newest = (
        select(CrawlRun.source, func.max(CrawlRun.id).label("id"))
        .group_by(CrawlRun.source)
        .subquery()
    )
    rows = session.scalars(select(CrawlRun).join(newest, CrawlRun.id == newest.c.id))
    return {run.source: run for run in rows}


def source_states(session: Session) -> dict[str, SourceState]:
    return {state.name: state for state in session.scalars(select(SourceState))}


def close_run(
    session: Session, run_id: int, *, status: str, message: str, record: bool = True
) -> CrawlRun:
    """Close a run its crawl could not finish (timeout, crash, shutdown), keeping its figures.

    With record=False the source's health is left alone (the daemon, not the source, stopped
    the run: shutdown, or a previous daemon's death).
    """
    run = session.get(CrawlRun, run_id)
    if run is None:
        raise LookupError(f"crawl run {run_id} does not exist")
    run.finished_at = utcnow()
    run.status = status
    run.message = message
    if record:
        record_outcome(
            session, run.source, ok=status in RAN_STATUSES, error=message, at=run.finished_at
        )
    return run


def set_next_run(session: Session, name: str, at: datetime | None) -> None:
    """Record when the daemon will next run the source (shown by `fundwatch sources`)."""
    source_state(session, name).next_run_at = at


def clear_next_runs(session: Session, keep: set[str]) -> None:
    """Forget next run times of sources no longer scheduled (removed or disabled)."""
    for state in session.scalars(select(SourceState).where(SourceState.next_run_at.is_not(None))):
        if state.name not in keep:
            state.next_run_at = None
