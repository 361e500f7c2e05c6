"""The daemon's side of the worker executor: hand a due run to the workers, wait for its end.

`RedisDispatcher.run(source, deadline=...)` has the contract of `CrawlRunner.run`: it creates
the crawl_runs row, pushes a run order to Redis, and returns the row's figures once a worker
finished it. The daemon's job for the source waits meanwhile, so a source never overlaps itself
(APScheduler max_instances=1) and the single-flight lock in the database covers the rest.

Nothing is lost when a worker or the broker dies: while the row is `running`, an order that is
neither queued nor leased by a live worker for `lease_seconds` is sent again (attempt + 1, at
most `max_attempts`); the worker that takes it re-checks the row and the source lock, so a run
that did finish, or is still running elsewhere, is not run twice. Articles already stored are
recognised by URL on the retry, so no article and no alert is stored twice.

A restarted daemon adopts the runs a dead one left `running` while a worker still holds them
(their lease is live, or their order is still queued): `adopt_running` keeps them, and the
next `run` of such a source follows the adopted run instead of starting another, so the run
ends with the worker's figures and the source is never run twice at once. Only runs that no
worker holds are closed as orphans.
"""

from __future__ import annotations

import logging
import threading
import time
from datetime import UTC, datetime
from typing import Any

import redis
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from fundwatch.scheduler.executors.orders import (
    QUEUE_KEY,
    RunOrder,
    done_key,
    lease_key,
    worker_key,
)
from fundwatch.scheduler.runner import RunnerClosed
from fundwatch.storage.crawl_outcome import CrawlOutcome
from fundwatch.storage.models import CrawlRun
from fundwatch.storage.runs import close_run, start_run
from fundwatch.storage.timeutil import as_utc

log = logging.getLogger("scheduler")

LEASE_SECONDS = 10.0
MAX_ATTEMPTS = 3
ROW_CHECK_SECONDS = 5.0


