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
from scrapy.http import Response
from twisted.python.failure import Failure

from fundwatch.configuration import FeedSource
from fundwatch.crawler.extraction import Extracted
from fundwatch.crawler.items import ArticleItem
from fundwatch.crawler.spiders.base import CatalogSpider, log
from fundwatch.storage.canonical import canonicalize_url

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
        headers = {"content-type": (response.headers.get(b"Content-Type") or b"").decode("latin-1")}
        parsed = feedparser.parse(body, response_headers=headers, sanitize_html=False)
        if not parsed.entries:
            what = "no entries" if parsed.get("version") else "not an RSS or Atom feed"
            self.mark_unhealthy(f"{response.url}: {what}")
            return
        self.entry_reached()
        if parsed.get("bozo"):
            self.count("feed_bozo")
            log.warning(
                "%s: malformed feed %s (%s); using the %d entries recovered",
                self.name,
                response.url,
                parsed.get("bozo_exception"),
                len(parsed.entries),
            )
        yield from self.entries(parsed.entries)

    def entries(self, entries: list[Any]) -> Iterator[Any]:
        fallbacks: dict[str, ArticleItem] = {}
        for entry in entries:
            summary = _plain(entry.get("summary") or "")
            if not summary and entry.get("content"):
                summary = _plain(entry["content"][0].get("value", ""))
            key_url = self.entry_key_url(entry, summary)
            if key_url in fallbacks:
                continue
            extracted = Extracted(title=entry.get("title") or "", body=summary)
            item = self.make_item(key_url, extracted, "summary")
            item.published = _entry_time(entry)
            item.author = entry.get("author")
            fallbacks[key_url] = item
        fresh = self.unseen(fallbacks)
        for url in fresh:
            if not self.claim(url):
                log.info("%s: max_articles (%d) reached", self.name, self.source.max_articles)
                return
            fallback = fallbacks[url]
            link_is_article = not url.startswith(self.source.url + "?")
            if self.source.fetch_articles and link_is_article:
                yield Request(
                    url,
                    callback=self.parse_entry_article,
                    errback=self.on_entry_article_error,
                    cb_kwargs={"fallback": fallback},
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
        yield item

    def on_entry_article_error(self, failure: Failure) -> Iterator[Any]:
        self.on_error(failure)
        fallback = failure.request.cb_kwargs.get("fallback")  # type: ignore[attr-defined]
        if fallback is not None:
            yield fallback
