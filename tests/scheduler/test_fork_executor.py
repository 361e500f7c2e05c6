"""The `fork` executor: crawl children forked from a pre-imported fork server, on SQLite and
PostgreSQL, against the local feed farm. A run stores its articles; a hanging source is killed
at its deadline (its whole process group) while the others finish; a child killed from outside
(as the OOM killer would) is recorded as `killed`, and the daemon retries the source."""

from __future__ import annotations

import os
import signal
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

import pytest
import yaml
from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker

from fundwatch.configuration import load_settings
from fundwatch.scheduler.daemon import child_environment
from fundwatch.scheduler.executors.forking import ForkRunner
from fundwatch.scheduler.executors.forkserver import child_name
from fundwatch.scheduler.runner import close_orphaned_runs
from fundwatch.storage import Article, CrawlRun, create_db_engine, session_factory
from harness.feed_farm import ENTRIES_PER_FEED, RunningFarm, catalog_entries
from tests.scheduler.scheduler_helpers import DaemonProcess, wait_for

pytestmark = pytest.mark.slow

FEEDS = 3
HANG = "farm_hang"
SLOW = "farm_slow"


@dataclass
class World:
    farm: RunningFarm
    sessions: sessionmaker[Session]
    env: dict[str, str]
    database_url: str

    def runs(self, source: str | None = None) -> list[CrawlRun]:
        with self.sessions() as session:
            query = select(CrawlRun).order_by(CrawlRun.id)
            if source is not None:
                query = query.where(CrawlRun.source == source)
            return list(session.scalars(query))

    def articles(self) -> tuple[int, int]:
        with self.sessions() as session:
            total = session.scalar(select(func.count(Article.id)))
            distinct = session.scalar(select(func.count(func.distinct(Article.url))))
        return int(total or 0), int(distinct or 0)

    def runner(self) -> ForkRunner:
        env = child_environment(load_settings(self.env))
        return ForkRunner(self.sessions, env=env, kill_grace=2.0)


@pytest.fixture
def world(tmp_path: Path, database_url: str) -> Iterator[World]:
    with RunningFarm(FEEDS + 2) as farm:
        entries = catalog_entries(farm.base, FEEDS, every="4s")
        hang = dict(entries[0], name=HANG, url=f"{farm.base}/slowfeed/{FEEDS}.xml?delay=600")
        slow = dict(entries[0], name=SLOW, url=f"{farm.base}/slowfeed/{FEEDS + 1}.xml?delay=3")
        catalog = tmp_path / "catalog.yaml"
        catalog.write_text(yaml.safe_dump({"sources": [*entries, hang, slow]}), "utf-8")
        env = dict(
            os.environ,
            FUNDWATCH_DATABASE_URL=database_url,
            FUNDWATCH_SEEDS=str(catalog),
            XDG_CACHE_HOME=str(tmp_path / "cache"),
        )
        engine = create_db_engine(database_url)
        try:
            yield World(farm, session_factory(engine), env, database_url)
        finally:
            engine.dispose()


def _group_alive(pid: int) -> bool:
    try:
        os.killpg(pid, 0)
    except ProcessLookupError:
        return False
    return True


def test_forked_runs_store_articles_and_a_hanging_source_dies_alone(world: World) -> None:
    runner = world.runner()
    names = [f"farm_{i}" for i in range(FEEDS)]
    try:
        server = runner.start_server()
        with ThreadPoolExecutor(FEEDS + 1) as pool:
            hanging = pool.submit(runner.run, HANG, deadline=5)
            outcomes = list(pool.map(lambda name: runner.run(name, deadline=120), names))
            hung = hanging.result()
        assert [o.status for o in outcomes] == ["ok"] * FEEDS, [o.message for o in outcomes]
        assert sum(o.new for o in outcomes) == FEEDS * ENTRIES_PER_FEED
        assert world.articles() == (FEEDS * ENTRIES_PER_FEED,) * 2
        assert hung.status == "timeout" and "process group was killed" in (hung.message or "")
        assert 5 <= hung.duration_s < 60
        pids = {run.pid for run in world.runs()}
        assert server not in pids and len(pids) == FEEDS + 1  # one child per run
        assert not any(_group_alive(pid) for pid in pids)
        assert runner.server_pid == server  # the server outlived the killed child

        # steady state: every feed answers 304, the children of the same server poll again
        world.farm.change(1.0, 1)  # ... after one new entry on every feed
        again = [runner.run(name, deadline=120) for name in names]
        assert [o.status for o in again] == ["ok"] * FEEDS
        assert [o.new for o in again] == [1] * FEEDS
        assert world.articles() == (FEEDS * (ENTRIES_PER_FEED + 1),) * 2
    finally:
        runner.close()
    assert runner.server_pid is None


