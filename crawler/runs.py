"""The crawl_runs row of each spider: adopted (`--run-id`, from the scheduler) or created at
spider open, finished at close with the counters, and a one-line summary on stdout."""

from __future__ import annotations

import logging
import os
from collections.abc import Mapping
from typing import Any

from scrapy import Spider, signals
from scrapy.crawler import Crawler

from fundwatch.crawler.resources import resources
from fundwatch.crawler.stats import Stat
from fundwatch.storage.crawl_outcome import CrawlOutcome
from fundwatch.storage.frontier import pending_count
from fundwatch.storage.runs import disable_source, finish_run, start_run

log = logging.getLogger(__name__)

_CLOSE_STATUS = {
    "finished": "ok",
    "closespider_timeout": "timeout",
    "shutdown": "killed",
    "store_unavailable": "error",
}


def summarize(spider: Spider, stats: Mapping[str, Any], reason: str) -> CrawlOutcome:
    """The run's outcome from the crawl's stats and Scrapy's close reason."""

    def value(stat: Stat) -> int:
        return int(stats.get(stat, 0) or 0)

    status = _CLOSE_STATUS.get(reason, "error")
    message = None if status == "ok" else f"crawl ended: {reason}"
    failed_pages, not_stored = value(Stat.FAILED_PAGES), value(Stat.NOT_STORED)
    reasons = tuple(str(r) for r in stats.get(Stat.REASONS) or ())
    entry_reached = value(Stat.ENTRY_OK) > 0
    if stats.get(Stat.STORE_UNAVAILABLE):
        status = "error"
        message = (
            f"{stats[Stat.STORE_UNAVAILABLE]}; the crawl stopped, and what it found "
            "stays pending in the crawl frontier"
        )
    elif stats.get(Stat.UNHEALTHY):
        status, message = "unhealthy", str(stats[Stat.UNHEALTHY])
    elif not entry_reached and status == "ok" and stats.get(Stat.ENTRY_GONE):
        status = "unhealthy"
        message = (
            f"{stats[Stat.ENTRY_GONE]} (Gone): source disabled; fix its URL in the "
            f"catalog, then `fundwatch sources --enable {spider.name}`"
        )
    elif not entry_reached and status == "ok" and stats.get(Stat.ENTRY_MISSING):
        status, message = "unhealthy", str(stats[Stat.ENTRY_MISSING])
    elif not entry_reached and status == "ok":
        status = "error"
        message = str(stats.get(Stat.ENTRY_ERROR) or "no start URL could be fetched")
    elif status == "ok" and (failed_pages or not_stored):
        status = "partial"
        message = (
            f"{failed_pages} page(s) failed, {not_stored} fetched article(s) not stored; "
            f"they stay pending in the crawl frontier. First: {reasons[0] if reasons else '?'}"
        )
    return CrawlOutcome(
        source=spider.name,
        run_id=getattr(spider, "run_id", None),
        status=status,
        pages=int(stats.get("response_received_count", 0) or 0),
        new=value(Stat.NEW),
        duplicates=value(Stat.DUPLICATES),
        flagged=value(Stat.FLAGGED),
        errors=value(Stat.ERRORS) + int(stats.get("spider_exceptions/count", 0) or 0),
        message=message,
        disable=status == "unhealthy" and bool(stats.get(Stat.ENTRY_GONE)),
        failed_pages=failed_pages,
        not_stored=not_stored,
        reasons=reasons,
    )


class CrawlRunExtension:
    def __init__(self, crawler: Crawler) -> None:
        self.crawler = crawler

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> CrawlRunExtension:
        extension = cls(crawler)
        crawler.signals.connect(extension.spider_opened, signal=signals.spider_opened)
        crawler.signals.connect(extension.spider_closed, signal=signals.spider_closed)
        return extension

    def spider_opened(self, spider: Spider) -> None:
        if getattr(spider, "run_id", None) is None:
            with resources().sessions.begin() as session:
                spider.run_id = start_run(session, spider.name, pid=os.getpid()).id  # type: ignore[attr-defined]

    def spider_closed(self, spider: Spider, reason: str) -> None:
        assert self.crawler.stats is not None
        outcome = summarize(spider, self.crawler.stats.get_stats(), reason)
        self.crawler.stats.set_value(Stat.STATUS, outcome.status)
        try:
            with resources().sessions.begin() as session:
                finish_run(session, outcome, pending=pending_count(session, spider.name))
                if outcome.disable:
                    disable_source(session, spider.name, outcome.message or "gone")
        except Exception:
            log.exception("%s: could not record crawl run %s", spider.name, outcome.run_id)
        print(outcome.line(), flush=True)
