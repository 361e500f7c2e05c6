"""How often `fundwatch add` infers an entry that extracts what the hand-written one does.

    python bench/add_accuracy.py

Serves tests/fixtures on 127.0.0.1 and, for each fixture site (the generated seed-shaped site,
the generated traditional-Chinese site, the WordPress-like site, the numbered-pager site with
section blocks and relative times, the `.php` portal with query-string links, the site whose
listing is a JSON API, the traditional-Chinese site with split bodies and meta times, and the
round-2 sites: GBK and Big5 under a wrong header, pages joined by 下一页, data-href/onclick
links, AMP links with canonical URLs), infers
an entry from one
listing URL and extracts every article of that listing with both entries. Prints, per site and
overall: same title %, same publication time %, mean body token F1 of the inferred entry against
the hand-written one, and the share of articles where all three agree (F1 >= 0.95). Asserts
nothing.
"""

from __future__ import annotations

import sys
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import httpx
import yaml
from parsel import Selector
from pydantic import TypeAdapter

from fundwatch.configuration import SiteSource
from fundwatch.crawler.charsets import page_text
from fundwatch.crawler.dates import parse_published
from fundwatch.crawler.discover import discover
from fundwatch.crawler.extraction import extract_with_template
from fundwatch.crawler.generic import overlap_f1
from fundwatch.crawler.items import ArticleItem
from fundwatch.crawler.listings import with_listing
from fundwatch.crawler.preview import listing_page
from fundwatch.crawler.textnorm import normalize_inline, stored_body
from harness.server import RunningServer

REPO = Path(__file__).resolve().parent.parent
FIXTURES = REPO / "tests" / "fixtures"
NOW = datetime.now(UTC)  # one "now" for relative times ("3小时前") on both sides


def hand_entries(base: str) -> dict[str, dict[str, Any]]:
    seed = yaml.safe_load((REPO / "seeds" / "sources" / "jinhanchuan.yaml").read_text("utf-8"))
    seedsite = dict(seed["sources"][0], name="seedsite")
    seedsite["start_urls"] = [f"{base}/sites/seedsite/dsch/"]
    fixture = (FIXTURES / "sites" / "catalog.yaml").read_text("utf-8").replace("{{BASE}}", base)
    twsite = next(s for s in yaml.safe_load(fixture)["sources"] if s["name"] == "twsite")
    twsite = dict(twsite, start_urls=[f"{base}/sites/twsite/finance/"])
    wordpress = {
        "name": "framewp",
        "kind": "site",
        "language": "en",
        "timezone": "America/New_York",
        "start_urls": [f"{base}/sites/wordpress/"],
        "listing": {"article_links": "h2.entry-title a::attr(href)"},
        "article": {
            "title": "h1.entry-title::text",
            "published": "time.entry-date::attr(datetime)",
            "body": "div.entry-content > p",
        },
    }
    paged = {  # as tests/crawler/test_new_structure.py writes it
        "name": "pagedsite",
        "kind": "site",
        "language": "zh-Hans",
        "timezone": "Asia/Shanghai",
        "start_urls": [f"{base}/sites/paged/list/"],
        "listing": {
            "article_links": "ul.flow a.t::attr(href)",
            "article_url_pattern": r"/sites/paged/p/\d+/$",
            "next_page": "div.pg span.cur + a::attr(href)",
        },
        "article": {
            "title": "h2.art-title::text",
            "published": "div.info span.ago::text",
            "body": "div.art section.para",
        },
    }
    new = (FIXTURES / "sites" / "new_structures.yaml").read_text("utf-8").replace("{{BASE}}", base)
    written = {  # the site entries (feeds and sitemaps have no listing to infer)
        entry["name"]: entry for entry in yaml.safe_load(new)["sources"] if entry["kind"] == "site"
    }
    return {
        "seedsite": seedsite,
        "twsite": twsite,
        "wordpress": wordpress,
        "paged": paged,
        **written,
    }


def text_of(client: httpx.Client, url: str) -> str:
    """The page as the crawl reads it (its <meta> charset over a wrong header)."""
    response = client.get(url)
    return page_text(response.content, response.headers.get("content-type"))


def fields(
    html: str, url: str, source: SiteSource, listed: dict[str, Any] | None = None
) -> tuple[str, str, Any]:
    extracted = extract_with_template(Selector(text=html), source.article, url)
    if listed:  # what a JSON listing says of the article, as the crawl uses it
        item = ArticleItem(url, source.name, title=extracted.title, published=extracted.published)
        with_listing(item, listed)
        extracted.title, extracted.published = item.title, item.published  # type: ignore[assignment]
    published = (
        parse_published(extracted.published, source.timezone, now=NOW)
        if extracted.published
        else None
    )
    title = normalize_inline(extracted.title)
    return title, stored_body(extracted.body, title), published


def main() -> None:
    adapter = TypeAdapter(SiteSource)
    totals = {"articles": 0, "title": 0, "time": 0, "all": 0, "f1": 0.0}
    print(f"{'site':<10} {'articles':>8} {'title':>7} {'time':>7} {'body F1':>8} {'all agree':>10}")
    with RunningServer(FIXTURES) as server, httpx.Client() as client:
        for name, hand in hand_entries(server.base).items():
            hand_source = adapter.validate_python(hand)
            listing_url = hand["start_urls"][0]
            found = discover(listing_url)
            inferred = found.entry
            if inferred is None or inferred["kind"] != "site":
                print(f"{name:<10} no site entry inferred: {found.notes}")
                continue
            inferred = {"timezone": hand.get("timezone", "UTC"), **inferred}
            inferred_source = adapter.validate_python(inferred)
            listing = text_of(client, listing_url)
            hand_links, _, hand_listed, _ = listing_page(listing, listing_url, hand_source)
            inferred_links, _, listed, _ = listing_page(listing, listing_url, inferred_source)
            count = {"articles": 0, "title": 0, "time": 0, "all": 0, "f1": 0.0}
            for url in hand_links:
                html = text_of(client, url)
                want = fields(html, url, hand_source, hand_listed.get(url))
                got = (
                    fields(html, url, inferred_source, listed.get(url))
                    if url in inferred_links
                    else ("", "", None)
                )
                f1 = overlap_f1(got[1], want[1]) if want[1] else float(not got[1])
                count["articles"] += 1
                count["title"] += got[0] == want[0]
                count["time"] += got[2] == want[2]
                count["f1"] += f1
                count["all"] += got[0] == want[0] and got[2] == want[2] and f1 >= 0.95
            n = max(1, count["articles"])
            print(
                f"{name:<10} {count['articles']:>8} {100 * count['title'] / n:>6.0f}% "
                f"{100 * count['time'] / n:>6.0f}% {100 * count['f1'] / n:>8.1f} "
                f"{100 * count['all'] / n:>9.0f}%"
            )
            for key in totals:
                totals[key] += count[key]
    n = max(1, int(totals["articles"]))
    print(
        f"{'overall':<10} {n:>8} {100 * totals['title'] / n:>6.0f}% "
        f"{100 * totals['time'] / n:>6.0f}% {100 * totals['f1'] / n:>8.1f} "
        f"{100 * totals['all'] / n:>9.0f}%"
    )


if __name__ == "__main__":
    main()
