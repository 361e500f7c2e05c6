"""SiteSpider: category listing pages -> article pages, every selector from the catalog entry.

Every article link found on a listing page is recorded in the crawl frontier before it is
fetched (storage.frontier); the frontier's due URLs are fetched first. A walk down a listing
(page 1, 2, ... up to max_pages) records its progress (storage.walks) and is `complete` only
when it ends cleanly. Only after a complete walk does the next crawl use conditional GET on page 1
and stop at the first page that brings no unseen link; after a walk cut short (error, kill,
deadline), the first crawl of a source (`initial_pages`), a raised `max_pages` or a backfill,
the walk goes its full depth without stopping early.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass
from datetime import datetime
from typing import Any, ClassVar

from scrapy import Request
from scrapy.http import Response
from twisted.python.failure import Failure

from fundwatch.configuration import SiteSource
from fundwatch.crawler.listings import ListedPage, read_listing
from fundwatch.crawler.middlewares.conditional import NO_VALIDATORS
from fundwatch.crawler.spiders.base import CONDITIONAL, CatalogSpider, failure_text, log
from fundwatch.crawler.stats import Stat
from fundwatch.storage.canonical import canonicalize_url, url_key
from fundwatch.storage.frontier import Found
from fundwatch.storage.models import ListingWalk
from fundwatch.storage.walks import (
    COMPLETE,
    published_before,
    walk_complete,
    walk_failed,
    walking,
    walks_of,
)

WALK = "fundwatch_walk"
PAGE = "fundwatch_page"
# After a first walk, a walk that reaches max_pages while the page still brings unseen links
# goes on (up to CATCH_UP_FACTOR * max_pages, at most MAX_CATCH_UP pages) until a page with
# nothing unseen: more was published since the last crawl than max_pages pages hold.
CATCH_UP_FACTOR = 4
MAX_CATCH_UP = 200


@dataclass(frozen=True)
class WalkPlan:
    """How deep this crawl walks one listing, and whether it may stop early."""

    url: str
    key: str
    depth: int
    stop_early: bool
    since: datetime | None = None
    # how deep the walk may go on while each page still brings unseen links (the site
    # published more since the last walk than `depth` pages hold)
    catch_up: int = 0

    @property
    def conditional(self) -> bool:
        return self.stop_early


def plan_walk(source: SiteSource, url: str, key: str, walk: ListingWalk | None) -> WalkPlan:
    listing = source.listing
    if walk is None:  # the first crawl of this listing
        return WalkPlan(url, key, listing.initial_pages or listing.max_pages, stop_early=False)
    if walk.target_pages:  # a backfill asked for a deeper walk
        return WalkPlan(url, key, walk.target_pages, stop_early=False, since=walk.since)
    catch_up = min(listing.max_pages * CATCH_UP_FACTOR, MAX_CATCH_UP)
    if walk.state != COMPLETE:  # the last walk was cut short at walk.page
        depth = max(listing.max_pages, walk.page)
        return WalkPlan(url, key, depth, stop_early=False, catch_up=max(depth, catch_up))
    if (walk.depth_done or 0) < listing.max_pages:  # max_pages was raised
        return WalkPlan(url, key, listing.max_pages, stop_early=False, catch_up=catch_up)
    return WalkPlan(url, key, listing.max_pages, stop_early=True, catch_up=catch_up)


class SiteSpider(CatalogSpider):
    source: ClassVar[SiteSource]
    _generic_fallback: ClassVar[bool] = False  # a page the template misses is an error

    async def start(self) -> AsyncIterator[Any]:
        if self.store_unavailable:
            return  # nothing is fetched that could not be stored (the run says why)
        for request in self.frontier_requests():
            yield request
        for plan in self.walk_plans():
            request = self.entry_request(plan.url, self.parse_listing, **{PAGE: 1, WALK: plan})
            if not plan.conditional:  # a 304 would end a walk that has to go deeper
                request.meta[NO_VALIDATORS] = True
            yield request

    def walk_plans(self) -> list[WalkPlan]:
        with self.resources.sessions() as session:
            walks = {walk.url_key: walk for walk in walks_of(session, self.source.name)}
        plans = []
        for url in self.source.start_urls:
            key = url_key(canonicalize_url(url))
            plan = plan_walk(self.source, url, key, walks.get(key))
            if not plan.stop_early:
                log.info("%s: walking %s %d pages deep", self.name, url, plan.depth)
            plans.append(plan)
        return plans

    def listed(self, response: Response) -> ListedPage:
        """The article links of a listing page (with what a JSON listing says of each) and
        its next page (crawler/listings.py)."""
        text = self.decoded(response)
        if text is None:
            return ListedPage(problem=f"{response.url} is not a text page")
        return read_listing(text.text, response.url, self.source.listing)

    def article_links(self, response: Response) -> list[str]:
        return self.listed(response).links

    def _walk_done(self, plan: WalkPlan, response: Response, page: int) -> None:
        depth = max(plan.depth, self.source.listing.max_pages)
        with self.resources.sessions.begin() as session:
            walk_complete(session, plan.key, plan.url, self.name, depth)
        self.mark_complete(plan.url, response.url)
        log.info("%s: walk of %s complete at page %d", self.name, plan.url, page)

    def parse_listing(self, response: Response) -> Iterator[Request]:
        page = int(response.meta.get(PAGE, 1))
        plan: WalkPlan = response.meta[WALK]
        if response.meta.get("fundwatch_entry"):
            self.entry_reached()
        self.count(Stat.LISTING_PAGES)
        if response.status == 304:
            log.info("%s: listing unchanged since the last crawl: %s", self.name, response.url)
            self._walk_done(plan, response, page)
            return
        listed = self.listed(response)
        links = listed.links
        for note in listed.notes:  # e.g. javascript: links that name no URL, skipped
            log.warning("%s: %s", self.name, note)
        self.count(Stat.LISTING_LINKS, len(links))  # template health (crawler/health.py)
        self.count(Stat.LISTING_CHECKED)
        listing = self.source.listing
        if not links and page > 1 and listing.page_param and not listed.problem:
            log.info("%s: %s lists no article: the end of the listing", self.name, response.url)
        elif not links:
            log.warning(
                "%s: no article links on listing %s (%s)",
                self.name,
                response.url,
                listed.problem
                or (
                    "check listing.items and listing.item_url"
                    if listing.format == "json"
                    else "check listing.article_links"
                ),
            )
        new, fetch = self.discover(self.found(links, listed.hints), response.url)
        for item in fetch:
            yield from self.requests_for(item)
        href = None
        limit = max(plan.depth, plan.catch_up) if new else plan.depth
        if page < limit and (new or not plan.stop_early):
            href = listed.next_page
        if plan.since is not None and not new and self._older_than_since(links, plan.since):
            href = None
        if not href:  # nothing new (after a complete walk), the last page, or deep enough
            self._walk_done(plan, response, page)
            return
        with self.resources.sessions.begin() as session:
            walking(session, plan.key, plan.url, self.name, page + 1)
        yield Request(
            href,
            callback=self.parse_listing,
            errback=self.on_listing_error,
            meta={
                PAGE: page + 1,
                WALK: plan,
                CONDITIONAL: True,  # Retry-After is honoured; no validators are sent
                NO_VALIDATORS: True,
            },
        )

    def requests_for(self, item: Found) -> Iterator[Any]:
        yield self.article_request(item.url, item.url_key, listed=item.hint)

    def _older_than_since(self, links: list[str], since: datetime) -> bool:
        """A backfill `--since`: every link of this page is stored and published before it."""
        keys = [item.url_key for item in self.found(links)]
        with self.resources.sessions() as session:
            return bool(keys) and published_before(session, keys, since)

    def on_listing_error(self, failure: Failure) -> None:
        """A listing page after page 1 failed: the walk stays unfinished and resumes next time."""
        self.on_error(failure)
        request = failure.request  # type: ignore[attr-defined]
        plan: WalkPlan = request.meta[WALK]
        reason = f"{request.url}: {failure_text(failure)}"
        self.note(Stat.FAILED_PAGES, reason)
        with self.resources.sessions.begin() as session:
            walk_failed(session, plan.key, plan.url, self.name, reason)

    def entry_failed(self, url: str, reason: str) -> None:
        key = url_key(canonicalize_url(url))
        with self.resources.sessions.begin() as session:
            walk_failed(session, key, url, self.name, f"{url}: {reason}")
