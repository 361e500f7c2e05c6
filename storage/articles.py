"""Idempotent article writes: INSERT ... ON CONFLICT DO NOTHING keyed on the canonical URL."""

from __future__ import annotations

from dataclasses import fields
from typing import Any

from sqlalchemy import String, select
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import Session

from fundwatch.records import Article, Detection
from fundwatch.storage import models
from fundwatch.storage.canonical import canonicalize_url, url_key
from fundwatch.storage.text import clean_optional, clean_text
from fundwatch.storage.timeutil import utcnow

TITLE_LIMIT = 1_000
BODY_LIMIT = 1_000_000
ORIGIN_URL_LIMIT = 4_000
SHORT_LIMIT = 200  # a detection's strings (company, round, investor names, matched terms)

_ARTICLES = models.Article.__table__
# Text columns without a length of their own are cut here; the others to their length.
_TEXT_LIMITS = {"title": TITLE_LIMIT, "body": BODY_LIMIT, "origin_url": ORIGIN_URL_LIMIT}

# The columns an `Article`'s own fields fill (its URL is stored canonical, with its key)...
ARTICLE_COLUMNS: tuple[str, ...] = tuple(
    f.name for f in fields(Article) if f.name not in ("url", "detection")
)
# ...and the ones its detection fills: every field of `Detection` with a column of its name
# (the investor key lists have none: events keep them, see storage/event_rules.py).
DETECTION_COLUMNS: tuple[str, ...] = tuple(
    f.name for f in fields(Detection) if f.name in _ARTICLES.c
)
NOT_DETECTED = Detection()


def _text_cleaners() -> dict[str, tuple[bool, int | None]]:
    """Article text column -> (may be NULL, the length it is cut to)."""
    out = {}
    for name in ARTICLE_COLUMNS:
        column = _ARTICLES.c[name]
        if isinstance(column.type, String):  # Text is a String too
            out[name] = (column.nullable, _TEXT_LIMITS.get(name, column.type.length))
    return out


_TEXT_COLUMNS = _text_cleaners()


def article_values(article: Article) -> dict[str, Any]:
    """Column values for an article: canonical URL, key, cleaned text, and its detection."""
    canonical = canonicalize_url(article.url)
    values: dict[str, Any] = {"url_key": url_key(canonical), "url": canonical}
    for name in ARTICLE_COLUMNS:
        value = getattr(article, name)
        if name in _TEXT_COLUMNS:
            nullable, limit = _TEXT_COLUMNS[name]
            value = clean_optional(value, limit) if nullable else clean_text(value, limit)
        values[name] = value
    if values["fetched_at"] is None:
        values["fetched_at"] = utcnow()
    values.update(detection_values(article.detection or NOT_DETECTED))
    return values


def detection_values(detection: Detection) -> dict[str, Any]:
    """The article columns a detection sets, cleaned."""
    values: dict[str, Any] = {}
    for column in DETECTION_COLUMNS:
        value = getattr(detection, column)
        if isinstance(value, str):
            value = clean_text(value, SHORT_LIMIT)
        elif isinstance(value, list):
            value = [clean_text(str(item), SHORT_LIMIT) for item in value]
        values[column] = value
    return values


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


def insert_article(session: Session, article: Article, **extra: Any) -> int | None:
    """Insert unless the canonical URL is stored already; return the new id or None.

    `extra` sets further columns (content hash, fingerprint, duplicate_of, event_id).
    """
    return insert_values(session, article_values(article) | extra)


def stored_url_keys(session: Session, keys: list[str]) -> set[str]:
    """Which of these URL keys are stored already (for incremental crawling)."""
    if not keys:
        return set()
    found: set[str] = set()
    for start in range(0, len(keys), 500):
        chunk = keys[start : start + 500]
        found.update(
            session.scalars(select(models.Article.url_key).where(models.Article.url_key.in_(chunk)))
        )
    return found
