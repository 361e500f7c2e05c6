"""Outlets: the origin line of a repost (name, URL or host), stored per article."""

from __future__ import annotations

import pytest

from fundwatch.crawler.outlets import origin_in_body, outlet_of, parse_origin
from tests.support.crawl_world import FixtureWorld


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("来源：36氪", ("36氪", None)),
        ("來源:中央社", ("中央社", None)),
        ("（来源：界面新闻）", ("界面新闻", None)),
        ("文章来源：IT之家 作者：张三", ("IT之家", None)),
        ("原文地址：https://www.36kr.com/p/1", (None, "https://www.36kr.com/p/1")),
        ("Source: Reuters", ("Reuters", None)),
        ("36kr.com", (None, "https://36kr.com")),
        ("来源：" + "很长的一句话" * 20, (None, None)),
    ],
)
def test_origin_lines(line: str, expected: tuple[str | None, str | None]) -> None:
    assert parse_origin(line) == expected


def test_outlet_is_the_origin_of_a_repost_else_the_site() -> None:
    assert origin_in_body("第一段\n第二段\n來源：中央社") == ("中央社", None)
    assert origin_in_body("第一段提到来源可靠\n第二段") == (None, None)
    site = "https://www.site.test/a/1.html"
    assert outlet_of("中央社", None, site) == "中央社"
    assert outlet_of(None, "https://news.origin.test/a/77", site) == "news.origin.test"
    assert outlet_of(None, "https://site.test/b", site) == "site.test"
    assert outlet_of(None, None, site) == "site.test"


def test_crawled_reposts_store_their_outlet(world: FixtureWorld) -> None:
    base = world.base
    world.add_sources(
        [
            {
                "name": "repost",
                "kind": "site",
                "language": "zh-Hant",
                "timezone": "Asia/Taipei",
                "every": "1h",
                "start_urls": [f"{base}/sites/repost/index.html"],
                "listing": {"article_links": "ul.posts a::attr(href)"},
                "article": {
                    "title": "h1::text",
                    "body": "div.text",
                    "origin": "p.origin",
                    "source_link": "p.origin",
                },
            }
        ]
    )
    result = world.crawl("repost")
    assert "repost: ok" in result.stdout, result.stdout + result.stderr[-2000:]
    stored = {a.url.rsplit("/", 1)[-1]: a for a in world.articles("repost")}
    assert stored["r1.html"].origin_name == "中央社"
    assert stored["r1.html"].outlet == "中央社"
    assert stored["r2.html"].outlet == "news.origin.test"
    assert stored["r2.html"].origin_url == "https://news.origin.test/a/77"
    assert stored["r3.html"].outlet == "127.0.0.1"  # not a repost: the site itself
    assert stored["r1.html"].title == "影音新創完成A輪募資"
