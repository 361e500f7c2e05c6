"""The outlet of a stored article: who published the story first.

One rule for every place that names outlets (CLI, web, alert payloads, demo report): the outlet
the crawler recorded (the origin of a repost, else the site), and for an article stored before
outlets were recorded, the same rule applied to its origin line and URL.
"""

from __future__ import annotations

from typing import Protocol
from urllib.parse import urlsplit


class HasOutletColumns(Protocol):
    outlet: str | None
    origin_name: str | None
    origin_url: str | None
    url: str
    source: str


def host(url: str | None) -> str:
    """The URL's host, lower-cased, without "www." ("" for no or a malformed URL)."""
    if not url:
        return ""
    try:
        name = urlsplit(url).hostname
    except ValueError:
        return ""
    return (name or "").lower().removeprefix("www.")


def outlet_of(origin_name: str | None, origin_url: str | None, url: str) -> str:
    """The origin when the article reposts another outlet, else the site itself."""
    if origin_name:
        return origin_name
    origin_host = host(origin_url)
    if origin_host and origin_host != host(url):
        return origin_host
    return host(url)


def article_outlet(article: HasOutletColumns) -> str:
    """The stored outlet, else the rule above on the stored origin and URL, else the source."""
    # getattr: rendered alerts also name outlets of article-shaped values built outside storage
    return (
        getattr(article, "outlet", None)
        or outlet_of(getattr(article, "origin_name", None), article.origin_url, article.url)
        or article.source
    )
