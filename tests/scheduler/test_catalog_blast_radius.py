"""One bad catalog entry disables only itself (FAULTS.md F-45, F-46): the daemon schedules
every valid source, alerts the operator once naming the bad entries, and `fundwatch check`
fails naming them; `every:`/`cron:` values that overflow or never fire are rejected."""

from __future__ import annotations

import logging
import os
import subprocess
import sys
from pathlib import Path

import pytest

from fundwatch.configuration import Settings
from fundwatch.configuration.sources import load_catalog_leniently
from fundwatch.scheduler.daemon import Daemon
from fundwatch.scheduler.lock import DaemonLock
from tests.scheduler.scheduler_helpers import (
    fake_command,
    feed_entry,
    runs_started,
    wait_for,
    write_catalog,
)

BROKEN = [
    feed_entry("huge", every="9999999d"),
    feed_entry("never", every=None, cron="0 0 31 2 *"),
    feed_entry("typo", evrey="1h"),
]


def test_bad_entries_are_named_and_the_rest_loads(tmp_path: Path) -> None:
    seeds = write_catalog(tmp_path / "seeds", [feed_entry("alpha"), *BROKEN])
    catalog, problems = load_catalog_leniently(seeds)
    assert catalog.names == ["alpha"]
    assert {problem.name for problem in problems} == {"huge", "never", "typo"}
    text = "\n".join(problem.message for problem in problems)
    assert "at most 366d" in text and "never fires" in text and "unknown field" in text

    env = dict(os.environ, FUNDWATCH_SEEDS=str(seeds))
    env.pop("FUNDWATCH_ALERTS", None)
    check = subprocess.run(
        [sys.executable, "-m", "fundwatch", "check"],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert check.returncode == 1
    for name in ("huge", "never", "typo"):
        assert f"'{name}'" in check.stderr


def test_daemon_runs_every_valid_source_and_alerts_once(
    sqlite_url: str, tmp_path: Path, control: Path, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO, logger="scheduler")
    seeds = write_catalog(tmp_path / "seeds", [feed_entry("alpha"), *BROKEN])
    settings = Settings(database_url=sqlite_url, seeds=seeds, crawl_deadline=30)
    daemon = Daemon(settings, crawl_command=fake_command(control), stagger=0.2)
    daemon.start()
    try:
        assert set(daemon.source_jobs()) == {"alpha"}
        wait_for(lambda: len(runs_started(control, "alpha")) >= 1, 60, "a run of alpha")
        alerts = [r for r in caplog.records if getattr(r, "event", None) == "operator_alert"]
        assert len(alerts) == 1 and alerts[0].invalid == ["huge", "never", "typo"]

        daemon.reload()  # the same problems: no second alert
        alerts = [r for r in caplog.records if getattr(r, "event", None) == "operator_alert"]
        assert len(alerts) == 1

        # alpha breaks, beta is added, huge is fixed: alpha stops, the others run
        write_catalog(
            tmp_path / "seeds",
            [feed_entry("alpha", every="0s"), feed_entry("beta"), feed_entry("huge")],
        )
        daemon.reload()
        assert set(daemon.source_jobs()) == {"beta", "huge"}
        wait_for(lambda: len(runs_started(control, "beta")) >= 1, 60, "a run of beta")
    finally:
        daemon.shutdown_grace = 0
        daemon.stop()


def test_a_daemon_that_lost_its_lock_starts_no_crawl(
    postgres_url: str, tmp_path: Path, control: Path
) -> None:
    seeds = write_catalog(tmp_path / "seeds", [feed_entry("alpha", every="1h")])
    settings = Settings(database_url=postgres_url, seeds=seeds, crawl_deadline=30)
    daemon = Daemon(settings, crawl_command=fake_command(control), stagger=3600)
    daemon.start()
    rival = DaemonLock(daemon.engine)
    try:
        # the lock's connection dies and another daemon takes the lock meanwhile
        assert daemon.lock._connection is not None
        daemon.lock._connection.invalidate()
        rival.acquire()
        before = len(runs_started(control, "alpha"))
        daemon._run_source("alpha")
        assert len(runs_started(control, "alpha")) == before
        assert daemon._stopping.is_set()
    finally:
        rival.release()
        daemon.shutdown_grace = 0
        daemon.stop()
