"""Which site template extracts a given article URL (feeds and sitemaps link to sites)."""

from __future__ import annotations

import re
from urllib.parse import urlsplit

from configuration import Catalog, SiteSource
from storage.canonical import canonicalize_url


def template_for(catalog: Catalog, url: str) -> SiteSource | None:
    """The site entry for this URL: same host, and its article_url_pattern (if any) matches.

    Several entries on one host are told apart by their URL pattern, then by the longest path
    shared with their start URLs. Falls back to Catalog.site_template_for for a single match.
    """
    try:
        url = canonicalize_url(url)  # tracking parameters must not defeat the URL pattern
    except ValueError:
        return None
    host = (urlsplit(url).hostname or "").lower()
    path = urlsplit(url).path
    candidates = [
        source
        for source in catalog
        if isinstance(source, SiteSource)
        and any(host == domain or host.endswith("." + domain) for domain in source.domains)
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
