"""A Scrapy spider loader that makes one spider class per catalog entry.

Three generic classes do the work (SiteSpider, FeedSpider, SitemapSpider); each catalog entry
becomes a subclass carrying its validated source, so a new site is a YAML entry only.
"""

from __future__ import annotations

import sys
from typing import Any

from scrapy import Request, Spider
from scrapy.settings import BaseSettings

from fundwatch.configuration import Catalog, FeedSource, SitemapSource, SiteSource
from fundwatch.configuration.errors import ConfigError
from fundwatch.crawler.resources import resources
from fundwatch.crawler.spiders.feed import FeedSpider
from fundwatch.crawler.spiders.site import SiteSpider
from fundwatch.crawler.spiders.sitemap import SitemapSpider

_GENERIC: dict[type, type[Spider]] = {
    SiteSource: SiteSpider,
    FeedSource: FeedSpider,
    SitemapSource: SitemapSpider,
}


def spider_class_for(source: SiteSource | FeedSource | SitemapSource) -> type[Spider]:
    """A subclass of the generic spider of the source's kind, named after the source."""
    base = _GENERIC[type(source)]
    custom_settings: dict[str, Any] = {"ROBOTSTXT_OBEY": source.obey_robots}
    attributes = {
        "name": source.name,
        "source": source,
        # Feeds and sitemaps link to articles on other hosts; sites stay on their own.
        "allowed_domains": source.domains if isinstance(source, SiteSource) else [],
        "custom_settings": custom_settings,
        "__module__": base.__module__,
    }
    class_name = "".join(part.capitalize() for part in source.name.replace("-", "_").split("_"))
    return type(f"{class_name}{base.__name__}", (base,), attributes)


class CatalogSpiderLoader:
    """SPIDER_LOADER_CLASS: spiders are the catalog's sources."""

    def __init__(self, catalog: Catalog) -> None:
        self.catalog = catalog
        self._classes: dict[str, type[Spider]] = {}

    @classmethod
    def from_settings(cls, settings: BaseSettings) -> CatalogSpiderLoader:
        try:
            return cls(resources().catalog)
        except ConfigError as exc:  # `scrapy list` / `scrapy crawl`: a message, not a traceback
            print(f"fundwatch: configuration error:\n{exc}", file=sys.stderr)
            raise SystemExit(2) from None

    def load(self, spider_name: str) -> type[Spider]:
        if spider_name not in self._classes:
            source = self.catalog.get(spider_name)  # KeyError names the known sources
            self._classes[spider_name] = spider_class_for(source)
        return self._classes[spider_name]

    def list(self) -> list[str]:
        return sorted(self.catalog.names)

    def find_by_request(self, request: Request) -> list[str]:
        from urllib.parse import urlsplit

        host = (urlsplit(request.url).hostname or "").lower()
        return [
            source.name
            for source in self.catalog
            if any(host == d or host.endswith("." + d) for d in source.domains)
        ]
