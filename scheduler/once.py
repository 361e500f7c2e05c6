"""`fundwatch daemon --once`: run every due source once, deliver due alerts, exit.

For cron or CI: takes the same database lock as the daemon (so it never runs beside one), runs
the due sources (or every enabled source with `every_source=True`) at most
`max_concurrent_crawls` at a time, then flushes due alerts. Returns 0 when every crawl was `ok`,
1 otherwise.
"""

from __future__ import annotations

import signal
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime

from fundwatch.scheduler.daemon import Daemon
from fundwatch.scheduler.jobs import due_at
from fundwatch.scheduler.logs import event, log_crawl
from fundwatch.scheduler.relay_thread import build_relay, flush
from fundwatch.scheduler.runner import RunnerClosed, close_orphaned_runs
from fundwatch.storage.crawl_outcome import CrawlOutcome
from fundwatch.storage.runs import set_next_run, source_states


def run_once(daemon: Daemon, *, every_source: bool = False) -> int:
    daemon.lock.acquire()
    previous = signal.signal(signal.SIGTERM, signal.default_int_handler)
    try:
        adopted = daemon.runner.adopt_running(deadline=float(daemon.settings.crawl_deadline))
        close_orphaned_runs(daemon.sessions, kill_grace=daemon.runner_kill_grace, keep=adopted)
        catalog = daemon._load_catalog()
        now = datetime.now(UTC)
        with daemon.sessions() as session:
            states = source_states(session)
        due = []
        for source in catalog:
            state = states.get(source.name)
            if not source.enabled or (state is not None and state.disabled):
                continue
            at = due_at(source, state, now=now)
            if every_source or at is None or at <= now:
                due.append(source.name)
        event("once_start", f"running {len(due)} due sources once", sources=due)

        def crawl(name: str) -> CrawlOutcome | None:
            try:
                outcome = daemon.runner.run(name, deadline=float(daemon.settings.crawl_deadline))
            except RunnerClosed:
                return None
            log_crawl(outcome)
            return outcome

        pool = ThreadPoolExecutor(daemon.settings.max_concurrent_crawls)
        try:
            outcomes = list(pool.map(crawl, due))
        finally:
            daemon.runner.kill_all()  # only does something when interrupted
            pool.shutdown(wait=True)
        with daemon.sessions.begin() as session:
            states = source_states(session)
            for name in due:
                set_next_run(session, name, due_at(catalog.get(name), states.get(name), now=now))
        flush(build_relay(daemon.settings, daemon.sessions))
        failed = [o.source for o in outcomes if o is None or not o.ok]
        event("once_done", f"{len(due) - len(failed)} of {len(due)} crawls ok", failed=failed)
        return 1 if failed else 0
    finally:
        signal.signal(signal.SIGTERM, previous)
        daemon.lock.release()
        daemon.engine.dispose()
