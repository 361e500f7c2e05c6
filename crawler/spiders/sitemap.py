"""SitemapSpider: XML sitemaps, sitemap indexes and Google News sitemaps.

News entries carry news:title and news:publication_date; each article URL is fetched and
extracted with the matching site template or generically. The XML parser does not resolve
entities or fetch anything (XXE-safe).
"""

from __future__ import annotations

import re
from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass
from typing import Any, ClassVar

from lxml import etree
from scrapy import Request
from scrapy.http import Response
from scrapy.utils.gz import gunzip
from twisted.python.failure import Failure

from fundwatch.configuration import SitemapSource
from fundwatch.crawler.dates import parse_published
from fundwatch.crawler.extraction import Extracted
from fundwatch.crawler.items import ArticleItem
from fundwatch.crawler.spiders.base import (
    CONDITIONAL,
    FRONTIER_KEY,
    CatalogSpider,
    failure_text,
    log,
)
from fundwatch.crawler.stats import Stat
from fundwatch.storage.frontier import Found
from fundwatch.storage.timeutil import utcnow

MAX_SITEMAP_BYTES = 50 * 1024 * 1024
_PARSER = etree.XMLParser(
    resolve_entities=False, no_network=True, recover=True, huge_tree=False, remove_comments=True
)


@dataclass
class SitemapEntry:
    loc: str
    lastmod: str | None = None
    news_title: str | None = None
    news_published: str | None = None

    @property
    def is_news(self) -> bool:
        return self.news_title is not None or self.news_published is not None


def _local(tag: Any) -> str:
    return tag.rsplit("}", 1)[-1] if isinstance(tag, str) else ""


def parse_sitemap(body: bytes) -> tuple[str, list[SitemapEntry]]:
    """('urlset' | 'sitemapindex' | '', entries)."""
    try:
        root = etree.fromstring(body, parser=_PARSER)
    except etree.XMLSyntaxError:
        return "", []
    if root is None:
        return "", []
    entries = []
    for node in root:
        if _local(node.tag) not in ("url", "sitemap"):
            continue
        entry = SitemapEntry(loc="")
        for child in node.iter():
            name = _local(child.tag)
            text = (child.text or "").strip()
            if name == "loc" and not entry.loc:
                entry.loc = text
            elif name == "lastmod":
                entry.lastmod = text
            elif name == "title":
                entry.news_title = text
            elif name == "publication_date":
                entry.news_published = text
        if entry.loc:
            entries.append(entry)
    return _local(root.tag), entries


class SitemapSpider(CatalogSpider):
    source: ClassVar[SitemapSource]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._sitemap_failures = 0

    async def start(self) -> AsyncIterator[Any]:
        if self.store_unavailable:
            return  # nothing is fetched that could not be stored (the run says why)
        for request in self.frontier_requests():
            yield request
        yield self.entry_request(self.source.url, self.parse_sitemap)

    def keeps_validators(self, url: str) -> bool:
        """A sitemap index keeps its validators only when every child sitemap was read."""
        return self._sitemap_failures == 0 and super().keeps_validators(url)

    def on_sitemap_error(self, failure: Failure) -> None:
        self.on_error(failure)
        self._sitemap_failures += 1
        request = getattr(failure, "request", None)
        self.note(Stat.FAILED_PAGES, f"{request.url if request else '?'}: {failure_text(failure)}")

    def entry_failed(self, url: str, reason: str) -> None:
        self._sitemap_failures += 1

    def parse_sitemap(self, response: Response) -> Iterator[Any]:
        if response.meta.get("fundwatch_entry"):
            self.entry_reached()
        if response.status == 304:
            log.info("%s: sitemap unchanged since the last crawl: %s", self.name, response.url)
            return
        body = response.body
        if body[:2] == b"\x1f\x8b":
            body = gunzip(body, max_size=MAX_SITEMAP_BYTES)
        kind, entries = parse_sitemap(body)
        if kind not in ("urlset", "sitemapindex"):
            if response.meta.get("fundwatch_entry"):
                self.mark_unhealthy(f"{response.url} is not an XML sitemap")
            else:
                self.count(Stat.ERRORS)
            return
        entries = self.recent(entries, response.url, kind)
        if kind == "sitemapindex":
            for entry in entries:
                yield Request(
                    entry.loc,
                    callback=self.parse_sitemap,
                    errback=self.on_sitemap_error,
                    meta={CONDITIONAL: True, "handle_httpstatus_list": [304]},
                )
            self.mark_complete(response.url)
            return
        if self.source.news_only:
            entries = [entry for entry in entries if entry.is_news]
        if self.source.url_pattern:
            pattern = re.compile(self.source.url_pattern)
            entries = [entry for entry in entries if pattern.search(entry.loc)]
        hints = {
            entry.loc: {
                "title": entry.news_title or "",
                # <lastmod> is when the page last changed: a publication time only for a page
                # that states none (news:publication_date is one)
                "published": entry.news_published,
                "lastmod": entry.lastmod,
            }
            for entry in entries
        }
        _new, fetch = self.discover(self.found(hints, hints), response.url)
        for item in fetch:
            yield from self.requests_for(item)
        self.mark_complete(response.url)

    def recent(self, entries: list[SitemapEntry], url: str, kind: str) -> list[SitemapEntry]:
        """Without the entries dated before `max_age` ago (child sitemaps by <lastmod>, URLs by
        news:publication_date, else <lastmod>); an entry with no readable date is kept."""
        max_age = self.source.max_age_delta
        if max_age is None:
            return entries
        cutoff = utcnow() - max_age
        kept = []
        for entry in entries:
            when = parse_published(entry.news_published or entry.lastmod, self.source.timezone)
            if when is None or when >= cutoff:
                kept.append(entry)
        if len(kept) < len(entries):
            what = "child sitemaps" if kind == "sitemapindex" else "URLs"
            log.info(
                "%s: %d %s of %s dated before %s skipped (max_age %s)",
                self.name,
                len(entries) - len(kept),
                what,
                url,
                cutoff.date().isoformat(),
                self.source.max_age,
            )
            self.count(Stat.SKIPPED_OLD, len(entries) - len(kept))
        return kept

    def requests_for(self, item: Found) -> Iterator[Any]:
        hint = item.hint or {}
        fallback = self.make_item(item.url, Extracted(title=hint.get("title") or ""), "sitemap")
        fallback.published = hint.get("published")
        fallback.frontier_key = item.url_key
        yield Request(
            item.url,
            callback=self.parse_entry_article,
            errback=self.on_article_error,
            cb_kwargs={"fallback": fallback, "lastmod": hint.get("lastmod")},
            meta={FRONTIER_KEY: item.url_key},
        )

    def parse_entry_article(
        self, response: Response, fallback: ArticleItem, lastmod: str | None = None
    ) -> Iterator[Any]:
        extracted, how, template = self.extract(response)
        if not extracted.title and not extracted.body.strip():
            self.count(Stat.ERRORS)
            log.warning("%s: no article found on %s", self.name, response.url)
            self.article_failed(
                fallback.frontier_key, f"{response.url}: no article found", Stat.NOT_STORED
            )
            return
        item = self.item_over_fallback(fallback, extracted, how, template)
        item.published = item.published or lastmod
        yield from self.whole(item, extracted, response)
