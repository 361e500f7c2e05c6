"""Capacity: CPU per feed poll and sources one core keeps at a 15-minute cadence, per executor.

One local server (harness/feed_farm.py, its own process, not counted) serves --feeds RSS
feeds; a catalog names them all. After one warm-up crawl of every feed (`fundwatch crawl
--all`: articles stored, ETags kept), each executor polls the feeds in rounds:

- steady: nothing changed, every feed answers 304;
- changing: a fraction (--fraction) of the feeds got a new entry before the round (200, the
  new article fetched, detected and stored; the others 304).

Executors:
- limit: httpx + feedparser in this one long-lived process (conditional GET, parse on 200):
  the floor any crawler pays for the same polls;
- process: today's executor, scheduler.runner.CrawlRunner (one `fundwatch crawl SOURCE
  --run-id N` process per poll), on a sample (--process-sample) of the feeds;
- fork: the fork executor, scheduler.executors.forking.ForkRunner (one child per poll, forked
  from a server that imported everything once), on a sample (--fork-sample) of the feeds;
- worker: long-lived `fundwatch worker` processes fed through Redis (a private redis-server)
  by the daemon's dispatcher (scheduler.executors.dispatch).

CPU is counted for every process a poll starts: this process (runner/dispatcher threads), its
children and their descendants (this process is a child subreaper, so orphaned grandchildren
such as multiprocessing's resource tracker are reaped and counted here), the workers and the
private Redis. Machine load (1-minute load average) is printed beside each figure: the machine
is shared, so wall times vary; CPU seconds much less.

    python bench/capacity.py [--feeds 200] [--process-sample 20] [--fraction 0.05]
        [--executors limit,process,fork,worker] [--fork-sample 60] [--workers 1]
        [--concurrency 3]
        [--database-url URL]
    python bench/capacity.py --latency [--cadence 60] [--publications 30]
        [--latency-minutes 6] [--latency-feeds 8] [--latency-executors process,workers]
        [--latency-workers 2] [--database-url URL]   (bench/latency.py)
"""

from __future__ import annotations

import argparse
import ctypes
import json
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

import yaml

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from harness.feed_farm import RunningFarm, catalog_entries  # noqa: E402
from harness.redis_server import RedisServer  # noqa: E402

CADENCE_S = 900.0
PR_SET_CHILD_SUBREAPER = 36


def become_subreaper() -> None:
    """Orphaned descendants are re-parented to us (not init), so their CPU reaches
    RUSAGE_CHILDREN when we reap them."""
    libc = ctypes.CDLL(None, use_errno=True)
    libc.prctl(PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0)


def reap_orphans() -> None:
    while True:
        try:
            pid, _status = os.waitpid(-1, os.WNOHANG)
        except ChildProcessError:
            return
        if pid == 0:
            return


