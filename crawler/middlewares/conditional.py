"""Conditional GET for listing pages and feeds, with validators kept in the url_state table.

A request with meta `fundwatch_conditional` gets If-None-Match / If-Modified-Since from the
last crawl (unless it also has `fundwatch_no_validators`: a walk that must go deeper). New
validators are written when the crawl finishes normally, and only for the entry URLs whose
walk completed (`spider.keeps_validators(url)`: every link of the listing, feed or sitemap is
recorded in the crawl frontier), so a crawl that is killed or fails half-way re-reads its
listings next time instead of trusting a 304 for pages it never finished. A `Retry-After`
(429/503) is remembered: until then the URL is skipped.
"""

from __future__ import annotations

import logging
from datetime import datetime, timedelta
from email.utils import parsedate_to_datetime
from typing import Any

from scrapy import Request, Spider, signals
from scrapy.crawler import Crawler
from scrapy.exceptions import IgnoreRequest
from scrapy.http import Response

from fundwatch.crawler.resources import resources
from fundwatch.storage.canonical import canonicalize_url, url_key
from fundwatch.storage.models import UrlState
from fundwatch.storage.timeutil import as_utc, utcnow

log = logging.getLogger(__name__)

META = "fundwatch_conditional"
NO_VALIDATORS = "fundwatch_no_validators"
MAX_RETRY_AFTER = timedelta(days=1)


def retry_after(value: bytes | None, now: datetime) -> datetime | None:
    """The time a Retry-After header (seconds or an HTTP date) asks us to wait until."""
    if not value:
        return None
    text = value.decode("latin-1").strip()
    if text.isdigit():
        delay = timedelta(seconds=int(text))
    else:
        try:
            delay = as_utc(parsedate_to_datetime(text)) - now
        except (TypeError, ValueError):
            return None
    return now + min(max(delay, timedelta(0)), MAX_RETRY_AFTER)


class ConditionalGetMiddleware:
    def __init__(self, crawler: Crawler) -> None:
        self.crawler = crawler
        self.pending: dict[str, dict[str, Any]] = {}

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> ConditionalGetMiddleware:
        middleware = cls(crawler)
        crawler.signals.connect(middleware.spider_closed, signal=signals.spider_closed)
        return middleware

    @staticmethod
    def _key(url: str) -> str:
        return url_key(canonicalize_url(url))

    def process_request(self, request: Request) -> None:
        if not request.meta.get(META) or request.meta.get("fundwatch_validated"):
            return
        request.meta["fundwatch_validated"] = True
        with resources().sessions() as session:
            state = session.get(UrlState, self._key(request.url))
        if state is None:
            return
        if state.retry_after_until and as_utc(state.retry_after_until) > utcnow():
            raise IgnoreRequest(
                f"{request.url}: the server asked us to wait until "
                f"{as_utc(state.retry_after_until):%Y-%m-%d %H:%M:%S} UTC (Retry-After)"
            )
        if request.meta.get(NO_VALIDATORS):
            return
        if state.etag:
            request.headers.setdefault(b"If-None-Match", state.etag.encode("latin-1"))
        if state.last_modified:
            request.headers.setdefault(b"If-Modified-Since", state.last_modified.encode("latin-1"))

    def process_response(self, request: Request, response: Response) -> Response:
        if not request.meta.get(META):
            return response
        now = utcnow()
        values: dict[str, Any] = {"last_status": response.status, "last_fetched_at": now}
        if response.status == 200:
            etag = response.headers.get(b"ETag")
            modified = response.headers.get(b"Last-Modified")
            values["etag"] = etag.decode("latin-1")[:500] if etag else None
            values["last_modified"] = modified.decode("latin-1")[:100] if modified else None
            values["retry_after_until"] = None
        elif response.status in (429, 503):
            values["retry_after_until"] = retry_after(response.headers.get(b"Retry-After"), now)
        self.pending[request.url] = values
        return response

    def spider_closed(self, spider: Spider, reason: str) -> None:
        if not self.pending:
            return
        source = spider.name
        finished = reason == "finished"
        keeps = getattr(spider, "keeps_validators", lambda _url: True)
        with resources().sessions.begin() as session:
            for url, values in self.pending.items():
                keep_validators = finished and keeps(url)
                key = self._key(url)
                state = session.get(UrlState, key)
                if state is None:
                    state = UrlState(url_key=key, url=canonicalize_url(url), source=source)
                    session.add(state)
                for name, value in values.items():
                    if name in ("etag", "last_modified") and not keep_validators:
                        continue
                    setattr(state, name, value)
        self.pending.clear()
