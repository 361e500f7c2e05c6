"""The fundwatch daemon: one APScheduler job per enabled source, crawls in child processes.

Lifecycle (`Daemon.serve`): take the database lock, close runs a dead daemon left `running`,
schedule every enabled source from its last run in the database, start the alert relay thread,
then wait for signals: SIGHUP reloads the catalog; SIGTERM/SIGINT stop scheduling, give running
crawls `shutdown_grace` seconds to finish (a second signal cuts that short), kill the rest,
flush due alerts and return 0.

The schedule lives in memory (MemoryJobStore) and is rebuilt from the database on every start,
so there is no pickled job store to corrupt or share between daemons.
"""

from __future__ import annotations

import contextlib
import logging
import os
import signal
import threading
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from apscheduler.executors.pool import ThreadPoolExecutor
from apscheduler.jobstores.base import JobLookupError
from apscheduler.schedulers.background import BackgroundScheduler
from sqlalchemy import Engine
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session, sessionmaker

from fundwatch.configuration import Catalog, Settings
from fundwatch.configuration.errors import CatalogError
from fundwatch.configuration.sources import EntryProblem, load_catalog_leniently
from fundwatch.crawler.health import announce
from fundwatch.crawler.resources import ROBOTS_CACHE_ENV, SCHEMA_CHECKED_ENV, cache_dir_for
from fundwatch.scheduler.backoff import failure_delay
from fundwatch.scheduler.clock import CLOCK_STEP_SECONDS, ClockWatch, pull_in_far_runs
from fundwatch.scheduler.health import DATABASE_RETRY, DatabaseHealth
from fundwatch.scheduler.jobs import (
    AnySource,
    cadence_of,
    first_runs,
    misfire_grace,
    schedule_key,
    trigger_for,
)
from fundwatch.scheduler.lock import DaemonLock, DaemonLockLost
from fundwatch.scheduler.logs import event, log_crawl
from fundwatch.scheduler.relay_thread import RelayThread, build_relay, flush
from fundwatch.scheduler.runner import (
    DEFAULT_CRAWL_COMMAND,
    CrawlRunner,
    RunnerClosed,
    close_orphaned_runs,
)
from fundwatch.storage import create_db_engine, session_factory
from fundwatch.storage.crawl_outcome import CrawlOutcome
from fundwatch.storage.health import check_quiet
from fundwatch.storage.runs import clear_next_runs, set_next_run, source_state, source_states

log = logging.getLogger("scheduler")

JOB_PREFIX = "source:"
HEARTBEAT_SECONDS = 10.0
QUIET_CHECK_SECONDS = 600.0  # how often every source's quietness is judged between crawls


def _now() -> datetime:
    return datetime.now(UTC)


def child_environment(settings: Settings) -> dict[str, str]:
    """The daemon's environment, with the database and catalog it uses spelled out."""
    env = dict(os.environ)
    env["FUNDWATCH_DATABASE_URL"] = settings.database_url
    env["FUNDWATCH_SEEDS"] = str(settings.seeds)
    env[SCHEMA_CHECKED_ENV] = "1"  # checked once, here; not in every crawl process
    env.setdefault(ROBOTS_CACHE_ENV, str(cache_dir_for(settings.database_url)))
    if settings.alerts is not None:
        env["FUNDWATCH_ALERTS"] = str(settings.alerts)
    return env


