"""Titles and times as published: pages in the shapes real sites use (written here, not copied)."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from parsel import Selector

from fundwatch.configuration import ArticleSelectors
from fundwatch.crawler.dates import parse_published
from fundwatch.crawler.extraction import extract_generic, extract_with_template
from fundwatch.crawler.textnorm import fold, normalize_inline
from fundwatch.crawler.titles import strip_site_name

PARAGRAPHS = "".join(
    f"<p>第{i}段：云帧科技宣布完成新一轮融资，资金将用于视频生成模型的研发与海外发行团队建设。</p>"
    for i in range(1, 7)
)


def page(head: str, body: str = PARAGRAPHS, title: str = "") -> str:
    return (
        f"<html><head><meta charset='utf-8'>{head}</head><body><article>"
        f"<h1>{title}</h1>{body}</article></body></html>"
    )


CHINESE_TITLE = "云帧科技完成1.2亿元B轮融资，“AI短剧”赛道再添新玩家……（附名单）"


def test_chinese_title_with_full_width_punctuation_round_trips_exactly() -> None:
    html = page(
        f"<title>{CHINESE_TITLE}_36氪</title><meta property='og:site_name' content='36氪'>",
        title=CHINESE_TITLE,
    )
    extracted = extract_generic(html, "https://36kr.example/p/1")
    assert normalize_inline(extracted.title) == CHINESE_TITLE
    assert "，" in normalize_inline(extracted.body)  # body punctuation is not folded either
    assert fold("ＡＩ，") == "ai,"  # folding is for matching only


@pytest.mark.parametrize(
    ("title", "names", "url", "expected"),
    [
        (
            "Acme raises $5M for AI video | TechCrunch",
            ["TechCrunch"],
            "",
            "Acme raises $5M for AI video",
        ),
        (
            "Acme raises $5M - Taipei Times",
            [],
            "https://www.taipeitimes.com/a/1",
            "Acme raises $5M",
        ),
        ("動画AIが資金調達：朝日新聞デジタル", ["朝日新聞デジタル"], "", "動画AIが資金調達"),
        ("Reuters - Acme raises $5M", ["Reuters"], "", "Acme raises $5M"),
        ("Why AI video: a primer", ["TechCrunch"], "", "Why AI video: a primer"),
    ],
)
def test_site_name_is_stripped_from_titles(
    title: str, names: list[str], url: str, expected: str
) -> None:
    assert strip_site_name(title, names, url) == expected


def test_title_is_checked_against_the_h1() -> None:
    html = page(
        "<title>Acme raises $5M for AI video · Example News</title>",
        title="Acme raises $5M for AI video",
    )
    extracted = extract_generic(html, "https://news.example/a")
    assert extracted.title == "Acme raises $5M for AI video"


SHAPES = {
    "json-ld graph with offset": (
        '<script type="application/ld+json">{"@context":"https://schema.org","@graph":['
        '{"@type":"WebSite","name":"X"},{"@type":"NewsArticle","headline":"H",'
        '"datePublished":"2024-03-22T09:41:00+08:00"}]}</script>',
        datetime(2024, 3, 22, 1, 41, tzinfo=UTC),
    ),
    "json-ld list, Z": (
        '<script type="application/ld+json">[{"@type":["NewsArticle"],'
        '"datePublished":"2024-03-22T01:41:30.123Z"}]</script>',
        datetime(2024, 3, 22, 1, 41, 30, 123000, tzinfo=UTC),
    ),
    "json-ld naive time in the source's zone": (
        '<script type="application/ld+json">{"@type":"BlogPosting",'
        '"datePublished":"2024-03-22 09:41"}</script>',
        datetime(2024, 3, 22, 1, 41, tzinfo=UTC),
    ),
    "article:published_time": (
        '<meta property="article:published_time" content="2024-03-22T03:41:00+02:00">',
        datetime(2024, 3, 22, 1, 41, tzinfo=UTC),
    ),
    "meta itemprop datePublished": (
        '<meta itemprop="datePublished" content="2024-03-22T01:41:00+00:00">',
        datetime(2024, 3, 22, 1, 41, tzinfo=UTC),
    ),
    "time datetime in the body": (
        "",
        datetime(2024, 3, 22, 1, 41, tzinfo=UTC),
    ),
}


@pytest.mark.parametrize("shape", sorted(SHAPES))
def test_publication_time_from_structured_data_to_the_minute(shape: str) -> None:
    head, expected = SHAPES[shape]
    body = PARAGRAPHS
    if shape == "time datetime in the body":
        body = '<time datetime="2024-03-22T09:41:00+08:00">3月22日</time>' + PARAGRAPHS
    # the text says another day: structured data wins over text heuristics
    html = page(head, body="<p>发布于 2024年3月1日</p>" + body, title="标题")
    extracted = extract_generic(html, "https://news.example/2024/03/01/a.html")
    assert parse_published(extracted.published, "Asia/Shanghai") == expected
    assert extracted.rules["published"] != "generic (date in text or URL)"


def test_a_site_selector_beats_structured_data_and_a_missing_one_is_reported() -> None:
    html = page(
        '<meta property="article:published_time" content="2024-03-22T09:41:00+08:00">',
        body='<span class="when">2024-03-23 10:00</span>' + PARAGRAPHS,
        title="标题",
    )
    spec = ArticleSelectors(title="h1", body="article p", published="span.when::text")
    selected = extract_with_template(Selector(text=html), spec, "https://a.example/1")
    assert selected.published == "2024-03-23 10:00"
    assert selected.rules["published"] == "selector span.when::text"
    wrong = ArticleSelectors(title="h1", body="article p", published="span.nothing::text")
    fallback = extract_with_template(Selector(text=html), wrong, "https://a.example/1")
    assert fallback.published == "2024-03-22T09:41:00+08:00"
    assert any("published selector" in warning for warning in fallback.warnings)
