"""A long-lived crawl worker: many crawl runs at once in one Twisted reactor.

`fundwatch worker` (fundwatch/commands/worker.py) starts one of these per process. Scrapy, the
catalog, the detector and the database engine are loaded once; each run order from Redis
(scheduler.executors.orders) becomes one Scrapy `Crawler` of Scrapy's `CrawlerRunner`, with the
order's deadline as its CLOSESPIDER_TIMEOUT (the engine of that crawler alone is closed; the
frontier and the conditional-GET state keep what it had not done, as after any `timeout`).

A run is taken only when the source's single-flight lock (scheduler.executors.singleflight)
can be had and its row is still `running`; otherwise the order is a duplicate and dropped.
After `max_runs` runs, or when its memory passes `max_memory_mb`, the worker stops taking
orders, finishes what it runs, and exits with RECYCLE_EXIT so that its supervisor starts a
fresh one (Celery's max_tasks_per_child / max_memory_per_child).
"""

from __future__ import annotations

import contextlib
import logging
import os
import signal
import socket
import threading
import time
import uuid
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import redis

from fundwatch.crawler.stats import Stat
from fundwatch.scheduler.executors.orders import (
    DONE_TTL_SECONDS,
    QUEUE_KEY,
    RunOrder,
    done_key,
    lease_key,
    worker_key,
)
from fundwatch.scheduler.executors.singleflight import SourceLock
from fundwatch.storage.models import CrawlRun

log = logging.getLogger("fundwatch.worker")

RECYCLE_EXIT = 75  # EX_TEMPFAIL: "start me again"
LEASE_SECONDS = 10.0


def rss_mib() -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0.0


@dataclass
class WorkerLimits:
    concurrency: int = 16
    max_runs: int = 0  # 0: no limit
    max_memory_mb: float = 0.0  # 0: no limit
    lease_seconds: float = LEASE_SECONDS


def check_callbacks_once() -> None:
    """Scrapy checks every response's callback for a generator that returns a value (reading
    its source with inspect and ast), caching the answer by the bound method, which is a new
    object for every spider: in a worker that is one source parse per poll. Check each
    function once per process instead (the warning is about the code, not the run)."""
    from functools import partial

    from scrapy.core import scraper
    from scrapy.utils.misc import warn_on_generator_with_return_value

    checked: set[Any] = set()

    def check_once(spider: Any, callback: Any) -> None:
        if isinstance(callback, partial):
            warn_on_generator_with_return_value(spider, callback)
            return
        function = getattr(callback, "__func__", callback)
        if function not in checked:
            checked.add(function)
            warn_on_generator_with_return_value(spider, callback)

    scraper.warn_on_generator_with_return_value = check_once  # type: ignore[assignment]


