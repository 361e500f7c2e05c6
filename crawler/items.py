"""The item spiders yield: one article as extracted from a page, feed entry or sitemap entry."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from fundwatch.records import ARTICLE_FIELDS, Article, Detection


@dataclass
class ArticleItem:
    """Raw extraction; the pipeline normalizes it, and the writer detects and stores it as an
    `Article` (fundwatch.records), the one shape an article has from here to the database.

    `published` is the text as found on the page (or an aware datetime from a feed); the
    normalize step parses it in the source's time zone.
    """

    url: str
    source: str
    title: str = ""
    body: str = ""
    published: str | datetime | None = None
    author: str | None = None
    breadcrumb: str | None = None
    origin_url: str | None = None
    origin_name: str | None = None
    outlet: str | None = None
    language: str | None = None
    timezone: str = "UTC"
    published_format: str | None = None
    strip: list[str] = field(default_factory=list)
    extracted_by: str = "template"  # template | generic | summary | sitemap
    warnings: list[str] = field(default_factory=list)  # e.g. a selector that matched nothing
    published_at: datetime | None = None
    fetched_at: datetime | None = None
    detection: Detection | None = None  # set from the writer's verdict once stored
    # the crawl-frontier key of the URL that was requested (before redirects)
    frontier_key: str | None = None

    def article(self) -> Article:
        """The article as storage takes it (after NormalizePipeline): the item's fields that
        `Article` has, and nothing of the extraction's working state."""
        return Article(*[getattr(self, name) for name in ARTICLE_FIELDS])
