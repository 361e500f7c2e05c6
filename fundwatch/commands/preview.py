"""`fundwatch preview SOURCE [URL…]`: what a catalog entry extracts now, storing nothing."""

from __future__ import annotations

import argparse
import json
import sys
from datetime import datetime
from typing import Any


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "preview",
        help="fetch a source's listing or feed and a few articles now; print each field, the "
        "rule that produced it and every warning (stores nothing)",
    )
    parser.add_argument("source", help="catalog entry name")
    parser.add_argument("urls", nargs="*", metavar="URL", help="article URLs (default: listing)")
    parser.add_argument("-n", "--articles", type=int, default=3, help="articles to fetch (3)")
    parser.add_argument("--format", choices=("text", "json"), default="text")
    parser.set_defaults(func=run)


def _plain(value: Any) -> Any:
    return value.isoformat() if isinstance(value, datetime) else value


def run(args: argparse.Namespace) -> int:
    from dataclasses import asdict

    from fundwatch.configuration import load_catalog, load_settings
    from fundwatch.crawler.preview import preview_source, render

    catalog = load_catalog(load_settings().seeds)
    try:
        source = catalog.get(args.source)
    except KeyError as exc:
        print(f"fundwatch preview: {exc.args[0]}", file=sys.stderr)
        return 2
    report = preview_source(source, args.urls, limit=max(1, args.articles))
    if args.format == "json":
        print(json.dumps(asdict(report), ensure_ascii=False, default=_plain, indent=1))
    else:
        print(render(report))
    failed = not report.articles or any(
        w.startswith("a crawl would be unhealthy") for w in report.warnings
    )
    return 1 if failed else 0
