"""Template health during a crawl (ITEM_PIPELINES, after NormalizePipeline).

Each kind declares its required fields: an article needs a title, a body and a publication
time; a listing needs at least one article link. Every page missing one is an extraction error
kept with its field and URL (table extraction_errors). Pages extracted with a site template
count toward its health (generic extraction has no template to fix). At the end of the run
the source's health is judged (storage/health.py): a run where most pages miss a field, or a
listing that yields no links where the source had articles, makes the run `unhealthy` with a
`template: …` reason; a source quiet for longer than its usual gap is flagged. The operator
gets one `operator_alert` log line per problem (again daily while it lasts) and one
`source_recovered` line when it ends.
"""

from __future__ import annotations

import logging
from typing import Any

from scrapy import Spider
from scrapy.crawler import Crawler
from scrapy.statscollectors import StatsCollector

from fundwatch.configuration import SiteSource
from fundwatch.crawler.items import ArticleItem
from fundwatch.crawler.resources import resources
from fundwatch.crawler.stats import Stat
from fundwatch.storage.health import (
    LISTING_PROBLEM,
    MIN_PAGES,
    Missing,
    has_articles,
    listing_problem,
    productive_runs,
    quiet_problem,
    record_missing,
    template_problem,
    update_health,
)
from fundwatch.storage.runs import source_state
from fundwatch.storage.timeutil import utcnow

log = logging.getLogger(__name__)

REQUIRED_ARTICLE_FIELDS = ("title", "body", "published")
REQUIRED_LISTING_FIELDS = ("article links",)
KEEP = 500  # extraction errors kept per run


def note_page(stats: StatsCollector, url: str, missing: list[Missing]) -> None:
    """Count one checked page and keep its missing fields."""
    stats.inc_value(Stat.HEALTH_PAGES)
    if missing:
        kept = stats.get_value(Stat.HEALTH_MISSING) or []
        if len(kept) < KEEP:
            stats.set_value(Stat.HEALTH_MISSING, [*kept, *missing])


def note_empty_page(stats: StatsCollector, url: str, warnings: list[str]) -> None:
    """A page where the template found neither title nor body (no item is made of it)."""
    detail = "; ".join(warnings) or None
    note_page(stats, url, [Missing(url, "title", detail), Missing(url, "body", detail)])


def missing_fields(item: ArticleItem) -> list[Missing]:
    """Required fields the normalized item lacks, and fields whose selector matched nothing."""
    values = {"title": item.title, "body": item.body, "published": item.published_at}
    found = [Missing(item.url, name, None) for name in REQUIRED_ARTICLE_FIELDS if not values[name]]
    absent = {miss.field for miss in found}
    for warning in item.warnings:
        name = warning.split(" ", 1)[0]
        if name in REQUIRED_ARTICLE_FIELDS and name not in absent:
            found.append(Missing(item.url, name, warning))
            absent.add(name)
    return found


class TemplateHealthPipeline:
    def __init__(self, crawler: Crawler) -> None:
        self.crawler = crawler
        self.items = 0

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> TemplateHealthPipeline:
        return cls(crawler)

    def process_item(self, item: ArticleItem) -> ArticleItem:
        assert self.crawler.stats is not None
        missing = missing_fields(item)
        for miss in missing:
            log.warning(
                "%s: extraction error: %s missing on %s%s",
                item.source,
                miss.field,
                item.url,
                f" ({miss.detail})" if miss.detail else "",
            )
        if item.extracted_by == "template":
            note_page(self.crawler.stats, item.url, missing)
        elif missing:  # generic extraction: kept, but no template of ours to blame
            kept = self.crawler.stats.get_value(Stat.HEALTH_MISSING_GENERIC) or []
            if len(kept) < KEEP:
                self.crawler.stats.set_value(Stat.HEALTH_MISSING_GENERIC, [*kept, *missing])
        self.items += 1
        return item

    def close_spider(self) -> None:
        spider = self.crawler.spider
        assert spider is not None
        try:
            self.judge(spider)
        except Exception:
            log.exception("%s: could not record source health", spider.name)

    def judge(self, spider: Spider) -> None:
        stats = self.crawler.stats
        assert stats is not None
        source = getattr(spider, "source", None)
        name = spider.name
        missing: list[Missing] = list(stats.get_value(Stat.HEALTH_MISSING) or [])
        pages = int(stats.get_value(Stat.HEALTH_PAGES) or 0)
        problem = template_problem(pages, missing)
        judged = pages >= MIN_PAGES
        now = utcnow()
        with resources().sessions.begin() as session:
            if isinstance(source, SiteSource) and problem is None:
                listings = int(stats.get_value(Stat.LISTING_CHECKED) or 0)
                links = int(stats.get_value(Stat.LISTING_LINKS) or 0)
                problem = listing_problem(links, listings, has_articles(session, name))
                current = source_state(session, name).health or ""
                links_back = links > 0 and current.startswith(LISTING_PROBLEM)
                judged = judged or problem is not None or links_back
                if problem and listings:
                    missing.append(Missing(source.start_urls[0], "article links", None))
            generic = list(stats.get_value(Stat.HEALTH_MISSING_GENERIC) or [])
            record_missing(session, name, getattr(spider, "run_id", None), [*missing, *generic])
            if problem and not stats.get_value(Stat.UNHEALTHY):
                stats.set_value(Stat.UNHEALTHY, problem)
            if problem is None:
                history = productive_runs(session, name)
                problem = quiet_problem([*history, now] if self.items else history, now)
            action = update_health(session, name, problem, now, judged_template=judged)
        announce(name, action, problem)


def announce(source: str, action: str | None, problem: str | None) -> None:
    extra: dict[str, Any] = {"source": source}
    if action == "alert":
        log.error(
            "operator alert: source %s unhealthy: %s",
            source,
            problem,
            extra={**extra, "event": "operator_alert", "problem": problem},
        )
    elif action == "recovered":
        # as loud as the alert: the operator who was told of the problem hears of its end
        log.warning("source %s healthy again", source, extra={**extra, "event": "source_recovered"})
