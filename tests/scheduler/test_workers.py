"""Long-lived crawl workers on PostgreSQL and a real Redis: two `fundwatch worker` processes
(as two nodes would run them) take runs from the daemon's dispatcher; runs spread over both; a
worker SIGKILLed mid-run has its run retried by the other; a broker restart loses nothing; no
article is stored twice."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

import pytest
import yaml
from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker

from fundwatch.scheduler.executors.dispatch import RedisDispatcher
from fundwatch.storage import Article, CrawlRun, create_db_engine, session_factory
from harness.feed_farm import ENTRIES_PER_FEED, RunningFarm, catalog_entries
from harness.redis_server import RedisServer

pytestmark = pytest.mark.postgres

REPO = Path(__file__).resolve().parents[2]
FEEDS = 6
LEASE = 2.0
SLOW = "farm_slow"
WORKER_COMMAND = (sys.executable, "-m", "fundwatch", "worker", "--no-supervisor", "--broker")


@dataclass
class Cluster:
    farm: RunningFarm
    broker: RedisServer
    sessions: sessionmaker[Session]
    env: dict[str, str]
    workers: list[subprocess.Popen[bytes]]
    logs: Path

    def start_worker(self) -> subprocess.Popen[bytes]:
        worker = subprocess.Popen(
            [*WORKER_COMMAND, self.broker.url, "--concurrency", "4", "--lease-seconds", str(LEASE)],
            env=self.env,
            cwd=REPO,
            stdout=subprocess.DEVNULL,
            stderr=open(self.logs / f"worker-{len(self.workers)}.log", "wb"),  # noqa: SIM115
        )
        self.workers.append(worker)
        return worker

    def dispatcher(self) -> RedisDispatcher:
        return RedisDispatcher(self.sessions, broker=self.broker.url, lease_seconds=LEASE)

    def runs(self) -> list[CrawlRun]:
        with self.sessions() as session:
            return list(session.scalars(select(CrawlRun).order_by(CrawlRun.id)))

    def article_counts(self) -> tuple[int, int]:
        """(articles, distinct URLs)."""
        with self.sessions() as session:
            total = session.scalar(select(func.count(Article.id)))
            distinct = session.scalar(select(func.count(func.distinct(Article.url))))
        return int(total or 0), int(distinct or 0)

    def worker_logs(self) -> str:
        return "\n".join(path.read_text("utf-8", "replace") for path in self.logs.glob("*.log"))


@pytest.fixture
def cluster(tmp_path: Path, postgres_url: str) -> Iterator[Cluster]:
    broker = RedisServer(tmp_path).start()
    with RunningFarm(FEEDS + 1) as farm:
        entries = catalog_entries(farm.base, FEEDS)
        slow = dict(entries[0], name=SLOW, url=f"{farm.base}/slowfeed/{FEEDS}.xml?delay=6")
        catalog = tmp_path / "catalog.yaml"
        catalog.write_text(yaml.safe_dump({"sources": [*entries, slow]}), "utf-8")
        env = dict(os.environ, FUNDWATCH_DATABASE_URL=postgres_url, FUNDWATCH_SEEDS=str(catalog))
        engine = create_db_engine(postgres_url)
        logs = tmp_path / "logs"
        logs.mkdir()
        cluster = Cluster(farm, broker, session_factory(engine), env, [], logs)
        try:
            cluster.start_worker()
            cluster.start_worker()
            dispatcher = cluster.dispatcher()
            dispatcher.wait_for_workers(2, timeout=120)
            dispatcher.close()
            yield cluster
        finally:
            for worker in cluster.workers:
                if worker.poll() is None:
                    worker.kill()
                worker.wait()
            engine.dispose()
            broker.stop()


def run_all(dispatcher: RedisDispatcher, names: list[str]) -> list[str]:
    with ThreadPoolExecutor(len(names)) as pool:
        return list(pool.map(lambda name: dispatcher.run(name, deadline=120).status, names))


def wait_for(condition, timeout: float, what: str) -> None:  # type: ignore[no-untyped-def]
    end = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > end:
            raise AssertionError(f"timed out waiting for {what}")
        time.sleep(0.1)


def test_runs_spread_over_two_workers_and_nothing_is_stored_twice(cluster: Cluster) -> None:
    dispatcher = cluster.dispatcher()
    names = [f"farm_{i}" for i in range(FEEDS)]
    try:
        assert run_all(dispatcher, names) == ["ok"] * FEEDS, cluster.worker_logs()
        cluster.farm.change(1.0, 1)  # a new entry on every feed
        assert run_all(dispatcher, names) == ["ok"] * FEEDS, cluster.worker_logs()
    finally:
        dispatcher.close()
    runs = cluster.runs()
    assert {run.pid for run in runs} == {worker.pid for worker in cluster.workers}
    assert sum(run.new for run in runs) == FEEDS * (ENTRIES_PER_FEED + 1)
    assert cluster.article_counts() == (FEEDS * (ENTRIES_PER_FEED + 1),) * 2
    assert "AlreadyCalledError" not in cluster.worker_logs()


def test_a_worker_killed_mid_run_has_its_run_retried_by_the_other(cluster: Cluster) -> None:
    dispatcher = cluster.dispatcher()
    try:
        with ThreadPoolExecutor(1) as pool:
            outcome = pool.submit(dispatcher.run, SLOW, deadline=120)

            def taken() -> bool:
                return any(run.pid for run in cluster.runs() if run.source == SLOW)

            wait_for(taken, 60, "a worker to take the slow run")
            (run,) = cluster.runs()
            victim = next(w for w in cluster.workers if w.pid == run.pid)
            victim.send_signal(signal.SIGKILL)
            victim.wait()
            result = outcome.result(timeout=120)
    finally:
        dispatcher.close()
    assert result.status == "ok", (result, cluster.worker_logs())
    (run,) = cluster.runs()  # the same run, finished by the survivor
    assert run.id == result.run_id and run.status == "ok"
    assert run.pid == next(w.pid for w in cluster.workers if w.poll() is None)
    assert cluster.article_counts() == (ENTRIES_PER_FEED, ENTRIES_PER_FEED)


def test_a_broker_restart_loses_no_run(cluster: Cluster) -> None:
    dispatcher = cluster.dispatcher()
    names = [f"farm_{i}" for i in range(FEEDS)]
    try:
        with ThreadPoolExecutor(FEEDS + 1) as pool:
            slow = pool.submit(dispatcher.run, SLOW, deadline=120)
            wait_for(lambda: any(run.pid for run in cluster.runs()), 60, "the slow run to start")
            cluster.broker.stop(kill=True)  # everything queued or leased in Redis is gone
            futures = [pool.submit(dispatcher.run, name, deadline=120) for name in names]
            time.sleep(1)
            cluster.broker.start()
            statuses = [future.result(timeout=180).status for future in futures]
            slow_status = slow.result(timeout=180).status
    finally:
        dispatcher.close()
    assert statuses == ["ok"] * FEEDS, cluster.worker_logs()
    assert slow_status == "ok", cluster.worker_logs()
    runs = cluster.runs()
    assert len(runs) == FEEDS + 1 and all(run.status == "ok" for run in runs)
    assert cluster.article_counts() == ((FEEDS + 1) * ENTRIES_PER_FEED,) * 2
