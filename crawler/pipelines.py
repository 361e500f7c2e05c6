"""Item pipeline: normalize -> detect -> store. Each step is a small component wired in
ITEM_PIPELINES; the writer stores the articles that reach it together in one transaction, with
the results one transaction per article would give (crawler/store_worker.py)."""

from __future__ import annotations

import asyncio
import logging
import multiprocessing
import os
from concurrent.futures import Executor, ProcessPoolExecutor, ThreadPoolExecutor
from functools import partial
from typing import TYPE_CHECKING, Any

from scrapy.crawler import Crawler
from scrapy.exceptions import CloseSpider, DropItem

from fundwatch.crawler import store_worker
from fundwatch.crawler.dates import parse_published
from fundwatch.crawler.items import ArticleItem
from fundwatch.crawler.resources import resources
from fundwatch.crawler.stats import Stat
from fundwatch.crawler.textnorm import normalize_inline, stored_body
from fundwatch.storage.canonical import canonicalize_url

if TYPE_CHECKING:
    from fundwatch.records import Article

log = logging.getLogger(__name__)

DUPLICATE_STATUSES = frozenset({"seen_url", "exact_duplicate", "near_duplicate"})
BATCH_LIMIT = 64  # records per call to the writer
BATCHES_IN_FLIGHT = 2  # the writer starts the next batch while a result travels back


class _Component:
    def __init__(self, crawler: Crawler) -> None:
        self.crawler = crawler

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> Any:
        return cls(crawler)

    def count(self, stat: Stat, value: int = 1) -> None:
        assert self.crawler.stats is not None
        self.crawler.stats.inc_value(stat, value)

    def not_stored(self, item: ArticleItem, reason: str, *, attempt: bool = True) -> None:
        """A fetched article that is not stored: it stays in the crawl frontier (one failed
        attempt when the article itself is at fault, none when the writer is)."""
        spider = self.crawler.spider
        if attempt and hasattr(spider, "article_failed"):
            spider.article_failed(item.frontier_key, reason, Stat.NOT_STORED)
        elif hasattr(spider, "note"):
            spider.note(Stat.NOT_STORED, reason)


class NormalizePipeline(_Component):
    """Canonical URL, NFC text with tidy whitespace, boilerplate lines and a first line repeating
    the title out, dates in UTC."""

    def process_item(self, item: ArticleItem) -> ArticleItem:
        try:
            item.url = canonicalize_url(item.url)
        except ValueError as exc:
            self.count(Stat.ERRORS)
            self.not_stored(item, f"{item.url}: unusable article URL: {exc}")
            raise DropItem(f"{item.source}: unusable article URL: {exc}") from None
        item.title = normalize_inline(item.title)
        item.body = stored_body(item.body, item.title, item.strip)
        item.author = normalize_inline(item.author) or None
        item.breadcrumb = normalize_inline(item.breadcrumb) or None
        if item.origin_url:
            try:
                item.origin_url = canonicalize_url(normalize_inline(item.origin_url))
            except ValueError:
                item.origin_url = None
        published = item.published
        if isinstance(published, str):
            published = normalize_inline(published)
        item.published_at = parse_published(
            published, item.timezone, fmt=item.published_format, now=item.fetched_at
        )
        if published and item.published_at is None:
            log.info("%s: unrecognized publication time %r on %s", item.source, published, item.url)
        if not item.title and not item.body:
            self.count(Stat.ERRORS)
            self.not_stored(item, f"{item.url}: no title and no text after cleaning")
            raise DropItem(f"{item.source}: {item.url}: no title and no text after cleaning")
        return item


class StoreError(Exception):
    """The writer could not store an article (the message says why)."""


class WriterUnavailable(StoreError):
    """The writer process could not start or died: no article can be stored by this crawl."""