class Daemon:
    def __init__(
        self,
        settings: Settings,
        *,
        engine: Engine | None = None,
        crawl_command: tuple[str, ...] = DEFAULT_CRAWL_COMMAND,
        stagger: float = 10.0,
        shutdown_grace: float = 60.0,
        kill_grace: float = 10.0,
        relay_interval: float = 0.2,
        cwd: Path | None = None,
        broker: str | None = None,
        executor: str | None = None,
        quiet_check: float = QUIET_CHECK_SECONDS,
    ) -> None:
        self.settings = settings
        self.engine = engine or create_db_engine(settings.database_url)
        self.sessions: sessionmaker[Session] = session_factory(self.engine)
        self.lock = DaemonLock(self.engine)
        self.runner: Any
        executor = executor or ("workers" if broker else "process")
        if executor == "workers":  # long-lived workers (scheduler.worker) take runs via Redis
            from fundwatch.scheduler.executors.dispatch import RedisDispatcher

            if not broker:
                raise ValueError("the workers executor needs a broker URL")
            self.runner = RedisDispatcher(self.sessions, broker=broker, kill_grace=kill_grace)
        elif executor == "fork":  # crawl children forked from a pre-imported server
            from fundwatch.scheduler.executors.forking import ForkRunner

            self.runner = ForkRunner(
                self.sessions, env=child_environment(settings), cwd=cwd, kill_grace=kill_grace
            )
        else:
            self.runner = CrawlRunner(
                self.sessions,
                command=crawl_command,
                env=child_environment(settings),
                cwd=cwd,
                kill_grace=kill_grace,
            )
        self.stagger = timedelta(seconds=stagger)
        self.shutdown_grace = shutdown_grace
        self.relay_interval = relay_interval
        self.quiet_check = quiet_check
        self.catalog: Catalog | None = None
        self.scheduler = BackgroundScheduler(
            executors={
                "default": ThreadPoolExecutor(settings.max_concurrent_crawls),
                "service": ThreadPoolExecutor(1),
            },
            job_defaults={"coalesce": True, "max_instances": 1},
            timezone=UTC,
        )
        self._stopping = threading.Event()
        self._hurry = threading.Event()
        self._wake = threading.Event()
        self._reload_requested = False
        self._stop_requested = False
        self._health = DatabaseHealth()
        self._relay: Any | None = None
        self._relay_thread: RelayThread | None = None
        self._clock = ClockWatch()
        self._reported_problems: frozenset[str] = frozenset()
        self.problems: list[EntryProblem] = []

    # -- lifecycle ------------------------------------------------------------------------------

    def start(self) -> None:
        """Take the lock (raises DaemonAlreadyRunning), schedule the catalog, start the relay."""
        self.lock.acquire()
        adopted = self.runner.adopt_running(deadline=float(self.settings.crawl_deadline))
        if adopted:
            event(
                "runs_adopted",
                "runs of a stopped daemon still held by workers: followed, not closed",
                runs=adopted,
            )
        closed = close_orphaned_runs(
            self.sessions,
            kill_grace=self.runner_kill_grace,
            orphan_grace=self.runner_kill_grace,
            keep=adopted,
        )
        if closed:
            event("orphans_closed", "closed runs left running by a stopped daemon", runs=closed)
        self.catalog = self._load_catalog()
        self.scheduler.start(paused=True)
        self.scheduler.add_job(
            self._heartbeat,
            "interval",
            seconds=HEARTBEAT_SECONDS,
            id="heartbeat",
            executor="service",
            misfire_grace_time=int(HEARTBEAT_SECONDS),
        )
        self.scheduler.add_job(
            self.check_quiet_sources,
            "interval",
            seconds=self.quiet_check,
            id="quiet-sources",
            executor="service",
            next_run_time=_now() + timedelta(seconds=min(self.quiet_check, 60.0)),
            misfire_grace_time=max(1, int(self.quiet_check)),
        )
        self._apply_catalog(self.catalog, previous=None)
        self._relay = build_relay(self.settings, self.sessions)
        if self._relay is not None:
            self._relay_thread = RelayThread(self._relay, poll_interval=self.relay_interval)
            self._relay_thread.start()
        self.scheduler.resume()
        event(
            "daemon_start",
            f"fundwatch daemon started (pid {os.getpid()}), {len(self.source_jobs())} sources",
            pid=os.getpid(),
            lock=self.lock.description,
            max_concurrent_crawls=self.settings.max_concurrent_crawls,
            crawl_deadline=self.settings.crawl_deadline,
        )

    @property
    def runner_kill_grace(self) -> float:
        return self.runner._kill_grace

    def serve(self) -> int:
        """Run until SIGTERM/SIGINT; SIGHUP reloads the catalog. Returns the exit status (0)."""
        signal.signal(signal.SIGTERM, self._on_stop_signal)
        signal.signal(signal.SIGINT, self._on_stop_signal)
        signal.signal(signal.SIGHUP, self._on_reload_signal)
        self.start()
        while not self._stop_requested:
            self._wake.wait(1.0)
            self._wake.clear()
            if self._reload_requested and not self._stop_requested:
                self._reload_requested = False
                self.reload()
        self.stop()
        return 0

    def _on_stop_signal(self, signum: int, _frame: object) -> None:
        if self._stop_requested:
            self._hurry.set()  # a second signal: do not wait for running crawls
        self._stop_requested = True
        self._wake.set()

    def _on_reload_signal(self, _signum: int, _frame: object) -> None:
        self._reload_requested = True
        self._wake.set()

    def request_stop(self) -> None:
        self._stop_requested = True
        self._wake.set()

    def stop(self) -> None:
        """Stop scheduling, let running crawls finish (up to the grace period), flush alerts."""
        self._stopping.set()
        if self.scheduler.running:
            self.scheduler.pause()
        running = self.runner.active_runs
        event(
            "daemon_stopping",
            f"stopping: waiting up to {self.shutdown_grace:g} s for {len(running)} running crawls",
            running=running,
        )
        end = time.monotonic() + self.shutdown_grace
        while self.runner.active_runs and time.monotonic() < end and not self._hurry.is_set():
            self._hurry.wait(0.2)
        killed = self.runner.kill_all()
        if killed:
            event("crawls_killed", "killed crawls still running at shutdown", runs=killed)
        self.runner.close()
        if self.scheduler.running:
            self.scheduler.shutdown(wait=True)
        if self._relay_thread is not None:
            self._relay_thread.stop()
        flush(self._relay)
        try:
            with self.sessions.begin() as session:
                clear_next_runs(session, keep=set())
        except SQLAlchemyError as exc:
            log.warning("could not clear next run times: %s", exc, extra={"event": "db_error"})
        self.lock.release()
        self.engine.dispose()
        event("daemon_stop", "fundwatch daemon stopped", pid=os.getpid())

    # -- the catalog and the jobs ----------------------------------------------------------------

    def source_jobs(self) -> dict[str, Any]:
        return {
            job.id.removeprefix(JOB_PREFIX): job
            for job in self.scheduler.get_jobs()
            if job.id.startswith(JOB_PREFIX)
        }

    def reload(self) -> None:
        """Re-read the catalog; add, remove and reschedule jobs. A broken catalog is reported
        and the running schedule kept."""
        try:
            catalog = self._load_catalog()
        except CatalogError as exc:
            event(
                "reload_failed",
                f"catalog not reloaded, keeping the current schedule:\n{exc}",
                level=logging.ERROR,
            )
            return
        previous, self.catalog = self.catalog, catalog
        self._apply_catalog(catalog, previous=previous)

    def _load_catalog(self) -> Catalog:
        """The valid entries of the catalog; invalid ones are reported (one operator alert per
        new set of problems) and not scheduled, and every valid source keeps running."""
        catalog, problems = load_catalog_leniently(self.settings.seeds)
        self.problems = problems
        messages = frozenset(problem.message for problem in problems)
        if messages and messages != self._reported_problems:
            names = sorted({problem.name or str(problem.file) for problem in problems})
            event(
                "operator_alert",
                f"{len(problems)} catalog problem(s); not scheduled: {', '.join(names)}; "
                f"every other source keeps running:\n" + "\n".join(sorted(messages)),
                level=logging.ERROR,
                invalid=names,
            )
        self._reported_problems = messages
        return catalog

    def _wanted(self, catalog: Catalog) -> dict[str, AnySource]:
        with self.sessions() as session:
            disabled = {name for name, state in source_states(session).items() if state.disabled}
        return {s.name: s for s in catalog if s.enabled and s.name not in disabled}

    def _apply_catalog(self, catalog: Catalog, *, previous: Catalog | None) -> None:
        wanted = self._wanted(catalog)
        current = self.source_jobs()
        removed = sorted(set(current) - set(wanted))
        for name in removed:
            self.scheduler.remove_job(JOB_PREFIX + name)
        changed = [
            name
            for name in wanted
            if name not in current
            or previous is None
            or name not in previous
            or schedule_key(previous.get(name)) != schedule_key(wanted[name])
        ]
        now = _now()
        with self.sessions() as session:
            states = source_states(session)
        plans = first_runs(
            [wanted[name] for name in changed], states, now=now, stagger=self.stagger
        )
        for plan in plans:
            source = wanted[plan.name]
            try:
                self.scheduler.add_job(
                    self._run_source,
                    trigger_for(source),
                    args=(source.name,),
                    id=JOB_PREFIX + source.name,
                    name=source.name,
                    next_run_time=plan.at,
                    misfire_grace_time=misfire_grace(source, around=now),
                    replace_existing=True,
                )
            except (OverflowError, ValueError) as exc:  # a cadence the scheduler cannot use
                with contextlib.suppress(JobLookupError):
                    self.scheduler.remove_job(JOB_PREFIX + source.name)
                event(
                    "operator_alert",
                    f"{source.name}: cannot schedule {source.cadence_label}: {exc}; "
                    "the source is not crawled until its entry is fixed",
                    level=logging.ERROR,
                    source=source.name,
                )
        self._write_next_runs(keep=set(wanted))
        event(
            "scheduled",
            f"schedule: {len(wanted)} sources ({len(changed)} (re)scheduled, "
            f"{len(removed)} removed)",
            rescheduled=sorted(changed),
            removed=removed,
            overdue=[p.name for p in plans if p.overdue],
            next_runs={p.name: p.at for p in plans},
        )

    def _write_next_runs(self, keep: set[str]) -> None:
        jobs = self.source_jobs()
        try:
            with self.sessions.begin() as session:
                for name, job in jobs.items():
                    set_next_run(session, name, job.next_run_time)
                clear_next_runs(session, keep=keep)
        except SQLAlchemyError as exc:
            self._health.trouble(exc)

    # -- one crawl ------------------------------------------------------------------------------

    def _run_source(self, name: str) -> None:
        if self._stopping.is_set() or self.catalog is None or name not in self.catalog:
            return
        if not self._still_locked():
            return
        source = self.catalog.get(name)
        try:
            outcome = self.runner.run(name, deadline=float(self.settings.crawl_deadline))
        except RunnerClosed:
            return
        except SQLAlchemyError as exc:
            self._health.trouble(exc)
            self._reschedule(name, _now() + DATABASE_RETRY)
            return
        log_crawl(outcome)
        if self._relay is not None and outcome.flagged:
            self._relay.wake()  # deliver the new alerts now rather than at the next poll
        if self._stopping.is_set():
            return
        try:
            self._after_run(source, outcome)
        except JobLookupError:
            return  # removed by a reload meanwhile
        except SQLAlchemyError as exc:
            self._health.trouble(exc)
            return
        self._health.ok()

    def _after_run(self, source: AnySource, outcome: CrawlOutcome) -> None:
        """Back off a failing source; write its next run time."""
        job = self.scheduler.get_job(JOB_PREFIX + source.name)
        if job is None:
            return
        now = _now()
        with self.sessions.begin() as session:
            state = source_state(session, source.name)
            if state.disabled:
                self.scheduler.remove_job(JOB_PREFIX + source.name)
                event(
                    "source_disabled",
                    f"{source.name} disabled: {state.last_error}",
                    level=logging.WARNING,
                    source=source.name,
                )
                return
            failures = state.consecutive_failures
            next_run = job.next_run_time
            if failures > 1 and not outcome.ok:
                delay = failure_delay(failures, cadence_of(source, around=now))
                backoff = now + delay
                if next_run is None or backoff > next_run:
                    job = job.modify(next_run_time=backoff)
                    next_run = backoff
                state.backoff_until = backoff
            else:
                state.backoff_until = None
            state.next_run_at = next_run
        if failures > 1 and not outcome.ok:
            event(
                "backoff",
                f"{source.name} failed {failures} time(s) in a row; next try at {next_run}",
                level=logging.WARNING,
                source=source.name,
                consecutive_failures=failures,
                next_run_at=next_run,
            )

    def _reschedule(self, name: str, at: datetime) -> None:
        job = self.scheduler.get_job(JOB_PREFIX + name)
        if job is not None and not self._stopping.is_set():
            with contextlib.suppress(JobLookupError):
                job.modify(next_run_time=at)

    # -- health ---------------------------------------------------------------------------------

    def _heartbeat(self) -> None:
        """Every 10 s: keep the PostgreSQL lock, and catch wall-clock steps."""
        if self._still_locked():
            self._check_clock()

    def check_quiet_sources(self) -> None:
        """Every quiet_check seconds: a scheduled source with no new article for N x its usual
        gap is `unhealthy: quiet` with one operator alert (again daily), even while its crawls
        fail or do not run; the same alert and recovery line a crawl's end gives."""
        if self._stopping.is_set() or not self._still_locked():
            return
        names = sorted(self.source_jobs())
        try:
            with self.sessions.begin() as session:
                changes = check_quiet(session, names, _now())
        except SQLAlchemyError as exc:
            self._health.trouble(exc)
            return
        for change in changes:
            announce(change.source, change.action, change.problem)

    def _still_locked(self) -> bool:
        """Check the lock (before every crawl, and every heartbeat); a daemon that lost it
        stops scheduling at once, before another crawl starts."""
        try:
            self.lock.check()
        except DaemonLockLost as exc:
            self._lock_lost(exc)
            return False
        except Exception as exc:
            self._health.trouble(exc)
        return True

    def _lock_lost(self, exc: BaseException) -> None:
        first = not self._stopping.is_set()
        self._stopping.set()  # no crawl starts from now on
        if self.scheduler.running:
            with contextlib.suppress(Exception):
                self.scheduler.pause()
        if first:
            event("lock_lost", f"stopping: {exc}", level=logging.ERROR)
        self.request_stop()

    def _check_clock(self) -> None:
        """After the wall clock steps back, interval jobs would wait the step out: pull any
        run that now lies further ahead than one cadence back to within its cadence."""
        step = self._clock.step()
        if abs(step) < CLOCK_STEP_SECONDS or self.catalog is None:
            return
        moved = pull_in_far_runs(self.source_jobs(), self.catalog, _now())
        event(
            "clock_step",
            f"wall clock stepped by {step:+.0f} s; {len(moved)} jobs rescheduled",
            level=logging.WARNING,
            step_seconds=round(step),
            rescheduled=moved,
        )
        self._write_next_runs(keep=set(self.source_jobs()))
