"""Idempotent article writes: INSERT ... ON CONFLICT DO NOTHING keyed on the canonical URL."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import Session

from fundwatch.storage.canonical import canonicalize_url, url_key
from fundwatch.storage.models import Article
from fundwatch.storage.text import clean_optional, clean_text
from fundwatch.storage.timeutil import utcnow

TITLE_LIMIT = 1_000
BODY_LIMIT = 1_000_000
SHORT_LIMIT = 200


@dataclass
class ArticleRecord:
    """An article as the crawler hands it to storage (detection fields optional)."""

    url: str
    source: str
    title: str = ""
    body: str = ""
    author: str | None = None
    breadcrumb: str | None = None
    origin_url: str | None = None
    origin_name: str | None = None
    outlet: str | None = None
    language: str | None = None
    published_at: datetime | None = None
    fetched_at: datetime | None = None
    detection: dict[str, Any] = field(default_factory=dict)


DETECTION_COLUMNS = (
    "flag",
    "is_funding",
    "is_ai_video",
    "score",
    "company",
    "company_key",
    "amount",
    "currency",
    "amount_usd",
    "amount_approximate",
    "amount_low",
    "amount_high",
    "round",
    "valuation_usd",
    "investors",
    "lead_investors",
    "matched",
)


def article_values(record: ArticleRecord) -> dict[str, Any]:
    """Column values for a record: canonical URL, key, and cleaned text."""
    canonical = canonicalize_url(record.url)
    values: dict[str, Any] = {
        "url_key": url_key(canonical),
        "url": canonical,
        "source": clean_text(record.source, 100),
        "title": clean_text(record.title, TITLE_LIMIT),
        "body": clean_text(record.body, BODY_LIMIT),
        "author": clean_optional(record.author, 300),
        "breadcrumb": clean_optional(record.breadcrumb, 500),
        "origin_url": clean_optional(record.origin_url, 4000),
        "origin_name": clean_optional(record.origin_name, 300),
        "outlet": clean_optional(record.outlet, 300),
        "language": clean_optional(record.language, 16),
        "published_at": record.published_at,
        "fetched_at": record.fetched_at or utcnow(),
        "investors": [],
        "lead_investors": [],
        "matched": [],
    }
    values.update(detection_values(record.detection))
    return values


def detection_values(detection: Mapping[str, Any]) -> dict[str, Any]:
    """The article columns a detection dict sets, cleaned (fields it lacks are left out)."""
    values: dict[str, Any] = {}
    for column in DETECTION_COLUMNS:
        if column in detection:
            value = detection[column]
            if isinstance(value, str):
                value = clean_text(value, SHORT_LIMIT)
            elif isinstance(value, list):
                value = [clean_text(str(item), SHORT_LIMIT) for item in value]
            values[column] = value
    return values


_ARTICLES = Article.__table__
_INSERT_IGNORING_KNOWN_URL = {
    name: insert(_ARTICLES)
    .on_conflict_do_nothing(index_elements=["url_key"])
    .returning(_ARTICLES.c.id)
    for name, insert in (("postgresql", pg_insert), ("sqlite", sqlite_insert))
}


def insert_values(session: Session, values: dict[str, Any]) -> int | None:
    """Insert prepared column values (see article_values) unless the URL key is stored already;
    return the new id or None. The statement is built once, so SQLAlchemy's compiled cache
    serves every call, and runs on the session's connection (Core: no ORM overhead)."""
    statement = _INSERT_IGNORING_KNOWN_URL[session.get_bind().dialect.name]
    return session.connection().execute(statement, values).scalar_one_or_none()


def insert_article(session: Session, record: ArticleRecord, **extra: Any) -> int | None:
    """Insert unless the canonical URL is stored already; return the new id or None.

    `extra` sets further columns (content hash, fingerprint, duplicate_of, event_id).
    """
    return insert_values(session, article_values(record) | extra)


def stored_url_keys(session: Session, keys: list[str]) -> set[str]:
    """Which of these URL keys are stored already (for incremental crawling)."""
    if not keys:
        return set()
    found: set[str] = set()
    for start in range(0, len(keys), 500):
        chunk = keys[start : start + 500]
        found.update(session.scalars(select(Article.url_key).where(Article.url_key.in_(chunk))))
    return found
