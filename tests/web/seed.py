"""A small, known set of funding events, articles and alert deliveries, written with the real
models into a real database (SQLite or PostgreSQL), including hostile crawled text."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from sqlalchemy.orm import Session

from fundwatch.storage.models import AlertAttempt, AlertOutbox, Article, FundingEvent

T0 = datetime(2026, 3, 1, 9, 0, tzinfo=UTC)
SCRIPT_TITLE = "<script>alert('xss')</script> raises money"
IMG_TITLE = '"><img src=x onerror=alert(1)> AI video round'
FORMULA_INVESTOR = '=HYPERLINK("http://evil.example","click")'


@dataclass
class Seeded:
    events: dict[str, int]
    articles: dict[str, int]
    failed_alert: int
    sent_alert: int


def _article(key: str, **values: object) -> Article:
    defaults: dict[str, object] = {
        "url_key": key,
        "url": f"https://news.example/{key}",
        "source": "wire_en",
        "title": key,
        "body": f"Body of {key}.",
        "language": "en",
        "fetched_at": T0,
        "flag": True,
        "is_funding": True,
        "is_ai_video": True,
        "score": 0.9,
        "matched": ["funding:raises", "ai_video:ai video"],
    }
    defaults.update(values)
    return Article(**defaults)


def seed(session: Session) -> Seeded:
    lumo = FundingEvent(
        company_key="lumora",
        company="Lumora",
        round="A",
        amount=30e6,
        currency="USD",
        amount_usd=30e6,
        investors=["北岬资本", "Tidewater Partners"],
        lead_investors=["北岬资本"],
        sources=["wire_en", "site_zh"],
        article_count=3,
        first_seen_at=T0 + timedelta(days=2),
        last_seen_at=T0 + timedelta(days=2, hours=3),
    )
    shuying = FundingEvent(
        company_key="数影智能",
        company="数影智能",
        round="B",
        amount=200e6,
        currency="CNY",
        amount_usd=27.5e6,
        investors=["北辰资本", "云杉资本"],
        lead_investors=["北辰资本"],
        sources=["site_zh"],
        article_count=1,
        first_seen_at=T0 + timedelta(days=1),
        last_seen_at=T0 + timedelta(days=1),
    )
    hostile = FundingEvent(
        company_key="evil",
        company="<script>alert('company')</script>",
        round="seed",
        amount=5e6,
        currency="USD",
        amount_usd=5e6,
        amount_approximate=True,
        investors=[FORMULA_INVESTOR],
        lead_investors=[],
        sources=["wire_en"],
        article_count=2,
        first_seen_at=T0,
        last_seen_at=T0,
    )
    session.add_all([lumo, shuying, hostile])
    session.flush()
    articles = {
        "lumora-en": _article(
            "lumora-en",
            title="Lumora raises $30 million Series A for AI video",
            company="Lumora",
            round="A",
            amount=30e6,
            currency="USD",
            event_id=lumo.id,
            fetched_at=lumo.first_seen_at,
        ),
        "lumora-zh": _article(
            "lumora-zh",
            source="site_zh",
            language="zh",
            title="视频生成公司Lumora获3000万美元A轮融资",
            company="Lumora",
            event_id=lumo.id,
            fetched_at=lumo.first_seen_at + timedelta(hours=2),
        ),
        "shuying": _article(
            "shuying",
            source="site_zh",
            language="zh",
            title="数字人视频公司数影智能完成2亿元B轮融资",
            company="数影智能",
            event_id=shuying.id,
            fetched_at=shuying.first_seen_at,
        ),
        "script": _article(
            "script",
            title=SCRIPT_TITLE,
            url="javascript:alert('href')",
            event_id=hostile.id,
            fetched_at=hostile.first_seen_at,
            body="<b>not bold</b> & <i>not italic</i>",
        ),
        "img": _article(
            "img", title=IMG_TITLE, event_id=hostile.id, fetched_at=hostile.first_seen_at
        ),
        "unflagged": _article(
            "unflagged",
            title="Why AI video still costs more than you think",
            flag=False,
            is_funding=False,
            matched=["ai_video:ai video"],
            fetched_at=T0 + timedelta(days=3),
        ),
    }
    session.add_all(articles.values())
    session.flush()
    articles["lumora-zh"].duplicate_of = articles["lumora-en"].id
    sent = AlertOutbox(
        event_id=lumo.id,
        channel="team-webhook",
        revision=0,
        message_id=f"fw-{lumo.id}-0-team-webhook",
        payload={},
        status="sent",
        attempts=1,
        created_at=lumo.first_seen_at,
        sent_at=lumo.first_seen_at + timedelta(seconds=2),
    )
    failed = AlertOutbox(
        event_id=shuying.id,
        channel="team-webhook",
        revision=0,
        message_id=f"fw-{shuying.id}-0-team-webhook",
        payload={},
        status="failed",
        attempts=8,
        last_error="HTTP 503 from the receiver",
        created_at=shuying.first_seen_at,
    )
    session.add_all([sent, failed])
    session.flush()
    session.add_all(
        [
            AlertAttempt(outbox_id=sent.id, outcome="sent", status_code=200, duration_ms=12.0),
            AlertAttempt(outbox_id=failed.id, outcome="retry", status_code=503, error="HTTP 503"),
        ]
    )
    session.flush()
    return Seeded(
        events={"lumora": lumo.id, "shuying": shuying.id, "hostile": hostile.id},
        articles={key: a.id for key, a in articles.items()},
        failed_alert=failed.id,
        sent_alert=sent.id,
    )
