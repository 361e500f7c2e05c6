"""The crawl's own Scrapy stats keys (`fundwatch/...`), spelled once.

Spiders, middlewares and pipelines count and set them; crawler.runs reads them into the run's
outcome when the spider closes; the CLI and the worker read `STATUS` after the crawl. Members
are strings (StrEnum), so the stats dict and Scrapy's end-of-crawl dump keep the plain keys.
"""

from __future__ import annotations

from enum import StrEnum


class Stat(StrEnum):
    # counters (inc_value)
    ENTRY_OK = "fundwatch/entry_ok"  # an entry URL (listing, feed, sitemap) answered
    ERRORS = "fundwatch/errors"
    FAILED_PAGES = "fundwatch/failed_pages"  # listing/feed pages that failed (run `partial`)
    NOT_STORED = "fundwatch/not_stored"  # fetched articles not stored (run `partial`)
    NEW = "fundwatch/new"
    DUPLICATES = "fundwatch/duplicates"
    FLAGGED = "fundwatch/flagged"
    LANGUAGE_FROM_TEXT = "fundwatch/language_from_text"
    SKIPPED_STORED = "fundwatch/skipped_stored"
    SKIPPED_OLD = "fundwatch/skipped_old"  # sitemap entries dated before max_age
    FRONTIER_ADDED = "fundwatch/frontier_added"
    FRONTIER_DUE = "fundwatch/frontier_due"
    GIVEN_UP = "fundwatch/given_up"
    FEED_BOZO = "fundwatch/feed_bozo"
    LISTING_PAGES = "fundwatch/listing_pages"
    LISTING_LINKS = "fundwatch/listing_links"  # template health (crawler.health)
    LISTING_CHECKED = "fundwatch/listing_checked"
    ROBOTS_CACHED = "fundwatch/robots_cached"
    ROBOTS_UNREACHABLE = "fundwatch/robots_unreachable"
    BLOCKED_REQUESTS = "fundwatch/blocked_requests"
    HEALTH_PAGES = "fundwatch/health/pages"
    # values (set_value): the reason, when there is one
    REASONS = "fundwatch/reasons"  # the first few reasons of failed pages / unstored articles
    UNHEALTHY = "fundwatch/unhealthy"
    STORE_UNAVAILABLE = "fundwatch/store_unavailable"
    ENTRY_ERROR = "fundwatch/entry_error"
    ENTRY_GONE = "fundwatch/entry_gone"
    ENTRY_MISSING = "fundwatch/entry_missing"
    HEALTH_MISSING = "fundwatch/health/missing"
    HEALTH_MISSING_GENERIC = "fundwatch/health/missing_generic"
    STATUS = "fundwatch/status"  # the run's status, set when the spider closes

    def __repr__(self) -> str:
        # Scrapy's end-of-crawl stats dump pretty-prints the dict: show the plain key
        return repr(self.value)
