"""Articles split over several pages: `/news/123.html`, `/news/123_2.html`, `/news/123_3.html`
joined by a "下一页" link (common on Chinese portals), or `?page=2`.

The crawl fetches the next pages of an article and stores one article, its pages' bodies joined
in order, under the first page's URL. The next page is the one `article.next_page` (a selector
in the catalog entry) names; without it, a link whose text says "next page" (下一页, 下一頁,
下页, Next page, ›, »…) is followed only when its URL continues this page's URL: the same
path with `_N`/`-N` (N above this page's number) before the suffix, or the same path with a
page parameter (`page`, `p`, `pn`, `pg`, `pageno`) counted up. Each article follows at most
MAX_PAGES pages, never one it has seen.

A later page reached directly (a listing, feed or sitemap that links `123_2.html` or `?page=2`)
is no article of its own: when its URL numbers it as page 2 or later and it links its first page
(`123.html`, the pager's "1" or 上一页), the crawl reads the article from that first page instead
(first_article_page), or nothing more when the first page is stored or fetched by the run.
"""

from __future__ import annotations

import re
from urllib.parse import parse_qsl, urljoin, urlsplit

from parsel import Selector

from fundwatch.crawler.extraction import select

MAX_PAGES = 20
_NEXT_WORDS = frozenset(
    {"下一页", "下页", "下一頁", "下頁", "后页", "後頁", "next", "next page", "next »", "»", "›"}
    | {"下一页>", "下一页>>", "下一页»", "下一頁>", "下一頁»", "next›", "next ›"}
)
_NUMBERED = re.compile(r"^(?P<stem>.*?)(?:[_-](?P<n>\d{1,3}))?(?P<suffix>\.[A-Za-z]{2,5})?$")
_PAGE_PARAMS = ("page", "p", "pn", "pg", "pageno")


def _page_of(url: str) -> tuple[str, str, int, str] | None:
    """(host+directory+stem, suffix, page number, query without page param) of a URL."""
    parts = urlsplit(url)
    match = _NUMBERED.match(parts.path)
    if not match:
        return None
    number = int(match.group("n") or 1)
    pairs = parse_qsl(parts.query, keep_blank_values=True)
    for key, value in pairs:
        if key.lower() in _PAGE_PARAMS and value.isdigit():
            number = max(number, int(value))
    rest = "&".join(f"{k}={v}" for k, v in pairs if k.lower() not in _PAGE_PARAMS)
    return f"{parts.netloc}{match.group('stem')}", match.group("suffix") or "", number, rest


def continues(url: str, candidate: str) -> bool:
    """Is `candidate` a later page of the article at `url` (`123.html` -> `123_2.html`)?"""
    mine, theirs = _page_of(url), _page_of(candidate)
    if mine is None or theirs is None:
        return False
    return (
        mine[0] == theirs[0]
        and mine[1] == theirs[1]
        and mine[3] == theirs[3]
        and (theirs[2] > mine[2])
    )


def next_article_page(selector: Selector, url: str, query: str | None = None) -> str | None:
    """The URL of the article's next page, or None (see the module's docstring)."""
    if query:
        href = select(selector, query).get()
        if not href or not href.strip() or href.strip().lower().startswith("javascript:"):
            return None
        target = urljoin(url, href.strip())
        return target if target.startswith(("http://", "https://")) and target != url else None
    for anchor in selector.xpath("//body//a[@href]"):
        text = " ".join(" ".join(anchor.xpath(".//text()").getall()).split()).lower()
        label = (anchor.attrib.get("title") or "").strip().lower()
        if text not in _NEXT_WORDS and label not in _NEXT_WORDS:
            continue
        target = urljoin(url, anchor.attrib["href"].strip())
        if continues(url, target):
            return target
    return None


def first_article_page(selector: Selector, url: str) -> str | None:
    """The first page of the article when `url` is a later page of it that links its first
    page (`123_2.html` linking `123.html`, `?page=3` linking `?page=1`), else None."""
    mine = _page_of(url)
    if mine is None or mine[2] < 2:
        return None
    for href in selector.xpath("//body//a/@href").getall():
        target = urljoin(url, href.strip())
        if not target.startswith(("http://", "https://")):
            continue
        theirs = _page_of(target)
        if theirs is not None and theirs[2] == 1 and continues(target, url):
            return target.split("#", 1)[0]
    return None


def joined(body: str, more: str, title: str = "") -> str:
    """A page's body after the previous pages' (a first line repeating the title left out)."""
    lines = more.strip("\n").split("\n")
    if title and lines and " ".join(lines[0].split()) == " ".join(title.split()):
        lines = lines[1:]
    more = "\n".join(lines).strip()
    if not more:
        return body
    return f"{body.rstrip()}\n{more}" if body.strip() else more
