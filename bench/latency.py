"""Publish -> stored -> alerted latency through the real daemon (bench/capacity.py --latency).

For each executor, a fresh feed farm (harness/feed_farm.py) and a fresh database; `fundwatch
daemon` schedules --latency-feeds feeds `every: <cadence>` (default jitter), with

- process: one `fundwatch crawl` process per run;
- process-thread: the same, the crawl process storing on a thread instead of starting its
  writer process (FUNDWATCH_STORE_WORKER=thread);
- fork: `fundwatch daemon --executor fork` (one child per run from a pre-imported server);
- workers: --latency-workers `fundwatch worker` processes and a private redis-server.

Once every feed had its first run, --publications funding articles are published on random
feeds at random times over --latency-minutes; a webhook channel delivers the alerts to a
receiver in this process. Per publication: published (the farm answered the publish request)
-> stored (first seen committed in the database, polled every 0.5 s) -> alerted (the webhook
arrived; one machine, one clock). Printed per
executor: p50/p95/max of both, the gaps between successive runs of a source and the run
durations (the parts of the latency), the machine's load and the CPU seconds of every
process the daemon side started (daemon, crawls, workers, Redis).
"""

from __future__ import annotations

import argparse
import os
import random
import re
import resource
import signal
import statistics
import subprocess
import sys
import threading
import time
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from itertools import pairwise
from pathlib import Path
from typing import Any

from bench.capacity import proc_cpu

REPO = Path(__file__).resolve().parent.parent
SECRET = "whsec_" + "TGF0ZW5jeSBiZW5jaCBzZWNyZXQgb2YgMzIgYnl0ZXM="
ARTICLE = re.compile(r"/article/(\d+)/(\d+)\.html")


class Receiver:
    """Webhook endpoint on 127.0.0.1: the first arrival time of each farm article named in a
    delivery, and how many deliveries named it (an alert sent twice shows up here)."""

    def __init__(self) -> None:
        self.arrivals: dict[str, float] = {}
        self.deliveries: defaultdict[str, int] = defaultdict(int)
        self.webhook_ids: defaultdict[str, int] = defaultdict(int)
        self.lock = threading.Lock()
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args: Any) -> None:
                pass

            def do_POST(self) -> None:
                body = self.rfile.read(int(self.headers.get("content-length") or 0))
                now = time.time()
                keys = {f"{i}/{k}" for i, k in ARTICLE.findall(body.decode("utf-8", "replace"))}
                with receiver.lock:
                    receiver.webhook_ids[self.headers.get("webhook-id", "")] += 1
                    for key in keys:
                        receiver.arrivals.setdefault(key, now)
                        receiver.deliveries[key] += 1
                self.send_response(204)
                self.send_header("content-length", "0")
                self.end_headers()

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server.server_address[1]}/hook"

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


def percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(fraction * len(ordered)) - 1))]


def spread(values: list[float]) -> str:
    if not values:
        return "n/a"
    return (
        f"p50 {statistics.median(values):5.1f} s  p95 {percentile(values, 0.95):5.1f} s  "
        f"max {max(values):5.1f} s  (n={len(values)})"
    )


def children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


@dataclass
class LatencyFigures:
    executor: str
    published: int
    stored: list[float] = field(default_factory=list)
    alerted: list[float] = field(default_factory=list)
    gaps: list[float] = field(default_factory=list)
    durations: list[float] = field(default_factory=list)
    run_start: list[float] = field(default_factory=list)
    twice: int = 0
    cpu_s: float = 0.0
    wall_s: float = 0.0
    runs: int = 0
    loads: list[float] = field(default_factory=list)
    statuses: dict[str, int] = field(default_factory=dict)

    def report(self, cadence: float) -> str:
        load = (
            f"load avg {statistics.mean(self.loads):.1f} (max {max(self.loads):.1f})"
            if self.loads
            else ""
        )
        target = cadence + 5
        p95 = percentile(self.alerted, 0.95) if self.alerted else float("inf")
        verdict = "meets" if p95 <= target else "MISSES"
        return "\n".join(
            [
                f"[{self.executor}] {self.published} funding articles published; "
                f"stored {len(self.stored)}, alerted {len(self.alerted)}, "
                f"alerted more than once {self.twice}",
                f"  publish -> stored : {spread(self.stored)}",
                f"  publish -> alerted: {spread(self.alerted)}  "
                f"({verdict} p95 <= cadence + 5 s = {target:g} s)",
                f"  gap between runs of a source: {spread(self.gaps)}",
                f"  run duration (row started -> finished): {spread(self.durations)}",
                f"  run row started -> article stored: {spread(self.run_start)}",
                f"  {self.runs} runs {self.statuses}; CPU {self.cpu_s:.1f} s over "
                f"{self.wall_s:.0f} s wall ({1000 * self.cpu_s / max(self.runs, 1):.0f} ms "
                f"per run, all processes); {load}",
            ]
        )


