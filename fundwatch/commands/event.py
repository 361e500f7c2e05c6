"""`fundwatch event N`: one funding event in full: its facts, every outlet with the time
fundwatch first saw it, each article, and the alert deliveries per channel.

The outlet of an article is its origin when it reposts another outlet ("来源：36氪"), else its
site; an outlet whose articles are all copies of an earlier article is marked "copy". JSON is one
object; CSV has one row per line of the report, its `section` column saying which (event,
outlet, article, alert). Times in JSON and CSV are ISO 8601 with their offset; the table shows
them in FUNDWATCH_TIMEZONE (else the machine's zone) and says which.
"""

from __future__ import annotations

import argparse
import csv
import io
import json
import sys
from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING, Any

from fundwatch.tables import FORMATS, display_zone, render_table, zone_label

if TYPE_CHECKING:
    from fundwatch.storage.models import AlertOutbox, FundingEvent
    from fundwatch.storage.models import Article as ArticleRow


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "event",
        help="show one funding event: facts, outlets, articles and alert deliveries",
        description=__doc__,
    )
    parser.add_argument("id", type=int, metavar="N", help="event id (see `fundwatch events`)")
    parser.add_argument("--format", choices=FORMATS, default="table")
    parser.set_defaults(func=run)


@dataclass
class Outlet:
    name: str
    first_seen: datetime
    articles: list[int] = field(default_factory=list)
    copies: int = 0

    @property
    def copy(self) -> bool:
        """Every article of this outlet repeats an earlier one."""
        return self.copies == len(self.articles)


def outlets_of(articles: list[ArticleRow]) -> list[Outlet]:
    """The event's outlets, earliest first seen first (storage.outlets names them)."""
    from fundwatch.storage.outlets import article_outlet
    from fundwatch.storage.timeutil import as_utc

    found: dict[str, Outlet] = {}
    for article in articles:
        name = article_outlet(article)
        seen = as_utc(article.fetched_at)
        outlet = found.setdefault(name, Outlet(name, seen))
        outlet.first_seen = min(outlet.first_seen, seen)
        outlet.articles.append(article.id)
        outlet.copies += article.duplicate_of is not None
    return sorted(found.values(), key=lambda o: (o.first_seen, o.name))


def investors_marked(event: FundingEvent) -> list[dict[str, Any]]:
    leads = set(event.lead_investors or [])
    names = list(dict.fromkeys([*(event.lead_investors or []), *(event.investors or [])]))
    return [{"name": name, "lead": name in leads} for name in names]


def run(args: argparse.Namespace) -> int:
    from sqlalchemy import select

    from fundwatch.context import AppContext
    from fundwatch.storage.models import AlertAttempt, AlertOutbox, Article, FundingEvent

    app = AppContext(existing=True)
    with app.sessions() as session:
        event = session.get(FundingEvent, args.id)
        if event is None:
            print(f"fundwatch event: no event {args.id} (see `fundwatch events`)", file=sys.stderr)
            return 1
        articles = list(
            session.scalars(
                select(Article)
                .where(Article.event_id == event.id)
                .order_by(Article.fetched_at, Article.id)
            )
        )
        alerts = list(
            session.scalars(
                select(AlertOutbox)
                .where(AlertOutbox.event_id == event.id)
                .order_by(AlertOutbox.channel, AlertOutbox.revision, AlertOutbox.id)
            )
        )
        last_try: dict[int, datetime] = {}
        if alerts:
            for outbox_id, at in session.execute(
                select(AlertAttempt.outbox_id, AlertAttempt.attempted_at).where(
                    AlertAttempt.outbox_id.in_([a.id for a in alerts])
                )
            ):
                last_try[outbox_id] = max(at, last_try.get(outbox_id, at))
        report = Report(event, articles, alerts, last_try)
    if args.format == "json":
        print(json.dumps(report.as_json(), ensure_ascii=False))
    elif args.format == "csv":
        print(report.as_csv())
    else:
        print(report.as_table())
    return 0


def _iso(value: datetime | None) -> str | None:
    from fundwatch.storage.timeutil import as_utc

    return as_utc(value).isoformat() if value is not None else None


