"""`fundwatch demo`: the main job end to end on this machine, with nothing configured.

Serves a bundled demo site (the seed-site template) and an RSS feed on 127.0.0.1, crawls them
with the real spiders into the database (default: `fundwatch.db` here), detects funding
stories, joins duplicates into one event per round, sends the alerts to a local webhook
receiver through the real relay, and prints the events.
"""

from __future__ import annotations

import argparse


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "demo",
        help="crawl the bundled demo site and feed, detect, alert; print the funding events",
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument(
        "--database-url",
        help="where to store (default: FUNDWATCH_DATABASE_URL, else sqlite:///fundwatch.db)",
    )
    parser.add_argument(
        "--serve",
        "--keep-serving",
        dest="keep_serving",
        action="store_true",
        help="afterwards keep the web dashboard (fundwatch serve) running on the demo data, with "
        "the demo site, feed and receiver, until Ctrl-C; prints the dashboard's URL",
    )
    parser.add_argument(
        "--web-port",
        type=int,
        default=0,
        help="port of the dashboard with --serve (default: 8800 if free, else any free port)",
    )
    parser.add_argument(
        "--port", type=int, default=0, help="port of the demo site (default: a free port)"
    )
    parser.add_argument(
        "--crawl-timeout",
        type=float,
        default=300.0,
        metavar="SECONDS",
        help="give up on the crawl after this long (default: 300)",
    )
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from fundwatch.configuration import load_settings
    from fundwatch.demo.flow import DemoOptions, run_demo

    options = DemoOptions(
        database_url=args.database_url or load_settings().database_url,
        keep_serving=args.keep_serving,
        port=args.port,
        crawl_timeout=args.crawl_timeout,
        web_port=args.web_port,
        verbose=getattr(args, "verbose", False),
    )
    code, _ = run_demo(options)
    return code
