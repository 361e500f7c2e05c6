"""The item spiders yield: one article as extracted from a page, feed entry or sitemap entry."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any


@dataclass
class ArticleItem:
    """Raw extraction; the pipeline normalizes, detects and stores it.

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
    detection: dict[str, Any] = field(default_factory=dict)
    # the crawl-frontier key of the URL that was requested (before redirects)
    frontier_key: str | None = None
