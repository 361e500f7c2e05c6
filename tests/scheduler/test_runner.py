"""The crawl runner: child processes, hard deadline, crashes, orphans left by a dead daemon."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from pathlib import Path

from sqlalchemy import select

from fundwatch.scheduler.runner import CrawlRunner, close_orphaned_runs
from fundwatch.storage import create_db_engine, session_factory
from fundwatch.storage.models import CrawlRun, SourceState
from fundwatch.storage.runs import start_run
from tests.scheduler.scheduler_helpers import FAKE_CRAWL, fake_command, set_mode, wait_for


def _runner(url: str, control: Path, **kwargs: float) -> tuple[CrawlRunner, object]:
    engine = create_db_engine(url)
    sessions = session_factory(engine)
    env = dict(os.environ, FUNDWATCH_DATABASE_URL=url)
    return CrawlRunner(sessions, command=fake_command(control), env=env, **kwargs), sessions


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    # a zombie counts as dead
    stat = Path(f"/proc/{pid}/stat").read_text()
    return stat.split(")")[-1].split()[0] != "Z"


def test_ok_child_finishes_its_own_row(database_url: str, control: Path) -> None:
    runner, sessions = _runner(database_url, control)
    outcome = runner.run("alpha", deadline=60)
    assert outcome.status == "ok", outcome
    assert (outcome.pages, outcome.new, outcome.duplicates) == (3, 1, 2)
    assert outcome.exit_code == 0
    with sessions() as session:
        run = session.get(CrawlRun, outcome.run_id)
        assert run.status == "ok" and run.pid is not None and run.finished_at is not None
        assert session.get(SourceState, "alpha").consecutive_failures == 0


def test_deadline_kills_the_process_group_and_marks_timeout(sqlite_url: str, control: Path) -> None:
    set_mode(control, "slowpoke", "hang")
    runner, sessions = _runner(sqlite_url, control, kill_grace=1.0)
    outcome = runner.run("slowpoke", deadline=2)
    assert outcome.status == "timeout"
    assert "deadline of 2 s" in (outcome.message or "")
    grandchild = int((control / "slowpoke.grandchild").read_text())
    wait_for(lambda: not _alive(grandchild), 10, "the grandchild to die with its group")
    with sessions() as session:
        assert session.get(CrawlRun, outcome.run_id).status == "timeout"
        state = session.get(SourceState, "slowpoke")
        assert state.consecutive_failures == 1 and state.status == "failing"


def test_child_that_crashes_is_marked_error_with_its_stderr(sqlite_url: str, control: Path) -> None:
    set_mode(control, "boom", "crash")
    runner, sessions = _runner(sqlite_url, control)
    outcome = runner.run("boom", deadline=60)
    assert outcome.status == "error"
    assert "exited with status 3" in outcome.message
    assert "exploded on purpose" in outcome.message
    with sessions() as session:
        assert session.get(SourceState, "boom").last_error == outcome.message


def test_child_killed_by_a_signal_is_marked_killed(sqlite_url: str, control: Path) -> None:
    set_mode(control, "victim", "hang")
    runner, _sessions = _runner(sqlite_url, control)
    import threading

    result: list = []
    thread = threading.Thread(target=lambda: result.append(runner.run("victim", deadline=60)))
    thread.start()
    wait_for(lambda: (control / "victim.grandchild").exists(), 30, "the child to start")
    pid = int((control / "victim.runs").read_text().split()[2])
    os.kill(pid, signal.SIGKILL)
    thread.join(30)
    assert result and result[0].status == "killed"
    assert "SIGKILL" in result[0].message


def test_orphaned_runs_are_closed_and_their_children_killed(sqlite_url: str, control: Path) -> None:
    engine = create_db_engine(sqlite_url)
    sessions = session_factory(engine)
    set_mode(control, "left", "hang")
    with sessions.begin() as session:
        live = start_run(session, "left")
        dead = start_run(session, "gone", pid=2**22 + 12345)  # no such process
        live_id, dead_id = live.id, dead.id
    # a child of a "dead daemon": still running, in its own session, carrying --run-id
    child = subprocess.Popen(
        [sys.executable, str(FAKE_CRAWL), str(control), "left", "--run-id", str(live_id)],
        start_new_session=True,
        env=dict(os.environ, FUNDWATCH_DATABASE_URL=sqlite_url),
    )
    with sessions.begin() as session:
        session.get(CrawlRun, live_id).pid = child.pid
    wait_for(lambda: (control / "left.grandchild").exists(), 30, "the orphan to start")

    closed = close_orphaned_runs(sessions, kill_grace=1.0)

    assert sorted(closed) == sorted([live_id, dead_id])
    assert child.wait(10) != 0
    with sessions() as session:
        runs = {r.id: r for r in session.scalars(select(CrawlRun))}
        assert {runs[live_id].status, runs[dead_id].status} == {"killed"}
        # a daemon's death is not the source's failure
        assert session.get(SourceState, "left") is None
