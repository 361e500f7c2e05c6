"""Memory of the daemon over many scheduled runs: RSS of the `fundwatch daemon` process.

Starts `fundwatch daemon` on a temporary SQLite database with a tiny catalog (--sources feed
entries, `every: 1s`), each crawl a real child process: bench/daemon_child.py, a stdlib-only
stand-in that finishes the crawl_runs row (the daemon's own work per run is the same as with a
real crawl: the row, the child, the deadline, the log line, the backoff/next-run bookkeeping;
Scrapy's memory lives in the child and is gone when it exits). The alert relay thread runs too.
Samples VmRSS from /proc every --sample runs; target: growth < 5 MB over 200 runs.

    python bench/daemon.py [--runs 200] [--sources 4] [--sample 20] [--concurrency 2]
"""

from __future__ import annotations

import argparse
import os
import signal
import sqlite3
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
CHILD = Path(__file__).resolve().parent / "daemon_child.py"


def rss_kib(pid: int) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1])
    raise RuntimeError(f"no VmRSS for pid {pid}")


def finished_runs(db: Path) -> int:
    try:
        connection = sqlite3.connect(db, timeout=30)
        try:
            return connection.execute(
                "SELECT count(*) FROM crawl_runs WHERE status != 'running'"
            ).fetchone()[0]
        finally:
            connection.close()
    except sqlite3.OperationalError:
        return 0  # schema not created yet


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=200)
    parser.add_argument("--sources", type=int, default=4)
    parser.add_argument("--sample", type=int, default=20, help="sample RSS every N runs")
    parser.add_argument("--concurrency", type=int, default=2)
    parser.add_argument("--warmup", type=int, default=20, help="runs before the baseline sample")
    args = parser.parse_args()

    with tempfile.TemporaryDirectory(prefix="fundwatch-bench-daemon-") as tmp:
        folder = Path(tmp)
        db = folder / "bench.db"
        catalog = folder / "sources.yaml"
        catalog.write_text(
            "sources:\n"
            + "".join(
                f"  - {{name: bench{n}, kind: feed, url: 'http://127.0.0.1:9/f{n}.xml', "
                "every: 1s}\n"
                for n in range(args.sources)
            )
        )
        env = dict(
            os.environ,
            FUNDWATCH_DATABASE_URL=f"sqlite:///{db}",
            FUNDWATCH_SEEDS=str(catalog),
            FUNDWATCH_MAX_CONCURRENT_CRAWLS=str(args.concurrency),
            FUNDWATCH_CRAWL_DEADLINE="60",
        )
        env.pop("FUNDWATCH_ALERTS", None)
        child = f"{sys.executable} -S {CHILD} {db} {{source}} --run-id {{run_id}}"
        daemon = subprocess.Popen(
            [
                *(sys.executable, "-m", "fundwatch", "daemon", "--stagger", "0.1"),
                *("--relay-interval", "1", "--crawl-command", child),
            ],
            cwd=REPO,
            env=env,
            stderr=subprocess.DEVNULL,
        )
        samples: list[tuple[int, int]] = []
        started = time.monotonic()
        try:
            next_sample = args.warmup
            while True:
                if daemon.poll() is not None:
                    print(f"the daemon exited with status {daemon.returncode}", file=sys.stderr)
                    return 1
                done = finished_runs(db)
                if done >= next_sample:
                    samples.append((done, rss_kib(daemon.pid)))
                    if done >= args.warmup + args.runs:
                        break
                    next_sample += args.sample
                time.sleep(0.05)
        finally:
            daemon.send_signal(signal.SIGTERM)
            code = daemon.wait(60)
        elapsed = time.monotonic() - started
        statuses = dict(
            sqlite3.connect(db).execute("SELECT status, count(*) FROM crawl_runs GROUP BY status")
        )

    print(f"daemon RSS over {args.runs} scheduled runs after {args.warmup} warm-up runs")
    print(f"({args.sources} sources every 1 s, {args.concurrency} concurrent, cheap child)")
    print(f"{'runs':>6}  {'RSS MiB':>8}")
    for runs, kib in samples:
        print(f"{runs:>6}  {kib / 1024:>8.1f}")
    base, last = samples[0][1], samples[-1][1]
    peak = max(kib for _, kib in samples)
    growth = (last - base) / 1024
    print(
        f"baseline {base / 1024:.1f} MiB, final {last / 1024:.1f} MiB, peak {peak / 1024:.1f} MiB"
    )
    print(f"growth {growth:+.2f} MiB over {samples[-1][0] - samples[0][0]} runs (target < 5 MB)")
    print(f"{samples[-1][0] / elapsed:.1f} runs/s; statuses {statuses}; daemon exit status {code}")
    return 0 if growth < 5 else 1


if __name__ == "__main__":
    sys.exit(main())
