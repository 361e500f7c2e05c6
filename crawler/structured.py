"""What a page states about itself in machine-readable form: JSON-LD, <meta> tags, <time
datetime>, and the embedded state of Next.js / Nuxt pages.

Each reader returns the value and the rule that produced it (e.g. "json-ld datePublished"), so
`fundwatch preview` can say where a field came from.
"""

from __future__ import annotations

import contextlib
import html
import json
import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from parsel import Selector

ARTICLE_TYPES = frozenset(
    {
        "article",
        "newsarticle",
        "reportagenewsarticle",
        "analysisnewsarticle",
        "opinionnewsarticle",
        "backgroundnewsarticle",
        "reviewnewsarticle",
        "blogposting",
        "socialmediaposting",
        "liveblogposting",
        "techarticle",
        "scholarlyarticle",
        "report",
        "webpage",
    }
)
# meta tags carrying the publication time, most specific first (name or property attribute)
_TIME_METAS = (
    "article:published_time",
    "og:article:published_time",
    "datePublished",
    "date.published",
    "publish-date",
    "publish_date",
    "publishdate",
    "pubdate",
    "parsely-pub-date",
    "sailthru.date",
    "dc.date.issued",
    "dcterms.created",
    "dc.date",
    "date",
    "og:published_time",
    "article.published",
    "cxenseparse:recs:publishtime",
)
_FULL_TIME = re.compile(r"\d{4}-\d{2}-\d{2}[T ]\d{1,2}:\d{2}")


@dataclass(frozen=True)
class Found:
    value: str
    rule: str


def _walk_ld(node: Any) -> Iterator[dict[str, Any]]:
    if isinstance(node, list):
        for child in node:
            yield from _walk_ld(child)
    elif isinstance(node, dict):
        yield node
        for key in ("@graph", "mainEntity", "mainEntityOfPage", "itemListElement"):
            child = node.get(key)
            if isinstance(child, list | dict):
                yield from _walk_ld(child)


def json_ld(selector: Selector) -> list[dict[str, Any]]:
    """Every JSON-LD object of the page (@graph and nested main entities flattened)."""
    objects: list[dict[str, Any]] = []
    for raw in selector.xpath(
        '//script[contains(translate(@type, "LDJSON", "ldjson"), "ld+json")]/text()'
    ).getall():
        try:
            data = json.loads(raw.strip().rstrip(";"), strict=False)
        except ValueError:
            continue
        objects.extend(_walk_ld(data))
    return objects


def _types(node: dict[str, Any]) -> set[str]:
    kind = node.get("@type")
    kinds = kind if isinstance(kind, list) else [kind]
    return {k.lower() for k in kinds if isinstance(k, str)}


def article_objects(selector: Selector) -> list[dict[str, Any]]:
    """JSON-LD objects describing an article; NewsArticle-like before a bare WebPage."""
    found = [node for node in json_ld(selector) if _types(node) & ARTICLE_TYPES]
    return sorted(found, key=lambda node: "webpage" in _types(node) and len(_types(node)) == 1)


def _text(value: Any) -> str | None:
    if isinstance(value, str) and value.strip():
        return value.strip()
    if isinstance(value, list) and value:
        return _text(value[0])
    if isinstance(value, dict):
        return _text(value.get("@value") or value.get("name"))
    return None


def meta(selector: Selector, *names: str) -> Found | None:
    """The first non-empty <meta> content among names (property, name or itemprop)."""
    for name in names:
        lowered = name.lower()
        value = selector.xpath(
            "//meta[translate(@property, $u, $l) = $n or translate(@name, $u, $l) = $n"
            " or translate(@itemprop, $u, $l) = $n]/@content",
            u="ABCDEFGHIJKLMNOPQRSTUVWXYZ",
            l="abcdefghijklmnopqrstuvwxyz",
            n=lowered,
        ).get()
        if value and value.strip():
            return Found(value.strip(), f"meta {name}")
    return None


def published_candidates(selector: Selector) -> list[Found]:
    """Publication times the page states, best first: JSON-LD datePublished of the article,
    then <meta> tags, then <time datetime> (inside <article> first)."""
    found: list[Found] = []
    for node in article_objects(selector):
        for key in ("datePublished", "dateCreated", "uploadDate"):
            value = _text(node.get(key))
            if value:
                found.append(Found(value, f"json-ld {key}"))
    for name in _TIME_METAS:
        hit = meta(selector, name)
        if hit:
            found.append(hit)
    for path, rule in (
        ("//article//time/@datetime", "<article> <time datetime>"),
        ("//time[@itemprop='datePublished']/@datetime", "<time itemprop=datePublished>"),
        ("//time/@datetime", "<time datetime>"),
    ):
        value = selector.xpath(path).get()
        if value and value.strip():
            found.append(Found(value.strip(), rule))
    return found


def best_published(selector: Selector) -> Found | None:
    """The first stated time that carries a time of day, else the first stated date."""
    candidates = published_candidates(selector)
    for candidate in candidates:
        if _FULL_TIME.search(candidate.value):
            return candidate
    return candidates[0] if candidates else None


def headline(selector: Selector) -> Found | None:
    for node in article_objects(selector):
        value = _text(node.get("headline")) or _text(node.get("name"))
        if value:  # CMSs write "&#8216;" or "&quot;" into JSON strings
            return Found(html.unescape(value), "json-ld headline")
    return None


