"""One daemon per database: a second lock holder is refused with a message naming the first."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from fundwatch.scheduler.lock import DaemonAlreadyRunning, DaemonLock
from fundwatch.storage import create_db_engine
from tests.scheduler.scheduler_helpers import fake_command, feed_entry, wait_for, write_catalog


def test_second_lock_on_the_same_database_is_refused(database_url: str) -> None:
    engine = create_db_engine(database_url)
    first, second = DaemonLock(engine), DaemonLock(engine)
    first.acquire()
    try:
        with pytest.raises(DaemonAlreadyRunning) as refused:
            second.acquire()
        assert f"pid={os.getpid()}" in str(refused.value)
        assert first.check()
    finally:
        first.release()
    second.acquire()  # free again once the first is released
    second.release()


def test_a_second_daemon_process_exits_non_zero_naming_the_first(
    database_url: str, tmp_path: Path, control: Path
) -> None:
    seeds = write_catalog(tmp_path / "seeds", [feed_entry("alpha", every="1h")])
    env = dict(os.environ, FUNDWATCH_DATABASE_URL=database_url, FUNDWATCH_SEEDS=str(seeds))
    command = " ".join(fake_command(control))
    first = subprocess.Popen(
        [sys.executable, "-m", "fundwatch", "daemon", "--crawl-command", command],
        env=env,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        assert first.stderr is not None
        wait_for(lambda: "daemon_start" in first.stderr.readline(), 60, "the first daemon")
        second = subprocess.run(
            [sys.executable, "-m", "fundwatch", "daemon", "--crawl-command", command],
            env=env,
            capture_output=True,
            text=True,
            timeout=60,
        )
        assert second.returncode == 3
        assert "already running" in second.stderr
        assert f"pid={first.pid}" in second.stderr
    finally:
        first.terminate()
        assert first.wait(60) == 0
