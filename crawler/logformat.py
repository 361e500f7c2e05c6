"""Logging of a crawl process at its LOG_LEVEL, without building the records nobody sees.

Scrapy filters at its handlers and leaves the root logger at NOTSET, so every DEBUG message
(one "Crawled (200)" per page, one "Scraped from" per item) is formatted into a record and then
dropped. `filter_at_root` sets the level where records are made instead, and `LogFormatter`
(LOG_FORMATTER in crawler/settings.py) does not even build those two messages' arguments when
their logger would drop them. At LOG_LEVEL = DEBUG both log as Scrapy does.
"""

from __future__ import annotations

import logging
from typing import Any

from scrapy import logformatter

_ENGINE = logging.getLogger("scrapy.core.engine")
_SCRAPER = logging.getLogger("scrapy.core.scraper")


class LogFormatter(logformatter.LogFormatter):
    def crawled(self, request: Any, response: Any, spider: Any) -> Any:
        if not _ENGINE.isEnabledFor(logging.DEBUG):
            return None
        return super().crawled(request, response, spider)

    def scraped(self, item: Any, response: Any, spider: Any) -> Any:
        if not _SCRAPER.isEnabledFor(logging.DEBUG):
            return None
        return super().scraped(item, response, spider)


def filter_at_root(level: str | int) -> None:
    """Call after Scrapy installed its root handler (CrawlerProcess, configure_logging): no
    record below `level` is made; Scrapy's handler and log counters see the same records."""
    logging.root.setLevel(level)
    # configure_logging sets the `scrapy` logger itself to DEBUG: the same for its loggers
    logging.getLogger("scrapy").setLevel(level)
