"""Database health as the daemon sees it: one operator alert per outage, one line on recovery."""

from __future__ import annotations

import logging
from datetime import timedelta

from fundwatch.scheduler.logs import event

log = logging.getLogger("scheduler")

DATABASE_RETRY = timedelta(seconds=10)


class DatabaseHealth:
    """Tracks whether the database is down; the daemon stays up and retries meanwhile."""

    def __init__(self) -> None:
        self.down = False

    def trouble(self, exc: BaseException) -> None:
        """Alert the operator once per outage (disk full, read-only, server down); later
        failures of the same outage are logged as warnings."""
        first_line = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
        if not self.down:
            self.down = True
            event(
                "operator_alert",
                f"database unavailable: {first_line}. The daemon keeps running and retries "
                f"every {DATABASE_RETRY.total_seconds():g} s; check disk space, permissions and "
                "the database server.",
                level=logging.ERROR,
            )
        else:
            log.warning("database still unavailable: %s", first_line, extra={"event": "db_error"})

    def ok(self) -> None:
        if self.down:
            self.down = False
            event("database_recovered", "database reachable again")
