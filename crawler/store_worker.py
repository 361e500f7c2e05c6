"""The article writer that StorePipeline runs in a child process (or a thread).

Storing an article (fingerprints, dedup lookups, event joining, one transaction) is CPU work in
Python; in a child process it runs on another core while the crawl process keeps fetching and
extracting. Records arrive in order, in small batches (one call per batch: less pickling and
fewer wake-ups in the crawl process), and are stored one at a time, each in a transaction of its
own: a failing article is reported and does not affect the others.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy.orm import Session, sessionmaker

from configuration import Settings
from storage import create_db_engine, session_factory
from storage.articles import ArticleRecord
from storage.ingest import IngestResult, ingest_article

_SESSIONS: sessionmaker[Session] | None = None
_CHANNELS: Sequence[Any] = ()


def load_alert_channels(settings: Settings) -> Sequence[Any]:
    """Alert channels from configuration.alerts, when that module is installed."""
    try:
        from configuration.alerts import load_channels
    except ImportError:
        return ()
    return tuple(load_channels(settings))


def init_worker(settings: Settings) -> None:
    global _SESSIONS, _CHANNELS
    _SESSIONS = session_factory(create_db_engine(settings.database_url))
    _CHANNELS = load_alert_channels(settings)


def store(record: ArticleRecord) -> IngestResult:
    assert _SESSIONS is not None, "init_worker() was not called"
    with _SESSIONS.begin() as session:
        return ingest_article(session, record, alert_channels=_CHANNELS)


def store_batch(records: Sequence[ArticleRecord]) -> list[IngestResult | str]:
    """Store each record in its own transaction; an article that fails gives its error message
    (exceptions from the database driver may not survive pickling) and the next one is stored."""
    results: list[IngestResult | str] = []
    for record in records:
        try:
            results.append(store(record))
        except Exception as exc:
            results.append(f"{type(exc).__name__}: {exc}")
    return results
