"""One outcome type for a crawl run: what the crawl records is what the scheduler reads back."""

from __future__ import annotations

from fundwatch.storage import create_db_engine, session_factory
from fundwatch.storage.crawl_outcome import CrawlOutcome
from fundwatch.storage.models import CrawlRun, SourceState
from fundwatch.storage.runs import finish_run, start_run


def test_the_recorded_outcome_reads_back_the_same(database_url: str) -> None:
    engine = create_db_engine(database_url)
    sessions = session_factory(engine)
    with sessions.begin() as session:
        run_id = start_run(session, "wire", pid=123).id
    crawled = CrawlOutcome(
        source="wire",
        run_id=run_id,
        status="partial",
        pages=40,
        new=12,
        duplicates=25,
        flagged=2,
        errors=3,
        message="1 page(s) failed, 2 fetched article(s) not stored; ...",
        failed_pages=1,
        not_stored=2,
        reasons=("https://wire.example/a: HTTP 500", "https://wire.example/b: timeout"),
    )
    with sessions.begin() as session:
        finish_run(session, crawled, pending=3)
    with sessions() as session:
        run = session.get(CrawlRun, run_id)
        assert run is not None and run.pending == 3
        read = CrawlOutcome.of_run(run, duration_s=1.23456, exit_code=0)
        state = session.get(SourceState, "wire")
        assert state is not None and state.status == "partial"  # ran: no failure counted
    engine.dispose()
    assert read == CrawlOutcome(**{**crawled.__dict__, "duration_s": 1.23456, "exit_code": 0})
    assert read.ok and read.line() == crawled.line()
    assert read.line() == (
        f"wire: partial (run {run_id}) pages=40 new=12 duplicates=25 flagged=2 errors=3 "
        "failed_pages=1 not_stored=2 — 1 page(s) failed, 2 fetched article(s) not stored; ..."
    )
    figures = read.figures()
    assert figures["duration_s"] == 1.235 and figures["detail"] == crawled.message
    assert (figures["failed_pages"], figures["not_stored"], figures["exit_code"]) == (1, 2, 0)


def test_an_outcome_that_did_not_run_counts_against_its_source(sqlite_url: str) -> None:
    engine = create_db_engine(sqlite_url)
    sessions = session_factory(engine)
    with sessions.begin() as session:
        run_id = start_run(session, "down").id
    failed = CrawlOutcome("down", run_id, "error", message="no start URL could be fetched")
    with sessions.begin() as session:
        finish_run(session, failed)
    with sessions() as session:
        state = session.get(SourceState, "down")
        assert state is not None and (state.status, state.consecutive_failures) == ("failing", 1)
        read = CrawlOutcome.of_run(session.get(CrawlRun, run_id))  # type: ignore[arg-type]
    engine.dispose()
    assert not read.ok and "failed_pages" not in read.figures()
    assert read.line() == (
        f"down: error (run {run_id}) pages=0 new=0 duplicates=0 flagged=0 errors=0 "
        "— no start URL could be fetched"
    )