def children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def proc_cpu(pid: int) -> float:
    """utime+stime of a live process and of its reaped children (cutime+cstime), seconds."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    ticks = os.sysconf("SC_CLK_TCK")
    return sum(int(value) for value in fields[11:15]) / ticks


@dataclass
class RoundFigures:
    executor: str
    kind: str
    polls: int
    cpu_s: float
    wall_s: float
    load: float
    statuses: Counter[str] = field(default_factory=Counter)
    extra: dict[str, object] = field(default_factory=dict)

    @property
    def cpu_ms_per_poll(self) -> float:
        return 1000 * self.cpu_s / max(self.polls, 1)

    @property
    def polls_per_cpu_s(self) -> float:
        return self.polls / self.cpu_s if self.cpu_s else float("inf")

    @property
    def sources_per_core(self) -> int:
        return int(CADENCE_S * self.polls_per_cpu_s)

    def row(self) -> str:
        status = ",".join(f"{k}={v}" for k, v in sorted(self.statuses.items()))
        extra = " ".join(f"{k}={v}" for k, v in self.extra.items())
        return (
            f"{self.executor:<8} {self.kind:<9} polls={self.polls:<5} "
            f"cpu/poll={self.cpu_ms_per_poll:8.1f} ms  polls/cpu-s={self.polls_per_cpu_s:8.1f}  "
            f"sources/core@15m={self.sources_per_core:>8}  wall={self.wall_s:6.1f} s  "
            f"load={self.load:.2f}  [{status}] {extra}"
        ).rstrip()


@dataclass
class Bench:
    args: argparse.Namespace
    folder: Path
    farm: RunningFarm
    database_url: str
    catalog: Path
    names: list[str]
    round_number: int = 0

    def env(self) -> dict[str, str]:
        env = dict(os.environ)
        env.update(
            FUNDWATCH_DATABASE_URL=self.database_url,
            FUNDWATCH_SEEDS=str(self.catalog),
            PYTHONPATH=str(REPO),
        )
        return env

    def change(self) -> int:
        self.round_number += 1
        return self.farm.change(self.args.fraction, self.round_number)


def measure(
    bench: Bench,
    executor: str,
    kind: str,
    polls: Callable[[], Counter[str]],
    count: int,
    parts: dict[str, Callable[[], float]] | None = None,
) -> RoundFigures:
    """One round; CPU of this process, its reaped descendants and `parts` (named processes
    measured from /proc), each also reported in ms per poll."""
    meters = {"runner": time.process_time, "children": children_cpu, **(parts or {})}
    reap_orphans()
    started = time.monotonic()
    before = {name: meter() for name, meter in meters.items()}
    statuses = polls()
    reap_orphans()
    spent = {name: meter() - before[name] for name, meter in meters.items()}
    row = RoundFigures(
        executor,
        kind,
        count,
        sum(spent.values()),
        time.monotonic() - started,
        os.getloadavg()[0],
        statuses,
    )
    row.extra["ms_per_poll"] = {
        name: round(1000 * value / max(count, 1), 1) for name, value in spent.items() if value
    }
    return row


# -- the poll limit ------------------------------------------------------------------------------


class PollLimit:
    """httpx + feedparser with conditional GET, in this process."""

    def __init__(self, bench: Bench) -> None:
        import httpx

        self.bench = bench
        self.client = httpx.Client(timeout=30, trust_env=False)
        self.etags: dict[int, str] = {}

    def poll_all(self) -> Counter[str]:
        import feedparser

        statuses: Counter[str] = Counter()
        for i in range(self.bench.args.feeds):
            headers = {"If-None-Match": self.etags[i]} if i in self.etags else {}
            response = self.client.get(self.bench.farm.feed_url(i), headers=headers)
            statuses[str(response.status_code)] += 1
            if response.status_code == 200:
                feedparser.parse(response.content)
                self.etags[i] = response.headers["ETag"]
        return statuses


def run_limit(bench: Bench) -> list[RoundFigures]:
    limit = PollLimit(bench)
    limit.poll_all()  # warm: every feed answers 200 once
    feeds = bench.args.feeds
    rows = [measure(bench, "limit", "steady", limit.poll_all, feeds)]
    bench.change()
    rows.append(measure(bench, "limit", "changing", limit.poll_all, feeds))
    return rows


# -- the process-per-crawl executor --------------------------------------------------------------


def run_pool(names: Sequence[str], run: Callable[[str], str], concurrency: int) -> Counter[str]:
    with ThreadPoolExecutor(concurrency) as pool:
        return Counter(pool.map(run, names))


def run_process(bench: Bench) -> list[RoundFigures]:
    from fundwatch.configuration import load_settings
    from fundwatch.scheduler.daemon import child_environment
    from fundwatch.scheduler.runner import CrawlRunner
    from fundwatch.storage import create_db_engine, session_factory

    engine = create_db_engine(bench.database_url)
    # the environment the daemon gives its crawl processes (schema checked, robots.txt cache)
    env = child_environment(load_settings(bench.env()))
    runner = CrawlRunner(session_factory(engine), env=env, cwd=REPO)
    sample = bench.names[: bench.args.process_sample]

    def poll(name: str) -> str:
        return runner.run(name, deadline=300).status

    def polls() -> Counter[str]:
        return run_pool(sample, poll, bench.args.concurrency)

    rows = [measure(bench, "process", "steady", polls, len(sample))]
    bench.change()
    rows.append(measure(bench, "process", "changing", polls, len(sample)))
    engine.dispose()
    return rows


# -- the fork executor: crawl children forked from a pre-imported server ---------------------------


def run_fork(bench: Bench) -> list[RoundFigures]:
    from fundwatch.configuration import load_settings
    from fundwatch.scheduler.daemon import child_environment
    from fundwatch.scheduler.executors.forking import ForkRunner
    from fundwatch.storage import create_db_engine, session_factory

    engine = create_db_engine(bench.database_url)
    env = child_environment(load_settings(bench.env()))
    runner = ForkRunner(session_factory(engine), env=env, cwd=REPO)
    sample = bench.names[: bench.args.fork_sample]
    try:
        server = runner.start_server()  # its start (the imports) is paid once, not per poll

        def poll(name: str) -> str:
            return runner.run(name, deadline=300).status

        def polls() -> Counter[str]:
            return run_pool(sample, poll, bench.args.concurrency)

        # the server's own CPU and, once reaped, its children's (cutime/cstime)
        parts = {"forkserver": lambda: proc_cpu(server)}
        rows = [measure(bench, "fork", "steady", polls, len(sample), parts)]
        rows.append(measure(bench, "fork", "steady", polls, len(sample), parts))
        bench.change()
        rows.append(measure(bench, "fork", "changing", polls, len(sample), parts))
        rss = proc_rss_mib(server)
        for row in rows:
            row.extra["server_rss_mib"] = rss
        return rows
    finally:
        runner.close()
        engine.dispose()


# -- long-lived workers through Redis ------------------------------------------------------------


def start_redis(folder: Path) -> tuple[RedisServer, str]:
    server = RedisServer(folder).start()
    return server, server.url


def run_worker(bench: Bench) -> list[RoundFigures]:
    from fundwatch.scheduler.executors.dispatch import RedisDispatcher
    from fundwatch.storage import create_db_engine, session_factory

    redis_process, redis_url = start_redis(bench.folder)
    workers = [
        subprocess.Popen(
            [
                sys.executable,
                "-m",
                "fundwatch",
                "worker",
                "--no-supervisor",  # the measured process is the worker itself
                "--broker",
                redis_url,
                "--concurrency",
                str(bench.args.worker_concurrency),
            ],
            env=bench.env(),
            cwd=REPO,
            stdout=subprocess.DEVNULL,
            stderr=open(bench.folder / "worker.log", "ab"),  # noqa: SIM115
        )
        for _ in range(bench.args.workers)
    ]
    engine = create_db_engine(bench.database_url)
    dispatcher = RedisDispatcher(session_factory(engine), broker=redis_url)
    try:
        dispatcher.wait_for_workers(len(workers), timeout=120)

        def poll(name: str) -> str:
            return dispatcher.run(name, deadline=300).status

        def polls() -> Counter[str]:
            return run_pool(bench.names, poll, bench.args.dispatch_threads)

        parts = {
            "workers": lambda: sum(proc_cpu(w.pid) for w in workers),
            "redis": lambda: proc_cpu(redis_process.pid),
        }

        feeds = len(bench.names)
        polls()  # warm: first poll in the workers (imports, caches, connections)
        rows = [measure(bench, "worker", "steady", polls, feeds, parts)]
        rows.append(measure(bench, "worker", "steady", polls, feeds, parts))
        bench.change()
        rows.append(measure(bench, "worker", "changing", polls, feeds, parts))
        rss = [proc_rss_mib(w.pid) for w in workers]
        for row in rows:
            row.extra["worker_rss_mib"] = rss
        return rows
    finally:
        dispatcher.close()
        for worker in workers:
            worker.terminate()
        for worker in workers:
            try:
                worker.wait(timeout=60)
            except subprocess.TimeoutExpired:
                worker.kill()
        redis_process.stop()
        engine.dispose()


def proc_rss_mib(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return round(int(line.split()[1]) / 1024, 1)
    return 0.0


# -- main ----------------------------------------------------------------------------------------


def warm_up(bench: Bench) -> dict[str, object]:
    """One `fundwatch crawl --all`: every feed fetched once (200), its articles stored."""
    started = time.monotonic()
    cpu = children_cpu()
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "fundwatch",
            "crawl",
            "--all",
            "-s",
            "DOWNLOAD_DELAY=0",
            "-s",
            "AUTOTHROTTLE_ENABLED=False",
            "-s",
            "FUNDWATCH_STORE_WORKER=thread",  # not 200 spawned writer processes at once
        ],
        env=bench.env(),
        cwd=REPO,
        capture_output=True,
        text=True,
    )
    reap_orphans()
    return {
        "exit": done.returncode,
        "wall_s": round(time.monotonic() - started, 1),
        "cpu_ms_per_source": round(1000 * (children_cpu() - cpu) / len(bench.names), 1),
        "AlreadyCalledError": done.stderr.count("AlreadyCalledError"),
        "CRITICAL": done.stderr.count("CRITICAL"),
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--feeds", type=int, default=200)
    parser.add_argument("--process-sample", type=int, default=20)
    parser.add_argument("--fraction", type=float, default=0.05)
    parser.add_argument("--executors", default="limit,process,fork,worker")
    parser.add_argument("--fork-sample", type=int, default=60)
    parser.add_argument("--concurrency", type=int, default=2, help="process executor threads")
    parser.add_argument("--workers", type=int, default=1)
    parser.add_argument("--worker-concurrency", type=int, default=16)
    parser.add_argument("--dispatch-threads", type=int, default=32)
    parser.add_argument("--database-url", default=None)
    parser.add_argument("--json", type=Path, default=None, help="also write the rows here")
    latency = parser.add_argument_group(
        "latency", "--latency: publish -> stored -> alerted through the real daemon instead"
    )
    latency.add_argument("--latency", action="store_true")
    latency.add_argument("--cadence", type=float, default=60.0, help="seconds (60)")
    latency.add_argument("--latency-feeds", type=int, default=8)
    latency.add_argument("--publications", type=int, default=30)
    latency.add_argument("--latency-minutes", type=float, default=6.0)
    latency.add_argument("--latency-executors", default="process,workers")
    latency.add_argument("--latency-workers", type=int, default=2)
    latency.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    become_subreaper()
    if args.latency:
        from bench.latency import main as latency_main

        with tempfile.TemporaryDirectory(prefix="fundwatch-latency-") as tmp:
            return latency_main(args, Path(tmp))
    executors = [name.strip() for name in args.executors.split(",") if name.strip()]
    rows: list[RoundFigures] = []
    with (
        tempfile.TemporaryDirectory(prefix="fundwatch-capacity-") as tmp,
        RunningFarm(args.feeds) as farm,
    ):
        folder = Path(tmp)
        catalog = folder / "catalog.yaml"
        entries = catalog_entries(farm.base, args.feeds)
        catalog.write_text(yaml.safe_dump({"sources": entries}, sort_keys=False), "utf-8")
        database_url = args.database_url or f"sqlite:///{folder / 'capacity.db'}"
        bench = Bench(args, folder, farm, database_url, catalog, [e["name"] for e in entries])
        print(f"machine: {os.cpu_count()} cores, load {os.getloadavg()}", flush=True)
        print(f"database: {database_url.split('@')[-1]}; feeds: {args.feeds}", flush=True)
        print("warm-up (crawl --all):", json.dumps(warm_up(bench)), flush=True)
        for executor in executors:
            runner = {
                "limit": run_limit,
                "process": run_process,
                "fork": run_fork,
                "worker": run_worker,
            }[executor]
            for row in runner(bench):
                print(row.row(), flush=True)
                rows.append(row)
        shutil.rmtree(folder / "httpcache", ignore_errors=True)
    if args.json:
        args.json.write_text(
            json.dumps(
                [
                    dict(
                        vars(r),
                        statuses=dict(r.statuses),
                        cpu_ms_per_poll=r.cpu_ms_per_poll,
                        sources_per_core=r.sources_per_core,
                    )
                    for r in rows
                ],
                indent=1,
            )
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
