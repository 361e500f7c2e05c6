"""One daemon per database.

PostgreSQL: a session-level advisory lock held on a dedicated connection for the daemon's life
(the connection's `application_name` names the holder's host and pid). SQLite: an exclusive
`fcntl` lock on a file beside the database file (`fundwatch.db.daemon.lock`) holding the pid.
The operating system releases both when the process dies, even by SIGKILL.
"""

from __future__ import annotations

import contextlib
import fcntl
import os
import socket
import threading
from pathlib import Path
from typing import IO

from sqlalchemy import Connection, Engine, create_engine, text
from sqlalchemy.pool import NullPool

# Arbitrary 64-bit key for pg_try_advisory_lock ("fwdaemon"); advisory locks are per database.
PG_DAEMON_LOCK_KEY = 0x6677_6461_656D_6F6E
APPLICATION_NAME_PREFIX = "fundwatch-daemon"


class DaemonAlreadyRunning(Exception):
    """Another daemon holds the lock of this database."""


class DaemonLockLost(Exception):
    """The lock connection dropped and another daemon took the lock meanwhile."""


def _holder_label() -> str:
    return f"{APPLICATION_NAME_PREFIX} pid={os.getpid()} host={socket.gethostname()}"


class DaemonLock:
    """Acquire with `acquire()` (raises DaemonAlreadyRunning), release with `release()`."""

    def __init__(self, engine: Engine) -> None:
        self._url = engine.url
        self._dialect = engine.dialect.name
        self._file: IO[str] | None = None
        self._engine: Engine | None = None
        self._connection: Connection | None = None
        self._checking = threading.Lock()  # crawl threads and the heartbeat check at once

    @property
    def description(self) -> str:
        if self._dialect == "sqlite":
            return f"lock file {self.lock_path}"
        return f"PostgreSQL advisory lock {PG_DAEMON_LOCK_KEY} on {self._url.database}"

    @property
    def lock_path(self) -> Path | None:
        database = self._url.database
        if self._dialect != "sqlite" or not database or database == ":memory:":
            return None
        return Path(database).expanduser().resolve().with_name(Path(database).name + ".daemon.lock")

    def acquire(self) -> None:
        if self._dialect == "sqlite":
            self._acquire_file()
        else:
            self._acquire_postgres()

    def release(self) -> None:
        if self._file is not None:
            fcntl.flock(self._file, fcntl.LOCK_UN)
            self._file.close()
            self._file = None
        self._drop_connection()

    def __enter__(self) -> DaemonLock:
        self.acquire()
        return self

    def __exit__(self, *_exc: object) -> None:
        self.release()

    # -- SQLite -------------------------------------------------------------------------------

    def _acquire_file(self) -> None:
        path = self.lock_path
        if path is None:
            return  # an in-memory database cannot be shared between processes
        path.parent.mkdir(parents=True, exist_ok=True)
        handle = open(path, "a+")  # noqa: SIM115 - held open for the daemon's lifetime
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            handle.seek(0)
            holder = handle.read().strip() or "unknown pid"
            handle.close()
            raise DaemonAlreadyRunning(
                f"another fundwatch daemon is already running on this database ({holder}; "
                f"lock file {path}). Stop it first, or point FUNDWATCH_DATABASE_URL elsewhere."
            ) from None
        handle.seek(0)
        handle.truncate()
        handle.write(_holder_label() + "\n")
        handle.flush()
        self._file = handle

    # -- PostgreSQL ---------------------------------------------------------------------------

    def _acquire_postgres(self) -> None:
        engine = create_engine(
            self._url,
            poolclass=NullPool,
            connect_args={"application_name": _holder_label(), "connect_timeout": 10},
        )
        connection = engine.connect()
        got = connection.execute(
            text("SELECT pg_try_advisory_lock(:key)"), {"key": PG_DAEMON_LOCK_KEY}
        ).scalar()
        connection.commit()
        if not got:
            holder = self._postgres_holder(connection)
            connection.close()
            engine.dispose()
            raise DaemonAlreadyRunning(
                f"another fundwatch daemon is already running on database "
                f"{self._url.database!r} ({holder}). Stop it first; a second daemon on the same "
                "database would run every crawl twice."
            )
        self._engine, self._connection = engine, connection

    def _drop_connection(self) -> None:
        """Close the lock connection and its engine (if any); ending the session releases the
        lock, and a server that died already released it."""
        if self._connection is not None:
            with contextlib.suppress(Exception):
                self._connection.close()
            self._connection = None
        if self._engine is not None:
            self._engine.dispose()
            self._engine = None

    @staticmethod
    def _postgres_holder(connection: Connection) -> str:
        key = PG_DAEMON_LOCK_KEY
        row = connection.execute(
            text(
                "SELECT a.application_name, a.client_addr, a.pid FROM pg_locks l "
                "JOIN pg_stat_activity a ON a.pid = l.pid "
                "WHERE l.locktype = 'advisory' AND l.granted "
                "AND l.classid = :hi AND l.objid = :lo AND l.objsubid = 1 "
                # pg_locks lists every database's locks: the daemon of another database on the
                # same server holds the same key
                "AND l.database = (SELECT oid FROM pg_database WHERE datname = current_database())"
            ),
            {"hi": (key >> 32) & 0xFFFFFFFF, "lo": key & 0xFFFFFFFF},
        ).first()
        connection.commit()
        if row is None:
            return "holder unknown"
        name, addr, backend = row
        return f"{name or 'unnamed client'} from {addr or 'local socket'}, server pid {backend}"

    def check(self) -> bool:
        """Make sure the PostgreSQL lock is still held; re-take it after a lost connection.

        Returns True when the lock is held. Raises DaemonLockLost when another daemon took it
        while our connection was down. Errors reaching the server are left to the caller.
        """
        if self._dialect == "sqlite":
            return self._file is not None
        with self._checking:
            return self._check_postgres()

    def _check_postgres(self) -> bool:
        if self._connection is not None:
            try:
                # a connection that reconnected behind our back is a new session without the
                # lock: ask the server whether this session holds it, and take it if free
                held = self._connection.execute(
                    text(
                        "SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND granted "
                        "AND pid = pg_backend_pid() AND classid = :hi AND objid = :lo "
                        "AND objsubid = 1"
                    ),
                    {
                        "hi": (PG_DAEMON_LOCK_KEY >> 32) & 0xFFFFFFFF,
                        "lo": PG_DAEMON_LOCK_KEY & 0xFFFFFFFF,
                    },
                ).scalar()
                self._connection.commit()
                if held:
                    return True
                self._drop_connection()
            except Exception:
                self._drop_connection()
        try:
            self._acquire_postgres()
        except DaemonAlreadyRunning as exc:
            raise DaemonLockLost(str(exc)) from None
        return True
