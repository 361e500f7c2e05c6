"""`fundwatch crawl SOURCE... | --all [--run-id N]`: crawl sources now, print a summary each.

One process, one Scrapy CrawlerProcess (Twisted's reactor cannot restart). The scheduler runs
`fundwatch crawl SOURCE --run-id N` in a child process after creating the crawl_runs row; run by
hand, each crawl creates its own row. Exit 0 when every crawl ran (page errors included), 1 when
a source failed as a whole (unreachable, unhealthy feed), 2 for a usage or configuration error.
"""

from __future__ import annotations

import argparse
import logging
import sys
from typing import NoReturn


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "crawl",
        help="crawl sources now and store their articles",
        description="Crawl catalog sources now (also: `scrapy crawl SOURCE` from the repo root).",
    )
    parser.add_argument("sources", nargs="*", metavar="SOURCE", help="catalog source names")
    parser.add_argument("--all", action="store_true", help="crawl every enabled source")
    parser.add_argument(
        "--run-id",
        type=int,
        help="use this existing crawl_runs row (the scheduler creates it); one source only",
    )
    parser.add_argument(
        "--log-level",
        default=None,
        help="Scrapy log level (default: WARNING, or DEBUG with -v)",
    )
    parser.add_argument(
        "-s",
        "--set",
        action="append",
        default=[],
        metavar="NAME=VALUE",
        help="override a Scrapy setting, e.g. -s DOWNLOAD_DELAY=0",
    )
    parser.set_defaults(func=run)


def _scrapy_settings(args: argparse.Namespace):  # type: ignore[no-untyped-def]
    from scrapy.settings import Settings

    settings = Settings()
    settings.setmodule("fundwatch.crawler.settings", priority="project")
    level = args.log_level or ("DEBUG" if getattr(args, "verbose", False) else "WARNING")
    settings.set("LOG_LEVEL", level.upper(), priority="cmdline")
    for assignment in args.set:
        name, sep, value = assignment.partition("=")
        if not sep or not name:
            raise SystemExit(f"fundwatch crawl: -s expects NAME=VALUE, got {assignment!r}")
        settings.set(name.strip(), value, priority="cmdline")
    return settings


def run(args: argparse.Namespace) -> int:
    # Scrapy's TLS context module names its deprecated aliases with inspect.stack(), which costs
    # more the deeper the stack and the more modules are loaded: imported here, first, it costs
    # a fraction of what it does when the spider loader imports it (through the download handler)
    import scrapy.core.downloader.contextfactory  # noqa: F401

    from fundwatch.crawler.resources import resources

    catalog = resources().catalog
    if args.all:
        names = [source.name for source in catalog if source.enabled]
    else:
        names = list(dict.fromkeys(args.sources))
    if not names:
        print("fundwatch crawl: name one or more sources, or use --all", file=sys.stderr)
        print(f"known sources: {', '.join(catalog.names)}", file=sys.stderr)
        return 2
    unknown = [name for name in names if name not in catalog]
    invalid = [p for p in resources().catalog_problems if p.name in unknown]
    if invalid:
        for problem in invalid:
            print(f"fundwatch crawl: invalid catalog entry: {problem.message}", file=sys.stderr)
        return 2
    if unknown:
        print(
            f"fundwatch crawl: unknown source(s) {', '.join(unknown)}; "
            f"known: {', '.join(catalog.names)}",
            file=sys.stderr,
        )
        return 2
    if args.run_id is not None and len(names) != 1:
        print("fundwatch crawl: --run-id needs exactly one source", file=sys.stderr)
        return 2

    problem = _preflight(names, args.run_id)
    if problem:
        print(f"fundwatch crawl: {problem}", file=sys.stderr)
        return 2

    from scrapy.crawler import CrawlerProcess

    from fundwatch.crawler.logformat import filter_at_root
    from fundwatch.crawler.stats import Stat
    from fundwatch.storage.crawl_outcome import RAN_STATUSES

    for handler in list(logging.root.handlers):  # Scrapy installs its own, at LOG_LEVEL
        logging.root.removeHandler(handler)
    settings = _scrapy_settings(args)
    process = CrawlerProcess(settings)
    filter_at_root(settings.get("LOG_LEVEL"))
    crawlers = []
    for name in names:
        crawler = process.create_crawler(name)
        crawlers.append(crawler)
        process.crawl(crawler, run_id=args.run_id)
    process.start()
    failed = [
        crawler.spidercls.name
        for crawler in crawlers
        if (crawler.stats.get_value(Stat.STATUS) if crawler.stats else None) not in RAN_STATUSES
    ]
    code = 0
    if failed:
        print(f"fundwatch crawl: failed: {', '.join(failed)}", file=sys.stderr)
        code = 1
    exit_now(code)


def exit_now(code: int) -> NoReturn:
    """A crawl process ends here: its runs are recorded and its writer is shut down, so the
    interpreter's teardown of ~1,400 modules (~0.2 s of CPU) is skipped. The database
    connections are closed first (SQLite moves its write-ahead log into the database file)."""
    import os

    from fundwatch.crawler.resources import resources

    resources().close()
    logging.shutdown()
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(code)


def _preflight(names: list[str], run_id: int | None) -> str | None:
    """Open (and if need be create) the database before any request is made, so a database
    problem is reported as one (raises DatabaseError), and check a scheduler-given run id."""
    from fundwatch.crawler.resources import resources
    from fundwatch.storage.models import CrawlRun

    with resources().sessions() as session:
        if run_id is None:
            return None
        run = session.get(CrawlRun, run_id)
        if run is None:
            return f"no crawl run {run_id} in the database (--run-id is the scheduler's)"
        if run.source != names[0]:
            return f"crawl run {run_id} belongs to source {run.source!r}, not {names[0]!r}"
        if run.status != "running":
            return f"crawl run {run_id} has already finished ({run.status})"
    return None
