"""A cheap stand-in for `fundwatch crawl SOURCE --run-id N`, used by bench/daemon.py.

Runs with `python -S` (stdlib only, ~20 ms) and finishes the crawl_runs row through sqlite3
directly, as the real crawl would through storage.runs.finish_run (status ok, small figures).

    python -S bench/daemon_child.py DB_PATH SOURCE --run-id N
"""

import sqlite3
import sys
from datetime import UTC, datetime


def main() -> int:
    db_path, source, _flag, run_id = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4])
    now = datetime.now(UTC).replace(tzinfo=None).isoformat(sep=" ")  # as SQLAlchemy stores it
    connection = sqlite3.connect(db_path, timeout=30, isolation_level=None)
    connection.execute("BEGIN IMMEDIATE")
    connection.execute(
        "UPDATE crawl_runs SET status='ok', finished_at=?, pages=2, new=0, duplicates=2 WHERE id=?",
        (now, run_id),
    )
    connection.execute(
        "UPDATE source_state SET status='ok', consecutive_failures=0, last_run_at=?, "
        "last_success_at=? WHERE name=?",
        (now, now, source),
    )
    connection.execute("COMMIT")
    connection.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
