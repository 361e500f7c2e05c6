"""The Celery application bench/engines.py measures (needs the `engines` extra).

Two ways to run a fundwatch crawl run as a Celery task, started by the bench as
`celery -A engine_celery_app worker ...` with this folder on PYTHONPATH:

- `crawl_in_reactor` (pool `threads`): one long-lived Twisted reactor in a thread of the worker
  process (Scrapy's `CrawlerRunner`, one `Crawler` per run, like `fundwatch worker`); the task
  thread takes the source's single-flight lock, checks the run row, hands the crawl to the
  reactor with `blockingCallFromThread` and blocks until it ends.
- `crawl_in_process` (pool `prefork`): the task runs a `CrawlerProcess` in the pool child. The
  reactor cannot be restarted in a process, so this works only with `--max-tasks-per-child 1`
  (a fresh child forked from Celery's parent for every run); without it the second run in a
  child fails with ReactorNotRestartable, which the bench shows.

Broker and result backend: ENGINES_BROKER (a Redis URL).
"""

from __future__ import annotations

import logging
import os
import threading
from typing import Any

from celery import Celery

BROKER = os.environ.get("ENGINES_BROKER", "redis://127.0.0.1:6379/0")

app = Celery("engine_celery_app", broker=BROKER, backend=BROKER)
app.conf.update(
    task_serializer="json",
    result_serializer="json",
    accept_content=["json"],
    task_acks_late=True,  # a worker that dies mid-run: the broker redelivers (visibility timeout)
    worker_prefetch_multiplier=1,
    result_expires=3600,
    broker_connection_retry_on_startup=True,
    worker_hijack_root_logger=False,
    worker_redirect_stdouts=False,  # the crawls' summary lines go to stdout, as in our worker
)

if os.environ.get("ENGINES_PRELOAD") == "1":  # the prefork parent imports what a crawl needs
    from fundwatch.scheduler.executors.forkserver import preload

    preload()

_reactor_lock = threading.Lock()
_bridge: dict[str, Any] = {}


def _reactor_bridge() -> dict[str, Any]:
    """Start the reactor in a thread of its own, once per process; return what tasks need."""
    with _reactor_lock:
        if _bridge:
            return _bridge
        ready = threading.Event()

        def run_reactor() -> None:
            from scrapy.crawler import CrawlerRunner
            from scrapy.utils.log import configure_logging
            from scrapy.utils.reactor import install_reactor

            from fundwatch.commands.worker import worker_scrapy_settings
            from fundwatch.crawler.resources import resources
            from fundwatch.scheduler.worker import check_callbacks_once

            install_reactor("twisted.internet.asyncioreactor.AsyncioSelectorReactor")
            from twisted.internet import reactor

            settings = worker_scrapy_settings("WARNING")
            configure_logging(settings, install_root_handler=False)
            logging.root.setLevel(logging.WARNING)
            logging.getLogger("scrapy").setLevel(logging.WARNING)  # Scrapy set it to DEBUG
            shared = resources()
            shared.catalog, shared.sessions, shared.detector  # noqa: B018
            check_callbacks_once()
            _bridge.update(reactor=reactor, runner=CrawlerRunner(settings), classes={})
            ready.set()
            reactor.run(installSignalHandlers=False)

        threading.Thread(target=run_reactor, name="twisted-reactor", daemon=True).start()
        ready.wait(120)
        return _bridge


def _spider_class(bridge: dict[str, Any], source: str, deadline: float) -> Any:
    key = (source, deadline)
    if key not in bridge["classes"]:
        spidercls = bridge["runner"].spider_loader.load(source)
        bridge["classes"][key] = type(
            spidercls.__name__,
            (spidercls,),
            {
                "custom_settings": {
                    **(spidercls.custom_settings or {}),
                    "CLOSESPIDER_TIMEOUT": deadline,
                },
                "__module__": spidercls.__module__,
            },
        )
    return bridge["classes"][key]


def _take_run(run_id: int, source: str) -> tuple[Any, str | None]:
    """The single-flight lock and the row's status, as `fundwatch worker` takes a run."""
    from fundwatch.crawler.resources import resources
    from fundwatch.scheduler.executors.singleflight import SourceLock
    from fundwatch.storage.models import CrawlRun

    shared = resources()
    lock = SourceLock.try_take(shared.sessions.kw["bind"], source)
    if lock is None:
        return None, "locked"
    with shared.sessions.begin() as session:
        run = session.get(CrawlRun, run_id)
        status = run.status if run is not None else None
        if run is not None and status == "running":
            run.pid = os.getpid()
    return lock, status


@app.task(name="crawl_in_reactor", bind=True, max_retries=30)
def crawl_in_reactor(self: Any, run_id: int, source: str, deadline: float) -> str:
    from twisted.internet.threads import blockingCallFromThread

    bridge = _reactor_bridge()
    if logging.root.level != logging.WARNING:  # Celery set it up after the reactor started
        logging.root.setLevel(logging.WARNING)
    lock, status = _take_run(run_id, source)
    if lock is None:
        raise self.retry(countdown=1)
    try:
        if status != "running":
            return status or "gone"
        crawlers: list[Any] = []

        def start() -> Any:
            crawler = bridge["runner"].create_crawler(_spider_class(bridge, source, deadline))
            crawlers.append(crawler)
            return bridge["runner"].crawl(crawler, run_id=run_id)

        blockingCallFromThread(bridge["reactor"], start)
        stats = crawlers[0].stats
        return (stats.get_value("fundwatch/status") if stats else None) or "error"
    finally:
        lock.release()


@app.task(name="crawl_in_process", bind=True, max_retries=30)
def crawl_in_process(self: Any, run_id: int, source: str, deadline: float) -> str:
    from scrapy.crawler import CrawlerProcess

    from fundwatch.commands.worker import worker_scrapy_settings

    lock, status = _take_run(run_id, source)
    if lock is None:
        raise self.retry(countdown=1)
    try:
        if status != "running":
            return status or "gone"
        settings = worker_scrapy_settings("WARNING")
        settings.set("CLOSESPIDER_TIMEOUT", deadline, priority="cmdline")
        logging.root.setLevel(logging.WARNING)  # Celery's handlers would get Scrapy's DEBUG
        logging.getLogger("scrapy").setLevel(logging.WARNING)
        process = CrawlerProcess(settings, install_root_handler=False)
        crawler = process.create_crawler(source)
        process.crawl(crawler, run_id=run_id)
        process.start(install_signal_handlers=False)
        stats = crawler.stats
        return (stats.get_value("fundwatch/status") if stats else None) or "error"
    finally:
        lock.release()
