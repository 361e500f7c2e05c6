"""FeedSpider: an RSS or Atom feed fetched by Scrapy and parsed by feedparser from the bytes.

A malformed feed yields what feedparser recovers (bozo); an HTML page, an empty body or a feed
with no entries marks the source unhealthy. Entries link to full articles, which are fetched
and extracted with the matching site template or generically (trafilatura), falling back to
the entry's summary. Dedup: the entry's link (canonical), else its guid, else a content hash.
"""

from __future__ import annotations

import hashlib
from collections.abc import AsyncIterator, Iterator
from datetime import UTC, datetime
from typing import Any, ClassVar
from urllib.parse import urlencode

import feedparser
from scrapy import Request
from scrapy.core.downloader.handlers.http11 import TunnelError
from scrapy.http import Response
from scrapy.spidermiddlewares.httperror import HttpError
from twisted.internet.error import ConnectionRefusedError as Refused
from twisted.internet.error import TCPTimedOutError, TimeoutError
from twisted.python.failure import Failure
from twisted.web._newclient import ResponseFailed

from fundwatch.configuration import FeedSource
from fundwatch.crawler.extraction import Extracted
from fundwatch.crawler.items import ArticleItem
from fundwatch.crawler.spiders.base import FRONTIER_KEY, CatalogSpider, failure_text, log
from fundwatch.crawler.stats import Stat
from fundwatch.storage.canonical import canonicalize_url
from fundwatch.storage.frontier import Found

_HTML_START = (b"<!doctype html", b"<html")


def _plain(html: str) -> str:
    from parsel import Selector

    from fundwatch.crawler.extraction import texts

    if "<" not in html:
        return html
    return "\n".join(texts(Selector(text=f"<div>{html}</div>"), "xpath://body/div"))


def _entry_time(entry: Any) -> datetime | str | None:
    for field in ("published_parsed", "updated_parsed"):
        value = entry.get(field)
        if value:
            return datetime(*value[:6], tzinfo=UTC)
    return entry.get("published") or entry.get("updated")


def _http_url(value: str | None) -> str | None:
    if value and value.strip().lower().startswith(("http://", "https://")):
        try:
            return canonicalize_url(value)
        except ValueError:
            return None
    return None


