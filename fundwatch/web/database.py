"""Engines of the web app: the usual one for writes, and for SQLite a read-only one.

The storage engine opens every SQLite transaction with BEGIN IMMEDIATE (writers queue instead of
failing); page views only read, so they get plain deferred reads with `query_only` and never wait
for a crawl that is writing.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.orm import Session, sessionmaker

from fundwatch.storage import create_db_engine, session_factory
from fundwatch.storage.engine import SQLITE_BUSY_TIMEOUT_MS, normalize_url


@dataclass
class Databases:
    engine: Engine
    reader: Engine
    writes: sessionmaker[Session]
    reads: sessionmaker[Session]

    def dispose(self) -> None:
        self.reader.dispose()
        self.engine.dispose()


def open_databases(url: str) -> Databases:
    engine = create_db_engine(url)
    reader = engine
    if engine.dialect.name == "sqlite":
        reader = create_engine(
            normalize_url(url), connect_args={"timeout": SQLITE_BUSY_TIMEOUT_MS / 1000}
        )

        @event.listens_for(reader, "connect")
        def _read_only(dbapi_connection: Any, _record: Any) -> None:
            cursor = dbapi_connection.cursor()
            cursor.execute(f"PRAGMA busy_timeout={SQLITE_BUSY_TIMEOUT_MS}")
            cursor.execute("PRAGMA query_only=ON")
            cursor.close()

    return Databases(engine, reader, session_factory(engine), session_factory(reader))
