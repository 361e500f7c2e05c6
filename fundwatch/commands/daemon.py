"""`fundwatch daemon [--once [--all]]`: the scheduler daemon (or one pass for cron/CI)."""

from __future__ import annotations

import argparse
import shlex
import sys


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "daemon",
        help="run the scheduler: crawl every source on its cadence and deliver alerts",
        description=(
            "Run every enabled catalog source on its cadence, each crawl in a child process with "
            "a hard deadline (FUNDWATCH_CRAWL_DEADLINE), at most FUNDWATCH_MAX_CONCURRENT_CRAWLS "
            "at once, and deliver alerts. One daemon per database. SIGHUP reloads the catalog; "
            "SIGTERM/SIGINT stop gracefully. Logs are JSON lines on stderr."
        ),
    )
    parser.add_argument(
        "--once", action="store_true", help="run every due source once, deliver alerts, exit"
    )
    parser.add_argument(
        "--all", action="store_true", help="with --once: run every enabled source, due or not"
    )
    parser.add_argument(
        "--stagger",
        type=float,
        default=10.0,
        metavar="SECONDS",
        help="gap between overdue sources started after a (re)start (default 10)",
    )
    parser.add_argument(
        "--shutdown-grace",
        type=float,
        default=60.0,
        metavar="SECONDS",
        help="how long running crawls may finish after SIGTERM (default 60)",
    )
    parser.add_argument(
        "--kill-grace",
        type=float,
        default=10.0,
        metavar="SECONDS",
        help="between SIGTERM and SIGKILL of a crawl's process group (default 10)",
    )
    parser.add_argument(
        "--relay-interval",
        type=float,
        default=0.2,
        metavar="SECONDS",
        help="how often the alert relay polls the outbox (default 0.2: alerts leave within 1 s)",
    )
    parser.add_argument(
        "--crawl-command",
        metavar="COMMAND",
        help=(
            "run this instead of `python -m fundwatch crawl {source} --run-id {run_id}` "
            "(for tests and benchmarks; {source} and {run_id} are filled in)"
        ),
    )
    parser.add_argument(
        "--executor",
        choices=("process", "fork", "workers"),
        default=None,
        help=(
            "process: one crawl process per run (default; isolates a misbehaving source); "
            "fork: the same isolation, children forked from a pre-imported fork server "
            "(a tenth of the CPU per poll or less); workers: hand runs to `fundwatch worker` "
            "processes through --broker (docs/capacity.md); default: FUNDWATCH_EXECUTOR, "
            "else process"
        ),
    )
    parser.add_argument(
        "--broker",
        default=None,
        metavar="URL",
        help="Redis URL for --executor workers (default: FUNDWATCH_BROKER_URL)",
    )
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from fundwatch.configuration import load_settings
    from fundwatch.scheduler.daemon import Daemon
    from fundwatch.scheduler.lock import DaemonAlreadyRunning
    from fundwatch.scheduler.logs import configure_json_logging
    from fundwatch.scheduler.runner import DEFAULT_CRAWL_COMMAND

    if args.all and not args.once:
        print("fundwatch daemon: --all only goes with --once", file=sys.stderr)
        return 2
    settings = load_settings()
    configure_json_logging("DEBUG" if args.verbose else settings.log_level)
    command = tuple(shlex.split(args.crawl_command)) if args.crawl_command else None
    if command is not None and not any("{run_id}" in part for part in command):
        print("fundwatch daemon: --crawl-command must contain {run_id}", file=sys.stderr)
        return 2
    broker = None
    executor = args.executor or settings.executor
    if executor == "fork" and command is not None:
        print(
            "fundwatch daemon: --crawl-command goes with --executor process only", file=sys.stderr
        )
        return 2
    if executor == "workers":
        broker = args.broker or settings.broker_url
        if not broker:
            print(
                "fundwatch daemon: --executor workers needs --broker redis://HOST:6379/0 "
                "(or FUNDWATCH_BROKER_URL)",
                file=sys.stderr,
            )
            return 2
    daemon = Daemon(
        settings,
        crawl_command=command or DEFAULT_CRAWL_COMMAND,
        stagger=args.stagger,
        shutdown_grace=args.shutdown_grace,
        kill_grace=args.kill_grace,
        relay_interval=args.relay_interval,
        broker=broker,
        executor=executor,
    )
    try:
        if args.once:
            from fundwatch.scheduler.once import run_once

            return run_once(daemon, every_source=args.all)
        return daemon.serve()
    except DaemonAlreadyRunning as exc:
        print(f"fundwatch daemon: {exc}", file=sys.stderr)
        return 3
