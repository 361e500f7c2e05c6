"""`fundwatch backfill SOURCE [--pages N | --since DATE]`: walk a source deeper once.

The walk goes through the crawl frontier like every crawl: each article link found is recorded
pending, and the runs fetch at most `max_articles` per run (the rest on the next runs), at the
source's usual politeness. For a site, its listings are walked N pages deep (with --since: until
a listing page whose articles are all stored and older than DATE, at most N pages, default 100)
without stopping early; for a sitemap or feed, the validators are forgotten so that the next
crawl reads every entry again.
"""

from __future__ import annotations

import argparse
import sys
from datetime import UTC, datetime

DEFAULT_SINCE_PAGES = 100


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "backfill",
        help="walk a source's listings deeper once (through the crawl frontier)",
        description=__doc__.split("\n\n", 1)[1] if __doc__ else None,
    )
    parser.add_argument("source", metavar="SOURCE", help="catalog source name")
    depth = parser.add_mutually_exclusive_group()
    depth.add_argument("--pages", type=int, metavar="N", help="listing pages to walk (1-1000)")
    depth.add_argument(
        "--since", metavar="DATE", help="walk back to articles published on DATE (YYYY-MM-DD)"
    )
    parser.add_argument(
        "--no-crawl",
        action="store_true",
        help="only plan the deeper walk; the daemon's next run of the source does it",
    )
    parser.set_defaults(func=run)


def _since(value: str | None) -> datetime | None:
    if value is None:
        return None
    try:
        parsed = datetime.fromisoformat(value)
    except ValueError:
        raise SystemExit(f"fundwatch backfill: --since expects YYYY-MM-DD, got {value!r}") from None
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)


def run(args: argparse.Namespace) -> int:
    from sqlalchemy import update

    from fundwatch.configuration import SiteSource
    from fundwatch.configuration.sources import load_catalog_leniently
    from fundwatch.context import AppContext
    from fundwatch.storage.canonical import canonicalize_url, url_key
    from fundwatch.storage.models import UrlState
    from fundwatch.storage.walks import request_deeper_walk

    app = AppContext()
    catalog, _problems = load_catalog_leniently(app.settings.seeds)
    try:
        source = catalog.get(args.source)
    except KeyError as exc:
        print(f"fundwatch backfill: {exc.args[0]}", file=sys.stderr)
        return 2
    since = _since(args.since)
    pages = args.pages or (DEFAULT_SINCE_PAGES if since else None)
    if pages is not None and not 1 <= pages <= 1000:
        print("fundwatch backfill: --pages must be between 1 and 1000", file=sys.stderr)
        return 2
    with app.sessions.begin() as session:
        if isinstance(source, SiteSource):
            pages = pages or max(source.listing.max_pages * 4, 20)
            for url in source.start_urls:
                key = url_key(canonicalize_url(url))
                request_deeper_walk(session, key, url, source.name, pages, since)
            what = f"its listings will be walked {pages} pages deep"
        else:
            session.execute(
                update(UrlState)
                .where(UrlState.source == source.name)
                .values(etag=None, last_modified=None)
            )
            what = f"its {source.kind} will be read in full"
    print(f"{source.name}: {what}, once; new links go to the crawl frontier")
    if args.no_crawl:
        return 0
    from fundwatch.commands import crawl

    return crawl.run(
        argparse.Namespace(
            sources=[source.name], all=False, run_id=None, log_level=None, set=[], verbose=False
        )
    )
