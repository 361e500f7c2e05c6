"""Cost of the daemon's quiet-source check (storage.health.check_quiet, every 10 minutes).

    python bench/quiet_check.py [--sources 500] [--runs 200] [--database-url URL]

Fills a fresh database (SQLite in a temp folder unless --database-url names an empty one) with
`--sources` sources of `--runs` crawl runs each (a third of them productive), a tenth of the
sources quiet, then times check_quiet over every source: the first pass (alerts raised) and
later passes (nothing to tell). Prints wall and CPU milliseconds per pass beside the machine's
load average. Asserts nothing.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from datetime import timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from fundwatch.storage import create_db_engine, session_factory
from fundwatch.storage.health import check_quiet
from fundwatch.storage.models import CrawlRun
from fundwatch.storage.timeutil import utcnow


def fill(url: str, sources: int, runs: int) -> list[str]:
    engine = create_db_engine(url)
    now = utcnow()
    names = [f"source_{i:04d}" for i in range(sources)]
    rows = []
    for index, name in enumerate(names):
        last = now - (timedelta(days=3) if index % 10 == 0 else timedelta(minutes=20))
        for run in range(runs):
            at = last - timedelta(minutes=20 * run)
            rows.append(
                {"source": name, "started_at": at, "finished_at": at, "status": "ok",
                 "new": 1 if run % 3 == 0 else 0}
            )  # fmt: skip
    with engine.begin() as connection:
        connection.execute(CrawlRun.__table__.insert(), rows)
    engine.dispose()
    return names


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--sources", type=int, default=500)
    parser.add_argument("--runs", type=int, default=200)
    parser.add_argument("--passes", type=int, default=5)
    parser.add_argument("--database-url")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        url = args.database_url or f"sqlite:///{Path(folder) / 'quiet.db'}"
        names = fill(url, args.sources, args.runs)
        sessions = session_factory(create_db_engine(url))
        figures = []
        for _ in range(args.passes):
            wall, cpu = time.perf_counter(), time.process_time()
            with sessions.begin() as session:
                changes = check_quiet(session, names)
            figures.append(
                ((time.perf_counter() - wall) * 1000, (time.process_time() - cpu) * 1000)
            )
            print(f"pass: {len(changes)} changes, {figures[-1][0]:.0f} ms wall, "
                  f"{figures[-1][1]:.0f} ms CPU")  # fmt: skip
    later = figures[1:] or figures
    print(
        f"{url.split(':')[0]}: {args.sources} sources x {args.runs} runs; later passes median "
        f"{statistics.median(w for w, _ in later):.0f} ms wall, "
        f"{statistics.median(c for _, c in later):.0f} ms CPU; "
        f"load average {os.getloadavg()[0]:.1f}"
    )


if __name__ == "__main__":
    main()
