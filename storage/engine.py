"""Engine setup for SQLite (embedded default) and PostgreSQL, and schema migration on first use."""

from __future__ import annotations

import fcntl
import logging
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sqlalchemy import Engine, create_engine, event, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session, sessionmaker

if TYPE_CHECKING:  # Alembic (and Mako) are imported only when the schema is checked
    from alembic.config import Config

log = logging.getLogger(__name__)

MIGRATIONS_DIR = Path(__file__).resolve().parent / "migrations"
SQLITE_BUSY_TIMEOUT_MS = 30_000
_PG_MIGRATION_LOCK = 0x6675_6E64  # arbitrary advisory-lock key for migrations


class DatabaseError(Exception):
    """The database URL is unusable, unreachable, missing, or at an unexpected schema version.

    Its message is one line for a user: what is wrong, where, and what to do.
    """


class NoDatabase(DatabaseError):
    """There is no fundwatch database there yet (no SQLite file, or no fundwatch tables)."""


URL_HINT = "set FUNDWATCH_DATABASE_URL or --database-url"


def display_url(url: str | Engine) -> str:
    """The URL as a user may see it (password hidden)."""
    if isinstance(url, Engine):
        return url.url.render_as_string(hide_password=True)
    try:
        return make_url(url).render_as_string(hide_password=True)
    except Exception:
        return "(unparsable URL)"


def connection_problem(exc: BaseException) -> str:
    """The driver's own reason for a failed connection, as one short line."""
    original = getattr(exc, "orig", None) or exc
    lines = [line.strip() for line in str(original).splitlines() if line.strip()]
    # psycopg: 'connection failed: connection to server at "h", port 5 failed: FATAL:  reason'
    reason = lines[0] if lines else type(original).__name__
    reason = reason.rsplit("failed:", 1)[-1].strip()
    return reason.removeprefix("FATAL:").strip() or type(original).__name__


def unreachable(engine: Engine, exc: BaseException) -> DatabaseError:
    return DatabaseError(
        f"cannot use the database at {display_url(engine)}: {connection_problem(exc)} "
        f"(check the host, port and database name; {URL_HINT})"
    )


def normalize_url(url: str) -> str:
    """Accept postgres:// and postgresql:// and use the psycopg 3 driver for them."""
    if url.startswith("postgres://"):
        url = "postgresql://" + url.removeprefix("postgres://")
    if url.startswith("postgresql://"):
        url = "postgresql+psycopg://" + url.removeprefix("postgresql://")
    return url


def _configure_sqlite(engine: Engine) -> None:
    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        dbapi_connection.isolation_level = None  # we emit BEGIN ourselves (below)
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute(f"PRAGMA busy_timeout={SQLITE_BUSY_TIMEOUT_MS}")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(connection: Any) -> None:
        # BEGIN IMMEDIATE takes the write lock up front, so concurrent writers queue on
        # busy_timeout instead of failing with "database is locked" on lock upgrade.
        connection.exec_driver_sql("BEGIN IMMEDIATE")


def create_db_engine(url: str, *, migrate: bool = True, existing: bool = False) -> Engine:
    """Create an engine; with migrate=True an empty database gets the schema on first use.

    existing=True is for commands that only read: the database must already hold fundwatch's
    schema at the current revision, and nothing is created (no SQLite file, no folder, no
    tables). Connection failures raise DatabaseError with a one-line message.
    """
    url = normalize_url(url)
    try:
        parsed = make_url(url)
    except Exception as exc:
        raise DatabaseError(
            f"invalid database URL {url!r}: {exc}. Use sqlite:///path.db or "
            "postgresql+psycopg://user@host:5432/dbname"
        ) from None
    if parsed.get_backend_name() == "sqlite":
        database = parsed.database
        if database and database != ":memory:":
            path = Path(database).expanduser().resolve()
            if existing and not path.is_file():
                raise NoDatabase(
                    f"no fundwatch database at {path}: crawl something first (fundwatch crawl, "
                    f"fundwatch demo) or run 'fundwatch db upgrade', or {URL_HINT}"
                )
            path.parent.mkdir(parents=True, exist_ok=True)
        engine = create_engine(url, connect_args={"timeout": SQLITE_BUSY_TIMEOUT_MS / 1000})
        _configure_sqlite(engine)
    elif parsed.get_backend_name() == "postgresql":
        engine = create_engine(url, pool_pre_ping=True, pool_recycle=1800)
    else:
        raise DatabaseError(
            f"unsupported database {parsed.get_backend_name()!r}: use SQLite or PostgreSQL"
        )
    try:
        if existing:
            require_schema(engine)
        elif migrate:
            ensure_schema(engine)
    except DBAPIError as exc:
        engine.dispose()
        raise unreachable(engine, exc) from None
    return engine