def test_a_child_killed_mid_run_is_recorded_and_a_dead_server_is_replaced(world: World) -> None:
    runner = world.runner()
    try:
        with ThreadPoolExecutor(2) as pool:
            slow = pool.submit(runner.run, SLOW, deadline=120)
            child = wait_for(
                lambda: next((r.pid for r in world.runs(SLOW) if r.pid), None), 60, "the child"
            )
            assert Path(f"/proc/{child}/comm").read_text().strip() == child_name(
                world.runs(SLOW)[0].id
            )
            other = pool.submit(runner.run, "farm_0", deadline=120)
            os.kill(child, signal.SIGKILL)  # as the OOM killer would
            killed = slow.result(timeout=60)
            assert other.result(timeout=120).status == "ok"
        assert killed.status == "killed" and "SIGKILL" in (killed.message or "")
        assert killed.exit_code == -signal.SIGKILL

        # the fork server itself dies: the next run starts a new one
        old = runner.server_pid
        assert old is not None
        os.kill(old, signal.SIGKILL)
        wait_for(lambda: runner.server_pid is None, 10, "the server to be gone")
        assert runner.run("farm_1", deadline=120).status == "ok"
        assert runner.server_pid not in (None, old)
    finally:
        runner.close()


def test_the_daemon_with_the_fork_executor(world: World) -> None:
    """`fundwatch daemon --executor fork`: feeds stored, the hanging source timed out at its
    deadline, a child killed from outside recorded `killed` and its source run again."""
    env = dict(world.env, FUNDWATCH_CRAWL_DEADLINE="20")
    daemon = DaemonProcess(["--executor", "fork", "--stagger", "0.2", "--kill-grace", "2"], env)
    try:
        wait_for(
            lambda: world.articles()[0] >= FEEDS * ENTRIES_PER_FEED, 120, "the feeds' articles"
        )
        wait_for(
            lambda: any(r.status == "timeout" for r in world.runs(HANG)), 60, "the hang's deadline"
        )
        running = wait_for(
            lambda: next((r for r in world.runs(SLOW) if r.status == "running" and r.pid), None),
            60,
            "a run of the slow source",
        )
        os.kill(running.pid, signal.SIGKILL)
        wait_for(
            lambda: any(r.status == "killed" for r in world.runs(SLOW)), 30, "the kill recorded"
        )
        try:
            wait_for(
                lambda: any(r.id > running.id and r.status == "ok" for r in world.runs(SLOW)),
                90,
                "the slow source retried",
            )
        except AssertionError as exc:
            runs = [(r.id, r.status, r.message) for r in world.runs(SLOW)]
            raise AssertionError(f"{exc}: {runs}") from None
        daemon.signal(signal.SIGTERM)
        assert daemon.finish(90) == 0
    finally:
        daemon.kill()
    runs = world.runs()
    hang = next(r for r in runs if r.source == HANG and r.status == "timeout")
    assert "deadline of 20 s" in (hang.message or "")
    feeds = [r for r in runs if r.source.startswith("farm_") and r.source[5:].isdigit()]
    assert {r.status for r in feeds} == {"ok"}, [(r.source, r.status, r.message) for r in feeds]
    assert world.articles()[0] == world.articles()[1] >= FEEDS * ENTRIES_PER_FEED
    assert "running" not in {r.status for r in runs}
    time.sleep(0.5)
    assert not any(_group_alive(r.pid) for r in runs if r.pid)


def test_a_restarted_daemon_recognises_and_stops_an_orphaned_fork_child(world: World) -> None:
    """The orphan check at daemon start knows a fork child by its name (fw-run-N), as it knows
    a `fundwatch crawl --run-id N` process by its command line."""
    runner = world.runner()
    try:
        with ThreadPoolExecutor(1) as pool:
            slow = pool.submit(runner.run, HANG, deadline=120)
            run = wait_for(
                lambda: next((r for r in world.runs(HANG) if r.pid), None), 60, "the child"
            )
            # (here the runner is still alive and may close the row first; a restarted
            # daemon has none. Not recognised, the hanging child would be left running.)
            close_orphaned_runs(world.sessions, kill_grace=1.0, orphan_grace=0.0)
            # killed, the child stays a group member until the fork server reaps it (at once,
            # unless the machine is busy); a child not recognised would hang on for 120 s
            wait_for(lambda: not _group_alive(run.pid), 15, "the orphaned child to be gone")
            outcome = slow.result(timeout=60)
        assert outcome.status == "killed"
        assert world.runs(HANG)[0].status == "killed"
    finally:
        runner.close()
