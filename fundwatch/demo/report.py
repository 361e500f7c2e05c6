"""What the demo stored: counts while it crawls, and the funding events it found."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from urllib.parse import urlsplit

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from fundwatch.storage.models import AlertOutbox, Article, FundingEvent
from fundwatch.storage.outlets import article_outlet


@dataclass(frozen=True)
class Counts:
    articles: int
    flagged: int
    duplicates: int
    events: int
    alerts_pending: int
    alerts_sent: int


@dataclass(frozen=True)
class EventRow:
    id: int
    company: str
    company_key: str
    round: str | None
    amount: float | None
    currency: str | None
    amount_usd: float | None
    lead_investors: list[str]
    investors: list[str]
    articles: int
    outlets: list[str]
    languages: list[str]


def _demo_event_ids(sources: Sequence[str]):  # type: ignore[no-untyped-def]
    return (
        select(Article.event_id)
        .where(Article.source.in_(sources), Article.event_id.is_not(None))
        .distinct()
    )


def counts(session: Session, sources: Sequence[str], channel: str) -> Counts:
    in_demo = Article.source.in_(sources)
    articles = session.scalar(select(func.count()).where(in_demo)) or 0
    flagged = session.scalar(select(func.count()).where(in_demo, Article.flag.is_(True))) or 0
    duplicates = (
        session.scalar(select(func.count()).where(in_demo, Article.duplicate_of.is_not(None))) or 0
    )
    event_ids = _demo_event_ids(sources)
    events = session.scalar(select(func.count()).select_from(event_ids.subquery())) or 0
    by_status = dict(
        session.execute(
            select(AlertOutbox.status, func.count())
            .where(AlertOutbox.channel == channel, AlertOutbox.event_id.in_(event_ids))
            .group_by(AlertOutbox.status)
        ).all()
    )
    return Counts(
        articles=articles,
        flagged=flagged,
        duplicates=duplicates,
        events=events,
        alerts_pending=sum(n for status, n in by_status.items() if status != "sent"),
        alerts_sent=by_status.get("sent", 0),
    )


def demo_events(session: Session, sources: Sequence[str]) -> list[EventRow]:
    """Funding events reported by the demo's sources, oldest first."""
    events = session.scalars(
        select(FundingEvent)
        .where(FundingEvent.id.in_(_demo_event_ids(sources)))
        .order_by(FundingEvent.first_seen_at, FundingEvent.id)
    ).all()
    rows = []
    for event in events:
        articles = session.scalars(select(Article).where(Article.event_id == event.id)).all()
        rows.append(
            EventRow(
                id=event.id,
                company=event.company,
                company_key=event.company_key,
                round=event.round,
                amount=event.amount,
                currency=event.currency,
                amount_usd=event.amount_usd,
                lead_investors=list(event.lead_investors or []),
                investors=list(event.investors or []),
                articles=len(articles),
                outlets=sorted({article_outlet(a) for a in articles}),
                languages=sorted({a.language for a in articles if a.language}),
            )
        )
    return rows


def money(amount: float | None, currency: str | None) -> str:
    """30000000, USD -> 'USD 30M'; 80000000, CNY -> 'CNY 80M'."""
    if amount is None:
        return "undisclosed"
    for size, suffix in ((1e9, "B"), (1e6, "M"), (1e3, "K")):
        if abs(amount) >= size:
            figure = f"{amount / size:.1f}".removesuffix(".0")
            return f"{currency or ''} {figure}{suffix}".strip()
    return f"{currency or ''} {amount:,.0f}".strip()


EVENT_HEADERS = ("company", "round", "amount", "USD", "lead investors", "#outlets", "#articles")


def event_table_rows(events: Sequence[EventRow]) -> list[tuple[object, ...]]:
    return [
        (
            event.company,
            event.round or "-",
            money(event.amount, event.currency),
            "$" + money(event.amount_usd, None) if event.amount_usd is not None else "-",
            ", ".join(event.lead_investors) or "-",
            len(event.outlets),
            event.articles,
        )
        for event in events
    ]


def earlier_demo_port(session: Session, sources: Sequence[str]) -> int | None:
    """The port the demo site had in an earlier run on this database: serving it there again
    keeps the article URLs, so a re-run adds nothing."""
    url = session.scalar(select(Article.url).where(Article.source.in_(sources)).limit(1))
    return urlsplit(url).port if url else None
