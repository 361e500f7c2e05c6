"""SQL storage: typed models, Alembic migrations, engine setup and idempotent writes.

Imports nothing else of fundwatch's.
"""

from fundwatch.storage.engine import create_db_engine, session_factory, upgrade_database
from fundwatch.storage.models import (
    AlertAttempt,
    AlertOutbox,
    Article,
    Base,
    CrawlRun,
    FrontierEntry,
    FundingEvent,
    ListingWalk,
    SourceState,
    UrlState,
)

__all__ = [
    "AlertAttempt",
    "AlertOutbox",
    "Article",
    "Base",
    "CrawlRun",
    "FrontierEntry",
    "FundingEvent",
    "ListingWalk",
    "SourceState",
    "UrlState",
    "create_db_engine",
    "session_factory",
    "upgrade_database",
]
