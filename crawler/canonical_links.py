"""The URL an article page names as its own (`<link rel="canonical">`), when it is usable.

An AMP page (`/amp/55.html`, `?amp=1`), a mobile page (`m.example.com/…`) or a page reached
with extra parameters names the article's URL in `<link rel="canonical">`; the article is stored
under that URL, so it is stored once whichever URL a listing, feed or sitemap gave. A canonical
link is used only when it is

- an http(s) URL on the same site: the same host once a leading `www.`, `m.`, `amp.`,
  `mobile.` or `wap.` is set aside (a repost's canonical naming the original outlet is not an
  address of this page), on the same port;
- not the site's front page or one of the source's listing pages while the page itself is not
  (a template that puts the home page as every page's canonical would merge every article).
"""

from __future__ import annotations

from urllib.parse import urljoin, urlsplit

from parsel import Selector

from fundwatch.storage.canonical import canonicalize_url

_CANONICAL = (
    "//link[contains(concat(' ', translate(@rel, 'CANONICAL', 'canonical'), ' '), ' canonical ')]"
    "/@href"
)
_VARIANT_LABELS = ("www.", "m.", "amp.", "mobile.", "wap.")


def _site(url: str) -> tuple[str, int | None]:
    parts = urlsplit(url)
    host = (parts.hostname or "").lower()
    for label in _VARIANT_LABELS:
        if host.startswith(label) and host.count(".") >= 2:
            host = host.removeprefix(label)
            break
    default = 443 if parts.scheme == "https" else 80
    return host, None if parts.port in (None, default) else parts.port


def _front(url: str) -> bool:
    return urlsplit(url).path in ("", "/") and not urlsplit(url).query


def stated_canonical(selector: Selector, url: str, listings: list[str] | None = None) -> str | None:
    """The page's canonical URL (canonical form) when it names another usable URL, else None."""
    href = selector.xpath(_CANONICAL).get()
    if not href or not href.strip():
        return None
    try:
        page = canonicalize_url(url)
        canonical = canonicalize_url(urljoin(url, href.strip()))
    except ValueError:
        return None
    if canonical == page or _site(canonical) != _site(page):
        return None
    if _front(canonical) and not _front(page):
        return None
    listing_urls = set()
    for listing in listings or []:
        try:
            listing_urls.add(canonicalize_url(listing))
        except ValueError:
            continue
    if canonical in listing_urls and page not in listing_urls:
        return None
    return canonical
