"""The crawl_runs row of each spider: adopted (`--run-id`, from the scheduler) or created at
spider open, finished at close with the counters, and a one-line summary on stdout."""

from __future__ import annotations

import logging
import os
from dataclasses import dataclass
from typing import Any

from scrapy import Spider, signals
from scrapy.crawler import Crawler

from fundwatch.crawler.resources import resources
from fundwatch.storage.frontier import pending_count
from fundwatch.storage.runs import disable_source, finish_run, start_run

log = logging.getLogger(__name__)

_CLOSE_STATUS = {
    "finished": "ok",
    "closespider_timeout": "timeout",
    "shutdown": "killed",
    "store_unavailable": "error",
}


@dataclass(frozen=True)
class RunSummary:
    source: str
    run_id: int | None
    status: str
    pages: int
    new: int
    duplicates: int
    flagged: int
    errors: int
    message: str | None
    disable: bool = False
    failed_pages: int = 0
    not_stored: int = 0
    reasons: tuple[str, ...] = ()

    def line(self) -> str:
        text = (
            f"{self.source}: {self.status} (run {self.run_id}) pages={self.pages} new={self.new} "
            f"duplicates={self.duplicates} flagged={self.flagged} errors={self.errors}"
        )
        if self.failed_pages or self.not_stored:
            text += f" failed_pages={self.failed_pages} not_stored={self.not_stored}"
        return text + (f" — {self.message}" if self.message else "")


def summarize(spider: Spider, stats: dict[str, Any], reason: str) -> RunSummary:
    def value(key: str) -> int:
        return int(stats.get(f"fundwatch/{key}", 0) or 0)

    status = _CLOSE_STATUS.get(reason, "error")
    message = None if status == "ok" else f"crawl ended: {reason}"
    failed_pages, not_stored = value("failed_pages"), value("not_stored")
    reasons = tuple(str(r) for r in stats.get("fundwatch/reasons") or ())
    if stats.get("fundwatch/store_unavailable"):
        status = "error"
        message = (
            f"{stats['fundwatch/store_unavailable']}; the crawl stopped, and what it found "
            "stays pending in the crawl frontier"
        )
    elif stats.get("fundwatch/unhealthy"):
        status, message = "unhealthy", str(stats["fundwatch/unhealthy"])
    elif value("entry_ok") == 0 and status == "ok" and stats.get("fundwatch/entry_gone"):
        status = "unhealthy"
        message = (
            f"{stats['fundwatch/entry_gone']} (Gone): source disabled; fix its URL in the "
            f"catalog, then `fundwatch sources --enable {spider.name}`"
        )
    elif value("entry_ok") == 0 and status == "ok" and stats.get("fundwatch/entry_missing"):
        status, message = "unhealthy", str(stats["fundwatch/entry_missing"])
    elif value("entry_ok") == 0 and status == "ok":
        status = "error"
        message = str(stats.get("fundwatch/entry_error") or "no start URL could be fetched")
    elif status == "ok" and (failed_pages or not_stored):
        status = "partial"
        message = (
            f"{failed_pages} page(s) failed, {not_stored} fetched article(s) not stored; "
            f"they stay pending in the crawl frontier. First: {reasons[0] if reasons else '?'}"
        )
    return RunSummary(
        source=spider.name,
        run_id=getattr(spider, "run_id", None),
        status=status,
        pages=int(stats.get("response_received_count", 0) or 0),
        new=value("new"),
        duplicates=value("duplicates"),
        flagged=value("flagged"),
        errors=value("errors") + int(stats.get("spider_exceptions/count", 0) or 0),
        message=message,
        disable=status == "unhealthy" and bool(stats.get("fundwatch/entry_gone")),
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
        summary = summarize(spider, self.crawler.stats.get_stats(), reason)
        self.crawler.stats.set_value("fundwatch/status", summary.status)
        try:
            with resources().sessions.begin() as session:
                pending = pending_count(session, spider.name)
                finish_run(
                    session,
                    summary.run_id,  # type: ignore[arg-type]
                    status=summary.status,
                    pages=summary.pages,
                    new=summary.new,
                    duplicates=summary.duplicates,
                    flagged=summary.flagged,
                    errors=summary.errors,
                    message=summary.message,
                    failed_pages=summary.failed_pages,
                    not_stored=summary.not_stored,
                    pending=pending,
                    reasons=list(summary.reasons),
                )
                if summary.disable:
                    disable_source(session, spider.name, summary.message or "gone")
        except Exception:
            log.exception("%s: could not record crawl run %s", spider.name, summary.run_id)
        print(summary.line(), flush=True)
