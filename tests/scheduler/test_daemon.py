"""The daemon in-process, with real APScheduler objects, a real database and short cadences."""

from __future__ import annotations

import logging
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from fundwatch.configuration import Settings
from fundwatch.scheduler.backoff import failure_delay
from fundwatch.scheduler.daemon import Daemon
from fundwatch.scheduler.lock import DaemonLock
from fundwatch.storage import create_db_engine, session_factory
from fundwatch.storage.models import CrawlRun, SourceState
from fundwatch.storage.timeutil import as_utc
from tests.scheduler.scheduler_helpers import (
    fake_command,
    feed_entry,
    runs_started,
    set_mode,
    wait_for,
    write_catalog,
)


def _daemon(url: str, seeds: Path, control: Path, **kwargs: float) -> Daemon:
    settings = Settings(database_url=url, seeds=seeds, max_concurrent_crawls=2, crawl_deadline=30)
    return Daemon(settings, crawl_command=fake_command(control), **kwargs)


def _state(daemon: Daemon, name: str) -> SourceState | None:
    with daemon.sessions() as session:
        return session.get(SourceState, name)


@pytest.fixture
def started() -> list[Daemon]:
    daemons: list[Daemon] = []
    yield daemons
    for daemon in daemons:
        if not daemon._stopping.is_set():
            daemon.shutdown_grace = 0
            daemon.stop()


def test_sources_run_on_their_cadence_and_log_one_line_per_crawl(
    database_url: str, tmp_path: Path, control: Path, started: list[Daemon], caplog
) -> None:
    caplog.set_level(logging.INFO, logger="scheduler")
    seeds = write_catalog(tmp_path / "seeds", [feed_entry("alpha"), feed_entry("beta")])
    daemon = _daemon(database_url, seeds, control, stagger=0.2)
    started.append(daemon)
    daemon.start()
    wait_for(lambda: len(runs_started(control, "alpha")) >= 3, 60, "three runs of alpha")
    wait_for(lambda: len(runs_started(control, "beta")) >= 2, 60, "two runs of beta")
    state = _state(daemon, "alpha")
    assert state.status == "ok" and state.next_run_at is not None
    crawls = [r for r in caplog.records if getattr(r, "event", None) == "crawl"]
    line = next(r for r in crawls if r.source == "alpha")
    assert (line.status, line.pages, line.new, line.duplicates) == ("ok", 3, 1, 2)
    assert isinstance(line.run_id, int) and line.duration_s > 0
    daemon.stop()
    # stopped: lock released, next runs forgotten, no run left running
    other = DaemonLock(create_db_engine(database_url))
    other.acquire()
    other.release()
    with session_factory(create_db_engine(database_url))() as session:
        assert session.get(SourceState, "alpha").next_run_at is None
        assert not [r for r in session.query(CrawlRun) if r.status == "running"]


def test_failing_source_backs_off_and_recovers(
    sqlite_url: str, tmp_path: Path, control: Path, started: list[Daemon]
) -> None:
    seeds = write_catalog(tmp_path / "seeds", [feed_entry("flaky")])
    set_mode(control, "flaky", "fail")
    daemon = _daemon(sqlite_url, seeds, control, stagger=0.1)
    started.append(daemon)
    daemon.start()

    def backed_off() -> SourceState | None:
        state = _state(daemon, "flaky")
        if state is None or state.consecutive_failures < 3 or state.backoff_until is None:
            return None
        # the daemon has written this failure's backoff (after the child recorded the failure)
        return state if as_utc(state.backoff_until) > as_utc(state.last_run_at) else None

    state = wait_for(backed_off, 60, "three failures and their backoff")
    set_mode(control, "flaky", "ok")
    assert state.status == "failing" and state.backoff_until is not None
    waited = as_utc(state.backoff_until) - as_utc(state.last_run_at)
    expected = failure_delay(state.consecutive_failures, timedelta(seconds=1))
    assert expected >= timedelta(seconds=4)
    assert expected - timedelta(seconds=1) <= waited <= expected + timedelta(seconds=1)
    recovered = wait_for(
        lambda: (s := _state(daemon, "flaky")) and s.status == "ok" and s, 60, "recovery"
    )
    assert recovered.consecutive_failures == 0
    wait_for(lambda: _state(daemon, "flaky").backoff_until is None, 30, "backoff cleared")


