"""What the three generic spiders share: the catalog entry, incremental filtering, article
extraction with a site template or generically, and the counters of the crawl run."""

from __future__ import annotations

import codecs
import logging
from collections.abc import Iterable, Iterator
from datetime import timedelta
from typing import Any, ClassVar

from scrapy import Request, Spider
from scrapy.http import HtmlResponse, Response, TextResponse
from scrapy.spidermiddlewares.httperror import HttpError
from twisted.python.failure import Failure
from w3lib.encoding import resolve_encoding

from fundwatch.configuration import FeedSource, SitemapSource, SiteSource
from fundwatch.crawler.article_pages import (
    MAX_PAGES,
    first_article_page,
    joined,
    next_article_page,
)
from fundwatch.crawler.canonical_links import stated_canonical
from fundwatch.crawler.charsets import choose_encoding
from fundwatch.crawler.extraction import Extracted, extract_generic, extract_with_template
from fundwatch.crawler.health import note_empty_page
from fundwatch.crawler.items import ArticleItem
from fundwatch.crawler.listings import with_listing
from fundwatch.crawler.resources import CrawlResources, resources
from fundwatch.crawler.stats import Stat
from fundwatch.crawler.templates import template_for
from fundwatch.storage.articles import stored_url_keys
from fundwatch.storage.canonical import canonicalize_url, url_key
from fundwatch.storage.frontier import (
    Found,
    due_entries,
    known_keys,
    record_failure,
    record_found,
    stored_as,
)
from fundwatch.storage.timeutil import utcnow

log = logging.getLogger(__name__)

# meta keys
CONDITIONAL = "fundwatch_conditional"  # fetch with If-None-Match / If-Modified-Since
ENTRY = "fundwatch_entry"  # a start URL: the source is reachable if one of them answers
FRONTIER_KEY = "fundwatch_frontier_key"  # the crawl-frontier key of an article request
FIRST_OF = "fundwatch_first_of"  # an article's first page, requested for a later page of it
MAX_REASONS = 5  # first reasons kept in crawl_runs.reasons
_HANDLE_STATUS = [304]
# An entry URL (feed, sitemap, listing) answering these is not retried (not in
# RETRY_HTTP_CODES): 404/403 make the run `unhealthy`; 410 also disables the source.
MISSING_STATUSES = frozenset({401, 403, 404, 451})
GONE_STATUSES = frozenset({410})


def _codec(encoding: str | None) -> str | None:
    if not encoding:
        return None
    try:
        return codecs.lookup(resolve_encoding(encoding) or encoding).name
    except LookupError:
        return None


def failure_text(failure: Failure) -> str:
    """The failure's message, or its exception type when it has none (a cancelled download)."""
    if failure.check(HttpError):
        return f"HTTP {failure.value.response.status}"
    return failure.getErrorMessage() or getattr(failure.type, "__name__", "error")


