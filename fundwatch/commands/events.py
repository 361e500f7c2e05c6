"""`fundwatch events`: funding events (one per real-world round), newest first."""

from __future__ import annotations

import argparse

from fundwatch.arguments import since_date
from fundwatch.tables import FORMATS, render

HEADERS = (
    "id",
    "company",
    "round",
    "amount",
    "currency",
    "amount_usd",
    "valuation_usd",
    "lead_investors",
    "articles",
    "sources",
    "first_seen",
)


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser("events", help="list funding events with every outlet")
    parser.add_argument("--since", type=since_date, metavar="DATE", help="first seen on or after")
    parser.add_argument("--format", choices=FORMATS, default="table")
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from sqlalchemy import select

    from fundwatch.context import AppContext
    from fundwatch.storage import FundingEvent

    app = AppContext(existing=True)
    query = select(FundingEvent).order_by(FundingEvent.first_seen_at.desc(), FundingEvent.id.desc())
    if args.since is not None:
        query = query.where(FundingEvent.first_seen_at >= args.since)
    with app.sessions() as session:
        events = session.scalars(query).all()
    rows = [
        (
            e.id,
            e.company,
            e.round,
            e.amount,
            e.currency,
            e.amount_usd,
            e.valuation_usd,
            e.lead_investors,
            e.article_count,
            e.sources,
            e.first_seen_at,
        )
        for e in events
    ]
    print(render(HEADERS, rows, args.format))
    return 0
