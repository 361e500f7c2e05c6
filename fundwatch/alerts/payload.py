"""The alert payload: an event's current state and its articles, as plain text, ≤ 20 KB."""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from fundwatch.alerts.render import plain_text, safe_url
from fundwatch.storage.models import Article, FundingEvent
from fundwatch.storage.outlets import article_outlet
from fundwatch.storage.timeutil import as_utc, utcnow

MAX_BODY_BYTES = 20_000
MAX_ARTICLES = 50
TITLE_LIMIT = 300
NAME_LIMIT = 120


def _iso(value: datetime | None) -> str | None:
    value = as_utc(value)
    return value.isoformat().replace("+00:00", "Z") if value else None


def _names(values: Any, limit: int = 30) -> list[str]:
    names = [plain_text(v, NAME_LIMIT) for v in (values or [])[:limit]]
    return [name for name in names if name]


def outlets(articles: list[Article]) -> list[str]:
    """Every outlet that reported the event, in order of first report."""
    return list(dict.fromkeys(filter(None, map(article_outlet, articles))))


def event_data(event: FundingEvent, articles: list[Article]) -> dict[str, Any]:
    """The `data` object of a payload: plain text only (crawled markup is stripped)."""
    return {
        "event_id": event.id,
        "revision": event.revision,
        "company": plain_text(event.company, NAME_LIMIT),
        "company_key": plain_text(event.company_key, NAME_LIMIT),
        "round": event.round,
        "amount": event.amount,
        "currency": event.currency,
        "amount_usd": event.amount_usd,
        "amount_approximate": bool(event.amount_approximate),
        "amount_low": event.amount_low,
        "amount_high": event.amount_high,
        "valuation_usd": event.valuation_usd,
        "investors": _names(event.investors),
        "lead_investors": _names(event.lead_investors),
        "first_seen": _iso(event.first_seen_at),
        "announced": _iso(event.announced_at),
        "outlets": outlets(articles)[:MAX_ARTICLES],
        "articles_total": len(articles),
        "articles": [
            {
                "title": plain_text(article.title, TITLE_LIMIT),
                "url": safe_url(article.url),
                "origin_url": safe_url(article.origin_url),
                "outlet": article_outlet(article),
                "source": plain_text(article.source, NAME_LIMIT),
                "copy_of_earlier_article": article.duplicate_of is not None,
                "published": _iso(article.published_at),
                "language": article.language,
            }
            for article in articles[:MAX_ARTICLES]
        ],
    }


def event_articles(session: Session, event_id: int) -> list[Article]:
    statement = (
        select(Article)
        .where(Article.event_id == event_id)
        .order_by(Article.published_at.is_(None), Article.published_at, Article.id)
    )
    return list(session.scalars(statement))


def build_payload(session: Session, event_id: int, *, revision: int = 0) -> dict[str, Any] | None:
    """The webhook/email payload from the event's state now; None if the event is gone."""
    event = session.get(FundingEvent, event_id)
    if event is None:
        return None
    payload = {
        "type": "funding_event.updated" if revision else "funding_event.created",
        "timestamp": _iso(utcnow()),
        "data": event_data(event, event_articles(session, event_id)),
    }
    return fit(payload)


def sample_payload(language: str = "en") -> dict[str, Any]:
    """The made-up event a test alert sends (`fundwatch test-alert`, the dashboard's button);
    `language` is its article's, which channels with `language: auto` follow."""
    now = _iso(utcnow())
    return {
        "type": "funding_event.test",
        "timestamp": now,
        "data": {
            "event_id": 0,
            "revision": 0,
            "company": "Example Video AI",
            "company_key": "example-video-ai",
            "round": "A",
            "amount": 60_000_000.0,
            "currency": "USD",
            "amount_usd": 60_000_000.0,
            "amount_approximate": False,
            "valuation_usd": None,
            "investors": ["Example Capital", "Sample Ventures"],
            "lead_investors": ["Example Capital"],
            "first_seen": now,
            "announced": None,
            "articles_total": 1,
            "articles": [
                {
                    "title": "This is a fundwatch test alert",
                    "outlet": "example.com",
                    "url": "https://example.com/fundwatch-test",
                    "source": "fundwatch",
                    "published": now,
                    "language": language,
                }
            ],
        },
    }


def encode(payload: dict[str, Any]) -> bytes:
    return json.dumps(payload, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


def fit(payload: dict[str, Any], limit: int = MAX_BODY_BYTES) -> dict[str, Any]:
    """Shrink the payload until its JSON body is at most `limit` bytes.

    Drops articles from the end first (articles_total keeps the real count), then shortens
    titles and investor lists.
    """
    data = payload["data"]
    if len(encode(payload)) <= limit:
        return payload
    data["truncated"] = True
    while data["articles"] and len(encode(payload)) > limit:
        data["articles"].pop()
    for key, keep in (("investors", 10), ("lead_investors", 5)):
        if len(encode(payload)) > limit:
            data[key] = data[key][:keep]
    for field, size in (("company", 60), ("company_key", 60)):
        if len(encode(payload)) > limit:
            data[field] = plain_text(data[field], size)
    if len(encode(payload)) > limit:
        data["investors"] = []
    return payload
