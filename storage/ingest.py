"""Storing one crawled article: the single entry point the crawler pipeline calls.

First version: idempotent insert keyed on the canonical URL. Dedup (content hash, near-duplicate
fingerprint) and funding-event joining extend `ingest_article` without changing its signature.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

from sqlalchemy.orm import Session

from storage.articles import ArticleRecord, insert_article
from storage.outbox import AlertChannelSpec

IngestStatus = Literal["new", "seen_url", "exact_duplicate", "near_duplicate"]


@dataclass(frozen=True)
class IngestResult:
    article_id: int | None
    status: IngestStatus
    duplicate_of: int | None = None
    event_id: int | None = None
    event_created: bool = False
    event_changed: bool = False


def ingest_article(
    session: Session,
    record: ArticleRecord,
    *,
    alert_channels: Sequence[AlertChannelSpec] = (),
) -> IngestResult:
    """Store `record` in the caller's transaction; never stores the same URL twice."""
    article_id = insert_article(session, record)
    if article_id is None:
        return IngestResult(article_id=None, status="seen_url")
    return IngestResult(article_id=article_id, status="new")
