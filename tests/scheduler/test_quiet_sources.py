"""Quiet sources are judged between crawls: the check itself on both databases, and a real daemon
whose crawls of a quiet source keep failing (so no crawl's end ever judges it)."""

from __future__ import annotations

import logging
import threading
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from fundwatch.configuration import Settings
from fundwatch.scheduler.daemon import Daemon
from fundwatch.storage import create_db_engine, session_factory
from fundwatch.storage.health import check_quiet, update_health
from fundwatch.storage.models import CrawlRun, SourceState
from fundwatch.storage.timeutil import as_utc, utcnow
from tests.scheduler.scheduler_helpers import (
    fake_command,
    feed_entry,
    runs_started,
    set_mode,
    wait_for,
    write_catalog,
)

NOW = datetime(2026, 6, 10, 12, 0, tzinfo=UTC)


def productive_history(session, source: str, last: datetime, runs: int = 12) -> None:
    """`runs` crawls an hour apart that each found new articles, the newest at `last`."""
    for hour in range(runs):
        at = last - timedelta(hours=runs - 1 - hour)
        session.add(CrawlRun(source=source, started_at=at, finished_at=at, status="ok", new=2))


def health(sessions, name: str) -> str | None:
    with sessions() as session:
        state = session.get(SourceState, name)
        return state.health if state else None


def test_check_quiet_alerts_once_repeats_daily_and_clears(database_url: str) -> None:
    engine = create_db_engine(database_url)
    sessions = session_factory(engine)
    with sessions.begin() as session:
        productive_history(session, "silent", NOW - timedelta(days=2))
        productive_history(session, "lively", NOW - timedelta(minutes=30))
        productive_history(session, "broken", NOW - timedelta(days=3))
        productive_history(session, "newcomer", NOW - timedelta(days=3), runs=3)
        # a template problem stands until a crawl extracts pages right again
        update_health(session, "broken", "template: title missing on 5/5 pages", NOW)
    names = ["silent", "lively", "broken", "newcomer", "never_ran"]

    with sessions.begin() as session:
        changes = check_quiet(session, names, NOW)
    assert [(c.source, c.action) for c in changes] == [("silent", "alert")]
    assert changes[0].problem.startswith("quiet: no new article for 2.0 days")
    assert "typically one every 1.0 h" in changes[0].problem
    assert health(sessions, "silent") == changes[0].problem
    assert health(sessions, "lively") is None and health(sessions, "newcomer") is None
    assert health(sessions, "broken") == "template: title missing on 5/5 pages"
    with sessions() as session:
        assert session.get(SourceState, "never_ran") is None  # nothing written for it

    with sessions.begin() as session:  # ten minutes later: still quiet, already told
        assert check_quiet(session, names, NOW + timedelta(minutes=10)) == []
    assert "2.0 days" in health(sessions, "silent")
    with sessions.begin() as session:  # a day later: told again (and lively fell silent too)
        changes = check_quiet(session, names, NOW + timedelta(days=1, minutes=1))
    assert [(c.source, c.action) for c in changes] == [("silent", "alert"), ("lively", "alert")]
    assert "3.0 days" in changes[0].problem and "24.5 h" in changes[1].problem

    with sessions.begin() as session:  # it found articles again
        productive_history(session, "silent", NOW + timedelta(days=1, hours=2), runs=1)
    with sessions.begin() as session:
        changes = check_quiet(session, names, NOW + timedelta(days=1, hours=2, minutes=5))
    assert [(c.source, c.action, c.problem) for c in changes] == [("silent", "recovered", None)]
    assert health(sessions, "lively").startswith("quiet:")
    assert health(sessions, "silent") is None
    with sessions() as session:
        assert as_utc(session.get(SourceState, "silent").health_alerted_at) is None
    engine.dispose()


@pytest.fixture
def started() -> list[Daemon]:
    daemons: list[Daemon] = []
    yield daemons
    for daemon in daemons:
        if not daemon._stopping.is_set():
            daemon.shutdown_grace = 0
            daemon.stop()