class CatalogSpider(Spider):
    """Base of the generic spiders; `source` is set on the per-entry subclass by the loader."""

    source: ClassVar[SiteSource | FeedSource | SitemapSource]
    # feeds and sitemaps try trafilatura when a site template finds nothing on a page
    _generic_fallback: ClassVar[bool] = True

    def __init__(self, *args: Any, run_id: str | int | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.run_id = int(run_id) if run_id not in (None, "") else None
        self._scheduled: set[str] = set()
        self._requested_articles = 0
        self._complete_keys: set[str] = set()  # entry URLs whose validators may be saved
        self._budget_logged = False

    @property
    def resources(self) -> CrawlResources:
        return resources()

    # -- counters -----------------------------------------------------------------------------
    def count(self, stat: Stat, value: int = 1) -> None:
        self.crawler.stats.inc_value(stat, value)

    def entry_reached(self) -> None:
        self.count(Stat.ENTRY_OK)

    def mark_unhealthy(self, reason: str) -> None:
        log.error("%s: source unhealthy: %s", self.name, reason)
        self.crawler.stats.set_value(Stat.UNHEALTHY, reason)

    def on_error(self, failure: Failure) -> None:
        request = getattr(failure, "request", None)
        url = request.url if request is not None else "?"
        self.count(Stat.ERRORS)
        log.warning("%s: could not fetch %s: %s", self.name, url, failure_text(failure))

    def note(self, counter: Stat, reason: str) -> None:
        """Count a failure that keeps the run from being `ok` (`failed_pages`, `not_stored`)
        and keep its reason if it is among the first few."""
        self.count(counter)
        reasons = list(self.crawler.stats.get_value(Stat.REASONS) or [])
        if len(reasons) < MAX_REASONS:
            reasons.append(reason[:300])
            self.crawler.stats.set_value(Stat.REASONS, reasons)

    @property
    def store_unavailable(self) -> str | None:
        """Why the article writer could not start (StorePipeline), if it could not."""
        value = self.crawler.stats.get_value(Stat.STORE_UNAVAILABLE)
        return str(value) if value else None

    def keeps_validators(self, url: str) -> bool:
        """May the ETag / Last-Modified of this entry URL be saved (its walk completed)?"""
        try:
            return url_key(canonicalize_url(url)) in self._complete_keys
        except ValueError:
            return False

    def mark_complete(self, *urls: str) -> None:
        for url in urls:
            try:
                self._complete_keys.add(url_key(canonicalize_url(url)))
            except ValueError:
                continue

    def entry_request(self, url: str, callback: Any, **meta: Any) -> Request:
        return Request(
            url,
            callback=callback,
            errback=self.on_entry_error,
            meta={CONDITIONAL: True, ENTRY: True, "handle_httpstatus_list": _HANDLE_STATUS, **meta},
            dont_filter=True,
        )

    def on_entry_error(self, failure: Failure) -> None:
        self.on_error(failure)
        request = getattr(failure, "request", None)
        url = request.url if request is not None else "?"
        self.crawler.stats.set_value(Stat.ENTRY_ERROR, f"{url}: {failure_text(failure)}")
        self.note(Stat.FAILED_PAGES, f"{url}: {failure_text(failure)}")
        self.entry_failed(url, failure_text(failure))
        if failure.check(HttpError):
            status = failure.value.response.status
            if status in GONE_STATUSES:
                self.crawler.stats.set_value(Stat.ENTRY_GONE, f"{url} answered {status}")
            elif status in MISSING_STATUSES:
                self.crawler.stats.set_value(Stat.ENTRY_MISSING, f"{url} answered {status}")

    def entry_failed(self, url: str, reason: str) -> None:
        """An entry URL (listing page 1, feed, sitemap) could not be fetched."""

    # -- crawl frontier -----------------------------------------------------------------------
    def found(
        self, urls: Iterable[str], hints: dict[str, dict[str, Any]] | None = None
    ) -> list[Found]:
        """The usable URLs among `urls` as frontier entries (canonical, keyed, in order)."""
        by_key: dict[str, Found] = {}
        for url in urls:
            try:
                canonical = canonicalize_url(url)
            except ValueError:
                continue
            key = url_key(canonical)
            if key not in by_key:
                by_key[key] = Found(canonical, key, (hints or {}).get(url))
        return list(by_key.values())

    def discover(self, found: list[Found], found_on: str) -> tuple[list[Found], list[Found]]:
        """Record the URLs neither stored, nor in the frontier, nor scheduled as pending; return
        (those new URLs, the ones of them this run fetches now within max_articles)."""
        candidates = [item for item in found if item.url_key not in self._scheduled]
        keys = [item.url_key for item in candidates]
        with self.resources.sessions() as session:
            stored = stored_url_keys(session, keys)
            known = known_keys(session, keys)
        if stored:
            self.count(Stat.SKIPPED_STORED, len(stored))
        new = [item for item in candidates if item.url_key not in stored | known]
        if new:
            with self.resources.sessions.begin() as session:
                record_found(session, self.source.name, found_on, new)
            self.count(Stat.FRONTIER_ADDED, len(new))
        fetch = []
        for item in new:
            if not self.claim_key(item.url_key):
                if not self._budget_logged:
                    self._budget_logged = True
                    log.info(
                        "%s: max_articles (%d) reached; the rest stay pending for the next run",
                        self.name,
                        self.source.max_articles,
                    )
                break
            fetch.append(item)
        return new, fetch

    def frontier_requests(self) -> Iterator[Any]:
        """Requests for the source's pending URLs that are due, before any listing."""
        with self.resources.sessions() as session:
            due = due_entries(session, self.source.name, limit=self.source.max_articles)
        if due:
            log.info("%s: fetching %d pending URLs from the frontier first", self.name, len(due))
        for entry in due:
            if not self.claim_key(entry.url_key):
                break
            self.count(Stat.FRONTIER_DUE)
            yield from self.requests_for(Found(entry.url, entry.url_key, entry.hint))

    def requests_for(self, item: Found) -> Iterator[Any]:
        """What fetches one frontier URL (feeds and sitemaps also use the entry's hint)."""
        yield self.article_request(item.url, item.url_key)

    def frontier_limits(self) -> tuple[int, timedelta]:
        settings = self.crawler.settings
        return (
            settings.getint("FUNDWATCH_FRONTIER_MAX_ATTEMPTS", 6),
            timedelta(seconds=settings.getfloat("FUNDWATCH_FRONTIER_RETRY_BASE", 300)),
        )

    def article_failed(
        self, key: str | None, reason: str, counter: Stat = Stat.FAILED_PAGES
    ) -> None:
        """One failed attempt at a frontier URL: it stays pending (or is given up)."""
        self.note(counter, reason)
        if not key:
            return
        max_attempts, base = self.frontier_limits()
        try:
            with self.resources.sessions.begin() as session:
                entry = record_failure(session, key, reason, max_attempts=max_attempts, base=base)
                gave_up = entry is not None and entry.state == "given_up"
        except Exception:
            log.exception("%s: could not record the failed attempt at %s", self.name, key)
            return
        if gave_up:
            self.count(Stat.GIVEN_UP)
            log.error("%s: gave up after %d attempts: %s", self.name, max_attempts, reason)

    # -- incremental --------------------------------------------------------------------------
    def unseen(self, urls: Iterable[str]) -> list[str]:
        """URLs neither stored already nor scheduled in this run (in order, canonical)."""
        by_key: dict[str, str] = {}
        for url in urls:
            try:
                canonical = canonicalize_url(url)
            except ValueError:
                continue
            key = url_key(canonical)
            if key not in self._scheduled and key not in by_key:
                by_key[key] = url
        with self.resources.sessions() as session:
            stored = stored_url_keys(session, list(by_key))
        if stored:
            self.count(Stat.SKIPPED_STORED, len(stored))
        return [url for key, url in by_key.items() if key not in stored]

    def claim(self, url: str) -> bool:
        """Reserve one article of the run's budget (max_articles) for this URL."""
        return self.claim_key(url_key(canonicalize_url(url)))

    def claim_key(self, key: str) -> bool:
        if self._requested_articles >= self.source.max_articles:
            return False
        self._requested_articles += 1
        self._scheduled.add(key)
        return True

    # -- articles -----------------------------------------------------------------------------
    def decoded(
        self, response: Response, template: SiteSource | None = None
    ) -> TextResponse | None:
        """The response as text in the right encoding: the source's override, else what the
        server or the page declares, else UTF-8 or GB18030 (Chinese pages without a charset)."""
        if not isinstance(response, TextResponse):
            if b"<html" not in response.body[:2048].lower():
                return None
            response = HtmlResponse(response.url, body=response.body, headers=response.headers)
        override = (template.encoding if template else None) or self.source.encoding
        if override:
            return response.replace(encoding=override)
        if response._bom_encoding():
            return response  # a byte-order mark beats any declaration
        # crawler/charsets.py: a UTF-8 page read as UTF-8, the page's <meta> over a blanket
        # header that names another charset, else the first declared (or UTF-8, GB18030)
        # charset under which the bytes decode (F-19)
        header, meta = response._headers_encoding(), response._body_declared_encoding()
        encoding = choose_encoding(response.body, header, meta)
        if encoding is None or encoding == _codec(header):
            return response
        return response.replace(encoding=encoding)

    def template_for(self, url: str) -> SiteSource | None:
        if isinstance(self.source, SiteSource):
            return self.source
        return template_for(self.resources.catalog, url)

    def extract(self, response: Response) -> tuple[Extracted, str, SiteSource | None]:
        template = self.template_for(response.url)
        text = self.decoded(response, template)
        if text is None:
            return Extracted(), "none", template
        extracted, how = self._extract(text, template)
        # an AMP or mobile page names the article's own URL (crawler/canonical_links.py)
        listings = [*self.source.entry_urls, *(template.start_urls if template else [])]
        extracted.canonical = stated_canonical(text.selector, response.url, listings)
        spec = template.article if template is not None and how == "template" else None
        query = spec.next_page if spec else None
        extracted.next_page = next_article_page(text.selector, response.url, query)
        extracted.first_page = first_article_page(text.selector, response.url)
        return extracted, how, (template if how == "template" else None)

    def _extract(self, text: TextResponse, template: SiteSource | None) -> tuple[Extracted, str]:
        if template is not None:
            extracted = extract_with_template(text, template.article, text.url)
            if extracted.body.strip() or not self._generic_fallback:
                return extracted, "template"
            log.info(
                "%s: template %s found no text on %s; trying generic extraction",
                self.name,
                template.name,
                text.url,
            )
        return extract_generic(text.text, text.url), "generic"

    def make_item(
        self,
        url: str,
        extracted: Extracted,
        extracted_by: str,
        template: SiteSource | None = None,
    ) -> ArticleItem:
        spec = (template or self.source).article
        origin = template or self.source
        if extracted.canonical and extracted.canonical != url:
            log.info("%s: %s names %s as its canonical URL", self.name, url, extracted.canonical)
        return ArticleItem(
            url=extracted.canonical or url,
            source=self.source.name,
            title=extracted.title,
            body=extracted.body,
            published=extracted.published,
            author=extracted.author,
            breadcrumb=extracted.breadcrumb,
            origin_url=extracted.origin_url,
            origin_name=extracted.origin_name,
            language=origin.language,
            timezone=origin.timezone,
            published_format=spec.published_format if spec else None,
            strip=list(spec.strip) if spec else [],
            extracted_by=extracted_by,
            warnings=list(extracted.warnings),
            fetched_at=utcnow(),
        )

    def item_over_fallback(
        self,
        fallback: ArticleItem,
        extracted: Extracted,
        extracted_by: str,
        template: SiteSource | None,
    ) -> ArticleItem:
        """The fetched article of a feed or sitemap entry, completed from the entry (`fallback`):
        its title when the page has none, its timestamp when the page has no date."""
        item = self.make_item(fallback.url, extracted, extracted_by, template)
        item.frontier_key = fallback.frontier_key
        item.title = item.title or fallback.title
        if extracted_by == "generic":  # the entry's timestamp beats a guessed page date
            item.published = fallback.published or item.published
        else:
            item.published = item.published or fallback.published
        return item

    def whole(self, item: ArticleItem, extracted: Extracted, response: Response) -> Iterator[Any]:
        """The article, or the request for its next page when it is split over several
        (crawler/article_pages.py): the item travels along and is yielded after the last."""
        if extracted.first_page and not response.meta.get(FIRST_OF):
            yield from self.from_first_page(item, extracted.first_page, response.url)
            return
        if not extracted.next_page:
            yield item
            return
        yield self.more_request(item, extracted.next_page, [response.url])

    def from_first_page(self, item: ArticleItem, first: str, url: str) -> Iterator[Any]:
        """A later page of an article reached directly (crawler/article_pages.py): the article
        is read from its first page, stored under that page's URL (this URL stays known as
        `stored_as` it); nothing is fetched when the run fetches the first page anyway or it is
        stored already."""
        try:
            key = url_key(canonicalize_url(first))
        except ValueError:
            yield item
            return
        with self.resources.sessions() as session:
            stored = bool(stored_url_keys(session, [key]))
        if key in self._scheduled or stored:
            log.info(
                "%s: %s is a later page of %s, which is read as the article", self.name, url, first
            )
            if item.frontier_key:
                with self.resources.sessions.begin() as session:
                    stored_as(session, item.frontier_key, first)
            return
        log.info(
            "%s: %s is a later page of %s: reading the article from there", self.name, url, first
        )
        self._scheduled.add(key)
        request = self.article_request(first, item.frontier_key)
        request.meta[FIRST_OF] = url
        yield request

    def more_request(self, item: ArticleItem, url: str, seen: list[str]) -> Request:
        return Request(
            url,
            callback=self.parse_more,
            errback=self.on_more_error,
            cb_kwargs={"item": item, "seen": seen},
            meta={FRONTIER_KEY: item.frontier_key, "fundwatch_more": True},
            dont_filter=True,
        )

    def parse_more(self, response: Response, item: ArticleItem, seen: list[str]) -> Iterator[Any]:
        extracted, _, _ = self.extract(response)
        seen = [*seen, response.url]
        if not extracted.body.strip():
            item.warnings.append(f"page {len(seen)} of the article ({response.url}) has no text")
        item.body = joined(item.body, extracted.body, item.title)
        following = extracted.next_page
        if following and following not in seen and len(seen) < MAX_PAGES:
            yield self.more_request(item, following, seen)
            return
        if following and len(seen) >= MAX_PAGES:
            log.warning("%s: %s has more than %d pages", self.name, item.url, MAX_PAGES)
        log.info("%s: %s joined from %d pages", self.name, item.url, len(seen))
        yield item

    def on_more_error(self, failure: Failure) -> Iterator[Any]:
        """A later page failed: the article is stored with the pages it has, and says so."""
        self.on_error(failure)
        request = failure.request  # type: ignore[attr-defined]
        item: ArticleItem = request.cb_kwargs["item"]
        item.warnings.append(f"{request.url}: {failure_text(failure)}: the article is incomplete")
        yield item

    def article_request(self, url: str, key: str | None = None, **cb_kwargs: Any) -> Request:
        return Request(
            url,
            callback=self.parse_article,
            errback=self.on_article_error,
            cb_kwargs=cb_kwargs,
            meta={"fundwatch_fallback": cb_kwargs.get("fallback"), FRONTIER_KEY: key},
        )

    def on_article_error(self, failure: Failure) -> Iterator[ArticleItem]:
        self.on_error(failure)
        request = getattr(failure, "request", None)
        url = request.url if request is not None else "?"
        key = request.meta.get(FRONTIER_KEY) if request is not None else None
        self.article_failed(key, f"{url}: {failure_text(failure)}")
        return iter(())

    def parse_article(
        self, response: Response, listed: dict[str, Any] | None = None, **_: Any
    ) -> Iterator[Any]:
        extracted, how, template = self.extract(response)
        key = response.meta.get(FRONTIER_KEY)
        if not extracted.title and not extracted.body.strip():
            self.count(Stat.ERRORS)
            name = (template or self.source).name
            log.warning(
                "%s: no article found on %s (check the article selectors of %s)",
                self.name,
                response.url,
                name,
            )
            self.article_failed(
                key,
                f"{response.url}: no article found (check the article selectors of {name})",
                Stat.NOT_STORED,
            )
            note_empty_page(self.crawler.stats, response.url, extracted.warnings)
            return
        item = self.make_item(response.url, extracted, how, template)
        item.frontier_key = key
        if listed:  # a JSON listing's title and time fill in what the page lacks
            with_listing(item, listed)
        yield from self.whole(item, extracted, response)
