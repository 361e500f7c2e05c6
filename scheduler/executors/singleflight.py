"""One crawl of a source at a time, across processes and machines.

On PostgreSQL a session-level advisory lock keyed by the source name, held on a connection of
its own for the whole run: when the worker process or its machine dies, PostgreSQL drops the
connection and the lock with it, so a retry elsewhere can take it. On SQLite (one machine) an
flock on a file next to the database does the same.
"""

from __future__ import annotations

import fcntl
import hashlib
import os
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, text

_NAMESPACE = 0x6677  # high half of the 64-bit advisory key: "fw" runs


def advisory_key(source: str) -> int:
    digest = int.from_bytes(hashlib.sha256(source.encode()).digest()[:4], "big")
    key = (_NAMESPACE << 32) | digest
    return key - (1 << 63) if key >= 1 << 63 else key


class SourceLock:
    """`lock = SourceLock.try_take(engine, source)`; None when someone else holds it."""

    def __init__(self, source: str, holder: Any, release: Any) -> None:
        self.source = source
        self._holder = holder
        self._release = release

    @classmethod
    def try_take(cls, engine: Engine, source: str) -> SourceLock | None:
        if engine.dialect.name == "postgresql":
            connection = engine.connect()
            key = advisory_key(source)
            taken = connection.execute(text("SELECT pg_try_advisory_lock(:k)"), {"k": key})
            if not taken.scalar():
                connection.rollback()
                connection.close()
                return None
            connection.commit()

            def unlock() -> None:
                try:
                    connection.execute(text("SELECT pg_advisory_unlock(:k)"), {"k": key})
                    connection.commit()
                finally:
                    connection.close()

            return cls(source, connection, unlock)
        database = engine.url.database or ""
        folder = Path(database).expanduser().resolve().parent if database else Path("/tmp")
        path = folder / f".fundwatch-run-{hashlib.sha256(source.encode()).hexdigest()[:16]}.lock"
        handle = open(path, "w")  # noqa: SIM115 (held until release)
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            handle.close()
            return None
        handle.write(str(os.getpid()))
        handle.flush()

        def unlock_file() -> None:
            fcntl.flock(handle, fcntl.LOCK_UN)
            handle.close()

        return cls(source, handle, unlock_file)

    def release(self) -> None:
        release, self._release = self._release, None
        if release is not None:
            release()
