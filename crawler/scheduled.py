"""One scheduled crawl run in this process: the crawl of a fork-executor child
(scheduler.executors.forkserver), the same as `fundwatch crawl SOURCE --run-id N` does."""

from __future__ import annotations

import logging
import os
import signal
from collections.abc import Mapping
from typing import Any

from fundwatch.crawler.resources import resources
from fundwatch.crawler.stats import Stat
from fundwatch.storage.crawl_outcome import RAN_STATUSES
from fundwatch.storage.models import CrawlRun


def crawl_run(source: str, run_id: int, overrides: Mapping[str, str]) -> int:
    """Crawl `source` as run `run_id` (created by the daemon, still `running`); the run records
    itself. Returns 0 when the crawl ran, 1 when the source failed, 2 when it could not start."""
    from scrapy.crawler import CrawlerProcess
    from scrapy.settings import Settings

    from fundwatch.crawler.logformat import filter_at_root

    shared = resources()
    if source not in shared.catalog:
        logging.error("crawl run %s: %s is not in the catalog", run_id, source)
        return 2
    with shared.sessions() as session:
        run = session.get(CrawlRun, run_id)
        if run is None or run.source != source or run.status != "running":
            logging.error("crawl run %s of %s is not a running run of that source", run_id, source)
            return 2
    settings = Settings()
    settings.setmodule("fundwatch.crawler.settings", priority="project")
    settings.set("LOG_LEVEL", "WARNING", priority="cmdline")
    for name, value in overrides.items():
        settings.set(name, value, priority="cmdline")
    for handler in list(logging.root.handlers):  # Scrapy installs its own, at LOG_LEVEL
        logging.root.removeHandler(handler)
    stopped_by: list[int] = []

    class StoppableProcess(CrawlerProcess):
        def _signal_shutdown(self, signum: int, frame: Any) -> None:
            stopped_by.append(signum)
            super()._signal_shutdown(signum, frame)

        def _signal_shutdown_reactorless(self, signum: int, frame: Any) -> None:
            stopped_by.append(signum)
            super()._signal_shutdown_reactorless(signum, frame)

    process = StoppableProcess(settings)
    filter_at_root(settings.get("LOG_LEVEL"))
    crawler = process.create_crawler(source)
    process.crawl(crawler, run_id=run_id)
    process.start()
    status = crawler.stats.get_value(Stat.STATUS) if crawler.stats else None
    if stopped_by and status is None:
        # stopped before the run could record itself: die by the signal, so that the daemon
        # records the run `killed` (as for a process killed outright), not `error`
        signal.signal(stopped_by[0], signal.SIG_DFL)
        os.kill(os.getpid(), stopped_by[0])
    return 0 if status in RAN_STATUSES else 1
