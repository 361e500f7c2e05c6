"""`fundwatch events`: funding events (one per real-world round), newest first.

A vague amount (数千万元, "eight figures") is shown as its range, marked approximate ("~"); JSON
and CSV carry `amount_low`, `amount_high` and `amount_approximate` as fields. Events withdrawn
by `fundwatch redetect` (no article reports them any more) are listed only with --withdrawn.
"""

from __future__ import annotations

import argparse
from datetime import datetime
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
    "outlets",
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
        outlets = outlets_by_event(session, [e.id for e in events])
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
            [_outlet_cell(name, seen, args.format) for name, seen in outlets.get(e.id, [])],
            e.first_seen_at,
        )
        for e in events
    ]
    print(render(HEADERS if table else DATA_HEADERS, rows, args.format))
    return 0


def outlets_by_event(session: Any, event_ids: list[int]) -> dict[int, list[tuple[str, datetime]]]:
    """Every outlet of each event with the time fundwatch first saw it, earliest first (one
    rule for outlets: storage.outlets)."""
    from sqlalchemy import select

    from fundwatch.storage import Article
    from fundwatch.storage.outlets import article_outlet
    from fundwatch.storage.timeutil import as_utc

    if not event_ids:
        return {}
    query = select(
        Article.event_id,
        Article.outlet,
        Article.origin_name,
        Article.origin_url,
        Article.url,
        Article.source,
        Article.fetched_at,
    ).where(Article.event_id.in_(event_ids))
    first_seen: dict[int, dict[str, datetime]] = {}
    for row in session.execute(query):
        seen = as_utc(row.fetched_at)
        outlets = first_seen.setdefault(row.event_id, {})
        name = article_outlet(row)
        outlets[name] = min(outlets.get(name, seen), seen)
    return {
        event_id: sorted(outlets.items(), key=lambda pair: pair[1])
        for event_id, outlets in first_seen.items()
    }


def _outlet_cell(name: str, seen: datetime, fmt: str) -> Any:
    """JSON: {"outlet", "first_seen"}; CSV: "name (ISO time)"; table: "name (MM-DD HH:MM)"."""
    from fundwatch.tables import display_zone

    if fmt == "json":
        return {"outlet": name, "first_seen": seen.isoformat()}
    if fmt == "csv":
        return f"{name} ({seen.isoformat()})"
    return f"{name} ({seen.astimezone(display_zone()):%m-%d %H:%M})"