@dataclass
class Report:
    event: FundingEvent
    articles: list[ArticleRow]
    alerts: list[AlertOutbox]
    last_try: dict[int, datetime]

    def __post_init__(self) -> None:
        self.outlets = outlets_of(self.articles)

    def facts(self) -> dict[str, Any]:
        from fundwatch.commands.events import shown_amount

        e = self.event
        return {
            "id": e.id,
            "company": e.company,
            "round": e.round,
            "amount": e.amount,
            "shown_amount": shown_amount(e),
            "currency": e.currency,
            "amount_low": e.amount_low,
            "amount_high": e.amount_high,
            "amount_approximate": bool(e.amount_approximate),
            "amount_usd": e.amount_usd,
            "valuation_usd": e.valuation_usd,
            "investors": investors_marked(e),
            "announced": _iso(e.announced_at),
            "first_seen": _iso(e.first_seen_at),
            "last_seen": _iso(e.last_seen_at),
            "revision": e.revision,
            "withdrawn": _iso(e.withdrawn_at),
        }

    def outlet_records(self) -> list[dict[str, Any]]:
        return [
            {
                "outlet": o.name,
                "first_seen": _iso(o.first_seen),
                "articles": o.articles,
                "copy": o.copy,
            }
            for o in self.outlets
        ]

    def article_records(self) -> list[dict[str, Any]]:
        return [
            {
                "id": a.id,
                "title": a.title,
                "url": a.url,
                "source": a.source,
                "outlet": a.outlet or a.source,
                "published": _iso(a.published_at),
                "fetched": _iso(a.fetched_at),
                "copy_of": a.duplicate_of,
            }
            for a in self.articles
        ]

    def alert_records(self) -> list[dict[str, Any]]:
        return [
            {
                "id": a.id,
                "channel": a.channel,
                "revision": a.revision,
                "status": a.status,
                "attempts": a.attempts,
                "last_attempt": _iso(self.last_try.get(a.id)),
                "sent_at": _iso(a.sent_at),
                "next_attempt": _iso(a.next_attempt_at) if a.status == "pending" else None,
                "last_error": a.last_error,
            }
            for a in self.alerts
        ]

    def as_json(self) -> dict[str, Any]:
        facts = self.facts()
        del facts["shown_amount"]
        return {
            **facts,
            "outlets": self.outlet_records(),
            "articles": self.article_records(),
            "alerts": self.alert_records(),
        }

    def as_csv(self) -> str:
        facts = self.facts()
        del facts["shown_amount"]
        facts["investors"] = "; ".join(
            i["name"] + (" (lead)" if i["lead"] else "") for i in facts["investors"]
        )
        sections: list[tuple[str, list[dict[str, Any]]]] = [
            ("event", [facts]),
            ("outlet", self.outlet_records()),
            ("article", self.article_records()),
            ("alert", self.alert_records()),
        ]
        headers = ["section"]
        for _, records in sections:
            for record in records:
                headers.extend(k for k in record if k not in headers)
        buffer = io.StringIO()
        writer = csv.DictWriter(buffer, fieldnames=headers)
        writer.writeheader()
        for name, records in sections:
            for record in records:
                writer.writerow({"section": name, **_csv_cells(record)})
        return buffer.getvalue().rstrip("\n")

    def as_table(self) -> str:
        zone = display_zone()
        label = zone_label(zone)
        facts = self.facts()

        def local(value: datetime | None) -> str:
            from fundwatch.storage.timeutil import as_utc

            if value is None:
                return "-"
            return as_utc(value).astimezone(zone).strftime("%Y-%m-%d %H:%M")

        e = self.event
        amount = facts["shown_amount"]
        shown = "-" if amount is None else amount if isinstance(amount, str) else _figure(amount)
        usd = f" (USD {_figure(e.amount_usd)})" if e.amount_usd is not None else ""
        investors = ", ".join(
            i["name"] + (" (lead)" if i["lead"] else "") for i in facts["investors"]
        )
        lines = [
            f"event {e.id}: {e.company} {e.round or '(round not stated)'}"
            + (f"  [withdrawn {local(e.withdrawn_at)}]" if e.withdrawn_at else ""),
            f"  amount:     {shown} {e.currency or ''}{usd}".rstrip(),
            "  valuation:  "
            + (f"USD {_figure(e.valuation_usd)}" if e.valuation_usd is not None else "-"),
            f"  investors:  {investors or '-'}",
            f"  announced:  {local(e.announced_at)} ({label})",
            f"  first seen: {local(e.first_seen_at)} ({label})",
            "",
            f"outlets ({len(self.outlets)}):",
        ]
        outlet_rows = [
            (
                o.name,
                o.first_seen,
                ", ".join(f"#{i}" for i in o.articles),
                "copy" if o.copy else "",
            )
            for o in self.outlets
        ]
        lines.append(_indent(render_table(("outlet", "first_seen", "articles", ""), outlet_rows)))
        lines += ["", f"articles ({len(self.articles)}):"]
        article_rows = [
            (
                f"#{a.id}",
                a.title,
                a.source,
                a.outlet or a.source,
                a.published_at,
                a.fetched_at,
                f"copy of #{a.duplicate_of}" if a.duplicate_of else "",
                a.url,
            )
            for a in self.articles
        ]
        headers = ("id", "title", "source", "outlet", "published", "fetched", "", "url")
        lines.append(_indent(render_table(headers, article_rows, max_width=60)))
        lines += ["", f"alerts ({len(self.alerts)}):"]
        if self.alerts:
            alert_rows = [
                (
                    a.channel,
                    a.revision,
                    a.status,
                    a.attempts,
                    self.last_try.get(a.id),
                    a.sent_at,
                    (a.last_error or "")[:60] or None,
                )
                for a in self.alerts
            ]
            headers = ("channel", "rev", "status", "attempts", "last_attempt", "sent_at", "error")
            lines.append(_indent(render_table(headers, alert_rows)))
        else:
            lines.append("  none queued (no channel accepted the event, or none configured)")
        return "\n".join(lines)


def _figure(value: float) -> str:
    return f"{value:,.0f}" if abs(value) >= 1000 else f"{value:g}"


def _indent(text: str) -> str:
    return "\n".join("  " + line for line in text.splitlines())


def _csv_cells(row: dict[str, Any]) -> dict[str, Any]:
    return {
        key: ", ".join(str(v) for v in value) if isinstance(value, list) else value
        for key, value in row.items()
    }
