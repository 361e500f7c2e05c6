"""Canonical article URLs: one spelling per article, so the unique key catches re-crawls."""

from __future__ import annotations

import contextlib
import hashlib
import re
from urllib.parse import parse_qsl, quote, unquote, urlencode, urlsplit, urlunsplit

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
