"""Tables of fundwatch (SQLAlchemy 2.x typed models).

Keep storage/migrations/versions in step with this file: tests compare the migrated schema
with these models.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

from fundwatch.storage.timeutil import utcnow


class Base(DeclarativeBase):
    type_annotation_map = {datetime: DateTime(timezone=True), dict[str, Any]: JSON}


class Article(Base):
    __tablename__ = "articles"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    url_key: Mapped[str] = mapped_column(String(64), unique=True)
    url: Mapped[str] = mapped_column(Text)
    source: Mapped[str] = mapped_column(String(100), index=True)
    title: Mapped[str] = mapped_column(Text, default="")
    body: Mapped[str] = mapped_column(Text, default="")
    author: Mapped[str | None] = mapped_column(String(300))
    breadcrumb: Mapped[str | None] = mapped_column(String(500))
    origin_url: Mapped[str | None] = mapped_column(Text)
    # the outlet that first published the story: the origin line's name or host when the
    # article is a repost ("来源：36氪"), else the site's host (crawler/outlets.py)
    origin_name: Mapped[str | None] = mapped_column(String(300))
    outlet: Mapped[str | None] = mapped_column(String(300))
    language: Mapped[str | None] = mapped_column(String(16))
    published_at: Mapped[datetime | None] = mapped_column()
    fetched_at: Mapped[datetime] = mapped_column(default=utcnow, index=True)
    content_hash: Mapped[str | None] = mapped_column(String(64), index=True)
    # Near-duplicate sketch (storage/fingerprints.py): 64-bit SimHash (signed) to verify a match,
    # eight 31-bit MinHash LSH bands, each indexed, to find candidates.
    simhash: Mapped[int | None] = mapped_column(BigInteger)
    lsh_band0: Mapped[int | None] = mapped_column(Integer, index=True)
    lsh_band1: Mapped[int | None] = mapped_column(Integer, index=True)
    lsh_band2: Mapped[int | None] = mapped_column(Integer, index=True)
    lsh_band3: Mapped[int | None] = mapped_column(Integer, index=True)
    lsh_band4: Mapped[int | None] = mapped_column(Integer, index=True)
    lsh_band5: Mapped[int | None] = mapped_column(Integer, index=True)
    lsh_band6: Mapped[int | None] = mapped_column(Integer, index=True)
    lsh_band7: Mapped[int | None] = mapped_column(Integer, index=True)
    duplicate_of: Mapped[int | None] = mapped_column(ForeignKey("articles.id"), index=True)
    flag: Mapped[bool] = mapped_column(Boolean, default=False, index=True)
    is_funding: Mapped[bool] = mapped_column(Boolean, default=False)
    is_ai_video: Mapped[bool] = mapped_column(Boolean, default=False)
    score: Mapped[float] = mapped_column(Float, default=0.0)
    company: Mapped[str | None] = mapped_column(String(200))
    company_key: Mapped[str | None] = mapped_column(String(200), index=True)
    amount: Mapped[float | None] = mapped_column(Float)
    currency: Mapped[str | None] = mapped_column(String(8))
    amount_usd: Mapped[float | None] = mapped_column(Float)
    amount_approximate: Mapped[bool] = mapped_column(Boolean, default=False)
    # a vague amount's range in `currency` (数千万元: 1e7..1e8), when the detector gives one
    amount_low: Mapped[float | None] = mapped_column(Float)
    amount_high: Mapped[float | None] = mapped_column(Float)
    round: Mapped[str | None] = mapped_column(String(32))
    valuation_usd: Mapped[float | None] = mapped_column(Float)
    investors: Mapped[list[str]] = mapped_column(JSON, default=list)
    lead_investors: Mapped[list[str]] = mapped_column(JSON, default=list)
    matched: Mapped[list[str]] = mapped_column(JSON, default=list)
    event_id: Mapped[int | None] = mapped_column(ForeignKey("funding_events.id"), index=True)


class FundingEvent(Base):
    """One real-world funding round, joined from every article that reports it."""

    __tablename__ = "funding_events"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    company_key: Mapped[str] = mapped_column(String(200), index=True)
    company: Mapped[str] = mapped_column(String(200))
    round: Mapped[str | None] = mapped_column(String(32))
    amount: Mapped[float | None] = mapped_column(Float)
    currency: Mapped[str | None] = mapped_column(String(8))
    amount_usd: Mapped[float | None] = mapped_column(Float)
    amount_approximate: Mapped[bool] = mapped_column(Boolean, default=False)
    amount_low: Mapped[float | None] = mapped_column(Float)
    amount_high: Mapped[float | None] = mapped_column(Float)
    valuation_usd: Mapped[float | None] = mapped_column(Float)
    investors: Mapped[list[str]] = mapped_column(JSON, default=list)
    lead_investors: Mapped[list[str]] = mapped_column(JSON, default=list)
    # investor key (from the detector's investor_keys) -> the display name listed above
    investor_keys: Mapped[dict[str, str]] = mapped_column(JSON, default=dict)
    sources: Mapped[list[str]] = mapped_column(JSON, default=list)
    article_count: Mapped[int] = mapped_column(Integer, default=0)
    revision: Mapped[int] = mapped_column(Integer, default=0)
    first_seen_at: Mapped[datetime] = mapped_column(default=utcnow, index=True)
    last_seen_at: Mapped[datetime] = mapped_column(default=utcnow)
    announced_at: Mapped[datetime | None] = mapped_column()
    # set by `fundwatch redetect` when no article reports this round any more; the row stays
    # because alerts about it were written
    withdrawn_at: Mapped[datetime | None] = mapped_column()


class CrawlRun(Base):
    __tablename__ = "crawl_runs"
    __table_args__ = (Index("ix_crawl_runs_source_started", "source", "started_at"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    source: Mapped[str] = mapped_column(String(100))
    started_at: Mapped[datetime] = mapped_column(default=utcnow)
    finished_at: Mapped[datetime | None] = mapped_column()
    status: Mapped[str] = mapped_column(String(16), default="running")
    pages: Mapped[int] = mapped_column(Integer, default=0)
    new: Mapped[int] = mapped_column(Integer, default=0)
    duplicates: Mapped[int] = mapped_column(Integer, default=0)
    flagged: Mapped[int] = mapped_column(Integer, default=0)
    errors: Mapped[int] = mapped_column(Integer, default=0)
    message: Mapped[str | None] = mapped_column(Text)
    pid: Mapped[int | None] = mapped_column(Integer)
    # what kept the run from being `ok`: listing/feed pages that failed, fetched articles not
    # stored, URLs still pending in the frontier at the end, and the first few reasons
    failed_pages: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    not_stored: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    pending: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    reasons: Mapped[list[str] | None] = mapped_column(JSON)


class UrlState(Base):
    """Conditional-GET state of listing pages and feeds."""

    __tablename__ = "url_state"

    url_key: Mapped[str] = mapped_column(String(64), primary_key=True)
    url: Mapped[str] = mapped_column(Text)
    source: Mapped[str] = mapped_column(String(100), index=True)
    etag: Mapped[str | None] = mapped_column(String(500))
    last_modified: Mapped[str | None] = mapped_column(String(100))
    last_status: Mapped[int | None] = mapped_column(Integer)
    last_fetched_at: Mapped[datetime | None] = mapped_column()
    retry_after_until: Mapped[datetime | None] = mapped_column()


class FrontierEntry(Base):
    """An article URL found on a listing, feed or sitemap and not stored yet (crawl frontier).

    Recorded `pending` before it is fetched; deleted in the transaction that stores the article
    (new or duplicate); `given_up` after too many failed attempts, with the last reason.
    """

    __tablename__ = "crawl_frontier"
    __table_args__ = (Index("ix_crawl_frontier_due", "source", "state", "next_attempt_at"),)

    url_key: Mapped[str] = mapped_column(String(64), primary_key=True)
    url: Mapped[str] = mapped_column(Text)
    source: Mapped[str] = mapped_column(String(100))
    found_on: Mapped[str | None] = mapped_column(Text)
    found_at: Mapped[datetime] = mapped_column(default=utcnow)
    # feed and sitemap entries: what the entry itself says (title, summary, time), so the
    # entry can be stored from the frontier without the feed
    hint: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    state: Mapped[str] = mapped_column(String(16), default="pending")
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    next_attempt_at: Mapped[datetime] = mapped_column(default=utcnow)
    last_attempt_at: Mapped[datetime | None] = mapped_column()
    last_error: Mapped[str | None] = mapped_column(Text)


class ListingWalk(Base):
    """Progress of the walk down one listing (a site's start URL, a feed or a sitemap).

    `state` is `walking` from the first request until the walk ends cleanly (`complete`); a
    crawl cut short leaves it `walking` at `page`, and the next crawl walks at least that deep
    without stopping early. `depth_done` is the deepest complete walk; a larger `max_pages`
    (or a backfill's `target_pages`) makes the next crawl walk that deep once.
    """

    __tablename__ = "listing_walks"

    url_key: Mapped[str] = mapped_column(String(64), primary_key=True)
    url: Mapped[str] = mapped_column(Text)
    source: Mapped[str] = mapped_column(String(100), index=True)
    state: Mapped[str] = mapped_column(String(16), default="walking")
    page: Mapped[int] = mapped_column(Integer, default=1)
    depth_done: Mapped[int] = mapped_column(Integer, default=0)
    target_pages: Mapped[int | None] = mapped_column(Integer)
    since: Mapped[datetime | None] = mapped_column()
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)
    last_error: Mapped[str | None] = mapped_column(Text)


class SourceState(Base):
    """Health of a source as the daemon and `fundwatch sources` see it."""

    __tablename__ = "source_state"

    name: Mapped[str] = mapped_column(String(100), primary_key=True)
    status: Mapped[str] = mapped_column(String(16), default="new")
    consecutive_failures: Mapped[int] = mapped_column(Integer, default=0)
    last_error: Mapped[str | None] = mapped_column(Text)
    last_run_at: Mapped[datetime | None] = mapped_column()
    last_success_at: Mapped[datetime | None] = mapped_column()
    next_run_at: Mapped[datetime | None] = mapped_column()
    backoff_until: Mapped[datetime | None] = mapped_column()
    disabled: Mapped[bool] = mapped_column(Boolean, default=False)
    # template health (storage/health.py): the current problem ("template: …", "quiet: …"),
    # since when, and when the operator was last told (repeated daily while it lasts)
    health: Mapped[str | None] = mapped_column(Text)
    health_since: Mapped[datetime | None] = mapped_column()
    health_alerted_at: Mapped[datetime | None] = mapped_column()


class ExtractionError(Base):
    """A page that lacked a required field of its kind (title, body, published; article links
    of a listing): which field, on which URL, in which run."""

    __tablename__ = "extraction_errors"
    __table_args__ = (Index("ix_extraction_errors_source_at", "source", "created_at"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    source: Mapped[str] = mapped_column(String(100))
    run_id: Mapped[int | None] = mapped_column(Integer)
    url: Mapped[str] = mapped_column(Text)
    field: Mapped[str] = mapped_column(String(32))
    detail: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class AlertOutbox(Base):
    """One alert per event, channel and revision, written in the event's transaction."""

    __tablename__ = "alert_outbox"
    __table_args__ = (
        UniqueConstraint("event_id", "channel", "revision", name="uq_alert_event_channel"),
        Index("ix_alert_outbox_due", "status", "next_attempt_at"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("funding_events.id"))
    channel: Mapped[str] = mapped_column(String(100))
    revision: Mapped[int] = mapped_column(Integer, default=0)
    message_id: Mapped[str] = mapped_column(String(200), unique=True)
    payload: Mapped[dict[str, Any]] = mapped_column(JSON)
    status: Mapped[str] = mapped_column(String(16), default="pending")
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    next_attempt_at: Mapped[datetime] = mapped_column(default=utcnow)
    last_error: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    sent_at: Mapped[datetime | None] = mapped_column()


class AlertAttempt(Base):
    __tablename__ = "alert_attempts"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    outbox_id: Mapped[int] = mapped_column(ForeignKey("alert_outbox.id"), index=True)
    attempted_at: Mapped[datetime] = mapped_column(default=utcnow)
    outcome: Mapped[str] = mapped_column(String(16))
    status_code: Mapped[int | None] = mapped_column(Integer)
    error: Mapped[str | None] = mapped_column(Text)
    duration_ms: Mapped[float | None] = mapped_column(Float)


class AlertChannelState(Base):
    """Delivery state of an alert channel: a webhook answering 410 Gone is disabled here."""

    __tablename__ = "alert_channel_state"

    name: Mapped[str] = mapped_column(String(100), primary_key=True)
    disabled: Mapped[bool] = mapped_column(Boolean, default=False)
    reason: Mapped[str | None] = mapped_column(Text)
    changed_at: Mapped[datetime] = mapped_column(default=utcnow)