class CrawlWorker:
    def __init__(self, broker: str, scrapy_settings: Any, limits: WorkerLimits) -> None:
        self.broker = broker
        self.scrapy_settings = scrapy_settings
        self.limits = limits
        self.name = f"{socket.gethostname()}-{os.getpid()}-{uuid.uuid4().hex[:6]}"
        self.redis = redis.Redis.from_url(broker, socket_timeout=10, socket_connect_timeout=5)
        self.slots = threading.Semaphore(limits.concurrency)
        self.active: dict[int, RunOrder] = {}
        self.active_lock = threading.Lock()
        self.finished_runs = 0
        self.stopping = threading.Event()
        self.exit_code = 0
        self.runner: Any = None
        self._spider_classes: dict[tuple[str, float], Any] = {}
        self.reactor: Any = None

    # -- in the reactor thread ------------------------------------------------------------------

    def serve(self) -> int:
        from scrapy.crawler import CrawlerRunner
        from scrapy.utils.log import configure_logging
        from scrapy.utils.reactor import install_reactor

        from fundwatch.crawler.logformat import filter_at_root

        install_reactor("twisted.internet.asyncioreactor.AsyncioSelectorReactor")
        from twisted.internet import reactor

        from fundwatch.crawler.resources import resources

        for handler in list(logging.root.handlers):  # Scrapy installs its own, at LOG_LEVEL
            logging.root.removeHandler(handler)
        configure_logging(self.scrapy_settings, install_root_handler=True)
        # every logger.info() of every crawl would build a record that each crawler's log
        # counter then drops (~24 records per steady poll)
        filter_at_root(self.scrapy_settings.get("LOG_LEVEL", "WARNING"))
        shared = resources()
        shared.catalog, shared.sessions  # noqa: B018 (loaded once, before the first order)
        if self.scrapy_settings.get("FUNDWATCH_STORE_WORKER") != "process":
            shared.detector  # noqa: B018
        self.reactor = reactor
        check_callbacks_once()
        self.runner = CrawlerRunner(self.scrapy_settings)
        threading.Thread(target=self._take_orders, name="fundwatch-orders", daemon=True).start()
        threading.Thread(target=self._keep_leases, name="fundwatch-leases", daemon=True).start()
        for signum in (signal.SIGTERM, signal.SIGINT):
            signal.signal(signum, lambda *_: reactor.callFromThread(self.stop))
        log.warning("worker %s taking runs from %s", self.name, self.broker)
        reactor.run(installSignalHandlers=False)
        self._unregister()
        return self.exit_code

    def _start(self, order: RunOrder) -> None:
        from fundwatch.crawler.resources import resources

        shared = resources()
        try:
            lock = SourceLock.try_take(shared.sessions.kw["bind"], order.source)
        except Exception as exc:
            log.error("run %s: could not take the lock of %s: %s", order.run_id, order.source, exc)
            self._release(order, None)
            return
        if lock is None:  # another run of the source is under way somewhere: ask again soon
            log.warning(
                "run %s: %s is being crawled elsewhere; retrying in 1 s", order.run_id, order.source
            )
            self.reactor.callLater(1.0, self._requeue, order)
            return
        with shared.sessions.begin() as session:
            run = session.get(CrawlRun, order.run_id)
            status = run.status if run is not None else None
            if run is not None and status == "running":
                run.pid = os.getpid()  # which worker runs it (tests, `fundwatch sources`)
        if status != "running" or order.source not in shared.catalog:
            self._release(order, lock, done=status or "gone")
            return
        try:
            crawler = self.runner.create_crawler(self._spider_class(order))
            deferred = self.runner.crawl(crawler, run_id=order.run_id)
        except Exception as exc:
            log.exception("run %s of %s could not start", order.run_id, order.source)
            self._fail(order, f"the worker could not start the crawl: {exc}")
            self._release(order, lock, done="error")
            return

        def finished(result: Any) -> None:
            status = crawler.stats.get_value(Stat.STATUS) if crawler.stats else None
            if status is None:  # the crawl failed before its run was recorded
                self._fail(order, f"the crawl failed: {result}")
            self._release(order, lock, done=status or "error")

        deferred.addBoth(finished)

    def _spider_class(self, order: RunOrder) -> Any:
        """The source's spider with the order's deadline as CLOSESPIDER_TIMEOUT (one class per
        source and deadline, so Scrapy's per-class caches keep working)."""
        key = (order.source, order.deadline)
        cached = self._spider_classes.get(key)
        if cached is not None:
            return cached
        spidercls = self.runner.spider_loader.load(order.source)
        timed = type(
            spidercls.__name__,
            (spidercls,),
            {
                "custom_settings": {
                    **(spidercls.custom_settings or {}),
                    "CLOSESPIDER_TIMEOUT": order.deadline,
                },
                "__module__": spidercls.__module__,
            },
        )
        self._spider_classes[key] = timed
        return timed

    def _requeue(self, order: RunOrder) -> None:
        try:
            self.redis.lpush(QUEUE_KEY, order.encode())
        except redis.RedisError as exc:
            log.warning("run %s: could not requeue: %s", order.run_id, exc)
        self._release(order, None)

    def _fail(self, order: RunOrder, message: str) -> None:
        from fundwatch.crawler.resources import resources
        from fundwatch.storage.runs import close_run

        with resources().sessions.begin() as session:
            run = session.get(CrawlRun, order.run_id)
            if run is not None and run.status == "running":
                close_run(session, order.run_id, status="error", message=message[:500])

    def _release(
        self,
        order: RunOrder,
        lock: SourceLock | None,
        *,
        done: str | None = None,
        keep_lease: bool = False,
    ) -> None:
        if lock is not None:
            try:
                lock.release()
            except Exception as exc:
                log.warning("could not release the lock of %s: %s", order.source, exc)
        try:
            if done is not None:
                pipe = self.redis.pipeline()
                pipe.rpush(done_key(order.run_id), done)
                pipe.expire(done_key(order.run_id), DONE_TTL_SECONDS)
                if not keep_lease:
                    pipe.delete(lease_key(order.run_id))
                pipe.execute()
            elif not keep_lease:
                self.redis.delete(lease_key(order.run_id))
        except redis.RedisError as exc:  # the dispatcher reads the row instead
            log.warning("run %s: could not report to the broker: %s", order.run_id, exc)
        with self.active_lock:
            self.active.pop(order.run_id, None)
            self.finished_runs += 1
            idle = not self.active
        self.slots.release()
        self._maybe_recycle(idle)

    def _maybe_recycle(self, idle: bool) -> None:
        limits = self.limits
        if not self.stopping.is_set():
            if limits.max_runs and self.finished_runs >= limits.max_runs:
                self._drain(f"{self.finished_runs} runs done (max {limits.max_runs})")
            elif limits.max_memory_mb and rss_mib() > limits.max_memory_mb:
                self._drain(f"memory {rss_mib():.0f} MiB > {limits.max_memory_mb:g} MiB")
        if self.stopping.is_set() and idle and self.reactor.running:
            self.reactor.stop()

    def _drain(self, why: str) -> None:
        log.warning("worker %s recycles: %s", self.name, why)
        self.exit_code = RECYCLE_EXIT
        self.stopping.set()

    def stop(self) -> None:
        """Take no more orders; exit when the running crawls are done (SIGTERM)."""
        self.stopping.set()
        with self.active_lock:
            idle = not self.active
        if idle and self.reactor is not None and self.reactor.running:
            self.reactor.stop()

    # -- threads --------------------------------------------------------------------------------

    def _take_orders(self) -> None:
        while not self.stopping.is_set():
            if not self.slots.acquire(timeout=1):
                continue
            if self.stopping.is_set():
                self.slots.release()
                return
            try:
                raw = self.redis.brpop([QUEUE_KEY], timeout=1)
            except redis.RedisError as exc:
                self.slots.release()
                log.warning("broker unavailable: %s", exc)
                time.sleep(1)
                continue
            if raw is None:
                self.slots.release()
                continue
            try:
                order = RunOrder.decode(raw[1])
            except (ValueError, KeyError) as exc:
                self.slots.release()
                log.error("unreadable run order %r: %s", raw[1][:200], exc)
                continue
            self._lease(order)
            with self.active_lock:
                self.active[order.run_id] = order
            self.reactor.callFromThread(self._start, order)

    def _lease(self, order: RunOrder) -> None:
        # on failure _keep_leases renews it; a resent order meanwhile finds the source locked
        with contextlib.suppress(redis.RedisError):
            self.redis.set(lease_key(order.run_id), self.name, ex=int(self.limits.lease_seconds))

    def _keep_leases(self) -> None:
        period = max(self.limits.lease_seconds / 3, 0.5)
        while True:
            try:
                self.redis.set(
                    worker_key(self.name), str(os.getpid()), ex=int(self.limits.lease_seconds)
                )
                with self.active_lock:
                    orders = list(self.active.values())
                for order in orders:
                    self._lease(order)
            except redis.RedisError as exc:
                log.warning("broker unavailable: %s", exc)
            time.sleep(period)

    def _unregister(self) -> None:
        with contextlib.suppress(redis.RedisError):
            self.redis.delete(worker_key(self.name))
