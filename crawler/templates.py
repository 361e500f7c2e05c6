"""Which site template extracts a given article URL (feeds and sitemaps link to sites)."""

from __future__ import annotations

import re
from urllib.parse import urlsplit

from fundwatch.configuration import Catalog, SiteSource
from fundwatch.storage.canonical import canonicalize_url


def _port(url: str) -> int | None:
    """An explicit port (None for the scheme's default, so http and https links both match)."""
    parts = urlsplit(url)
    default = 443 if parts.scheme == "https" else 80
    return None if parts.port in (None, default) else parts.port


def template_for(catalog: Catalog, url: str) -> SiteSource | None:
    """The site entry for this URL: same host, and its article_url_pattern (if any) matches.

    Host (and an explicit port) must match a start URL's. Several entries on one host are told
    apart by their URL pattern, then by the longest path shared with their start URLs.
    """
    try:
        url = canonicalize_url(url)  # tracking parameters must not defeat the URL pattern
    except ValueError:
        return None
    parts = urlsplit(url)
    host, port, path = (parts.hostname or "").lower(), _port(url), parts.path

    def serves(source: SiteSource) -> bool:
        for start in source.start_urls:
            their = (urlsplit(start).hostname or "").lower()
            if _port(start) == port and (host == their or host.endswith("." + their)):
                return True
        return False

    candidates = [
        source
        for source in catalog
        if isinstance(source, SiteSource)
        and serves(source)
        and (
            not source.listing.article_url_pattern
            or re.search(source.listing.article_url_pattern, url)
        )
    ]
    if not candidates:
        return None

    def shared(source: SiteSource) -> int:
        """How many leading path segments the URL shares with the source's start URLs."""
        mine = path.split("/")
        best = 0
        for start in source.start_urls:
            theirs = urlsplit(start).path.split("/")
            same = 0
            for a, b in zip(mine, theirs, strict=False):
                if a != b:
                    break
                same += 1
            best = max(best, same)
        return best

    return max(candidates, key=shared)
