"""In-process checks of the pure parts: dates, text normalization, extraction, sitemaps,
template choice and the address guard's classification."""

from __future__ import annotations

import ipaddress
import json
from datetime import UTC, datetime

import pytest
from parsel import Selector

from fundwatch.configuration import load_catalog
from fundwatch.crawler.dates import is_relative, parse_published, states_day_only, with_clock
from fundwatch.crawler.extraction import extract_generic, extract_with_template
from fundwatch.crawler.middlewares.guard import _always_blocked, resolve
from fundwatch.crawler.spiders.sitemap import parse_sitemap
from fundwatch.crawler.templates import template_for
from fundwatch.crawler.textnorm import (
    normalize_block,
    normalize_inline,
    stored_body,
    strip_lines,
    without_title_line,
)
from tests.support.crawl_world import FIXTURES, REPO, write_catalog

NOW = datetime(2024, 3, 22, 6, 0, tzinfo=UTC)  # 14:00 in Shanghai


@pytest.mark.parametrize(
    ("text", "timezone", "expected"),
    [
        ("2024-03-22 12:10", "Asia/Shanghai", datetime(2024, 3, 22, 4, 10, tzinfo=UTC)),
        ("2024/3/7", "Asia/Shanghai", datetime(2024, 3, 6, 16, 0, tzinfo=UTC)),
        ("2024年3月7日", "Asia/Taipei", datetime(2024, 3, 6, 16, 0, tzinfo=UTC)),
        ("2024年3月7日 14:30", "Asia/Taipei", datetime(2024, 3, 7, 6, 30, tzinfo=UTC)),
        ("２０２４年３月７日", "Asia/Shanghai", datetime(2024, 3, 6, 16, 0, tzinfo=UTC)),
        ("3小时前", "Asia/Shanghai", datetime(2024, 3, 22, 3, 0, tzinfo=UTC)),
        ("5分钟前", "Asia/Shanghai", datetime(2024, 3, 22, 5, 55, tzinfo=UTC)),
        ("2天前", "Asia/Shanghai", datetime(2024, 3, 20, 6, 0, tzinfo=UTC)),
        ("昨天 08:15", "Asia/Shanghai", datetime(2024, 3, 21, 0, 15, tzinfo=UTC)),
        ("刚刚", "Asia/Shanghai", NOW),
        ("3時間前", "Asia/Tokyo", datetime(2024, 3, 22, 3, 0, tzinfo=UTC)),
        ("5分前", "Asia/Tokyo", datetime(2024, 3, 22, 5, 55, tzinfo=UTC)),
        ("2 hours ago", "UTC", datetime(2024, 3, 22, 4, 0, tzinfo=UTC)),
        ("an hour ago", "UTC", datetime(2024, 3, 22, 5, 0, tzinfo=UTC)),
        ("Posted 15 mins ago", "UTC", datetime(2024, 3, 22, 5, 45, tzinfo=UTC)),
        ("3 days ago", "UTC", datetime(2024, 3, 19, 6, 0, tzinfo=UTC)),
        ("1 week ago", "UTC", datetime(2024, 3, 15, 6, 0, tzinfo=UTC)),
        ("Yesterday 08:15", "Asia/Shanghai", datetime(2024, 3, 21, 0, 15, tzinfo=UTC)),
        ("Just now", "UTC", NOW),
        # a stated date wins over a relative note beside it
        ("2024-03-07 12:00（3小时前）", "Asia/Shanghai", datetime(2024, 3, 7, 4, 0, tzinfo=UTC)),
        (
            "Fri, 22 Mar 2024 04:10:00 +0000",
            "Asia/Shanghai",
            datetime(2024, 3, 22, 4, 10, tzinfo=UTC),
        ),
        ("Fri, 22 Mar 2024 04:10:00 GMT", "UTC", datetime(2024, 3, 22, 4, 10, tzinfo=UTC)),
        ("2024-03-22T12:10:00+08:00", "UTC", datetime(2024, 3, 22, 4, 10, tzinfo=UTC)),
        ("2024-03-22T04:10:00Z", "Asia/Shanghai", datetime(2024, 3, 22, 4, 10, tzinfo=UTC)),
        (
            "发布时间：2024-03-22 12:10 来源：本站",
            "Asia/Shanghai",
            datetime(2024, 3, 22, 4, 10, tzinfo=UTC),
        ),
        # a weekday between the date and the clock
        ("2024年3月7日 星期四 14:30", "Asia/Shanghai", datetime(2024, 3, 7, 6, 30, tzinfo=UTC)),
        ("2024年3月7日 星期四", "Asia/Shanghai", datetime(2024, 3, 6, 16, 0, tzinfo=UTC)),
        ("2024-03-07 周四 下午 2:30", "Asia/Shanghai", datetime(2024, 3, 7, 6, 30, tzinfo=UTC)),
        ("2024/03/07 (四) 14:30", "Asia/Taipei", datetime(2024, 3, 7, 6, 30, tzinfo=UTC)),
        # no year: the latest such day not after now
        ("3月7日 14:30", "Asia/Shanghai", datetime(2024, 3, 7, 6, 30, tzinfo=UTC)),
        ("03-07 14:30", "Asia/Shanghai", datetime(2024, 3, 7, 6, 30, tzinfo=UTC)),
        ("12-31 09:00", "Asia/Shanghai", datetime(2023, 12, 31, 1, 0, tzinfo=UTC)),
        # English month names
        ("Mar 7, 2024", "America/New_York", datetime(2024, 3, 7, 5, 0, tzinfo=UTC)),
        ("March 7, 2024 2:30 PM", "America/New_York", datetime(2024, 3, 7, 19, 30, tzinfo=UTC)),
        ("Thu, Mar. 7, 2024, 8:15 a.m. ET", "UTC", datetime(2024, 3, 7, 8, 15, tzinfo=UTC)),
        ("7 March 2024 12:05", "Europe/London", datetime(2024, 3, 7, 12, 5, tzinfo=UTC)),
    ],
)
def test_publication_times_in_the_source_time_zone(
    text: str, timezone: str, expected: datetime
) -> None:
    assert parse_published(text, timezone, now=NOW) == expected


