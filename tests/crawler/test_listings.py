"""In-process checks of listing pages read by their entry (crawler/listings.py): JSON listings
by dotted paths, epoch times, counting a page parameter, patterns on stored URLs."""

from __future__ import annotations

import json

from fundwatch.configuration import ListingSelectors
from fundwatch.crawler.listings import at_path, listed_time, next_by_param, read_listing

API = "https://news.example/api/list?page=1&size=2"
DOCUMENT = {
    "data": {
        "list": [
            {"link": "/p/1", "t": "First story", "ctime": 1764561600, "by": {"name": "A"}},
            {"link": "https://news.example/p/2?from=app", "t": "Second", "ctime": "1764561600000"},
            {"link": "", "t": "no URL"},
            {"link": "mailto:x@news.example", "t": "not http"},
        ]
    },
    "next": "/api/list?page=2&size=2",
}


def test_dotted_paths_and_listed_times() -> None:
    assert at_path(DOCUMENT, "data.list.0.by.name") == "A"
    assert at_path(DOCUMENT, "data.list.9.link") is None
    assert at_path(DOCUMENT, "data.nothing.here") is None
    assert at_path([1, 2], ".") == [1, 2]
    # epoch seconds and milliseconds (numbers or digit strings) become UTC; text stays
    assert listed_time(1764561600) == "2025-12-01T04:00:00+00:00"
    assert listed_time("1764561600000") == "2025-12-01T04:00:00+00:00"
    assert listed_time("2026-12-01 14:30") == "2026-12-01 14:30"
    assert listed_time(None) is None and listed_time(True) is None


def test_a_json_listing_page() -> None:
    listing = ListingSelectors(
        format="json", items="data.list", item_url="link", item_title="t", item_published="ctime"
    )
    page = read_listing(json.dumps(DOCUMENT), API, listing)
    assert page.links == ["https://news.example/p/1", "https://news.example/p/2?from=app"]
    assert page.hints["https://news.example/p/1"] == {
        "title": "First story",
        "published": "2025-12-01T04:00:00+00:00",
    }
    assert page.next_page is None and page.problem is None
    by_path = ListingSelectors(format="json", items="data.list", item_url="link", next_page="next")
    assert read_listing(json.dumps(DOCUMENT), API, by_path).next_page == (
        "https://news.example/api/list?page=2&size=2"
    )
    counted = ListingSelectors(format="json", items="data.list", item_url="link", page_param="page")
    assert read_listing(json.dumps(DOCUMENT), API, counted).next_page == (
        "https://news.example/api/list?size=2&page=2"
    )


def test_json_listing_problems_are_named() -> None:
    listing = ListingSelectors(format="json", items="data.items", item_url="link")
    assert "'data.items' is not a list" in (
        read_listing(json.dumps(DOCUMENT), API, listing).problem or ""
    )
    wrong_key = ListingSelectors(format="json", items="data.list", item_url="url")
    problem = read_listing(json.dumps(DOCUMENT), API, wrong_key).problem or ""
    assert "item_url 'url' names no URL" in problem and "keys link, t, ctime, by" in problem
    assert "is not JSON" in (read_listing("<html></html>", API, listing).problem or "")
    as_html = ListingSelectors(article_url_pattern="/p/")
    assert "is JSON, not HTML" in (read_listing(json.dumps(DOCUMENT), API, as_html).problem or "")


def test_html_listing_links_page_param_and_stored_url_patterns() -> None:
    html = (
        '<html><head><base href="https://news.example/news/"></head><body>'
        '<a href="article.php?id=7&amp;from=list">A</a> <a href="article.php?id=8#c">B</a>'
        '<a href="comment.php?id=7">c</a></body></html>'
    )
    listing = ListingSelectors(article_url_pattern=r"article\.php\?id=\d+$", page_param="p")
    page = read_listing(html, "https://news.example/list.php", listing)
    assert page.links == [
        "https://news.example/news/article.php?id=7&from=list",
        "https://news.example/news/article.php?id=8#c",
    ]
    assert page.next_page == "https://news.example/list.php?p=2"
    assert next_by_param("https://e.com/l?p=4&c=x", "p") == "https://e.com/l?c=x&p=5"
    empty = read_listing("<html><body></body></html>", "https://e.com/l?p=5", listing)
    assert empty.links == [] and empty.next_page is None  # the walk ends at an empty page
