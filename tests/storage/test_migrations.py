from __future__ import annotations

import os
import subprocess
import sys

from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import inspect

from fundwatch.storage import Base, create_db_engine
from fundwatch.storage.engine import SCHEMA_HEAD, current_revision, head_revision


def test_migrated_schema_matches_the_models(database_url: str) -> None:
    engine = create_db_engine(database_url)
    with engine.connect() as connection:
        diff = compare_metadata(MigrationContext.configure(connection), Base.metadata)
    assert diff == []
    assert current_revision(engine) == head_revision()


def test_the_schema_head_constant_is_alembics_head() -> None:
    """ensure_schema takes a database at SCHEMA_HEAD for up to date: a new migration must
    update it, or databases at the previous revision would never be migrated."""
    assert head_revision() == SCHEMA_HEAD


def test_first_use_of_an_empty_sqlite_file_creates_the_schema(sqlite_url: str) -> None:
    engine = create_db_engine(sqlite_url)
    tables = set(inspect(engine).get_table_names())
    assert {"articles", "funding_events", "crawl_runs", "url_state", "alert_outbox"} <= tables
    with engine.connect() as connection:
        assert connection.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"


def test_db_upgrade_command(database_url: str) -> None:
    env = dict(os.environ, FUNDWATCH_DATABASE_URL=database_url)
    result = subprocess.run(
        [sys.executable, "-m", "fundwatch", "db", "upgrade"],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    assert f"revision {head_revision()}" in result.stdout
    engine = create_db_engine(database_url, migrate=False)
    assert current_revision(engine) == head_revision()