def test_relative_times_are_told_apart() -> None:
    for text in ("3小时前", "昨天 20:40", "2 hours ago", "an hour ago", "yesterday", "刚刚"):
        assert is_relative(text), text
    for text in ("2024-03-07 14:30", "2024年3月7日", "2024-03-07 (3小时前)", "Fri, 22 Mar 2024"):
        assert not is_relative(text), text
    for text in ("Mar 7, 2024", "2024年3月7日 星期四 14:30"):
        assert not is_relative(text), text
    assert is_relative("11月27日 16:40")  # the year is the reader's: stated data beats it


def test_unparseable_and_explicit_format_times() -> None:
    assert parse_published("2 months ago", "UTC", now=NOW) is None  # not a precise span
    assert parse_published("明天见", "Asia/Shanghai", now=NOW) is None
    assert parse_published("", "UTC") is None
    assert parse_published("2024年13月40日", "UTC") is None
    assert parse_published("13-45", "UTC", now=NOW) is None
    assert parse_published("Smarch 7, 2024", "UTC", now=NOW) is None
    assert parse_published("22.03.24 12h10", "Europe/Berlin", fmt="%d.%m.%y %Hh%M") == datetime(
        2024, 3, 22, 11, 10, tzinfo=UTC
    )


def test_text_normalization_and_boilerplate_lines() -> None:
    # stored as published: full-width letters and punctuation stay, whitespace is tidied
    assert normalize_inline("  ＡＩ视频\u3000公司 \n 融资…… ") == "ＡＩ视频 公司 融资……"
    assert normalize_inline("Cafe\u0301") == "Café"  # NFC composes
    block = normalize_block(
        "第一段。\r\n\r\n\u3000\u3000第二段，  有空格。\n\n\n欢迎分享，转载请注明来源"
    )
    assert block == "第一段。\n第二段， 有空格。\n欢迎分享，转载请注明来源"
    # markers match in the folded form: an ASCII comma marker drops the full-width line
    assert strip_lines(block, ["欢迎分享,"]) == "第一段。\n第二段， 有空格。"
    assert strip_lines("原文地址：https://a.example/1\n正文", ["原文地址:"]) == "正文"


def test_a_date_read_without_its_clock_takes_the_clock_the_page_shows() -> None:
    assert states_day_only("2026-11-30") and states_day_only("Nov 30, 2026")
    assert not states_day_only("2026-11-30 11:00") and not states_day_only("2026-11-30T11:00Z")
    assert not states_day_only("2026年11月30日 11时") and not states_day_only("11:00")
    # the first date on that day that carries a clock, as written; other days are not it
    text = "相关：2026-11-29 10:00 旧闻\n标题\n2026年11月30日 星期一 下午3:05 来源：某网\n"
    text += "评论 2026-11-30 18:00"
    assert with_clock("2026-11-30", text) == "2026年11月30日 星期一 下午3:05"
    assert with_clock("2026-11-30", "Posted November 30, 2026 at 3:05 p.m.") == (
        "November 30, 2026 at 3:05 p.m."
    )
    assert with_clock("2026-11-30", "2026-11-29 10:00, 2026-11-30, Nov 30, 2026 2026") is None
    # the AMP fixture page: no time in its metadata, "2026-11-30 11:00" under the headline
    page = FIXTURES / "sites" / "ampsite" / "amp" / "55.html"
    extracted = extract_generic(
        page.read_text("utf-8"), "http://127.0.0.1/sites/ampsite/amp/55.html"
    )
    assert extracted.published == "2026-11-30 11:00"
    assert "the clock of '2026-11-30 11:00'" in extracted.rules["published"]
    assert parse_published(extracted.published, "Asia/Shanghai") == datetime(
        2026, 11, 30, 3, 0, tzinfo=UTC
    )