def test_daemon_flags_a_quiet_source_whose_crawls_keep_failing(
    database_url: str,
    tmp_path: Path,
    control: Path,
    started: list[Daemon],
    caplog: pytest.LogCaptureFixture,
) -> None:
    caplog.set_level(logging.INFO)
    engine = create_db_engine(database_url)
    sessions = session_factory(engine)
    with sessions.begin() as session:
        productive_history(session, "failing", utcnow() - timedelta(days=2))
        productive_history(session, "fine", utcnow() - timedelta(days=2))
    seeds = write_catalog(
        tmp_path / "seeds", [feed_entry("failing", every="1h"), feed_entry("fine", every="1h")]
    )
    set_mode(control, "failing", "fail")
    settings = Settings(database_url=database_url, seeds=seeds, max_concurrent_crawls=2)
    daemon = Daemon(settings, crawl_command=fake_command(control), stagger=0.1, quiet_check=0.5)
    started.append(daemon)
    daemon.start()
    wait_for(lambda: runs_started(control, "failing"), 30, "a crawl of the failing source")

    def quiet_alerts() -> list[logging.LogRecord]:
        return [
            r
            for r in caplog.records
            if getattr(r, "event", None) == "operator_alert"
            and getattr(r, "source", None) == "failing"
        ]

    [alert] = wait_for(quiet_alerts, 30, "the quiet source's operator alert")
    assert alert.problem.startswith("quiet: no new article for 2.0 days")
    assert (health(sessions, "failing") or "").startswith("quiet:")
    # the fake crawl of `fine` stores a productive run: after the next check it is not quiet
    done = control / "fine.runs"
    wait_for(lambda: done.exists() and "done" in done.read_text(), 30, "a crawl of fine")
    daemon._wake.wait(1.2)
    assert health(sessions, "fine") is None
    with sessions() as session:
        failing = session.get(SourceState, "failing")
        assert failing.status != "ok"  # its crawls failed; quietness was judged regardless
    daemon._wake.wait(1.5)  # three more checks: the alert is not repeated within the day
    assert len(quiet_alerts()) == 1
    daemon.stop()
    engine.dispose()


def test_the_crawl_end_and_the_quiet_job_judging_at_once_alert_once(database_url: str) -> None:
    """The daemon's quiet check and a crawl's end verdict meet on the same quiet episode, each in
    its own transaction: the second waits for the first and finds the operator already told
    (with and without a source_state row to start from)."""
    engine = create_db_engine(database_url)
    sessions = session_factory(engine)
    with sessions.begin() as session:
        productive_history(session, "known", NOW - timedelta(days=2))
        productive_history(session, "fresh", NOW - timedelta(days=2))
        session.add(SourceState(name="known", status="ok", consecutive_failures=0))
    names = ["fresh", "known"]
    crawl_ends: dict[str, str | None] = {}

    def crawl_end() -> None:  # what TemplateHealthPipeline.judge does at each crawl's end
        problem = "quiet: no new article for 2.0 days (typically one every 1.0 h)"
        later = NOW + timedelta(seconds=1)
        for name in reversed(names):
            try:
                with sessions.begin() as session:
                    crawl_ends[name] = update_health(session, name, problem, later)
            except Exception as exc:
                crawl_ends[name] = type(exc).__name__

    session = sessions()
    try:
        session.begin()
        job = check_quiet(session, names, NOW)  # the daemon's job, not committed yet
        assert [(c.source, c.action) for c in job] == [("fresh", "alert"), ("known", "alert")]
        crawl = threading.Thread(target=crawl_end)
        crawl.start()
        crawl.join(1.5)  # an unguarded crawl end decides now, on the committed row
        session.commit()
    finally:
        session.close()
    crawl.join(30)
    assert not crawl.is_alive()
    assert crawl_ends == {"fresh": None, "known": None}
    with sessions() as session:
        for name in names:
            state = session.get(SourceState, name)
            assert state.health.startswith("quiet:") and as_utc(state.health_alerted_at) == NOW
    engine.dispose()