def test_start_resumes_from_the_database_staggering_overdue_sources(
    sqlite_url: str, tmp_path: Path, control: Path, started: list[Daemon]
) -> None:
    names = ("fresh", "late", "later", "latest")
    seeds = write_catalog(tmp_path / "seeds", [feed_entry(n, every="1h") for n in names])
    engine = create_db_engine(sqlite_url)
    now = datetime.now(UTC)
    last = {
        "fresh": now - timedelta(minutes=10),
        "late": now - timedelta(hours=2),
        "later": now - timedelta(hours=3),
        "latest": now - timedelta(hours=9),
    }
    with session_factory(engine).begin() as session:
        for name, at in last.items():
            session.add(SourceState(name=name, status="ok", consecutive_failures=0, last_run_at=at))
    daemon = _daemon(sqlite_url, seeds, control, stagger=600)
    started.append(daemon)
    daemon.start()
    jobs = daemon.source_jobs()
    fresh_at = jobs["fresh"].next_run_time
    assert abs(fresh_at - (last["fresh"] + timedelta(hours=1))) < timedelta(seconds=1)
    # most overdue first, now; then one stagger apart (10 min here)
    assert jobs["later"].next_run_time - now == pytest.approx(
        timedelta(seconds=600), abs=timedelta(seconds=5)
    )
    assert jobs["late"].next_run_time - now == pytest.approx(
        timedelta(seconds=1200), abs=timedelta(seconds=5)
    )
    wait_for(lambda: runs_started(control, "latest"), 60, "the most overdue source to run")
    assert not runs_started(control, "late") and not runs_started(control, "fresh")
    with daemon.sessions() as session:
        assert session.get(SourceState, "late").next_run_at is not None


@pytest.mark.slow
def test_database_outage_alerts_the_operator_once_and_the_daemon_recovers(
    postgres_url: str, tmp_path: Path, control: Path, started: list[Daemon], caplog
) -> None:
    """PostgreSQL restarts read-only (F-33, F-38): crawls fail to start, the operator is told
    once, the daemon stays up and resumes by itself when the database is writable again."""
    from sqlalchemy import create_engine, text
    from sqlalchemy.engine import make_url

    caplog.set_level(logging.INFO, logger="scheduler")
    seeds = write_catalog(tmp_path / "seeds", [feed_entry("steady")])
    daemon = _daemon(postgres_url, seeds, control, stagger=0.1)
    started.append(daemon)
    daemon.start()
    wait_for(lambda: runs_started(control, "steady"), 60, "a first run")
    name = make_url(postgres_url).database
    admin = create_engine(
        make_url(postgres_url).set(database="postgres"), isolation_level="AUTOCOMMIT"
    )

    def restart_sessions(read_only: bool) -> None:
        with admin.connect() as connection:
            flag = "on" if read_only else "off"
            connection.execute(
                text(f'ALTER DATABASE "{name}" SET default_transaction_read_only = {flag}')
            )
            connection.execute(
                text("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = :n"),
                {"n": name},
            )

    def events(kind: str) -> list[logging.LogRecord]:
        return [r for r in caplog.records if getattr(r, "event", None) == kind]

    try:
        restart_sessions(read_only=True)
        wait_for(lambda: len(events("db_error")) >= 2, 90, "several failed attempts")
        assert len(events("operator_alert")) == 1
        assert "read-only" in events("operator_alert")[0].getMessage()
        assert daemon.scheduler.running
        runs_during = len(runs_started(control, "steady"))
        restart_sessions(read_only=False)
        wait_for(lambda: events("database_recovered"), 90, "recovery")
        wait_for(lambda: len(runs_started(control, "steady")) > runs_during, 60, "runs again")
        assert len(events("operator_alert")) == 1
    finally:
        restart_sessions(read_only=False)
        admin.dispose()