def test_a_first_line_repeating_the_title_is_not_stored() -> None:
    title = "Lumora raises $30M Series A"
    body = "Lumora raises $30M Series A\nLumora said on Monday it raised $30M."
    assert without_title_line(body, title) == "Lumora said on Monday it raised $30M."
    # the same line once folded (width, case) and without whitespace, repeated, blank lines
    assert without_title_line("\nＬＵＭＯＲＡ raises  $30M series A\n\n" + body, title) == (
        "Lumora said on Monday it raised $30M."
    )
    assert (
        without_title_line("镜界科技 完成1亿元A轮融资\n正文。", "镜界科技完成1亿元A轮融资")
        == "正文。"
    )
    # a first paragraph that starts with the title's words is the article's own sentence
    lead = "Lumora raises $30M Series A to build video tools, the company said.\nMore."
    assert without_title_line(lead, title) == lead
    # a title line further down, a body that is nothing but the title, no title: unchanged
    later = "First paragraph.\nLumora raises $30M Series A"
    assert without_title_line(later, title) == later
    assert without_title_line(title, title) == title
    assert without_title_line(body, "") == body
    # as stored: tidied, marker lines out, the title line out
    assert stored_body(f"  {title} \r\n\r\n正文。\n欢迎分享", title, ["欢迎分享"]) == "正文。"


def test_seed_template_extracts_the_fixture_page_as_expected() -> None:
    catalog = load_catalog(REPO / "seeds" / "sources" / "jinhanchuan.yaml")
    spec = catalog.get("jinhanchuan").article
    page = FIXTURES / "sites" / "seedsite" / "10002.html"
    expected = json.loads((page.with_suffix(".expected.json")).read_text("utf-8"))
    extracted = extract_with_template(Selector(text=page.read_text("utf-8")), spec)
    assert normalize_inline(extracted.title) == expected["title"]
    assert extracted.origin_url == expected["origin_url"]
    assert strip_lines(normalize_block(extracted.body), spec.strip) == expected["body"]
    assert extracted.breadcrumb == expected["breadcrumb"]
    assert extracted.published == "2024-03-01 13:10"


def test_news_sitemap_entries_and_no_entity_expansion() -> None:
    body = (FIXTURES / "sitemaps" / "news-sitemap.xml").read_bytes()
    kind, entries = parse_sitemap(body.replace(b"{{BASE}}", b"http://127.0.0.1:8000"))
    assert kind == "urlset" and len(entries) == 4
    assert entries[0].news_title == "愛詩科技完成6000萬美元B輪融資"
    assert entries[0].news_published == "2024-03-07T14:30:00+08:00"
    assert not entries[3].is_news
    xxe = (
        b'<?xml version="1.0"?><!DOCTYPE u [<!ENTITY x SYSTEM "file:///etc/hostname">]>'
        b'<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"><url><loc>http://a.example/&x;'
        b"</loc></url></urlset>"
    )
    _, entries = parse_sitemap(xxe)
    assert all("\n" not in entry.loc and len(entry.loc) < 40 for entry in entries)
    assert parse_sitemap(b"<html><body>not a sitemap</body></html>")[0] == "html"


def test_feed_and_sitemap_links_find_their_site_template(tmp_path) -> None:  # type: ignore[no-untyped-def]
    path = tmp_path / "catalog.yaml"
    write_catalog(path, "http://127.0.0.1:8000")
    catalog = load_catalog(path)
    pick = lambda url: getattr(template_for(catalog, url), "name", None)  # noqa: E731
    assert pick("http://127.0.0.1:8000/sites/seedsite/10001.html?utm_source=x") == "seedsite"
    assert pick("http://127.0.0.1:8000/sites/twsite/story/a3001.html") == "twsite"
    assert pick("http://127.0.0.1:8000/sites/plain/lumora-series-a.html") is None
    assert pick("http://other.example/sites/twsite/story/a3001.html") is None


def test_address_classification() -> None:
    assert _always_blocked(ipaddress.ip_address("169.254.169.254"))
    assert _always_blocked(ipaddress.ip_address("fe80::1"))
    assert _always_blocked(ipaddress.ip_address("::ffff:169.254.169.254"))
    assert not _always_blocked(ipaddress.ip_address("127.0.0.1"))
    assert not _always_blocked(ipaddress.ip_address("93.184.216.34"))
    assert resolve("10.1.2.3") == (ipaddress.ip_address("10.1.2.3"),)
    assert all(not address.is_global for address in resolve("localhost"))
