"""The daemon SIGKILLed and restarted while two real `fundwatch worker` processes (PostgreSQL, a
private redis-server) are in the middle of runs: the restarted daemon adopts the runs the
workers still hold instead of closing them as orphans, starts no second run of those sources
while they are out, and every article and alert arrives exactly once."""

from __future__ import annotations

import base64
import subprocess
import sys
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from itertools import pairwise
from pathlib import Path

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker

from fundwatch.demo.receiver import WebhookReceiver
from fundwatch.scheduler.executors.dispatch import RedisDispatcher
from fundwatch.storage import AlertOutbox, Article, CrawlRun, create_db_engine, session_factory
from fundwatch.storage.timeutil import as_utc
from harness.feed_farm import ENTRIES_PER_FEED, RunningFarm
from harness.redis_server import RedisServer
from harness.watch_config import write_watch_config
from tests.scheduler.scheduler_helpers import DaemonProcess, wait_for

pytestmark = [pytest.mark.postgres, pytest.mark.slow, pytest.mark.timeout(600)]

REPO = Path(__file__).resolve().parents[2]
FEEDS = 2
FEED_DELAY = 25  # seconds a feed takes to answer: the daemon dies and restarts meanwhile
SECRET = "whsec_" + base64.b64encode(b"daemon-restart-test-secret-32byt").decode()


@dataclass
class World:
    farm: RunningFarm
    broker: RedisServer
    receiver: WebhookReceiver
    sessions: sessionmaker[Session]
    env: dict[str, str]
    workers: list[subprocess.Popen[bytes]]

    def daemon(self) -> DaemonProcess:
        args = ["--executor", "workers", "--broker", self.broker.url, "--stagger", "0.5"]
        return DaemonProcess([*args, "--shutdown-grace", "90", "--relay-interval", "0.2"], self.env)

    def runs(self) -> list[CrawlRun]:
        with self.sessions() as session:
            return list(session.scalars(select(CrawlRun).order_by(CrawlRun.id)))


@pytest.fixture
def world(tmp_path: Path, postgres_url: str) -> Iterator[World]:
    broker = RedisServer(tmp_path).start()
    with RunningFarm(FEEDS) as farm, WebhookReceiver(SECRET) as receiver:
        sources = [
            {
                "name": f"slow_{i}",
                "kind": "feed",
                "url": f"{farm.base}/slowfeed/{i}.xml?delay={FEED_DELAY}",
                "language": "en",
                "timezone": "UTC",
                "every": "5s",  # due again while its run is still out
                "jitter": "1s",
            }
            for i in range(FEEDS)
        ]
        env = write_watch_config(
            tmp_path,
            sources,
            database_url=postgres_url,
            webhook_url=receiver.url,
            secret_variable="RESTART_TEST_SECRET",
            secret=SECRET,
        )
        engine = create_db_engine(postgres_url)
        world = World(farm, broker, receiver, session_factory(engine), env, [])
        try:
            for n in range(2):
                world.workers.append(
                    subprocess.Popen(
                        [
                            *(sys.executable, "-m", "fundwatch", "worker", "--no-supervisor"),
                            *("--broker", broker.url, "--concurrency", "4"),
                        ],
                        env=env,
                        cwd=REPO,
                        stdout=subprocess.DEVNULL,
                        stderr=open(tmp_path / f"worker-{n}.log", "wb"),  # noqa: SIM115
                    )
                )
            dispatcher = RedisDispatcher(world.sessions, broker=broker.url)
            dispatcher.wait_for_workers(2, timeout=120)
            dispatcher.close()
            yield world
        finally:
            for worker in world.workers:
                if worker.poll() is None:
                    worker.kill()
                worker.wait()
            engine.dispose()
            broker.stop()


def start_daemon(world: World) -> DaemonProcess:
    """A new daemon; PostgreSQL may take a moment to drop the dead daemon's lock."""
    for _ in range(20):
        daemon = world.daemon()
        try:
            daemon.wait_event("daemon_start", 120)
            return daemon
        except AssertionError:
            if daemon.process.poll() != 3:  # 3: the lock is still held
                raise
    raise AssertionError("the daemon lock was never released")


def test_a_restarted_daemon_adopts_the_runs_workers_hold(world: World) -> None:
    for i in range(FEEDS):
        world.farm.publish(i, funding=True)
    first = start_daemon(world)
    worker_pids = {worker.pid for worker in world.workers}

    def taken() -> list[int]:
        held = [r.id for r in world.runs() if r.status == "running" and r.pid in worker_pids]
        return held if len(held) == FEEDS else []

    try:
        in_flight = wait_for(taken, 120, "both feeds' runs taken by the workers")
    finally:
        first.kill()  # SIGKILL: no shutdown, the runs stay out
    second = start_daemon(world)
    try:
        assert sorted(second.wait_event("runs_adopted", 10)["runs"]) == sorted(in_flight)
        assert not second.events("orphans_closed")

        def finished() -> bool:
            runs = {r.id: r for r in world.runs()}
            return all(runs[run_id].status != "running" for run_id in in_flight)

        wait_for(finished, 120, "the adopted runs to finish")
        # the schedule goes on: the next run of each source starts after the adopted one
        wait_for(lambda: len(world.runs()) >= 2 * FEEDS, 60, "the next run of each source")
        assert world.receiver.wait_for(FEEDS, 60), "the alerts were not delivered"
    finally:
        second.signal(15)
        assert second.finish(150) == 0
    runs = world.runs()
    by_id = {run.id: run for run in runs}
    assert all(by_id[run_id].status == "ok" for run_id in in_flight), [
        (r.id, r.status, r.message) for r in runs
    ]
    assert Counter(run.status for run in runs) == Counter(ok=len(runs)), [
        (r.id, r.source, r.status, r.message) for r in runs
    ]
    for source in {run.source for run in runs}:  # single flight: never two runs at once
        spans = sorted(
            (as_utc(r.started_at), as_utc(r.finished_at)) for r in runs if r.source == source
        )
        assert all(later[0] >= earlier[1] for earlier, later in pairwise(spans)), spans
    with world.sessions() as session:
        articles = session.scalar(select(func.count(Article.id)))
        urls = session.scalar(select(func.count(func.distinct(Article.url))))
        alerts = Counter(session.scalars(select(AlertOutbox.event_id)))
    assert (articles, urls) == (FEEDS * ENTRIES_PER_FEED,) * 2  # the feeds list 5 entries
    assert len(alerts) == FEEDS and set(alerts.values()) == {1}
    assert world.receiver.count == FEEDS and world.receiver.duplicates == 0