def site_names(selector: Selector) -> list[str]:
    """Names the site gives itself: og:site_name, application-name, JSON-LD publisher."""
    names: list[str] = []
    for key in ("og:site_name", "application-name", "twitter:site", "al:android:app_name"):
        hit = meta(selector, key)
        if hit:
            names.append(hit.value.lstrip("@"))
    for node in json_ld(selector):
        publisher = node.get("publisher")
        if isinstance(publisher, dict):
            value = _text(publisher.get("name"))
            if value:
                names.append(value)
        if _types(node) & {"organization", "newsmediaorganization", "website"}:
            value = _text(node.get("name"))
            if value:
                names.append(value)
    return list(dict.fromkeys(name for name in names if name))


def article_body(selector: Selector) -> Found | None:
    """The article's text as JSON-LD articleBody (or text) states it."""
    for node in article_objects(selector):
        for key in ("articleBody", "text"):
            value = node.get(key)
            if isinstance(value, str) and value.strip():
                text = html.unescape(html.unescape(value))
                if "<" in text and ">" in text:
                    text = _as_text(text)
                return Found(text.strip(), f"json-ld {key}")
    return None


# -- embedded application state (Next.js, Nuxt) ----------------------------------------------
_BODY_KEYS = ("articleBody", "body", "content", "text", "bodyText", "contentHtml", "html")
_TITLE_KEYS = ("headline", "title")
_DATE_KEYS = ("datePublished", "publishedAt", "published_at", "publishDate", "pubDate")


# "title":"…" / "headline":"…" in a script, also inside a JSON string (React Server Components
# payloads escape their quotes: \"title\":\"…\")
_TITLE_VALUE = re.compile(r'\\*"(?:title|headline)\\*"\s*:\s*\\*"((?:[^"\\]|\\[^"\\]){4,400})\\*"')


def script_titles(selector: Selector) -> list[str]:
    """The title and headline values named in the page's inline scripts (embedded state,
    JSON-LD, server-component payloads), decoded."""
    found: list[str] = []
    for raw in selector.xpath("//script[not(@src)]/text()").getall():
        for match in _TITLE_VALUE.finditer(raw):
            value = match.group(1)
            with contextlib.suppress(ValueError):  # an escape JSON does not know: keep it raw
                value = json.loads(f'"{value}"')
            found.append(value)
    return found


def embedded_state(selector: Selector) -> tuple[Any, str] | None:
    """The parsed state object of a Next.js (__NEXT_DATA__) or Nuxt (__NUXT_DATA__) page."""
    for path, rule in (
        ("//script[@id='__NEXT_DATA__']/text()", "next.js __NEXT_DATA__"),
        ("//script[@id='__NUXT_DATA__']/text()", "nuxt __NUXT_DATA__"),
    ):
        raw = selector.xpath(path).get()
        if raw:
            try:
                return json.loads(raw), rule
            except ValueError:
                continue
    raw = selector.xpath("//script[contains(., 'window.__NUXT__=')]/text()").get()
    if raw:
        start = raw.find("{")
        try:
            return json.loads(raw[start:].rstrip().rstrip(";")), "nuxt window.__NUXT__"
        except ValueError:
            return None
    return None


def _dicts(node: Any, depth: int = 0) -> Iterator[dict[str, Any]]:
    if depth > 40:
        return
    if isinstance(node, dict):
        yield node
        for child in node.values():
            yield from _dicts(child, depth + 1)
    elif isinstance(node, list):
        for child in node:
            yield from _dicts(child, depth + 1)


def _as_text(value: Any) -> str:
    """A body value as plain text: a string (HTML tags out), or a list of blocks."""
    if isinstance(value, str):
        if "<" in value and ">" in value:
            from fundwatch.crawler.extraction import html_fragment_text

            return html_fragment_text(value)
        return value
    if isinstance(value, list):
        parts = [_as_text(v) for v in value]
        return "\n".join(part for part in parts if part.strip())
    if isinstance(value, dict):
        for key in ("text", "content", "value", "children", "html"):
            if key in value:
                return _as_text(value[key])
    return ""


@dataclass(frozen=True)
class EmbeddedArticle:
    title: str | None
    body: str
    published: str | None
    rule: str


_JSON_STRING = re.compile(r'"((?:[^"\\\n]|\\.){200,})"')
_SENTENCE = re.compile(r"[.!?。！？」][\s<]|[.。]$")


def _script_text(selector: Selector) -> EmbeddedArticle | None:
    """The longest prose string held in an inline script (React Server Components payloads,
    dehydrated query caches): a JSON string literal whose text reads as sentences."""
    best = ""
    for raw in selector.xpath("//script[not(@src)]/text()").getall():
        if len(raw) < 400:
            continue
        for match in _JSON_STRING.finditer(raw):
            try:
                value = json.loads(f'"{match.group(1)}"')
            except ValueError:
                continue
            if not isinstance(value, str) or value.startswith(("http", "/", "{", "[")):
                continue
            text = _as_text(value).strip()
            if len(text) > len(best) and len(_SENTENCE.findall(text)) >= 3:
                best = text
    if len(best) < 200:
        return None
    return EmbeddedArticle(None, best, None, "inline script text")


def embedded_article(selector: Selector) -> EmbeddedArticle | None:
    """The article inside a page's embedded state: the object with the longest body text,
    else the longest prose string of an inline script."""
    state = embedded_state(selector)
    if state is None:
        return _script_text(selector)
    data, rule = state
    best: EmbeddedArticle | None = None
    for node in _dicts(data):
        for key in _BODY_KEYS:
            if key not in node:
                continue
            body = _as_text(node[key]).strip()
            if len(body) < 200 or (best and len(body) <= len(best.body)):
                continue
            title = next((node[k] for k in _TITLE_KEYS if isinstance(node.get(k), str)), None)
            date = next((node[k] for k in _DATE_KEYS if isinstance(node.get(k), str)), None)
            best = EmbeddedArticle(title, body, date, f"{rule} {key}")
    return best or _script_text(selector)
