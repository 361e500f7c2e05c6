"""choose_canonical: which declared URL (<link rel=canonical>, og:url) a page may claim."""

from __future__ import annotations

import pytest

from fundwatch.storage.canonical import choose_canonical, site_of

PAGE = "https://www.example.com/news/2026/123.html?utm_source=weibo&id=7#comments"
MIRRORS = [("example.com", "example-mirror.net")]


@pytest.mark.parametrize(
    ("declared", "expected"),
    [
        (["https://www.example.com/a/123"], "https://www.example.com/a/123"),
        (["https://m.example.com/a/123?from=app"], "https://m.example.com/a/123"),
        (["/a/123"], "https://www.example.com/a/123"),
        ([None, "", "https://example.com/a/9"], "https://example.com/a/9"),
        (["https://example-mirror.net/a/123"], "https://example-mirror.net/a/123"),
        (["https://other.org/stolen"], "https://www.example.com/news/2026/123.html?id=7"),
        (["javascript:alert(1)", "https://x.example.com/ok"], "https://x.example.com/ok"),
        (["http://"], "https://www.example.com/news/2026/123.html?id=7"),
        ([], "https://www.example.com/news/2026/123.html?id=7"),
        (
            ["https://other.org/1", "https://www.example.com/og"],
            "https://www.example.com/og",
        ),
    ],
    ids=[
        "same-host",
        "subdomain-tracking",
        "relative",
        "skips-empty",
        "mirror",
        "foreign-site",
        "bad-scheme",
        "garbage",
        "none",
        "og-after-foreign",
    ],
)
def test_choose_canonical(declared: list[str | None], expected: str) -> None:
    assert choose_canonical(PAGE, declared, mirrors=MIRRORS) == expected


def test_mirrors_are_not_assumed() -> None:
    page = "https://example-mirror.net/a/1"
    assert choose_canonical(page, ["https://example.com/a/1"]) == page
    assert choose_canonical(page, ["https://example.com/a/1"], MIRRORS) == "https://example.com/a/1"


@pytest.mark.parametrize(
    ("host", "site"),
    [
        ("news.36kr.com", "36kr.com"),
        ("www.example.com.cn", "example.com.cn"),
        ("tech.sina.com.cn", "sina.com.cn"),
        ("example.co.uk", "example.co.uk"),
        ("localhost", "localhost"),
    ],
)
def test_site_of(host: str, site: str) -> None:
    assert site_of(host) == site


def test_unusable_page_url_is_refused() -> None:
    with pytest.raises(ValueError):
        choose_canonical("ftp://example.com/x", ["https://example.com/x"])
