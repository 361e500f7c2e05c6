"""SiteSpider: category listing pages -> article pages, every selector from the catalog entry.

Incremental: article URLs already stored are never requested; a listing page that brings no
unseen article ends that listing's pagination; listing pages use conditional GET.
"""

from __future__ import annotations

import re
from collections.abc import AsyncIterator, Iterator
from typing import Any, ClassVar

from scrapy import Request
from scrapy.http import Response

from fundwatch.configuration import SiteSource
from fundwatch.crawler.extraction import select
from fundwatch.crawler.spiders.base import CONDITIONAL, CatalogSpider, log


class SiteSpider(CatalogSpider):
    source: ClassVar[SiteSource]
    _generic_fallback: ClassVar[bool] = False  # a page the template misses is an error

    async def start(self) -> AsyncIterator[Any]:
        for url in self.source.start_urls:
            yield self.entry_request(url, self.parse_listing, fundwatch_page=1)

    def article_links(self, response: Response) -> list[str]:
        listing = self.source.listing
        text = self.decoded(response)
        if text is None:
            return []
        if listing.article_links:
            raw = [value for value in select(text, listing.article_links).getall() if value]
        else:
            raw = text.css("a::attr(href)").getall()
        links = [text.urljoin(href.strip()) for href in raw]
        links = [link for link in links if link.startswith(("http://", "https://"))]
        if listing.article_url_pattern:
            pattern = re.compile(listing.article_url_pattern)
            links = [link for link in links if pattern.search(link)]
        return links

    def parse_listing(self, response: Response) -> Iterator[Request]:
        page = int(response.meta.get("fundwatch_page", 1))
        if response.meta.get("fundwatch_entry"):
            self.entry_reached()
        self.count("listing_pages")
        if response.status == 304:
            log.info("%s: listing unchanged since the last crawl: %s", self.name, response.url)
            return
        links = self.article_links(response)
        self.count("listing_links", len(links))  # template health (crawler/health.py)
        self.count("listing_checked")
        if not links:
            log.warning(
                "%s: no article links on listing %s (check listing.article_links)",
                self.name,
                response.url,
            )
        fresh = self.unseen(links)
        for url in fresh:
            if not self.claim(url):
                log.info("%s: max_articles (%d) reached", self.name, self.source.max_articles)
                return
            yield self.article_request(url)
        if not fresh:
            return  # nothing new here: older pages hold nothing new either
        next_page = self.source.listing.next_page
        if next_page and page < self.source.listing.max_pages:
            text = self.decoded(response)
            href = select(text, next_page).get() if text is not None else None
            if href:
                yield Request(
                    response.urljoin(href.strip()),
                    callback=self.parse_listing,
                    errback=self.on_error,
                    meta={
                        CONDITIONAL: True,
                        "fundwatch_page": page + 1,
                        "handle_httpstatus_list": [304],
                    },
                )
