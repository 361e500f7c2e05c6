"""The scrapy-redis worker bench/engines.py measures (needs the `engines` extra).

`python bench/engine_scrapy_redis.py REDIS_URL` runs one long-lived `RedisSpider` under
Scrapy's `CrawlerProcess` with scrapy-redis's scheduler and dupe filter. The bench pushes one
JSON message `{"url": FEED_URL}` per poll to `feeds:start_urls`; the spider fetches it with
conditional GET (the ETag it saw last, kept in this process), parses a 200 with feedparser, and
pushes the status to `feeds:done` so that the bench can count the polls.

It measures the request-level floor of scrapy-redis: what it does NOT do is fundwatch's unit of
work, a *run* (its crawl_runs row, single-flight lock, deadline, frontier, detection, storing),
which would come on top (docs/capacity.md).
"""

from __future__ import annotations

import json
import sys
from typing import Any

import feedparser
from scrapy import Request
from scrapy.crawler import CrawlerProcess
from scrapy_redis.spiders import RedisSpider

DONE_KEY = "feeds:done"


class FeedPollSpider(RedisSpider):
    name = "feeds"
    redis_key = "feeds:start_urls"
    max_idle_time = 0  # never close when idle: a long-lived worker

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.etags: dict[str, str] = {}

    def make_request_from_data(self, data: bytes) -> Request:
        url = json.loads(data)["url"]
        headers = {"If-None-Match": self.etags[url]} if url in self.etags else {}
        return Request(
            url,
            headers=headers,
            dont_filter=True,  # the same feed is polled again and again
            callback=self.parse,
            errback=self.failed,
            meta={"handle_httpstatus_list": [304]},
        )

    def parse(self, response: Any) -> None:
        if response.status == 200:
            feedparser.parse(response.body)
            etag = response.headers.get("ETag")
            if etag:
                self.etags[response.url] = etag.decode()
        self.server.rpush(DONE_KEY, str(response.status))

    def failed(self, failure: Any) -> None:
        self.server.rpush(DONE_KEY, f"error:{failure.type.__name__}")


def main() -> int:
    redis_url = sys.argv[1]
    process = CrawlerProcess(
        {
            "SCHEDULER": "scrapy_redis.scheduler.Scheduler",
            "DUPEFILTER_CLASS": "scrapy_redis.dupefilter.RFPDupeFilter",
            "SCHEDULER_PERSIST": True,
            "REDIS_URL": redis_url,
            "CONCURRENT_REQUESTS": 16,
            "CONCURRENT_REQUESTS_PER_DOMAIN": 16,
            "DOWNLOAD_DELAY": 0,
            "ROBOTSTXT_OBEY": False,
            "COOKIES_ENABLED": False,
            "TELNETCONSOLE_ENABLED": False,
            "LOG_LEVEL": "WARNING",
            "HTTPCACHE_ENABLED": False,
            "TWISTED_REACTOR": "twisted.internet.asyncioreactor.AsyncioSelectorReactor",
        }
    )
    process.crawl(FeedPollSpider)
    process.start()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
