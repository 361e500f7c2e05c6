"""A listing page read by its catalog entry: the article links on it, what the listing says of
each article (a JSON listing's title and time), and the next page.

`format: html` (the default) picks links with a CSS/XPath selector; `format: json` (a listing
served by an API, e.g. `/api/list?page=1`) finds the list of articles at a dotted path
(`items: data.list`) and the URL, title and time in each at dotted paths of their own. Either
walks to the next page by a `next_page` (a selector in HTML, a dotted path to a URL in JSON) or
by counting up a query parameter (`page_param: page`) until a page lists no article.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any
from urllib.parse import parse_qsl, urlencode, urljoin, urlsplit, urlunsplit

from parsel import Selector
from w3lib.html import get_base_url

from fundwatch.configuration import ListingSelectors
from fundwatch.crawler.dates import is_relative
from fundwatch.crawler.extraction import select
from fundwatch.crawler.items import ArticleItem
from fundwatch.storage.canonical import canonicalize_url

EPOCH_MS = 100_000_000_000  # a larger epoch number counts milliseconds (after 1973-03-03 in ms)


@dataclass
class ListedPage:
    links: list[str] = field(default_factory=list)  # absolute http(s) URLs, in page order
    hints: dict[str, dict[str, Any]] = field(default_factory=dict)  # link -> title, published
    next_page: str | None = None
    problem: str | None = None  # why nothing could be read (shown in logs and the preview)
    notes: list[str] = field(default_factory=list)  # links skipped, and why (one line each)


def at_path(document: Any, path: str) -> Any:
    """The value at a dotted path (`data.items`, `author.name`, `list.0.url`); `.` is the
    document itself; None when the path leads nowhere."""
    if path in ("", "."):
        return document
    node = document
    for part in path.split("."):
        if isinstance(node, dict):
            node = node.get(part)
        elif isinstance(node, list) and part.isdigit() and int(part) < len(node):
            node = node[int(part)]
        else:
            return None
    return node


def listed_time(value: Any) -> str | None:
    """A JSON listing's time as text for parse_published: epoch seconds or milliseconds (a
    number, or a string of digits) become ISO 8601 in UTC; other text is kept as written."""
    if isinstance(value, bool) or value is None:
        return None
    if isinstance(value, str) and re.fullmatch(r"\d{9,13}(\.\d+)?", value.strip()):
        value = float(value)
    if isinstance(value, int | float):
        seconds = value / 1000 if value >= EPOCH_MS else value
        try:
            return datetime.fromtimestamp(seconds, UTC).isoformat()
        except (OverflowError, OSError, ValueError):
            return None
    text = str(value).strip()
    return text or None


def next_by_param(url: str, param: str) -> str:
    """The URL of the next page: `param` counted up by one (absent: this is page 1)."""
    parts = urlsplit(url)
    pairs = parse_qsl(parts.query, keep_blank_values=True)
    current = next((value for key, value in pairs if key == param), None)
    number = int(current) + 1 if current and current.isdigit() else 2
    pairs = [(key, value) for key, value in pairs if key != param] + [(param, str(number))]
    return urlunsplit(parts._replace(query=urlencode(pairs)))


# a value that is script, not a URL: `javascript:…`, `location.href='…'`, `window.open("…")`
_SCRIPT = re.compile(
    r"^\s*javascript:|[\w.\]]\s*(=|\()\s*['\"]|^\s*[\w.$]+\s*\(.*\)\s*;?\s*$|;\s*$|^\s*return\b",
    re.IGNORECASE,
)
_QUOTED = re.compile(r"""(['"])([^'"\s<>]+)\1""")
_URLISH = re.compile(r"^(https?://|//|/|\./|\.\./)|^[\w\-./]+\.[a-z]{2,5}([?#]|$)|\?", re.I)


def link_in(value: str) -> str | None:
    """The URL a link value names: the value itself, or, when it is JavaScript
    (`javascript:void(0)`, an onclick `location.href='/a/5.html'`, `window.open('/a/5.html')`),
    the first quoted URL or path in it; None for script that names no URL."""
    if not _SCRIPT.search(value):
        return value
    for _, quoted in _QUOTED.findall(value):
        if _URLISH.search(quoted) and not quoted.lower().startswith("javascript:"):
            return quoted
    return None


def _http(links: list[str]) -> list[str]:
    return [link for link in links if link.startswith(("http://", "https://"))]


def looks_like_json(text: str) -> bool:
    head = text.lstrip()[:1]
    if head not in ("{", "["):
        return False
    try:
        json.loads(text)
    except ValueError:
        return False
    return True


def _html_page(text: str, url: str, listing: ListingSelectors) -> ListedPage:
    page = Selector(text=text, base_url=url, type="html")
    base = get_base_url(text[:4096], url)  # a <base href> in the head counts, as for browsers
    query = listing.article_links or "a::attr(href)"
    raw = [value.strip() for value in select(page, query).getall() if value and value.strip()]
    hrefs = [link_in(value) for value in raw]
    result = ListedPage(_http([urljoin(base, href) for href in hrefs if href]))
    scripts = [value for value, href in zip(raw, hrefs, strict=True) if href is None]
    if scripts:
        shown = ", ".join(dict.fromkeys(value[:60] for value in scripts[:3]))
        result.notes.append(
            f"{len(scripts)} link(s) on {url} are JavaScript that names no URL ({shown}): "
            "skipped. When the URL is in another attribute, select it in listing.article_links: "
            "::attr(onclick) (location.href='…', window.open('…') are read) or ::attr(data-href)"
        )
    if listing.next_page:
        href = select(page, listing.next_page).get()
        result.next_page = urljoin(base, href.strip()) if href and href.strip() else None
    if not result.links and looks_like_json(text):
        result.problem = (
            f"{url} is JSON, not HTML: give the listing `format: json` with `items` and "
            "`item_url` (dotted paths, see docs/catalog.md)"
        )
    return result


def _keys_of(node: Any) -> str:
    if isinstance(node, dict):
        return "keys " + ", ".join(list(map(str, node))[:12])
    return f"a {type(node).__name__}"


def _json_page(text: str, url: str, listing: ListingSelectors) -> ListedPage:
    try:
        document = json.loads(text)
    except ValueError as exc:
        return ListedPage(problem=f"{url} is not JSON (listing format: json): {exc}")
    items = at_path(document, listing.items or ".")
    if not isinstance(items, list):
        where = listing.items or "."
        return ListedPage(
            problem=f"listing.items {where!r} is not a list in {url} (the document has "
            f"{_keys_of(document)})"
        )
    result = ListedPage()
    for item in items:
        href = at_path(item, listing.item_url or "url")
        if not isinstance(href, str) or not href.strip():
            continue
        link = urljoin(url, href.strip())
        if not link.startswith(("http://", "https://")) or link in result.hints:
            continue
        result.links.append(link)
        title = at_path(item, listing.item_title) if listing.item_title else None
        published = at_path(item, listing.item_published) if listing.item_published else None
        result.hints[link] = {
            "title": title.strip() if isinstance(title, str) else None,
            "published": listed_time(published),
        }
    if items and not result.links:
        result.problem = (
            f"listing.item_url {listing.item_url!r} names no URL in the items of {url} "
            f"(the first item has {_keys_of(items[0])})"
        )
    if listing.next_page:
        href = at_path(document, listing.next_page)
        result.next_page = urljoin(url, href.strip()) if isinstance(href, str) and href else None
    return result


def _matches(pattern: re.Pattern[str], link: str) -> bool:
    """The link as written, or as it is stored (without tracking parameters and fragment:
    `article.php?id=7&from=list#top` matches `article\\.php\\?id=\\d+$`)."""
    if pattern.search(link):
        return True
    try:
        return bool(pattern.search(canonicalize_url(link)))
    except ValueError:
        return False


def read_listing(text: str, url: str, listing: ListingSelectors) -> ListedPage:
    """The links of one listing page (filtered by article_url_pattern) and its next page."""
    if listing.format == "json":
        result = _json_page(text, url, listing)
    else:
        result = _html_page(text, url, listing)
    if listing.article_url_pattern:
        pattern = re.compile(listing.article_url_pattern)
        result.links = [link for link in result.links if _matches(pattern, link)]
        result.hints = {link: result.hints[link] for link in result.links if link in result.hints}
    if listing.page_param and not result.next_page and result.links:
        result.next_page = next_by_param(url, listing.page_param)
    return result


def with_listing(item: ArticleItem, listed: dict[str, Any]) -> None:
    """Complete an article from its listing entry: the title when the page has none, the time
    when the page has none or only a relative one."""
    title, published = listed.get("title"), listed.get("published")
    if title and not item.title.strip():
        item.title = title
    page_time = item.published
    if published and (not page_time or (isinstance(page_time, str) and is_relative(page_time))):
        item.published = published