class FeedSpider(CatalogSpider):
    source: ClassVar[FeedSource]

    async def start(self) -> AsyncIterator[Any]:
        if self.store_unavailable:
            return  # nothing is fetched that could not be stored (the run says why)
        for request in self.frontier_requests():
            yield request
        yield self.entry_request(self.source.url, self.parse_feed)

    def entry_key_url(self, entry: Any, summary: str) -> str:
        """The URL an entry is stored under: its link, else its guid, else a content hash."""
        link = _http_url(entry.get("link"))
        if link:
            return link
        guid = entry.get("id") or entry.get("guid")
        guid_url = _http_url(guid)
        if guid_url:
            return guid_url
        if guid:
            return f"{self.source.url}?{urlencode({'fundwatch_guid': guid})}"
        digest = hashlib.sha256(f"{entry.get('title', '')}\n{summary}".encode()).hexdigest()
        return f"{self.source.url}?{urlencode({'fundwatch_entry': digest[:32]})}"

    def parse_feed(self, response: Response) -> Iterator[Any]:
        if response.status == 304:
            self.entry_reached()
            log.info("%s: feed unchanged since the last crawl", self.name)
            return
        body = response.body
        if not body.strip():
            self.mark_unhealthy(f"{response.url} returned an empty body, not a feed")
            return
        head = body[:512].lstrip().lower()
        if head.startswith(_HTML_START):
            self.mark_unhealthy(f"{response.url} returned an HTML page, not a feed")
            return
        headers = {
            "content-type": (response.headers.get(b"Content-Type") or b"").decode("latin-1"),
            # relative entry links (without xml:base) are read against the feed's own URL
            "content-location": response.url,
        }
        parsed = feedparser.parse(body, response_headers=headers, sanitize_html=False)
        if not parsed.entries:
            what = "no entries" if parsed.get("version") else "not an RSS or Atom feed"
            self.mark_unhealthy(f"{response.url}: {what}")
            return
        self.entry_reached()
        if parsed.get("bozo"):
            self.count(Stat.FEED_BOZO)
            log.warning(
                "%s: malformed feed %s (%s); using the %d entries recovered",
                self.name,
                response.url,
                parsed.get("bozo_exception"),
                len(parsed.entries),
            )
        yield from self.entries(parsed.entries, response.url)
        self.mark_complete(response.url, self.source.url)  # every entry is recorded

    def entries(self, entries: list[Any], found_on: str) -> Iterator[Any]:
        hints: dict[str, dict[str, Any]] = {}
        for entry in entries:
            summary = _plain(entry.get("summary") or "")
            if not summary and entry.get("content"):
                summary = _plain(entry["content"][0].get("value", ""))
            if not (entry.get("title") or "").strip() and not summary.strip():
                self.count(Stat.ERRORS)  # nothing to store (a malformed entry): not an article
                log.warning("%s: a feed entry with no title and no text on %s", self.name, found_on)
                continue
            key_url = self.entry_key_url(entry, summary)
            if key_url in hints:
                continue
            published = _entry_time(entry)
            hints[key_url] = {
                "title": entry.get("title") or "",
                "summary": summary,
                "published": published.isoformat()
                if isinstance(published, datetime)
                else published,
                "author": entry.get("author"),
            }
        _new, fetch = self.discover(self.found(hints, hints), found_on)
        for item in fetch:
            yield from self.requests_for(item)

    def fallback_of(self, item: Found) -> ArticleItem:
        hint = item.hint or {}
        extracted = Extracted(title=hint.get("title") or "", body=hint.get("summary") or "")
        fallback = self.make_item(item.url, extracted, "summary")
        published = hint.get("published")
        try:
            fallback.published = datetime.fromisoformat(published) if published else None
        except (TypeError, ValueError):
            fallback.published = published
        fallback.author = hint.get("author")
        fallback.frontier_key = item.url_key
        return fallback

    def requests_for(self, item: Found) -> Iterator[Any]:
        fallback = self.fallback_of(item)
        link_is_article = not item.url.startswith(self.source.url + "?")
        if self.source.fetch_articles and link_is_article:
            yield Request(
                item.url,
                callback=self.parse_entry_article,
                errback=self.on_entry_article_error,
                cb_kwargs={"fallback": fallback},
                meta={FRONTIER_KEY: item.url_key},
            )
        else:
            yield fallback

    def parse_entry_article(self, response: Response, fallback: ArticleItem) -> Iterator[Any]:
        extracted, how, template = self.extract(response)
        if len(extracted.body.strip()) < len(fallback.body.strip()) or not extracted.body.strip():
            log.info("%s: using the feed summary for %s", self.name, fallback.url)
            yield fallback
            return
        item = self.item_over_fallback(fallback, extracted, how, template)
        item.author = item.author or fallback.author
        yield from self.whole(item, extracted, response)

    def on_entry_article_error(self, failure: Failure) -> Iterator[Any]:
        """A transient failure (5xx, timeout, dropped connection) keeps the entry pending for
        the next run, until its last attempt; otherwise (refused, 4xx) the feed's summary is
        stored instead."""
        self.on_error(failure)
        request = failure.request  # type: ignore[attr-defined]
        fallback = request.cb_kwargs.get("fallback")
        key = request.meta.get(FRONTIER_KEY)
        if fallback is None:
            return
        max_attempts, _ = self.frontier_limits()
        if transient(failure) and key and self.attempts_of(key) + 1 < max_attempts:
            self.article_failed(key, f"{request.url}: {failure_text(failure)}")
            return
        yield fallback

    def attempts_of(self, key: str) -> int:
        from fundwatch.storage.models import FrontierEntry

        with self.resources.sessions() as session:
            entry = session.get(FrontierEntry, key)
            return entry.attempts if entry is not None else 0


def transient(failure: Failure) -> bool:
    """A failure worth trying again later: a 5xx or 429 answer, a timeout, a lost connection."""
    if failure.check(HttpError):
        return failure.value.response.status >= 500 or failure.value.response.status == 429
    return bool(failure.check(TimeoutError, TCPTimedOutError, Refused, ResponseFailed, TunnelError))
