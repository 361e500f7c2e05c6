"""`fundwatch daemon` as a process: SIGHUP reload, SIGTERM graceful exit, --once."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from pathlib import Path

from sqlalchemy import select

from fundwatch.storage import create_db_engine, session_factory
from fundwatch.storage.models import CrawlRun, SourceState
from tests.scheduler.scheduler_helpers import (
    DaemonProcess,
    fake_command,
    feed_entry,
    runs_started,
    set_mode,
    wait_for,
    write_catalog,
)


def _env(url: str, seeds: Path) -> dict[str, str]:
    return dict(
        os.environ,
        FUNDWATCH_DATABASE_URL=url,
        FUNDWATCH_SEEDS=str(seeds),
        FUNDWATCH_CRAWL_DEADLINE="60",
    )


def _args(control: Path, *extra: str) -> list[str]:
    return ["--crawl-command", " ".join(fake_command(control)), "--stagger", "0.2", *extra]


def _runs(url: str) -> dict[int, CrawlRun]:
    engine = create_db_engine(url)
    with session_factory(engine)() as session:
        runs = {run.id: run for run in session.scalars(select(CrawlRun))}
    engine.dispose()
    return runs


def test_sighup_reloads_the_catalog_without_a_restart(
    sqlite_url: str, tmp_path: Path, control: Path
) -> None:
    seeds = write_catalog(tmp_path / "seeds", [feed_entry("alpha")])
    daemon = DaemonProcess(_args(control), _env(sqlite_url, seeds))
    try:
        daemon.wait_event("crawl", source="alpha")
        write_catalog(tmp_path / "seeds", [feed_entry("beta")])
        daemon.signal(signal.SIGHUP)
        reloaded = daemon.wait_event("scheduled", removed=["alpha"])
        assert reloaded["rescheduled"] == ["beta"]
        alpha_runs = len(runs_started(control, "alpha"))
        wait_for(lambda: len(runs_started(control, "beta")) >= 2, 60, "two runs of beta")
        assert len(runs_started(control, "alpha")) <= alpha_runs + 1  # at most one in flight

        # a broken entry is reported (one operator alert) and disables only itself
        write_catalog(tmp_path / "seeds", [feed_entry("beta"), {"name": "Bad Name"}])
        daemon.signal(signal.SIGHUP)
        failed = daemon.wait_event("operator_alert")
        assert "Bad Name" in failed["msg"] and "beta" not in failed["invalid"]
        beta_runs = len(runs_started(control, "beta"))
        wait_for(lambda: len(runs_started(control, "beta")) > beta_runs, 60, "beta still runs")
        assert daemon.process.poll() is None
        daemon.signal(signal.SIGTERM)
        assert daemon.finish() == 0
    finally:
        daemon.kill()


def test_sigterm_lets_the_running_crawl_finish_and_exits_zero(
    database_url: str, tmp_path: Path, control: Path
) -> None:
    seeds = write_catalog(tmp_path / "seeds", [feed_entry("steady", every="1h")])
    set_mode(control, "steady", "slow:2")
    daemon = DaemonProcess(_args(control), _env(database_url, seeds))
    try:
        wait_for(lambda: runs_started(control, "steady"), 60, "the crawl to start")
        daemon.signal(signal.SIGTERM)
        assert daemon.finish() == 0
        assert daemon.events("daemon_stop")
        runs = list(_runs(database_url).values())
        assert [run.status for run in runs] == ["ok"]  # finished within the grace period
    finally:
        daemon.kill()


def test_sigterm_kills_crawls_that_outlast_the_grace_period(
    sqlite_url: str, tmp_path: Path, control: Path
) -> None:
    seeds = write_catalog(tmp_path / "seeds", [feed_entry("stuck", every="1h")])
    set_mode(control, "stuck", "hang")
    args = _args(control, "--shutdown-grace", "1", "--kill-grace", "1")
    daemon = DaemonProcess(args, _env(sqlite_url, seeds))
    try:
        wait_for(lambda: (control / "stuck.grandchild").exists(), 60, "the crawl to start")
        daemon.signal(signal.SIGTERM)
        assert daemon.finish() == 0
        [run] = _runs(sqlite_url).values()
        assert run.status == "killed" and "shut down" in run.message
        engine = create_db_engine(sqlite_url)
        with session_factory(engine)() as session:
            state = session.get(SourceState, "stuck")
            assert state is None or state.consecutive_failures == 0  # not the source's fault
    finally:
        daemon.kill()


def test_once_runs_due_sources_and_all_runs_every_source(
    sqlite_url: str, tmp_path: Path, control: Path
) -> None:
    seeds = write_catalog(
        tmp_path / "seeds",
        [
            feed_entry("first", every="1h"),
            feed_entry("second", every="1h"),
            feed_entry("off", every="1h", enabled=False),
        ],
    )
    env = _env(sqlite_url, seeds)
    command = [sys.executable, "-m", "fundwatch", "daemon", "--once", *_args(control)]
    first = subprocess.run(command, env=env, capture_output=True, text=True, timeout=120)
    assert first.returncode == 0, first.stderr
    assert len(runs_started(control, "first")) == len(runs_started(control, "second")) == 1
    assert not runs_started(control, "off")

    again = subprocess.run(command, env=env, capture_output=True, text=True, timeout=120)
    assert again.returncode == 0, again.stderr
    assert len(runs_started(control, "first")) == 1  # ran a moment ago: not due

    set_mode(control, "second", "fail")
    every = subprocess.run(
        [*command, "--all"], env=env, capture_output=True, text=True, timeout=120
    )
    assert every.returncode == 1  # a crawl failed
    assert len(runs_started(control, "first")) == len(runs_started(control, "second")) == 2
    engine = create_db_engine(sqlite_url)
    with session_factory(engine)() as session:
        assert session.get(SourceState, "first").next_run_at is not None
        assert session.get(SourceState, "second").consecutive_failures == 1
