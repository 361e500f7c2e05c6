"""`fundwatch stories`: stored articles, newest first, with their detection and dedup links."""

from __future__ import annotations

import argparse

from fundwatch.arguments import positive_int, since_date
from fundwatch.tables import FORMATS, render

HEADERS = (
    "id",
    "published",
    "source",
    "title",
    "company",
    "round",
    "amount_usd",
    "flag",
    "duplicate_of",
    "event",
    "url",
)


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser("stories", help="list stored articles, newest first")
    parser.add_argument("--flagged", action="store_true", help="only AI-video funding stories")
    parser.add_argument(
        "--since", type=since_date, metavar="DATE", help="published (or fetched) on or after DATE"
    )
    parser.add_argument("--source", metavar="NAME", help="only articles from this source")
    parser.add_argument("--limit", type=positive_int, default=50, metavar="N", help="default 50")
    parser.add_argument("--format", choices=FORMATS, default="table")
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from sqlalchemy import func, select

    from fundwatch.context import AppContext
    from fundwatch.storage import Article

    app = AppContext(existing=True)
    when = func.coalesce(Article.published_at, Article.fetched_at)
    query = select(Article).order_by(when.desc(), Article.id.desc()).limit(args.limit)
    if args.flagged:
        query = query.where(Article.flag.is_(True))
    if args.since is not None:
        query = query.where(when >= args.since)
    if args.source:
        query = query.where(Article.source == args.source)
    with app.sessions() as session:
        articles = session.scalars(query).all()
    rows = [
        (
            a.id,
            a.published_at or a.fetched_at,
            a.source,
            a.title,
            a.company,
            a.round,
            a.amount_usd,
            a.flag,
            a.duplicate_of,
            a.event_id,
            a.url,
        )
        for a in articles
    ]
    print(render(HEADERS, rows, args.format))
    return 0