class RedisDispatcher:
    """Thread-safe; one `run` call per crawl, from the daemon's pool threads."""

    def __init__(
        self,
        sessions: sessionmaker[Session],
        *,
        broker: str,
        lease_seconds: float = LEASE_SECONDS,
        max_attempts: int = MAX_ATTEMPTS,
        kill_grace: float = 10.0,
    ) -> None:
        self._sessions = sessions
        self._redis = redis.Redis.from_url(broker, socket_timeout=10, socket_connect_timeout=5)
        self._broker = broker
        self._lease_seconds = lease_seconds
        self._max_attempts = max_attempts
        self._kill_grace = kill_grace
        self._lock = threading.Lock()
        self._active: set[int] = set()
        self._adopted: dict[str, tuple[RunOrder, float]] = {}  # source -> (order, started)
        self._closed = threading.Event()

    @property
    def active_runs(self) -> list[int]:
        with self._lock:
            return list(self._active)

    def live_workers(self) -> list[str]:
        return [key.decode().rsplit(":", 1)[1] for key in self._redis.scan_iter(worker_key("*"))]

    def wait_for_workers(self, count: int, timeout: float) -> None:
        end = time.monotonic() + timeout
        while len(self.live_workers()) < count:
            if time.monotonic() > end:
                raise TimeoutError(f"{count} worker(s) did not register at {self._broker}")
            time.sleep(0.1)

    def run(self, source: str, *, deadline: float) -> CrawlOutcome:
        if self._closed.is_set():
            raise RunnerClosed(f"not starting {source}: the daemon is shutting down")
        with self._lock:
            adopted = self._adopted.pop(source, None)
        if adopted is not None:  # a run of this source is still out: follow it, start none
            order, started = adopted
            sent = True
        else:
            started = time.monotonic()
            with self._sessions.begin() as session:
                run_id = start_run(session, source).id
            order, sent = RunOrder(run_id, source, deadline), False
        with self._lock:
            self._active.add(order.run_id)
        try:
            status, message = self._follow(order, started, sent=sent)
        finally:
            with self._lock:
                self._active.discard(order.run_id)
        return self._outcome(order.run_id, source, started, status, message)

    def adopt_running(self, *, deadline: float, recheck_after: float = 1.0) -> list[int]:
        """At the start of a daemon: the `running` runs that a worker still holds (live lease)
        or will take (order queued) are kept and followed by the next `run` of their source;
        returns their ids. The others are left for `close_orphaned_runs`."""
        with self._sessions() as session:
            rows = session.execute(
                select(CrawlRun.id, CrawlRun.source, CrawlRun.started_at).where(
                    CrawlRun.status == "running"
                )
            ).all()
        if not rows:
            return []
        held = self._held_orders()
        if any(run_id not in held for run_id, _, _ in rows):
            time.sleep(recheck_after)  # an order between BRPOP and its lease is not lost
            held = self._held_orders()
        now = datetime.now(UTC)
        adopted = []
        with self._lock:
            for run_id, source, started_at in rows:
                order = held.get(run_id)
                if order is None or source in self._adopted:
                    continue
                if order is True:  # leased: the worker has the order; its attempt is unknown
                    order = RunOrder(run_id, source, deadline)
                age = (now - as_utc(started_at)).total_seconds()
                self._adopted[source] = (order, time.monotonic() - max(age, 0.0))
                adopted.append(run_id)
        return adopted

    def _held_orders(self) -> dict[int, RunOrder | bool]:
        """Run id -> its queued order, or True when a worker holds its lease."""
        held: dict[int, RunOrder | bool] = {}
        try:
            for raw in self._redis.lrange(QUEUE_KEY, 0, -1):
                try:
                    order = RunOrder.decode(raw)
                except (ValueError, KeyError):
                    continue
                held[order.run_id] = order
            for key in self._redis.scan_iter(lease_key("*")):
                run_id = key.decode().rsplit(":", 1)[1]
                if run_id.isdigit():
                    held.setdefault(int(run_id), True)
        except redis.RedisError as exc:
            log.warning("broker unavailable at start (%s): no run adopted", exc)
            return {}
        return held

    def _send(self, order: RunOrder) -> bool:
        try:
            self._redis.lpush(QUEUE_KEY, order.encode())
        except redis.RedisError as exc:
            log.warning("run %s: broker unavailable (%s); will resend", order.run_id, exc)
            return False
        return True

    def _follow(
        self, order: RunOrder, started: float, *, sent: bool = False
    ) -> tuple[str | None, str | None]:
        """Send the order (unless `sent`: an adopted run), wait until the row is finished;
        resend a lost order. Returns (status, message) to close the row with, or
        (None, None) when a worker finished it."""
        sent = sent or self._send(order)
        end = started + order.deadline + self._kill_grace + self._lease_seconds
        unattended_since: float | None = None if sent else time.monotonic()
        last_row_check = last_lease_check = time.monotonic()
        # a run mostly waits in the queue or runs: look for its lease (and the row) every few
        # seconds, not on every wake-up (bench/engines.py: a check per second and thread cost
        # the daemon more CPU per poll than the whole wait of a Celery result)
        lease_check_every = min(self._lease_seconds / 2, 5.0)
        while True:
            if self._closed.is_set():
                return "killed", "the daemon shut down before the crawl finished"
            now = time.monotonic()
            if now > end:
                return "timeout", (
                    f"hard deadline of {order.deadline:g} s exceeded; no worker finished the run"
                )
            try:
                if self._redis.blpop([done_key(order.run_id)], timeout=2):
                    return None, None
                if time.monotonic() - last_lease_check < lease_check_every:
                    continue
                last_lease_check = time.monotonic()
                attended = bool(self._redis.exists(lease_key(order.run_id))) or (
                    self._redis.lpos(QUEUE_KEY, order.encode()) is not None
                )
            except redis.RedisError:
                time.sleep(0.5)
                attended = False
            if now - last_row_check >= ROW_CHECK_SECONDS:
                last_row_check = now
                if self._row_status(order.run_id) != "running":
                    return None, None
            if attended:
                unattended_since = None
                continue
            unattended_since = unattended_since or now
            if now - unattended_since < self._lease_seconds:
                continue
            if self._row_status(order.run_id) != "running":
                return None, None
            if order.attempt >= self._max_attempts:
                return "error", (
                    f"the run was lost {order.attempt} times (worker or broker gone); giving up"
                )
            order = RunOrder(order.run_id, order.source, order.deadline, order.attempt + 1)
            log.warning(
                "run %s of %s: no worker holds it; sending it again (attempt %s)",
                order.run_id,
                order.source,
                order.attempt,
                extra={"event": "run_resent"},
            )
            if self._send(order):
                unattended_since = None

    def _row_status(self, run_id: int) -> str | None:
        with self._sessions() as session:
            return session.scalar(select(CrawlRun.status).where(CrawlRun.id == run_id))

    def _outcome(
        self, run_id: int, source: str, started: float, status: str | None, message: str | None
    ) -> CrawlOutcome:
        with self._sessions.begin() as session:
            run = session.scalars(
                select(CrawlRun).where(CrawlRun.id == run_id).with_for_update()
            ).one()
            if status is not None and run.status == "running":
                shutdown = self._closed.is_set()
                run = close_run(
                    session, run_id, status=status, message=message or status, record=not shutdown
                )
            return CrawlOutcome.of_run(run, duration_s=time.monotonic() - started, exit_code=None)

    def kill_all(self) -> list[int]:
        """At shutdown: stop waiting; the runs still out are closed `killed` (workers that
        finish them later record their real figures over it)."""
        self._closed.set()
        return self.active_runs

    def close(self) -> None:
        self._closed.set()
        self._redis.close()

    def info(self) -> dict[str, Any]:
        return {"broker": self._broker, "workers": self.live_workers()}