class StoredWatch(threading.Thread):
    """When each farm article first becomes visible in the database (committed), polled every
    0.5 s: the article's own fetched_at is when its page was fetched, before detection and
    the write."""

    def __init__(self, sessions: Any) -> None:
        super().__init__(daemon=True)
        self.sessions = sessions
        self.first_seen: dict[str, float] = {}
        self.done = threading.Event()

    def run(self) -> None:
        from sqlalchemy import select

        from fundwatch.storage import Article

        while not self.done.wait(0.5):
            with self.sessions() as session:
                urls = session.scalars(select(Article.url)).all()
            now = time.time()
            for url in urls:
                match = ARTICLE.search(url)
                if match:
                    self.first_seen.setdefault(f"{match[1]}/{match[2]}", now)

    def stop(self) -> None:
        self.done.set()
        self.join()


def fresh_database(url: str | None, folder: Path, name: str) -> str:
    """SQLite in `folder`, or a new database `<db>_<name>` on the PostgreSQL server of `url`."""
    if not url:
        return f"sqlite:///{folder / f'{name}.db'}"
    from sqlalchemy import create_engine, make_url, text

    base = make_url(url)
    database = f"{base.database}_{name}_{os.getpid()}"
    admin = create_engine(base.set(database="postgres"), isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'DROP DATABASE IF EXISTS "{database}"'))
        connection.execute(text(f'CREATE DATABASE "{database}"'))
    admin.dispose()
    return base.set(database=database).render_as_string(hide_password=False)


