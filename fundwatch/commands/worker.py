"""`fundwatch worker --broker redis://HOST:6379/0`: run crawls handed out by the daemon.

A supervisor process keeps --processes worker processes running (scheduler.worker): each runs
up to --concurrency crawls at once in one reactor and is replaced after --max-runs runs or
above --max-memory MiB. Start workers on any number of machines that reach the same database
and broker; start the daemon with `--executor workers --broker ...` (docs/capacity.md).
"""

from __future__ import annotations

import argparse
import os
import signal
import subprocess
import sys
import time


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "worker",
        help="run crawls handed out by the daemon (long-lived; see docs/capacity.md)",
        description=(
            "Take crawl runs from the broker and run many at once in one long-lived process. "
            "FUNDWATCH_DATABASE_URL and FUNDWATCH_SEEDS must name the daemon's database and "
            "catalog. SIGTERM: finish running crawls, then exit."
        ),
    )
    parser.add_argument(
        "--broker",
        default=os.environ.get("FUNDWATCH_BROKER_URL", "redis://127.0.0.1:6379/0"),
        help="Redis URL (default: FUNDWATCH_BROKER_URL or redis://127.0.0.1:6379/0)",
    )
    parser.add_argument("--concurrency", type=int, default=16, help="crawls at once (16)")
    parser.add_argument("--processes", type=int, default=1, help="worker processes (1)")
    parser.add_argument(
        "--max-runs", type=int, default=5000, help="replace a process after N runs (5000; 0: never)"
    )
    parser.add_argument(
        "--max-memory",
        type=float,
        default=1024,
        metavar="MIB",
        help="replace a process above this RSS, between runs (1024; 0: never)",
    )
    parser.add_argument(
        "--lease-seconds",
        type=float,
        default=10.0,
        help="a run whose worker has not renewed its lease for this long is sent again (10)",
    )
    parser.add_argument(
        "--no-supervisor",
        action="store_true",
        help="run one worker process in the foreground (no restarts; for tests and systemd)",
    )
    parser.add_argument("--log-level", default=None, help="Scrapy log level (default WARNING)")
    parser.set_defaults(func=run)


def worker_scrapy_settings(log_level: str | None):  # type: ignore[no-untyped-def]
    """The Scrapy settings of a long-lived process that runs many crawls (also used by
    bench/engines.py for the Celery worker it measures)."""
    from fundwatch.scheduler.worker_settings import WorkerSettings

    settings = WorkerSettings()
    settings.setmodule("fundwatch.crawler.settings", priority="project")
    settings.set("LOG_LEVEL", (log_level or "WARNING").upper(), priority="cmdline")
    # many crawls share this process: one writer thread each, detection in the pipeline
    settings.set("FUNDWATCH_STORE_WORKER", "thread", priority="cmdline")
    # per-crawler chatter that costs CPU on every short run; the worker watches its own memory
    settings.set("STATS_DUMP", False, priority="cmdline")
    extensions = dict(settings.getdict("EXTENSIONS"))
    extensions.update(
        {
            "scrapy.extensions.logstats.LogStats": None,
            "scrapy.extensions.memusage.MemoryUsage": None,
        }
    )
    settings.set("EXTENSIONS", extensions, priority="cmdline")
    return settings


def _serve_one(args: argparse.Namespace) -> int:
    from fundwatch.scheduler.worker import CrawlWorker, WorkerLimits

    settings = worker_scrapy_settings(args.log_level)
    limits = WorkerLimits(
        concurrency=args.concurrency,
        max_runs=args.max_runs,
        max_memory_mb=args.max_memory,
        lease_seconds=args.lease_seconds,
    )
    return CrawlWorker(args.broker, settings, limits).serve()


def run(args: argparse.Namespace) -> int:
    if args.concurrency < 1 or args.processes < 1:
        print("fundwatch worker: --concurrency and --processes must be at least 1", file=sys.stderr)
        return 2
    if args.no_supervisor:
        return _serve_one(args)
    from fundwatch.scheduler.worker import RECYCLE_EXIT

    command = [
        sys.executable,
        "-m",
        "fundwatch",
        "worker",
        "--no-supervisor",
        "--broker",
        args.broker,
        "--concurrency",
        str(args.concurrency),
        "--max-runs",
        str(args.max_runs),
        "--max-memory",
        str(args.max_memory),
        "--lease-seconds",
        str(args.lease_seconds),
    ]
    if args.log_level:
        command += ["--log-level", args.log_level]
    stopping = False
    children: list[subprocess.Popen[bytes]] = []

    def stop(_signum: int, _frame: object) -> None:
        nonlocal stopping
        stopping = True
        for child in children:
            if child.poll() is None:
                child.send_signal(signal.SIGTERM)

    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)
    children = [subprocess.Popen(command) for _ in range(args.processes)]
    while children:
        time.sleep(0.2)
        for index, child in enumerate(list(children)):
            code = child.poll()
            if code is None:
                continue
            if stopping:
                children.remove(child)
            elif code == RECYCLE_EXIT or code == 0:
                children[index] = subprocess.Popen(command)  # recycled: a fresh process
            else:
                print(
                    f"fundwatch worker: process {child.pid} exited with {code}; restarting",
                    file=sys.stderr,
                )
                time.sleep(1)
                children[index] = subprocess.Popen(command)
    return 0