class StorePipeline(_Component):
    """The writer: detect (language and funding verdict, crawler.verdict) and store each article
    with storage.ingest_batch.

    The writes run in one child process per spider (FUNDWATCH_STORE_WORKER = "process", the
    default: fingerprinting and SQL run on another core while this process fetches and
    extracts) or on one writer thread ("thread"); see bench/crawl.py --store. Articles that
    queue up while the writer is busy go to it together, in one call (store_worker.store_batch),
    and are stored in one transaction; an article that fails is reported alone.
    """

    async def open_spider(self) -> None:
        self._writer: Executor | None = None
        self.queued: list[tuple[Article, str | None, asyncio.Future[store_worker.Stored]]] = []
        self.in_flight = 0
        self.broken: str | None = None
        await self._check_writer()

    @property
    def writer(self) -> Executor:
        if self._writer is None:
            self._writer = self._start_writer()
        return self._writer

    async def _check_writer(self) -> None:
        """Start the writer now and wait until it answers: a writer that cannot start (bad
        alert channels file, database down) closes the spider before anything is fetched."""
        timeout = self.crawler.settings.getfloat("FUNDWATCH_STORE_START_TIMEOUT", 120)
        try:
            answer = asyncio.wrap_future(self.writer.submit(store_worker.ready))
            await asyncio.wait_for(answer, timeout)
        except Exception as exc:  # BrokenProcessPool, TimeoutError, the initializer's error
            self.broken = f"the article writer could not start: {_describe(exc)}"
            log.error("%s", self.broken)
            assert self.crawler.stats is not None
            self.crawler.stats.set_value(Stat.STORE_UNAVAILABLE, self.broken)
            raise CloseSpider("store_unavailable") from None

    def _start_writer(self) -> Executor:
        settings = resources().settings
        mode = self.crawler.settings.get("FUNDWATCH_STORE_WORKER", "process")
        writer: Executor
        if mode == "process":
            resources().sessions  # noqa: B018 (the schema is checked here, once, not in the writer)
            writer = ProcessPoolExecutor(
                max_workers=1,
                mp_context=multiprocessing.get_context("spawn"),
                initializer=store_worker.init_writer_process,
                # the writer exits when this process is gone (a SIGKILL of it alone leaves no
                # orphan)
                initargs=(settings, os.getpid()),
            )
        else:
            store_worker.init_worker(settings)
            writer = ThreadPoolExecutor(max_workers=1, thread_name_prefix="fundwatch-store")
        return writer

    def _send(self) -> None:
        """Submit queued records to the writer, in batches, while fewer than BATCHES_IN_FLIGHT
        calls are under way."""
        while self.queued and self.in_flight < BATCHES_IN_FLIGHT:
            batch = self.queued[:BATCH_LIMIT]
            del self.queued[:BATCH_LIMIT]
            articles = [article for article, _, _ in batch]
            keys = [key for _, key, _ in batch]
            try:
                if self.broken:
                    raise WriterUnavailable(self.broken)
                submitted = self.writer.submit(
                    store_worker.store_batch, articles, frontier_keys=keys
                )
            except Exception as exc:  # e.g. the writer process died: fail these articles
                self._writer_lost(exc)
                for _, _, waiter in batch:
                    if not waiter.done():
                        waiter.set_exception(WriterUnavailable(f"writer unavailable: {exc}"))
                continue
            self.in_flight += 1
            wrapped = asyncio.wrap_future(submitted)
            wrapped.add_done_callback(partial(self._stored, batch))

    def _stored(
        self,
        batch: list[tuple[Article, str | None, asyncio.Future[store_worker.Stored]]],
        done: asyncio.Future[Any],
    ) -> None:
        self.in_flight -= 1
        lost: BaseException | None = None
        try:
            results = done.result()
        except BaseException as exc:  # the whole call failed (e.g. the writer process died)
            lost = exc
            results = [f"{type(exc).__name__}: {exc}"] * len(batch)
        if lost is not None:
            self._writer_lost(lost)
        for (_, _, waiter), result in zip(batch, results, strict=True):
            if waiter.done():  # the item's task was cancelled
                continue
            if lost is not None:
                waiter.set_exception(WriterUnavailable(str(result)))
            elif isinstance(result, str):
                waiter.set_exception(StoreError(result))
            else:
                waiter.set_result(result)
        self._send()

    def _writer_lost(self, exc: BaseException) -> None:
        """The writer died mid-crawl: stop fetching (nothing more could be stored); what was
        fetched and not stored stays pending in the frontier."""
        if self.broken is None:
            self.broken = f"the article writer stopped: {_describe(exc)}"
            log.error("%s", self.broken)
            assert self.crawler.stats is not None
            self.crawler.stats.set_value(Stat.STORE_UNAVAILABLE, self.broken)
            if self.crawler.engine is not None and self.crawler.spider is not None:
                self.crawler.engine.close_spider(self.crawler.spider, "store_unavailable")

    def close_spider(self) -> None:
        if self._writer is not None:
            self._writer.shutdown(wait=True)

    async def process_item(self, item: ArticleItem) -> ArticleItem:
        waiter: asyncio.Future[store_worker.Stored] = asyncio.get_running_loop().create_future()
        self.queued.append((item.article(), item.frontier_key, waiter))
        self._send()
        try:
            stored = await waiter
        except Exception as exc:  # one bad article must not end the crawl
            self.count(Stat.ERRORS)
            log.error("%s: could not store %s: %s", item.source, item.url, exc)
            self.not_stored(
                item,
                f"{item.url}: could not store: {exc}",
                attempt=not isinstance(exc, WriterUnavailable),
            )
            raise DropItem(f"{item.source}: could not store {item.url}: {exc}") from exc
        if stored.verdict.language_from_text:
            self.count(Stat.LANGUAGE_FROM_TEXT)
        item.language = stored.verdict.language
        item.detection = stored.verdict.detection
        result = stored.result
        if result.status == "new":
            self.count(Stat.NEW)
            if item.detection.flag:
                self.count(Stat.FLAGGED)
        elif result.status in DUPLICATE_STATUSES:
            self.count(Stat.DUPLICATES)
        return item


def _describe(exc: BaseException) -> str:
    text = str(exc).strip().splitlines()
    return f"{type(exc).__name__}: {text[0]}" if text else type(exc).__name__
