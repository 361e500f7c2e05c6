"""The demo's articles (data in `articles.yaml`) and the HTML / RSS the demo site serves.

The site has the seed-site shape that the `jinhanchuan` template's selectors expect: category
listings with a `.breadcrumb` (首页 > 电商出海), `ul.article-list` links to `/<id>.html` and a
`.pagination a.next` link; articles with `h1.article-title`, `.article-meta .time` /
`.author` and an `.article-content` that ends with a "原文地址:" line and a
"欢迎分享,转载请注明来源" line. The demo feed lists the wire articles at /wire/<slug>.html.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, time, timedelta
from email.utils import format_datetime
from functools import cached_property
from html import escape
from pathlib import Path
from typing import Any, Literal
from zoneinfo import ZoneInfo

import yaml

ARTICLES_FILE = Path(__file__).with_name("articles.yaml")
SITE_TIMEZONE = ZoneInfo("Asia/Shanghai")
FEED_PATH = "/wire/feed.xml"
WIRE_BREADCRUMB = (
    '<div class="breadcrumb"><a href="/">Home</a> &gt; <a href="/wire/">Wire</a></div>'
)


@dataclass(frozen=True)
class Category:
    slug: str
    title: str


@dataclass(frozen=True)
class DemoArticle:
    id: str
    outlet: Literal["site", "feed"]
    lang: str
    published: datetime
    author: str
    origin: str
    title: str
    paragraphs: tuple[str, ...]
    category: str | None = None
    event: str | None = None
    negative: str | None = None

    @property
    def path(self) -> str:
        return f"/{self.id}.html" if self.outlet == "site" else f"/wire/{self.id}.html"


@dataclass(frozen=True)
class ExpectedEvent:
    label: str
    company: str
    round: str


class DemoContent:
    """Everything the demo site serves, rendered on demand from the articles file."""

    def __init__(
        self,
        site_name: str,
        categories: list[Category],
        page_size: int,
        feed_title: str,
        feed_description: str,
        articles: list[DemoArticle],
        events: dict[str, ExpectedEvent],
    ) -> None:
        self.site_name = site_name
        self.categories = categories
        self.page_size = page_size
        self.feed_title = feed_title
        self.feed_description = feed_description
        self.articles = articles
        self.events = events

    @cached_property
    def by_path(self) -> dict[str, DemoArticle]:
        return {article.path: article for article in self.articles}

    def category(self, slug: str) -> Category | None:
        return next((c for c in self.categories if c.slug == slug), None)

    def in_category(self, slug: str) -> list[DemoArticle]:
        chosen = [a for a in self.articles if a.outlet == "site" and a.category == slug]
        return sorted(chosen, key=lambda a: a.published, reverse=True)

    def pages_of(self, slug: str) -> int:
        return max(1, -(-len(self.in_category(slug)) // self.page_size))

    @property
    def feed_articles(self) -> list[DemoArticle]:
        chosen = [a for a in self.articles if a.outlet == "feed"]
        return sorted(chosen, key=lambda a: a.published, reverse=True)

    # -- pages -------------------------------------------------------------------------------

    def home_html(self) -> str:
        links = "\n".join(
            f'<li><a href="/{c.slug}/">{escape(c.title)}</a></li>' for c in self.categories
        )
        body = (
            f'<div class="breadcrumb"><a href="/">首页</a></div>\n'
            f'<ul class="nav">\n{links}\n<li><a href="{FEED_PATH}">RSS</a></li>\n</ul>'
        )
        return self._page(self.site_name, body, "zh-CN")

    def listing_html(self, slug: str, page: int) -> str | None:
        category = self.category(slug)
        pages = self.pages_of(slug)
        if category is None or not 1 <= page <= pages:
            return None
        start = (page - 1) * self.page_size
        items = "\n".join(
            f'  <li><a href="{a.path}">{escape(a.title)}</a>'
            f'<span class="time">{a.published:%Y-%m-%d}</span></li>'
            for a in self.in_category(slug)[start : start + self.page_size]
        )
        nav = []
        if page > 1:
            previous = f"/{slug}/" if page == 2 else f"/{slug}/page/{page - 1}/"
            nav.append(f'<a class="prev" href="{previous}">上一页</a>')
        nav.append(f"<span>第 {page} / {pages} 页</span>")
        if page < pages:
            nav.append(f'<a class="next" href="/{slug}/page/{page + 1}/">下一页</a>')
        body = (
            f"{self._breadcrumb(category)}\n"
            f'<ul class="article-list">\n{items}\n</ul>\n'
            f'<div class="pagination">{" ".join(nav)}</div>'
        )
        return self._page(f"{category.title} - {self.site_name}", body, "zh-CN")

    def article_html(self, path: str) -> str | None:
        article = self.by_path.get(path)
        if article is None:
            return None
        paragraphs = [f"<p>{escape(p)}</p>" for p in article.paragraphs]
        if article.outlet == "site":
            category = self.category(article.category or "")
            crumb = self._breadcrumb(category) if category else ""
            paragraphs.append(
                f'<p>原文地址:<a href="{escape(article.origin)}" rel="nofollow">'
                f"{escape(article.origin)}</a></p>"
            )
            paragraphs.append(f"<p>欢迎分享,转载请注明来源:{escape(self.site_name)}</p>")
            stamp = f"{article.published.astimezone(SITE_TIMEZONE):%Y-%m-%d %H:%M}"
        else:
            crumb = WIRE_BREADCRUMB
            stamp = article.published.astimezone(UTC).isoformat(timespec="minutes")
        related = "\n".join(
            f'<li><a href="{other.path}">{escape(other.title)}</a></li>'
            for other in self.articles
            if other.outlet == article.outlet and other.id != article.id
        )
        body = (
            f"{crumb}\n"
            f'<h1 class="article-title">{escape(article.title)}</h1>\n'
            f'<div class="article-meta"><span class="time">{stamp}</span> '
            f'<span class="author">{escape(article.author)}</span></div>\n'
            f'<div class="article-content">\n{chr(10).join(paragraphs)}\n</div>\n'
            f'<div class="related"><h3>相关文章</h3><ul>\n{related}\n</ul></div>'
        )
        html_lang = {"zh-Hans": "zh-CN", "zh-Hant": "zh-TW"}.get(article.lang, article.lang)
        return self._page(f"{article.title} - {self.site_name}", body, html_lang)

    def feed_xml(self, base_url: str) -> str:
        items = []
        for article in self.feed_articles:
            link = base_url + article.path
            items.append(
                "<item>"
                f"<title>{escape(article.title)}</title>"
                f"<link>{escape(link)}</link>"
                f'<guid isPermaLink="true">{escape(link)}</guid>'
                f"<pubDate>{format_datetime(article.published.astimezone(UTC))}</pubDate>"
                f"<dc:creator>{escape(article.author)}</dc:creator>"
                f"<description>{escape(article.paragraphs[0])}</description>"
                "</item>"
            )
        newest = self.feed_articles[0].published if self.feed_articles else datetime.now(UTC)
        return (
            '<?xml version="1.0" encoding="utf-8"?>\n'
            '<rss version="2.0" xmlns:dc="http://purl.org/dc/elements/1.1/"><channel>'
            f"<title>{escape(self.feed_title)}</title>"
            f"<link>{escape(base_url)}/wire/</link>"
            f"<description>{escape(self.feed_description)}</description>"
            "<language>en</language>"
            f"<lastBuildDate>{format_datetime(newest.astimezone(UTC))}</lastBuildDate>"
            + "".join(items)
            + "</channel></rss>\n"
        )

    def _breadcrumb(self, category: Category) -> str:
        return (
            '<div class="breadcrumb"><a href="/">首页</a> &gt; '
            f'<a href="/{category.slug}/">{escape(category.title)}</a></div>'
        )

    def _page(self, title: str, body: str, lang: str) -> str:
        return (
            f'<!DOCTYPE html>\n<html lang="{lang}">\n<head>\n<meta charset="utf-8">\n'
            f"<title>{escape(title)}</title>\n</head>\n<body>\n"
            f'<div class="header"><a href="/">{escape(self.site_name)}</a></div>\n'
            f'<div class="main">\n{body}\n</div>\n'
            '<div class="footer">本站内容仅用于 fundwatch 演示,公司与数据均为虚构。</div>\n'
            "</body>\n</html>\n"
        )


def _published(entry: dict[str, Any], today: datetime) -> datetime:
    clock = time.fromisoformat(str(entry["time"]))
    zone = SITE_TIMEZONE if entry["outlet"] == "site" else UTC
    day = today.astimezone(zone).date() - timedelta(days=int(entry["days_ago"]))
    stamp = datetime.combine(day, clock, tzinfo=zone)
    # never in the future: an article "published" later today moves to yesterday
    return stamp - timedelta(days=1) if stamp > today else stamp


def load_content(path: Path = ARTICLES_FILE, now: datetime | None = None) -> DemoContent:
    """Read the demo articles; publication times are relative to `now` (default: now)."""
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    today = now or datetime.now(UTC)
    events = {
        label: ExpectedEvent(label, str(spec["company"]), str(spec["round"]))
        for label, spec in data["events"].items()
    }
    articles = []
    for entry in data["articles"]:
        expect = entry.get("expect") or {}
        event = expect.get("event")
        if event is not None and event not in events:
            raise ValueError(f"{path}: article {entry['id']}: unknown event label {event!r}")
        articles.append(
            DemoArticle(
                id=str(entry["id"]),
                outlet=entry["outlet"],
                lang=entry["lang"],
                published=_published(entry, today),
                author=entry["author"],
                origin=entry["origin"],
                title=entry["title"],
                paragraphs=tuple(p.strip() for p in entry["body"].split("\n\n") if p.strip()),
                category=entry.get("category"),
                event=event,
                negative=expect.get("negative"),
            )
        )
    site, feed = data["site"], data["feed"]
    return DemoContent(
        site_name=site["name"],
        categories=[Category(c["slug"], c["title"]) for c in site["categories"]],
        page_size=int(site["page_size"]),
        feed_title=feed["title"],
        feed_description=feed["description"],
        articles=articles,
        events=events,
    )
