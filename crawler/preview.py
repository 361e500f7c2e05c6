"""Look before crawling: what a catalog entry extracts right now, stored nowhere.

The listing (or feed, or sitemap) of a source is fetched, then N of its articles; each article
goes through the crawl's own steps (template or generic extraction, the normalize step, the
outlet, the required-field check), and every field is reported with the rule that produced it
and every warning a crawl would record.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

import httpx
from parsel import Selector
from scrapy.utils.gz import gunzip

from fundwatch.configuration import FeedSource, SitemapSource, SiteSource
from fundwatch.crawler.article_pages import MAX_PAGES, joined, next_article_page
from fundwatch.crawler.canonical_links import stated_canonical
from fundwatch.crawler.charsets import page_text
from fundwatch.crawler.dates import parse_published
from fundwatch.crawler.extraction import Extracted, extract_generic, extract_with_template
from fundwatch.crawler.items import ArticleItem
from fundwatch.crawler.listings import read_listing, with_listing
from fundwatch.crawler.outlets import origin_in_body, outlet_of, parse_origin
from fundwatch.crawler.spiders.sitemap import MAX_SITEMAP_BYTES, parse_sitemap
from fundwatch.crawler.textnorm import normalize_inline, stored_body
from fundwatch.storage.canonical import canonicalize_url
from fundwatch.storage.health import MOST

USER_AGENT = "fundwatch-preview/0.1"
TIMEOUT = 20.0


@dataclass
class ArticlePreview:
    url: str
    fields: dict[str, Any] = field(default_factory=dict)
    rules: dict[str, str] = field(default_factory=dict)
    warnings: list[str] = field(default_factory=list)


@dataclass
class SourcePreview:
    source: str
    entry: str
    links: list[str] = field(default_factory=list)
    next_page: str | None = None
    articles: list[ArticlePreview] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)


def fetch(client: httpx.Client, url: str, encoding: str | None = None) -> tuple[str, str]:
    """(text, final URL), decoded as a crawl decodes it (crawler/charsets.py); raises
    httpx.HTTPError with the URL in its message."""
    response = client.get(url)
    response.raise_for_status()
    text = page_text(response.content, response.headers.get("content-type"), encoding)
    return text, str(response.url)


def listing_links(html: str, url: str, source: SiteSource) -> tuple[list[str], str | None]:
    """The article URLs of a listing page as a crawl stores them (canonical) and its next page."""
    return listing_page(html, url, source)[:2]


def listing_page(
    text: str, url: str, source: SiteSource
) -> tuple[list[str], str | None, dict[str, dict[str, Any]], str | None]:
    """(canonical links, next page, what the listing says of each link, the listing's problem)."""
    listed = read_listing(text, url, source.listing)
    links: dict[str, dict[str, Any]] = {}
    for link in listed.links:
        try:
            canonical = canonicalize_url(link)
        except ValueError:
            continue
        links.setdefault(canonical, listed.hints.get(link) or {})
    return list(links), listed.next_page, links, listed.problem


def feed_links(text: str, url: str = "") -> list[tuple[str, str, str | None]]:
    """(link, title, published) of each feed entry (relative links read against `url`)."""
    import feedparser

    parsed = feedparser.parse(text, response_headers={"content-location": url} if url else None)
    return [
        (entry.get("link", ""), entry.get("title", ""), entry.get("published"))
        for entry in parsed.entries
        if entry.get("link")
    ]


def sitemap_links(text: str) -> list[str]:
    return re.findall(r"<loc>\s*([^<\s]+)\s*</loc>", text)


def preview_article(
    client: httpx.Client,
    url: str,
    source: SiteSource | FeedSource | SitemapSource,
    listed: dict[str, Any] | None = None,
) -> ArticlePreview:
    result = ArticlePreview(url)
    try:
        html, final = fetch(client, url, source.encoding)
    except httpx.HTTPError as exc:
        result.warnings.append(f"could not fetch: {exc}")
        return result
    extracted: Extracted
    page = Selector(text=html)
    if isinstance(source, SiteSource):
        extracted = extract_with_template(page, source.article, final)
        how = "template"
        if not extracted.body.strip():
            result.warnings.append("template found no text; a crawl of a site stores nothing")
    else:
        extracted, how = extract_generic(html, final), "generic"
    spec = source.article if isinstance(source, SiteSource) else None
    canonical = stated_canonical(page, final, source.entry_urls)
    if canonical:
        extracted.rules["url"] = f"<link rel=canonical> of {final}"
    pages = more_pages(client, page, final, source, extracted, result.warnings)
    if pages > 1:
        extracted.rules["body"] = f"{extracted.rules.get('body', how)}, {pages} pages joined"
    if listed:  # what a JSON listing says of the article fills in what the page lacks
        item = ArticleItem(url, source.name, title=extracted.title, published=extracted.published)
        with_listing(item, listed)
        for name, value in (("title", item.title), ("published", item.published)):
            if value != getattr(extracted, name):
                setattr(extracted, name, value)
                extracted.rules[name] = "listing"
    body = stored_body(
        extracted.body, normalize_inline(extracted.title), spec.strip if spec else ()
    )
    published = parse_published(
        normalize_inline(extracted.published) if extracted.published else None,
        source.timezone,
        fmt=spec.published_format if spec else None,
    )
    name, origin_url = parse_origin(extracted.origin_name)
    if not name and not origin_url and not extracted.origin_url:
        name, origin_url = origin_in_body(body)
    origin_url = extracted.origin_url or origin_url
    result.fields = {
        "url": canonical or final,
        "title": normalize_inline(extracted.title),
        "published": published,
        "published_text": extracted.published,
        "author": normalize_inline(extracted.author) or None,
        "breadcrumb": extracted.breadcrumb,
        "origin": name or origin_url,
        "outlet": outlet_of(name, origin_url, final),
        "body": body,
    }
    result.rules = {key: f"{value}" for key, value in extracted.rules.items()}
    result.rules.setdefault("extraction", how)
    result.warnings.extend(extracted.warnings)
    for required in ("title", "body", "published"):
        if not result.fields[required]:
            result.warnings.append(f"extraction error: {required} missing")
    if extracted.published and published is None:
        result.warnings.append(f"unrecognized publication time {extracted.published!r}")
    return result


def more_pages(
    client: httpx.Client,
    page: Selector,
    url: str,
    source: SiteSource | FeedSource | SitemapSource,
    extracted: Extracted,
    warnings: list[str],
) -> int:
    """Join the article's later pages to `extracted.body` as a crawl does
    (crawler/article_pages.py); the number of pages read."""
    query = source.article.next_page if isinstance(source, SiteSource) else None
    seen = [url]
    following = next_article_page(page, url, query)
    while following and following not in seen and len(seen) < MAX_PAGES:
        try:
            html, final = fetch(client, following, source.encoding)
        except httpx.HTTPError as exc:
            warnings.append(f"page {len(seen) + 1} could not be fetched: {exc}")
            break
        page = Selector(text=html)
        if isinstance(source, SiteSource):
            more = extract_with_template(page, source.article, final)
        else:
            more = extract_generic(html, final)
        extracted.body = joined(extracted.body, more.body, extracted.title)
        seen.append(following)
        following = next_article_page(page, final, query)
    return len(seen)


def sitemap_entries(
    client: httpx.Client, url: str, source: SitemapSource, depth: int = 0
) -> list[str]:
    """The article URLs of a sitemap as a crawl reads them: an index's child sitemaps
    (gzipped or not) followed, entries older than max_age left out, url_pattern applied."""
    response = client.get(url)
    response.raise_for_status()
    body = response.content
    if body[:2] == b"\x1f\x8b":
        body = gunzip(body, max_size=MAX_SITEMAP_BYTES)
    kind, entries = parse_sitemap(body)
    max_age = source.max_age_delta
    if max_age is not None:
        cutoff = datetime.now(UTC) - max_age
        dated = [
            (entry, parse_published(entry.news_published or entry.lastmod, source.timezone))
            for entry in entries
        ]
        entries = [entry for entry, when in dated if when is None or when >= cutoff]
    if kind == "sitemapindex":
        if depth >= 2:
            return []
        found: list[str] = []
        for entry in entries:
            found += sitemap_entries(client, entry.loc, source, depth + 1)
        return found
    if source.news_only:
        entries = [entry for entry in entries if entry.is_news]
    links = [entry.loc for entry in entries]
    if source.url_pattern:
        links = [link for link in links if re.search(source.url_pattern, link)]
    return links


def preview_source(
    source: SiteSource | FeedSource | SitemapSource,
    urls: list[str] | None = None,
    limit: int = 3,
    transport: httpx.BaseTransport | None = None,
) -> SourcePreview:
    headers = {"User-Agent": USER_AGENT}
    with httpx.Client(
        headers=headers, timeout=TIMEOUT, follow_redirects=True, transport=transport
    ) as client:
        entry = source.start_urls[0] if isinstance(source, SiteSource) else source.url
        report = SourcePreview(source.name, entry)
        listed: dict[str, dict[str, Any]] = {}
        if urls:
            report.links = list(urls)
        else:
            try:
                text, final = fetch(client, entry, source.encoding)
            except httpx.HTTPError as exc:
                report.warnings.append(f"entry {entry} could not be fetched: {exc}")
                return report
            if isinstance(source, SiteSource):
                report.links, report.next_page, listed, problem = listing_page(text, final, source)
                report.warnings += read_listing(text, final, source.listing).notes
                if not report.links:
                    report.warnings.append(
                        f"no article links on {final} ("
                        + (problem or "check listing.article_links / article_url_pattern")
                        + ")"
                    )
            elif isinstance(source, FeedSource):
                report.links = [link for link, _, _ in feed_links(text, final)]
                if not report.links:
                    report.warnings.append(f"no entries in the feed {final}")
            else:
                try:
                    report.links = sitemap_entries(client, entry, source)
                except httpx.HTTPError as exc:
                    report.warnings.append(f"a sitemap could not be fetched: {exc}")
                if not report.links:
                    report.warnings.append(f"no article URLs in the sitemap {final}")
        for url in report.links[:limit]:
            report.articles.append(preview_article(client, url, source, listed.get(url)))
    checked = [a for a in report.articles if a.fields]
    for name in ("title", "body", "published"):
        missing = sum(
            1
            for a in checked
            if not a.fields.get(name) or any(w.startswith(f"{name} selector") for w in a.warnings)
        )
        if checked and missing > MOST * len(checked):
            report.warnings.append(
                f"a crawl would be unhealthy: template: {name} missing on "
                f"{missing}/{len(checked)} pages"
            )
    return report


def render(report: SourcePreview, body_chars: int = 300) -> str:
    lines = [f"{report.source}: {report.entry}", f"  article links: {len(report.links)}"]
    lines += [f"    {link}" for link in report.links[:10]]
    if len(report.links) > 10:
        lines.append(f"    … {len(report.links) - 10} more")
    if report.next_page:
        lines.append(f"  next page: {report.next_page}")
    for article in report.articles:
        lines.append(f"\n  {article.url}")
        for name, value in article.fields.items():
            if name == "published_text":
                continue
            shown = value.isoformat() if isinstance(value, datetime) else value
            if name == "body" and isinstance(value, str):
                shown = f"{len(value)} chars: {value[:body_chars]!r}"
            rule = article.rules.get(name)
            lines.append(
                f"    {name:<11} {shown if shown else '-'}" + (f"  [{rule}]" if rule else "")
            )
        lines += [f"    warning: {warning}" for warning in article.warnings]
    lines += [f"  warning: {warning}" for warning in report.warnings]
    return "\n".join(lines)
