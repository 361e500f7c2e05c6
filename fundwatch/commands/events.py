"""`fundwatch events`: funding events (one per real-world round), newest first.

A vague amount (数千万元, "eight figures") is shown as its range, marked approximate ("~"); JSON
and CSV carry `amount_low`, `amount_high` and `amount_approximate` as fields. Events withdrawn
by `fundwatch redetect` (no article reports them any more) are listed only with --withdrawn.
"""

from __future__ import annotations

import argparse
from typing import Any

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
DATA_HEADERS = (*HEADERS[:5], "amount_low", "amount_high", "amount_approximate", *HEADERS[5:])


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "events", help="list funding events with every outlet", description=__doc__
    )
    parser.add_argument("--since", type=since_date, metavar="DATE", help="first seen on or after")
    parser.add_argument(
        "--withdrawn", action="store_true", help="also list events withdrawn by redetect"
    )
    parser.add_argument("--format", choices=FORMATS, default="table")
    parser.set_defaults(func=run)


def _figure(value: float) -> str:
    return f"{value:,.0f}" if abs(value) >= 1000 else f"{value:g}"


def shown_amount(event: Any) -> str | float | None:
    """The amount as a person reads it: the figure; an approximate one marked "~"; a vague one
    as its range ("~20,000,000-100,000,000", "~400,000,000+", "~up to 100,000,000")."""
    if not event.amount_approximate:
        return event.amount
    low, high = event.amount_low, event.amount_high
    if low is not None and high is not None and low != high:
        return f"~{_figure(low)}-{_figure(high)}"
    if low is not None and high is None:
        return f"~{_figure(low)}+"
    if low is None and high is not None:
        return f"~up to {_figure(high)}"
    return None if event.amount is None else f"~{_figure(event.amount)}"


def run(args: argparse.Namespace) -> int:
    from sqlalchemy import select

    from fundwatch.context import AppContext
    from fundwatch.storage import FundingEvent

    app = AppContext(existing=True)
    query = select(FundingEvent).order_by(FundingEvent.first_seen_at.desc(), FundingEvent.id.desc())
    if args.since is not None:
        query = query.where(FundingEvent.first_seen_at >= args.since)
    if not args.withdrawn:
        query = query.where(FundingEvent.withdrawn_at.is_(None))
    with app.sessions() as session:
        events = session.scalars(query).all()
    table = args.format == "table"
    rows = [
        (
            e.id,
            e.company,
            e.round,
            shown_amount(e) if table else e.amount,
            e.currency,
            *(() if table else (e.amount_low, e.amount_high, bool(e.amount_approximate))),
            e.amount_usd,
            e.valuation_usd,
            e.lead_investors,
            e.article_count,
            e.sources,
            e.first_seen_at,
        )
        for e in events
    ]
    print(render(HEADERS if table else DATA_HEADERS, rows, args.format))
    return 0
