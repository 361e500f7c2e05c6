"""Canonical article URLs: one spelling per article, so the unique key catches re-crawls."""

from __future__ import annotations

import contextlib
import hashlib
import re
from collections.abc import Collection, Iterable
from urllib.parse import parse_qsl, quote, unquote, urlencode, urljoin, urlsplit, urlunsplit

TRACKING_PARAMS = frozenset(
    {
        "spm",
        "from",
        "fbclid",
        "gclid",
        "dclid",
        "msclkid",
        "yclid",
        "mc_cid",
        "mc_eid",
        "igshid",
        "ref",
        "ref_src",
        "ref_url",
        "share",
        "share_token",
        "scene",
        "srcid",
        "spss",
        "sharer",
        "share_from",
        "wfr",
        "isappinstalled",
        "_hsenc",
        "_hsmi",
        "cmpid",
        "ocid",
        "src",
        "source",
        "s_cid",
        "ncid",
        "guccounter",
        "__twitter_impression",
    }
)
TRACKING_PREFIXES = ("utm_", "pk_", "mtm_", "hmsr", "ga_")
INDEX_PAGES = re.compile(r"/(index|default)\.(html?|php|aspx?|shtml)$", re.IGNORECASE)
DEFAULT_PORTS = {"http": 80, "https": 443}


def _is_tracking(name: str) -> bool:
    lowered = name.lower()
    return lowered in TRACKING_PARAMS or lowered.startswith(TRACKING_PREFIXES)


def canonicalize_url(url: str) -> str:
    """Lower-case scheme and host, drop default ports, fragments, tracking parameters and
    index pages, sort the remaining query. Raises ValueError for a non-http(s) URL."""
    parts = urlsplit(url.strip())
    scheme = parts.scheme.lower()
    if scheme not in DEFAULT_PORTS:
        raise ValueError(f"not an http(s) URL: {url!r}")
    host = (parts.hostname or "").lower().rstrip(".")
    if not host:
        raise ValueError(f"URL has no host: {url!r}")
    if not host.isascii():  # the idna codec leaves an ASCII host as it is, slowly
        with contextlib.suppress(UnicodeError):
            host = host.encode("idna").decode("ascii")
    netloc = host
    if parts.port is not None and parts.port != DEFAULT_PORTS[scheme]:
        netloc = f"{host}:{parts.port}"
    path = quote(unquote(parts.path or "/"), safe="/%:@!$&'()*+,;=~-._")
    path = INDEX_PAGES.sub("/", path)
    query_pairs = [
        (key, value)
        for key, value in parse_qsl(parts.query, keep_blank_values=True)
        if not _is_tracking(key)
    ]
    query = urlencode(sorted(query_pairs), doseq=True)
    return urlunsplit((scheme, netloc, path, query, ""))


def url_key(canonical_url: str) -> str:
    """Fixed-length unique key of a canonical URL (indexes stay small for long URLs)."""
    return hashlib.sha256(canonical_url.encode("utf-8")).hexdigest()


# Second-level labels under which a registrable domain takes three labels (example.com.cn).
_PUBLIC_SECOND_LEVEL = frozenset(
    {"com", "net", "org", "gov", "edu", "co", "ac", "or", "ne", "go", "gen", "idv"}
)


def site_of(host: str) -> str:
    """The registrable domain of a host, approximately: news.36kr.com -> 36kr.com,
    www.example.com.cn -> example.com.cn (no public-suffix list: storage does no I/O)."""
    labels = host.lower().rstrip(".").split(".")
    if len(labels) >= 3 and len(labels[-1]) == 2 and labels[-2] in _PUBLIC_SECOND_LEVEL:
        return ".".join(labels[-3:])
    return ".".join(labels[-2:])


def _same_publication(host_a: str, host_b: str, mirrors: Iterable[Collection[str]]) -> bool:
    site_a, site_b = site_of(host_a), site_of(host_b)
    if site_a == site_b:
        return True
    for group in mirrors:
        sites = {site_of(member) for member in group}
        if site_a in sites and site_b in sites:
            return True
    return False


def choose_canonical(
    page_url: str,
    declared_urls: Iterable[str | None],
    mirrors: Iterable[Collection[str]] = (),
) -> str:
    """The canonical URL of a fetched page.

    `declared_urls` are what the page says about itself, in order of trust (the crawler passes
    `<link rel=canonical>` first, then `og:url`); relative ones are resolved against the page.
    The first declared URL on the same site as the page, or on a known mirror of it (`mirrors`:
    groups of hosts that publish the same articles), wins; anything else (another site, a
    non-http scheme, garbage) is ignored, since a page cannot claim another site's URL.
    Returns the canonicalized URL; raises ValueError only when `page_url` itself is unusable.
    """
    page = canonicalize_url(page_url)
    page_host = urlsplit(page).hostname or ""
    mirror_groups = [list(group) for group in mirrors]
    for declared in declared_urls:
        if not declared or not declared.strip():
            continue
        try:
            candidate = canonicalize_url(urljoin(page, declared.strip()))
        except ValueError:
            continue
        if _same_publication(page_host, urlsplit(candidate).hostname or "", mirror_groups):
            return candidate
    return page
