"""Helpers shared by the alert tests and the alert command tests (tests/alerts, tests/cli):
secrets, events with their outbox rows, and the `receiver` and `secrets_env` fixtures (the
conftests of both folders import them). Importable by subprocess workers too."""

from __future__ import annotations

import base64
import os
from collections.abc import Iterator, Sequence
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select, update
from sqlalchemy.orm import Session, sessionmaker

from fundwatch.storage import Article, FundingEvent
from fundwatch.storage.models import AlertAttempt, AlertOutbox
from fundwatch.storage.outbox import enqueue_alerts
from fundwatch.storage.timeutil import utcnow
from harness.alert_receivers import WebhookReceiver

WEBHOOK_SECRET = "whsec_" + base64.b64encode(b"fundwatch-test-secret-32-bytes!!").decode()
SMTP_PASSWORD = "smtp-pa55word-never-logged"


def add_event(
    sessions: sessionmaker[Session],
    channels: Sequence[Any],
    *,
    company: str = "HeyGen",
    round_: str | None = "A",
    amount_usd: float | None = 60_000_000,
    leads: Sequence[str] = ("Benchmark",),
    articles: Sequence[dict[str, Any]] = (),
) -> int:
    """Insert a funding event (+ articles) and enqueue its alerts in one transaction."""
    with sessions.begin() as session:
        event = FundingEvent(
            company_key=company.casefold()[:200],
            company=company[:200],
            round=round_,
            amount=amount_usd,
            currency="USD",
            amount_usd=amount_usd,
            investors=[*leads, "Conviction"],
            lead_investors=list(leads),
            sources=["example_news"],
            article_count=max(len(articles), 1),
        )
        session.add(event)
        session.flush()
        for index, fields in enumerate(
            articles or [{"title": f"{company} raises money", "language": "en"}]
        ):
            session.add(
                Article(
                    url_key=f"{event.id}-{index}-{company[:20]}",
                    url=fields.get("url", f"https://news.example.com/{event.id}/{index}"),
                    source=fields.get("source", "example_news"),
                    title=fields.get("title", "t"),
                    body=fields.get("body", ""),
                    language=fields.get("language", "en"),
                    event_id=event.id,
                )
            )
        session.flush()
        enqueue_alerts(session, event, channels)
        return event.id


def write_channels(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path


def outbox_rows(sessions: sessionmaker[Session]) -> list[AlertOutbox]:
    """Every outbox row, in insertion order."""
    with sessions() as session:
        return list(session.scalars(select(AlertOutbox).order_by(AlertOutbox.id)))


def outbox_attempts(sessions: sessionmaker[Session]) -> list[AlertAttempt]:
    """Every recorded delivery attempt, in order."""
    with sessions() as session:
        return list(session.scalars(select(AlertAttempt).order_by(AlertAttempt.id)))


def make_due(sessions: sessionmaker[Session]) -> None:
    """Move every pending row's next attempt to now (instead of sleeping through the backoff)."""
    with sessions.begin() as session:
        session.execute(
            update(AlertOutbox)
            .where(AlertOutbox.status == "pending")
            .values(next_attempt_at=utcnow() - timedelta(seconds=1))
        )


@pytest.fixture
def receiver() -> Iterator[WebhookReceiver]:
    server = WebhookReceiver()
    server.start()
    yield server
    server.release.set()
    server.stop()


@pytest.fixture
def secrets_env(monkeypatch: pytest.MonkeyPatch) -> dict[str, str]:
    monkeypatch.setenv("FW_WEBHOOK_SECRET", WEBHOOK_SECRET)
    monkeypatch.setenv("FW_SMTP_PASSWORD", SMTP_PASSWORD)
    return dict(os.environ)
