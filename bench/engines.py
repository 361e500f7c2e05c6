"""Scale-out engines, measured on the same feeds: our Redis-list dispatch to `fundwatch worker`,
Celery on Redis, and scrapy-redis (the last two need `pip install -e .[engines]`).

Same set-up as bench/capacity.py (one local feed farm, a private redis-server per engine, a
warm-up `fundwatch crawl --all`), then per engine one warm round and rounds of polls of every
feed: steady (every feed answers 304, twice) and changing (a fraction has a new entry). CPU is
counted for every process: this process (the daemon's side: run rows, dispatch, waiting), the
engine's worker processes and their children, and Redis. The 1-minute load average is printed
with every row.

Engines:
- ours: scheduler.executors.dispatch.RedisDispatcher -> `fundwatch worker` (capacity.py's worker);
- celery-threads: a Celery worker (pool `threads`, 16) whose task hands the run to a Twisted
  reactor running in a thread of the worker (bench/engine_celery_app.py), the daemon's side
  creates the run row, `send_task`s it and waits on the result backend;
- celery-prefork: pool `prefork` with `--max-tasks-per-child 1`, a `CrawlerProcess` per task
  (the reactor cannot be restarted in a process), the parent pre-importing fundwatch;
- celery-prefork-reuse: the same without `--max-tasks-per-child`: shows what breaks;
- scrapy-redis: one long-lived RedisSpider fed feed URLs through Redis (request level only:
  no run rows, no single-flight lock, no detection; bench/engine_scrapy_redis.py).

    python bench/engines.py [--feeds 200] [--prefork-sample 40]
        [--engines ours,celery-threads,celery-prefork,celery-prefork-reuse,scrapy-redis]
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import os
import subprocess
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

import yaml

BENCH = Path(__file__).resolve().parent
REPO = BENCH.parent
sys.path[:0] = [str(REPO), str(BENCH)]

import capacity  # noqa: E402
from capacity import Bench, RoundFigures, measure, proc_cpu, proc_rss_mib  # noqa: E402

from harness.feed_farm import RunningFarm, catalog_entries  # noqa: E402
from harness.redis_server import RedisServer  # noqa: E402

ENGINES = ("ours", "celery-threads", "celery-prefork", "celery-prefork-reuse", "scrapy-redis")
EXTRA_HINT = "pip install -e '.[engines]'"


def missing_extra() -> list[str]:
    return [name for name in ("celery", "scrapy_redis") if importlib.util.find_spec(name) is None]


def rounds(
    bench: Bench, engine: str, polls, count: int, parts, *, warm: bool = True
) -> list[RoundFigures]:  # type: ignore[no-untyped-def]
    if warm:
        polls()  # first poll in the worker: imports, caches, connections
    rows = [measure(bench, engine, "steady", polls, count, parts)]
    rows.append(measure(bench, engine, "steady", polls, count, parts))
    bench.change()
    rows.append(measure(bench, engine, "changing", polls, count, parts))
    return rows


# -- Celery --------------------------------------------------------------------------------------


CELERY_POOLS = {
    "celery-threads": ("crawl_in_reactor", ["--pool", "threads", "--concurrency", "16"]),
    "celery-prefork": (
        "crawl_in_process",
        ["--pool", "prefork", "--concurrency", "3", "--max-tasks-per-child", "1"],
    ),
    "celery-prefork-reuse": ("crawl_in_process", ["--pool", "prefork", "--concurrency", "1"]),
}


_CELERY_BROKER: list[RedisServer] = []


def celery_broker(bench: Bench) -> RedisServer:
    """One redis-server for every Celery engine (the app keeps its connections)."""
    if not _CELERY_BROKER:
        folder = bench.folder / "celery-redis"
        folder.mkdir(exist_ok=True)
        _CELERY_BROKER.append(RedisServer(folder).start())
        os.environ["ENGINES_BROKER"] = _CELERY_BROKER[0].url
    return _CELERY_BROKER[0]


def run_celery(bench: Bench, engine: str) -> list[RoundFigures]:
    from fundwatch.configuration import load_settings
    from fundwatch.scheduler.daemon import child_environment
    from fundwatch.scheduler.runner import CrawlOutcome
    from fundwatch.storage import create_db_engine, session_factory
    from fundwatch.storage.models import CrawlRun
    from fundwatch.storage.runs import close_run, start_run

    task, pool_args = CELERY_POOLS[engine]
    broker = celery_broker(bench)
    from engine_celery_app import app

    env = dict(
        child_environment(load_settings(bench.env())),  # as the daemon's crawls: robots cache
        PYTHONPATH=f"{REPO}{os.pathsep}{BENCH}",
        ENGINES_BROKER=broker.url,
        ENGINES_PRELOAD="1" if engine != "celery-threads" else "0",
    )
    worker = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "celery",
            "-A",
            "engine_celery_app",
            "worker",
            *pool_args,
            "--loglevel",
            "WARNING",
            "--without-heartbeat",
            "--without-gossip",
            "--without-mingle",
        ],
        env=env,
        cwd=REPO,
        stdout=subprocess.DEVNULL,
        stderr=open(bench.folder / f"{engine}.log", "ab"),  # noqa: SIM115
    )
    engine_db = create_db_engine(bench.database_url)
    sessions = session_factory(engine_db)

    def poll(name: str) -> str:
        started = time.monotonic()
        with sessions.begin() as session:
            run_id = start_run(session, name).id
        try:
            result = app.send_task(task, args=[run_id, name, 300.0])
            result.get(timeout=600, propagate=True)
            failure = None
        except Exception as exc:  # the task failed: the daemon closes the row, as it would
            failure = f"{type(exc).__name__}: {exc}"[:300]
        with sessions.begin() as session:
            run = session.get(CrawlRun, run_id)
            if run is not None and run.status == "running":
                run = close_run(session, run_id, status="error", message=failure or "lost")
            outcome = CrawlOutcome.of_run(
                run, duration_s=time.monotonic() - started, exit_code=None
            )
        return outcome.status if failure is None else f"{outcome.status}:{failure[:40]}"

    names = bench.names[: bench.args.prefork_sample] if engine == "celery-prefork" else bench.names

    def polls() -> Counter[str]:
        return capacity.run_pool(names, poll, bench.args.dispatch_threads)

    parts = {"celery": lambda: proc_cpu(worker.pid), "redis": lambda: proc_cpu(broker.pid)}
    try:
        if engine == "celery-prefork-reuse":  # a few runs in one child: what happens?
            sample = bench.names[:4]
            row = measure(
                bench,
                engine,
                "steady",
                lambda: capacity.run_pool(sample, poll, 1),
                len(sample),
                parts,
            )
            return [row]
        rows = rounds(bench, engine, polls, len(names), parts)
        for row in rows:
            row.extra["celery_rss_mib"] = proc_rss_mib(worker.pid)
        return rows
    finally:
        worker.terminate()
        try:
            worker.wait(timeout=60)
        except subprocess.TimeoutExpired:
            worker.kill()
            worker.wait()
        capacity.reap_orphans()
        engine_db.dispose()


# -- scrapy-redis --------------------------------------------------------------------------------


def run_scrapy_redis(bench: Bench) -> list[RoundFigures]:
    import redis

    broker = RedisServer(bench.folder).start()
    spider = subprocess.Popen(
        [sys.executable, str(BENCH / "engine_scrapy_redis.py"), broker.url],
        env=dict(bench.env(), PYTHONPATH=f"{REPO}{os.pathsep}{BENCH}"),
        cwd=bench.folder,
        stdout=subprocess.DEVNULL,
        stderr=open(bench.folder / "scrapy-redis.log", "ab"),  # noqa: SIM115
    )
    client = redis.Redis.from_url(broker.url)
    urls = [bench.farm.feed_url(i) for i in range(len(bench.names))]

    def polls() -> Counter[str]:
        client.rpush("feeds:start_urls", *[json.dumps({"url": url}) for url in urls])
        statuses: Counter[str] = Counter()
        for _ in urls:
            answer = client.blpop(["feeds:done"], timeout=120)
            if answer is None:
                statuses["lost"] += 1
                break
            statuses[answer[1].decode()] += 1
        return statuses

    parts = {"spider": lambda: proc_cpu(spider.pid), "redis": lambda: proc_cpu(broker.pid)}
    try:
        rows = rounds(bench, "scrapy-redis", polls, len(urls), parts)
        for row in rows:
            row.extra["spider_rss_mib"] = proc_rss_mib(spider.pid)
        return rows
    finally:
        spider.terminate()
        try:
            spider.wait(timeout=30)
        except subprocess.TimeoutExpired:
            spider.kill()
            spider.wait()
        client.close()
        broker.stop()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--feeds", type=int, default=200)
    parser.add_argument("--fraction", type=float, default=0.05)
    parser.add_argument("--engines", default=",".join(ENGINES))
    parser.add_argument("--prefork-sample", type=int, default=40, help="polls per prefork round")
    parser.add_argument("--workers", type=int, default=1)
    parser.add_argument("--worker-concurrency", type=int, default=16)
    parser.add_argument("--dispatch-threads", type=int, default=32)
    parser.add_argument("--database-url", default=None)
    args = parser.parse_args()
    engines = [name.strip() for name in args.engines.split(",") if name.strip()]
    unknown = sorted(set(engines) - set(ENGINES))
    if unknown:
        parser.error(f"unknown engine(s) {', '.join(unknown)}; known: {', '.join(ENGINES)}")
    missing = missing_extra()
    if missing and any(name != "ours" for name in engines):
        print(
            f"engines.py: the `engines` extra is not installed (missing: {', '.join(missing)}); "
            f"measuring only `ours`. Install it with: {EXTRA_HINT}",
            flush=True,
        )
        engines = [name for name in engines if name == "ours"]
    capacity.become_subreaper()
    with (
        tempfile.TemporaryDirectory(prefix="fundwatch-engines-") as tmp,
        RunningFarm(args.feeds) as farm,
    ):
        folder = Path(tmp)
        catalog = folder / "catalog.yaml"
        entries = catalog_entries(farm.base, args.feeds)
        catalog.write_text(yaml.safe_dump({"sources": entries}, sort_keys=False), "utf-8")
        database_url = args.database_url or f"sqlite:///{folder / 'engines.db'}"
        bench = Bench(args, folder, farm, database_url, catalog, [e["name"] for e in entries])
        print(f"machine: {os.cpu_count()} cores, load {os.getloadavg()}", flush=True)
        print(f"database: {database_url.split('@')[-1]}; feeds: {args.feeds}", flush=True)
        print("warm-up (crawl --all):", json.dumps(capacity.warm_up(bench)), flush=True)
        for engine in engines:
            try:
                if engine == "ours":
                    rows = capacity.run_worker(bench)
                    for row in rows:
                        row.executor = "ours"
                elif engine == "scrapy-redis":
                    rows = run_scrapy_redis(bench)
                else:
                    rows = run_celery(bench, engine)
            except Exception as exc:  # one engine failing does not stop the others
                print(f"{engine}: FAILED: {type(exc).__name__}: {exc}", flush=True)
                continue
            for row in rows:
                print(row.row(), flush=True)
        for broker in _CELERY_BROKER:
            broker.stop()
        for log in sorted(folder.glob("*.log")):
            text = log.read_text("utf-8", "replace")
            lines = [line for line in text.splitlines() if line.strip()]
            if lines:
                print(f"--- {log.name} ({len(lines)} lines), last 5:", flush=True)
                for line in lines[-5:]:
                    print("   ", line[:300], flush=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