def require_schema(engine: Engine) -> None:
    """Refuse a database without fundwatch's tables, or at another schema revision."""
    current = current_revision(engine)
    head = head_revision()
    if current is None:
        raise NoDatabase(
            f"no fundwatch database at {display_url(engine)} (it has no fundwatch tables): "
            f"run 'fundwatch db upgrade' to create them there, or {URL_HINT}"
        )
    if current != head:
        raise DatabaseError(
            f"the database at {display_url(engine)} is at schema revision {current}, this "
            f"fundwatch needs {head}: run 'fundwatch db upgrade'"
        )


def session_factory(engine: Engine) -> sessionmaker[Session]:
    return sessionmaker(engine, expire_on_commit=False)


def _scripts_config() -> Config:
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    return config


def _alembic_config(engine: Engine) -> Config:
    config = _scripts_config()
    config.set_main_option("sqlalchemy.url", engine.url.render_as_string(hide_password=False))
    return config


def head_revision() -> str | None:
    from alembic.script import ScriptDirectory

    return ScriptDirectory.from_config(_scripts_config()).get_current_head()


def current_revision(engine: Engine) -> str | None:
    from alembic.runtime.migration import MigrationContext

    with engine.connect() as connection:
        return MigrationContext.configure(connection).get_current_revision()


@contextmanager
def _migration_lock(engine: Engine) -> Iterator[None]:
    if engine.dialect.name == "sqlite":
        database = engine.url.database
        if not database or database == ":memory:":
            yield
            return
        lock_path = Path(database).expanduser().resolve().with_suffix(".migrate.lock")
        with open(lock_path, "w") as handle:
            fcntl.flock(handle, fcntl.LOCK_EX)
            try:
                yield
            finally:
                fcntl.flock(handle, fcntl.LOCK_UN)
    else:
        with engine.connect() as connection:
            connection.execute(text("SELECT pg_advisory_lock(:k)"), {"k": _PG_MIGRATION_LOCK})
            connection.commit()
            try:
                yield
            finally:
                connection.execute(text("SELECT pg_advisory_unlock(:k)"), {"k": _PG_MIGRATION_LOCK})
                connection.commit()


def upgrade_database(engine: Engine, revision: str = "head") -> str | None:
    """Apply migrations up to `revision` (serialized across processes); return the new revision."""
    from alembic import command

    with _migration_lock(engine):
        with engine.begin() as connection:
            config = _alembic_config(engine)
            config.attributes["connection"] = connection
            command.upgrade(config, revision)
        return current_revision(engine)


# The newest migration in storage/migrations/versions (tests/storage/test_migrations.py checks
# that it is Alembic's head). A database already there is recognised with one SELECT, without
# importing Alembic and reading its scripts (~0.09 s of CPU, once per crawl process).
SCHEMA_HEAD = "0004_frontier"


def _stored_revisions(engine: Engine) -> list[str] | None:
    """The revisions in the database's alembic_version table (None: no such table)."""
    try:
        with engine.connect() as connection:
            rows = connection.exec_driver_sql("SELECT version_num FROM alembic_version")
            return [row[0] for row in rows]
    except DBAPIError:
        return None


def ensure_schema(engine: Engine) -> None:
    """Migrate an empty (or older) database to head; refuse a database from a newer version."""
    if _stored_revisions(engine) == [SCHEMA_HEAD]:
        return
    head = head_revision()
    current = current_revision(engine)
    if current == head:
        return
    from alembic.script import ScriptDirectory

    scripts = ScriptDirectory.from_config(_scripts_config())
    known = {rev.revision for rev in scripts.walk_revisions()}
    if current is not None and current not in known:
        raise DatabaseError(
            f"the database is at schema revision {current}, which this fundwatch does not know; "
            "upgrade fundwatch"
        )
    log.info("migrating database schema from %s to %s", current or "empty", head)
    upgrade_database(engine)