def run_latency(executor: str, args: argparse.Namespace, folder: Path) -> LatencyFigures:
    from sqlalchemy import select

    from fundwatch.storage import CrawlRun, create_db_engine, session_factory
    from fundwatch.storage.timeutil import as_utc
    from harness.feed_farm import RunningFarm, catalog_entries
    from harness.redis_server import RedisServer
    from harness.watch_config import write_watch_config

    work = folder / executor
    work.mkdir()
    cadence = args.cadence
    database_url = fresh_database(args.database_url, work, executor)
    receiver = Receiver()
    started_processes: list[subprocess.Popen[bytes]] = []
    redis: RedisServer | None = None
    cpu_before = children_cpu()
    wall_started = time.monotonic()
    with RunningFarm(args.latency_feeds) as farm:
        entries = catalog_entries(farm.base, args.latency_feeds, every=f"{cadence:g}s")
        env = write_watch_config(
            work,
            entries,
            database_url=database_url,
            webhook_url=receiver.url,
            secret_variable="FW_LATENCY_BENCH_SECRET",
            secret=SECRET,
            channel_name="bench",
        )
        env["PYTHONPATH"] = str(REPO)
        daemon_args = ["--stagger", "1"]
        if executor == "fork":  # children forked from a pre-imported fork server
            daemon_args += ["--executor", "fork"]
        if executor == "process-thread":  # the crawl process stores on a thread, no writer process
            crawl = f"{sys.executable} -m fundwatch crawl {{source}} --run-id {{run_id}}"
            daemon_args += ["--crawl-command", f"{crawl} -s FUNDWATCH_STORE_WORKER=thread"]
        if executor == "workers":
            redis = RedisServer(work).start()
            daemon_args += ["--executor", "workers", "--broker", redis.url]
            for n in range(args.latency_workers):
                started_processes.append(
                    subprocess.Popen(
                        [
                            *(sys.executable, "-m", "fundwatch", "worker", "--no-supervisor"),
                            *("--broker", redis.url, "--concurrency", "8"),
                        ],
                        env=env,
                        cwd=REPO,
                        stdout=subprocess.DEVNULL,
                        stderr=open(work / f"worker-{n}.log", "wb"),  # noqa: SIM115
                    )
                )
        daemon = subprocess.Popen(
            [sys.executable, "-m", "fundwatch", "daemon", *daemon_args],
            env=env,
            cwd=REPO,
            stdout=subprocess.DEVNULL,
            stderr=open(work / "daemon.log", "wb"),  # noqa: SIM115
        )
        started_processes.append(daemon)
        engine = create_db_engine(database_url)
        sessions = session_factory(engine)
        loads: list[float] = []
        try:
            names = {entry["name"] for entry in entries}
            end = time.monotonic() + 300
            while time.monotonic() < end:
                with sessions() as session:
                    done = set(
                        session.scalars(
                            select(CrawlRun.source).where(CrawlRun.status.in_(("ok", "partial")))
                        )
                    )
                if names <= done:
                    break
                if daemon.poll() is not None:
                    tail = (work / "daemon.log").read_text("utf-8", "replace")[-2000:]
                    raise RuntimeError(f"the daemon exited:\n{tail}")
                time.sleep(0.5)
            else:
                raise RuntimeError(f"not every feed had a first run; see {work / 'daemon.log'}")
            seen = StoredWatch(sessions)
            seen.start()
            rng = random.Random(args.seed)
            window = args.latency_minutes * 60
            moments = sorted(rng.uniform(0, window) for _ in range(args.publications))
            published: dict[str, float] = {}
            begin = time.monotonic()
            next_load = begin
            for moment in moments:
                while time.monotonic() < begin + moment:
                    if time.monotonic() >= next_load:
                        loads.append(os.getloadavg()[0])
                        next_load += 10
                    time.sleep(min(0.2, max(0.0, begin + moment - time.monotonic())))
                feed = rng.randrange(args.latency_feeds)
                k = farm.publish(feed, funding=True)
                published[f"{feed}/{k}"] = time.time()
            # the last publication is alerted within about one cadence
            end = time.monotonic() + 2 * cadence + 60
            while time.monotonic() < end and len(receiver.arrivals.keys() & published) < len(
                published
            ):
                if time.monotonic() >= next_load:
                    loads.append(os.getloadavg()[0])
                    next_load += 10
                time.sleep(0.5)
            seen.stop()
            with sessions() as session:
                runs = list(session.scalars(select(CrawlRun).order_by(CrawlRun.id)))
        finally:
            for process in reversed(started_processes):
                process.send_signal(signal.SIGTERM)
            for process in started_processes:
                try:
                    process.wait(timeout=90)
                except subprocess.TimeoutExpired:
                    process.kill()
                    process.wait()
            if redis is not None:
                redis.stop()
            engine.dispose()
            receiver.close()
        farm_cpu = proc_cpu(farm.process.pid) if farm.process is not None else 0.0
    # every process above was our child and has been reaped, the farm too: its CPU (the
    # publishing side, not the product's) is taken out
    figures = LatencyFigures(executor, len(published))
    figures.cpu_s = children_cpu() - cpu_before - farm_cpu
    figures.wall_s = time.monotonic() - wall_started
    figures.loads = loads
    stored_at = seen.first_seen
    for key, at in published.items():
        if key in stored_at:
            figures.stored.append(stored_at[key] - at)
            feed = key.split("/")[0]
            starts = [
                as_utc(run.started_at).timestamp()
                for run in runs
                if run.source == f"farm_{feed}"
                and as_utc(run.started_at).timestamp() <= stored_at[key]
            ]
            if starts:
                figures.run_start.append(stored_at[key] - max(starts))
        if key in receiver.arrivals:
            figures.alerted.append(receiver.arrivals[key] - at)
        figures.twice += receiver.deliveries.get(key, 0) > 1
    by_source: defaultdict[str, list[datetime]] = defaultdict(list)
    statuses: defaultdict[str, int] = defaultdict(int)
    for run in runs:
        by_source[run.source].append(as_utc(run.started_at))
        statuses[run.status] += 1
        if run.finished_at is not None:
            took = as_utc(run.finished_at) - as_utc(run.started_at)
            figures.durations.append(took.total_seconds())
    for starts in by_source.values():
        figures.gaps += [(b - a).total_seconds() for a, b in pairwise(starts)]
    figures.runs = len(runs)
    figures.statuses = dict(statuses)
    return figures


def main(args: argparse.Namespace, folder: Path) -> int:
    print(
        f"latency: {args.latency_feeds} feeds every {args.cadence:g} s, {args.publications} "
        f"funding articles over {args.latency_minutes:g} min; database "
        f"{(args.database_url or 'sqlite').split('@')[-1]}; load {os.getloadavg()}",
        flush=True,
    )
    for executor in args.latency_executors.split(","):
        figures = run_latency(executor.strip(), args, folder)
        print(figures.report(args.cadence), flush=True)
    return 0
