"""A stand-in for `fundwatch crawl SOURCE --run-id N`, for scheduler tests and benchmarks.

Usage: python fake_crawl.py CONTROL_DIR SOURCE --run-id N

Behaviour is read from CONTROL_DIR/SOURCE.mode at start (default `ok`):
  ok          finish the run as ok (pages=3, new=1)
  fail        finish the run as error
  crash       exit 3 without finishing the run, after writing to stderr
  hang        start a grandchild `sleep`, write its pid to SOURCE.grandchild, sleep forever
  slow:S      sleep S seconds, then finish as ok
Every start appends "RUN_ID START_EPOCH" to CONTROL_DIR/SOURCE.runs (and "RUN_ID done" after).
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path


def main() -> int:
    control, source, flag, run_id = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4])
    assert flag == "--run-id"
    folder = Path(control)
    mode_file = folder / f"{source}.mode"
    mode = mode_file.read_text().strip() if mode_file.exists() else "ok"
    with open(folder / f"{source}.runs", "a") as log:
        log.write(f"{run_id} {time.time():.3f} {os.getpid()}\n")
    if mode == "crash":
        print("Traceback: fake crawler exploded on purpose", file=sys.stderr)
        return 3
    if mode == "hang":
        sleeper = subprocess.Popen(["sleep", "1000"])
        (folder / f"{source}.grandchild").write_text(str(sleeper.pid))
        time.sleep(1000)
        return 0
    if mode.startswith("slow:"):
        time.sleep(float(mode.split(":", 1)[1]))
    from fundwatch.storage.crawl_outcome import CrawlOutcome
    from fundwatch.storage.engine import create_db_engine, session_factory
    from fundwatch.storage.runs import finish_run

    if mode == "fail":
        outcome = CrawlOutcome(source, run_id, "error", pages=1, errors=1, message="listing 500")
    else:
        outcome = CrawlOutcome(source, run_id, "ok", pages=3, new=1, duplicates=2)
    engine = create_db_engine(os.environ["FUNDWATCH_DATABASE_URL"], migrate=False)
    with session_factory(engine).begin() as session:
        finish_run(session, outcome)
    engine.dispose()
    with open(folder / f"{source}.runs", "a") as log:
        log.write(f"{run_id} done\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
