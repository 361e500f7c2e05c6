"""What most commands need: settings, the database and the catalog."""

from __future__ import annotations

from functools import cached_property

from sqlalchemy import Engine
from sqlalchemy.orm import Session, sessionmaker

from fundwatch.configuration import Catalog, Settings, load_catalog, load_settings
from fundwatch.storage import create_db_engine, session_factory


class AppContext:
    """existing=True (commands that only read or change existing rows): the database must
    already exist; nothing is created or migrated."""

    def __init__(self, settings: Settings | None = None, *, existing: bool = False) -> None:
        self.settings = settings or load_settings()
        self.existing = existing

    @cached_property
    def engine(self) -> Engine:
        return create_db_engine(self.settings.database_url, existing=self.existing)

    @cached_property
    def sessions(self) -> sessionmaker[Session]:
        return session_factory(self.engine)

    @cached_property
    def catalog(self) -> Catalog:
        return load_catalog(self.settings.seeds)
