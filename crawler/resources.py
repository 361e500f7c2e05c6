"""What every spider, middleware and pipeline of one crawl process shares: fundwatch settings,
the catalog, the database sessions, and the detector (alert channels are loaded by the
writer, crawler.store_worker).

Built once per process (a `fundwatch crawl --all` runs several spiders in one process).
"""

from __future__ import annotations

import hashlib
import logging
import os
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Any

from sqlalchemy.orm import Session, sessionmaker

from fundwatch.configuration import Catalog, Settings, load_settings
from fundwatch.configuration.sources import load_catalog_leniently
from fundwatch.storage import create_db_engine, session_factory

log = logging.getLogger(__name__)

# Set by the daemon for its crawl processes: it checked (and migrated) the schema at start, so
# a crawl neither imports Alembic nor asks the database for its revision again.
SCHEMA_CHECKED_ENV = "FUNDWATCH_SCHEMA_CHECKED"


def schema_check_wanted() -> bool:
    return os.environ.get(SCHEMA_CHECKED_ENV) != "1"


# robots.txt files shared by the crawl processes of one daemon (crawler.middlewares.robots)
ROBOTS_CACHE_ENV = "FUNDWATCH_ROBOTSTXT_CACHE_DIR"


def cache_dir_for(database_url: str) -> Path:
    """The robots.txt folder the daemon gives its crawl processes, one per database: a cache
    kept between runs, so under $XDG_CACHE_HOME (~/.cache), not in the temporary folder."""
    digest = hashlib.sha256(database_url.encode()).hexdigest()[:12]
    cache_home = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(cache_home) / "fundwatch" / f"robots-{digest}"


@dataclass
class CrawlResources:
    settings: Settings
    _cache: dict[str, Any] = field(default_factory=dict)

    @cached_property
    def catalog(self) -> Catalog:
        """The valid entries: an invalid entry elsewhere in the catalog does not stop a crawl
        (`fundwatch check` and the daemon report it)."""
        catalog, problems = load_catalog_leniently(self.settings.seeds)
        for problem in problems:
            log.warning("catalog entry skipped: %s", problem.message)
        self._cache["catalog_problems"] = problems
        return catalog

    @property
    def catalog_problems(self) -> list[Any]:
        _ = self.catalog
        return list(self._cache.get("catalog_problems", []))

    @cached_property
    def sessions(self) -> sessionmaker[Session]:
        return session_factory(
            create_db_engine(self.settings.database_url, migrate=schema_check_wanted())
        )

    def close(self) -> None:
        """Close the database connections (if any were opened)."""
        sessions = self.__dict__.get("sessions")
        if sessions is not None:
            sessions.kw["bind"].dispose()

    @cached_property
    def detector(self) -> Any:
        from fundwatch.detection import load_detector

        return load_detector(self.settings.detection_vocab)


_RESOURCES: CrawlResources | None = None


def resources() -> CrawlResources:
    """The process-wide resources (settings read from the environment on first use)."""
    global _RESOURCES
    if _RESOURCES is None:
        _RESOURCES = CrawlResources(load_settings())
    return _RESOURCES
