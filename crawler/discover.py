"""`fundwatch add URL`: from a homepage, category page or feed URL to a ready catalog entry.

Discovery: feeds named by `<link rel=alternate>`; sitemaps named by robots.txt `Sitemap:` lines,
else found at /sitemap.xml, /sitemap_index.xml or /news-sitemap.xml, indexes opened. A Google
News sitemap (`<news:title>`, `<news:publication_date>`) is preferred over everything else (it
lists each recent article with its title and time, with no selector to break); a general sitemap
is the last resort, filtered to its article-like URLs.

Inference for a listing: article links are the largest cluster of same-host links by URL shape
(digits and slugs generalised), the next-page link is found by rel/text/class, and the
title/date/body selectors are chosen on several articles and kept only when they agree with the
page's structured data and generic extraction.
"""

from __future__ import annotations

import gzip
import json
import re
import unicodedata
from collections import Counter
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import parse_qsl, urljoin, urlsplit

import httpx
from lxml import etree
from parsel import Selector

from fundwatch.crawler.charsets import page_text
from fundwatch.crawler.extraction import Extracted, extract_generic
from fundwatch.crawler.generic import coverage
from fundwatch.crawler.listings import EPOCH_MS, link_in, looks_like_json
from fundwatch.crawler.titles import fold
from fundwatch.storage.canonical import canonicalize_url

SAMPLE = 4  # articles checked per inferred selector
MIN_CLUSTER = 3
_FEED_TYPES = ("application/rss+xml", "application/atom+xml", "application/feed+json")
_NEXT_WORDS = re.compile(
    r"^\s*(?:next|older|more|load more|下一页|下一頁|下页|后一页|加载更多|載入更多|›|»|>|→)",
    re.I,
)


@dataclass
class Discovery:
    url: str
    feeds: list[str] = field(default_factory=list)
    sitemaps: list[str] = field(default_factory=list)
    news_sitemaps: list[str] = field(default_factory=list)
    is_feed: bool = False
    entry: dict[str, Any] | None = None
    notes: list[str] = field(default_factory=list)


def _get(client: httpx.Client, url: str) -> httpx.Response | None:
    try:
        response = client.get(url)
    except httpx.HTTPError:
        return None
    return response if response.status_code == 200 else None


def response_text(response: httpx.Response) -> str:
    """The page as a crawl reads it (crawler/charsets.py: <meta> over a blanket header)."""
    return page_text(response.content, response.headers.get("content-type"))


def looks_like_feed(text: str) -> bool:
    head = text[:2000].lower()
    return "<rss" in head or "<feed" in head or "<rdf:rdf" in head


def feeds_of(page: Selector, base: str) -> list[str]:
    found = []
    for link in page.xpath("//link[@rel='alternate' and @href]"):
        kind = (link.attrib.get("type") or "").lower()
        if kind in _FEED_TYPES:
            found.append(urljoin(base, link.attrib["href"]))
    return list(dict.fromkeys(found))


SITEMAP_PATHS = ("/sitemap.xml", "/sitemap_index.xml", "/news-sitemap.xml")
MAX_CHILD_SITEMAPS = 20  # children of an index looked at for a news sitemap


@dataclass
class Sitemap:
    url: str
    kind: str  # "urlset" or "sitemapindex"
    locs: list[str] = field(default_factory=list)
    news: int = 0  # entries with <news:title> / <news:publication_date>


def read_sitemap(client: httpx.Client, url: str) -> Sitemap | None:
    """The sitemap at `url` (gzipped or not), None when it is not one."""
    from fundwatch.crawler.spiders.sitemap import MAX_SITEMAP_BYTES, parse_sitemap

    response = _get(client, url)
    if response is None:
        return None
    body = response.content
    if body[:2] == b"\x1f\x8b":
        try:
            body = gzip.decompress(body)[:MAX_SITEMAP_BYTES]
        except (OSError, EOFError):
            return None
    kind, entries = parse_sitemap(body)
    if kind not in ("urlset", "sitemapindex"):
        return None
    locs = [urljoin(str(response.url), entry.loc) for entry in entries]
    return Sitemap(str(response.url), kind, locs, sum(entry.is_news for entry in entries))


def robots_sitemaps(client: httpx.Client, root: str) -> list[str]:
    robots = _get(client, root + "/robots.txt")
    if robots is None:
        return []
    found = []
    for line in robots.text.splitlines():
        key, _, value = line.partition(":")
        if key.strip().lower() == "sitemap" and value.strip():
            found.append(urljoin(root + "/", value.strip()))
    return found


def sitemaps_of(client: httpx.Client, url: str) -> list[Sitemap]:
    """The site's sitemaps: those robots.txt names, else the usual paths; an index is opened
    (sitemaps_of_index)."""
    parts = urlsplit(url)
    root = f"{parts.scheme}://{parts.netloc}"
    named = robots_sitemaps(client, root)
    candidates = named or [root + path for path in SITEMAP_PATHS]
    found: dict[str, Sitemap] = {}
    for candidate in dict.fromkeys(candidates):
        if candidate in found:
            continue
        sitemap = read_sitemap(client, candidate)
        if sitemap is None or sitemap.url in found:
            continue
        opened = [sitemap] if sitemap.kind == "urlset" else sitemaps_of_index(client, sitemap)
        for each in opened:
            found.setdefault(each.url, each)
    return list(found.values())


def best_sitemap(sitemaps: list[Sitemap]) -> Sitemap | None:
    """A Google News sitemap (the most news entries) before a general one (the most URLs)."""
    lists = [s for s in sitemaps if s.kind == "urlset" and s.locs]
    news = [s for s in lists if s.news]
    if news:
        return max(news, key=lambda s: s.news)
    if lists:
        return max(lists, key=lambda s: len(s.locs))
    return None


def sitemap_entry(sitemap: Sitemap, name: str) -> tuple[dict[str, Any], list[str]]:
    """A `kind: sitemap` entry: a news sitemap keeps its news entries only; a general one keeps
    the URLs of its largest cluster of article-like URLs (it also lists section pages)."""
    entry: dict[str, Any] = {"name": name, "kind": "sitemap", "url": sitemap.url}
    notes: list[str] = []
    if sitemap.news:
        entry["news_only"] = True
        notes.append(
            f"news sitemap {sitemap.url}: {sitemap.news} articles with titles and publication times"
        )
        entry["every"] = "30m"
        return entry, notes
    host = urlsplit(sitemap.url).hostname or ""
    cluster = article_cluster(sitemap.locs, host)
    if cluster is not None:
        pattern, members = cluster
        entry["url_pattern"] = pattern
        notes.append(
            f"sitemap {sitemap.url}: {len(members)} of {len(sitemap.locs)} URLs match {pattern}"
        )
    else:
        notes.append(f"sitemap {sitemap.url}: {len(sitemap.locs)} URLs, no article URL pattern")
    entry["every"] = "1h"
    return entry, notes


_PAGE_FILE = re.compile(r"[a-z]?\d+\.(?P<ext>s?html?|php|aspx?|jsp)", re.I)


def _query_shape(query: str) -> str:
    """A query string with its numbers and slugs generalised: id=123 -> id=\\d+."""
    shaped = []
    for pair in query.split("&"):
        key, _, value = pair.partition("=")
        if re.fullmatch(r"\d+", value):
            value = r"\d+"
        elif len(value) > 24 or "-" in value or "_" in value:
            value = r"[\w%-]+"
        else:
            value = re.escape(value)
        shaped.append(f"{re.escape(key)}={value}")
    return r"\?" + "&".join(shaped)


def url_shape(url: str) -> str:
    """The path (and query) with numbers and slugs generalised: /2024/03/a-slug/ ->
    /\\d+/\\d+/[\\w-]+/, /article.php?id=7 -> /article\\.php\\?id=\\d+."""
    parts = urlsplit(url)
    segments = parts.path.split("/")
    out = []
    for i, segment in enumerate(segments):
        page_file = _PAGE_FILE.fullmatch(segment)
        if not segment:
            out.append("")
        elif re.fullmatch(r"\d+", segment):
            out.append(r"\d+")
        elif page_file:
            ext = page_file["ext"].lower()
            suffix = r"\.html?" if ext in ("htm", "html") else re.escape(f".{ext}")
            out.append(re.sub(r"\d+", r"\\d+", re.escape(segment.split(".")[0])) + suffix)
        elif i == len(segments) - 1 or (i == len(segments) - 2 and not segments[-1]):
            if "-" in segment or "_" in segment or len(segment) > 24:
                suffix = re.search(r"\.s?html?$", segment)
                out.append(r"[\w%-]+" + (re.escape(suffix.group(0)) if suffix else ""))
            else:
                out.append(re.escape(segment))
        else:
            out.append(re.escape(segment))
    return "/".join(out) + (_query_shape(parts.query) if parts.query else "")


def _generalised(shape: str) -> bool:
    return r"\d+" in shape or r"[\w%-]+" in shape


def article_cluster(
    links: list[str], host: str, texts: dict[str, str] | None = None
) -> tuple[str, list[str]] | None:
    """(URL pattern, links) of the largest cluster of same-host links by shape; among clusters
    of links with headline-like text (8 characters or more on average, as article links carry
    titles), else among all. `links` are canonical (no tracking parameters or fragments)."""
    same = [u for u in links if (urlsplit(u).hostname or "") == host and urlsplit(u).path]
    unique = list(dict.fromkeys(same))
    shapes = Counter(url_shape(u) for u in unique)

    def text_length(shape: str) -> float:
        members = [u for u in unique if url_shape(u) == shape]
        return sum(len((texts or {}).get(u, "")) for u in members) / max(1, len(members))

    candidates = [
        (text_length(shape) >= 8 if texts else True, count, shape)
        for shape, count in shapes.items()
        if count >= MIN_CLUSTER and _generalised(shape)
    ]
    if not candidates:
        return None
    _, _, shape = max(candidates, key=lambda c: (c[0], c[1], len(c[2])))
    members = [u for u in unique if url_shape(u) == shape]
    return shape + "$", members


def next_page_selector(page: Selector) -> str | None:
    if page.css("a[rel=next]::attr(href)").get():
        return "a[rel=next]::attr(href)"
    if page.css("link[rel=next]::attr(href)").get():  # in the head (pagination for crawlers)
        return "link[rel=next]::attr(href)"
    for anchor in page.css("a[href]"):
        classes = anchor.attrib.get("class", "")
        if re.search(r"\bnext\b", classes):
            first = next(c for c in classes.split() if "next" in c)
            return f"a.{first}::attr(href)"
        text = "".join(anchor.css("::text").getall())
        if text and _NEXT_WORDS.match(text) and len(text.strip()) <= 12:
            return f"xpath://a[normalize-space(.)={_xpath_literal(text.strip())}]/@href"
    return numbered_pager_selector(page)


_CURRENT_PAGE = re.compile(r"^(?:cur|current|active|on|selected|this-page|page-current)$", re.I)


def numbered_pager_selector(page: Selector) -> str | None:
    """A pager of page numbers only (1 2 3, ?page=N) with no "next" link: the link right after
    the current page's marker (class cur/current/active/on, or aria-current=page), when its
    number is the next one."""
    for element in page.root.iter():
        if not isinstance(element.tag, str):
            continue
        number = "".join(element.itertext()).strip()
        classes = (element.get("class") or "").split()
        marked = element.get("aria-current") == "page" or any(
            _CURRENT_PAGE.match(c) for c in classes
        )
        if not number.isdigit() or not marked:
            continue
        following = element.getnext()
        if following is None or not isinstance(following.tag, str):
            continue
        link = following if following.tag == "a" else following.find(".//a")
        if link is None or not link.get("href"):
            continue
        if "".join(link.itertext()).strip() != str(int(number) + 1):
            continue
        parent = element.getparent()
        context = f"{_css_of(parent)} > " if parent is not None else ""
        step = "a" if following.tag == "a" else f"{following.tag} a"
        return f"{context}{_css_of(element)} + {step}::attr(href)"
    return None


def _xpath_literal(text: str) -> str:
    return f"'{text}'" if "'" not in text else f'"{text}"'


def _css_of(element: etree._Element) -> str:
    tag = element.tag if isinstance(element.tag, str) else "div"
    classes = [c for c in (element.get("class") or "").split() if re.fullmatch(r"[\w-]+", c)]
    if element.get("id") and re.fullmatch(r"[\w-]+", element.get("id", "")):
        return f"{tag}#{element.get('id')}"
    return tag + "".join(f".{c}" for c in classes[:2])


def body_selector(page: Selector, generic_body: str) -> str | None:
    """The smallest element whose text holds most of the generic extraction's body; when that
    element also holds clutter (ad slots, related stories) between repeated blocks of one kind
    (`<section class="para">` …) that hold the body by themselves, those blocks."""
    best: tuple[int, etree._Element] | None = None
    for element in page.root.iter("div", "article", "section", "main"):
        text = " ".join("".join(element.itertext()).split())
        if len(text) < 0.8 * len(fold(generic_body)) / 2:
            continue
        if coverage(text, generic_body) >= 0.9 and (best is None or len(text) < best[0]):
            best = (len(text), element)
    if best is None:
        return None
    size, container = best
    blocks = repeated_blocks(container, generic_body, size)
    return f"{_css_of(container)} {blocks}" if blocks else _css_of(container)


def repeated_blocks(container: etree._Element, generic_body: str, size: int) -> str | None:
    groups: dict[str, list[etree._Element]] = {}
    for child in container:
        if isinstance(child.tag, str) and child.tag in ("section", "div", "p"):
            groups.setdefault(_css_of(child), []).append(child)
    for css, members in groups.items():
        if len(members) < 2 or "#" in css:
            continue
        joined = " ".join(" ".join("".join(m.itertext()).split()) for m in members)
        if coverage(joined, generic_body) >= 0.9 and len(joined) < 0.85 * size:
            return css
    return None


_SITE_SEPARATOR = "-|–—_:：·｜/"


def _plain(text: str) -> str:
    """NFKC, case-folded, whitespace collapsed; punctuation kept (fold drops it)."""
    return " ".join(unicodedata.normalize("NFKC", text).casefold().split())


def heading_is_title(heading: str, title: str) -> bool:
    """The heading is the title, or the title is the heading plus a separated site name
    ("Headline - Site", "Site | Headline") that generic extraction could not strip."""
    if fold(heading) == fold(title):
        return True
    head, full = _plain(heading), _plain(title)
    if len(head) < 4 or head not in (full[: len(head)], full[-len(head) :]):
        return False
    rest = full[len(head) :] if full.startswith(head) else full[: -len(head)]
    rest = rest.strip()
    edge = rest[:1] if full.startswith(head) else rest[-1:]
    return bool(rest) and edge in _SITE_SEPARATOR and len(rest) <= 40


def title_selector(page: Selector, title: str) -> str | None:
    """The heading (h1, else h2) whose text is the title."""
    for tag in ("h1", "h2"):
        for element in page.css(tag):
            text = " ".join("".join(element.css("::text").getall()).split())
            if text and heading_is_title(text, title):
                classes = [c for c in (element.attrib.get("class") or "").split()]
                # several h1s, or any h2 (sidebars use h2 too): name the heading's class
                named = tag == "h2" or len(page.css(tag)) > 1
                if classes and named and re.fullmatch(r"[\w-]+", classes[0]):
                    return f"{tag}.{classes[0]}::text"
                return f"{tag}::text" if element.css("::text").get() else tag
    return None


_DATE_CLASS = re.compile(r"date|time|pub|posted|meta|ago", re.I)


def published_selector(page: Selector, timezone: str = "UTC") -> str | None:
    """A leaf element with a date-like class whose short text parses as a publication time."""
    from fundwatch.crawler.dates import is_relative, parse_published

    for element in page.root.iter():
        if not isinstance(element.tag, str) or len(element):  # leaves: the date itself
            continue
        classes = (element.get("class") or "").split()
        named = [c for c in classes if _DATE_CLASS.search(c) and re.fullmatch(r"[\w-]+", c)]
        if not named:
            continue
        text = " ".join("".join(element.itertext()).split())
        relative = is_relative(text)  # "3小时前", "刚刚": read against the fetch time
        if not relative and not (len(text) >= 6 and re.search(r"\d", text)):
            continue
        if len(text) <= 60 and parse_published(text, timezone):
            return f"{element.tag}.{named[0]}::text"
    return None


def _script_shell(page: Selector) -> bool:
    """A page with scripts and next to no visible text or links: an app shell."""
    words = " ".join(
        page.xpath("//body//text()[not(ancestor::script or ancestor::style)]").getall()
    )
    return (
        bool(page.css("script"))
        and len(" ".join(words.split())) < 200
        and len(page.css("a[href]")) < 10
    )


# where a listing keeps its article URLs: href, then the attributes of script-driven links
_LINK_ATTRIBUTES = ("href", "data-href", "data-url", "onclick")
_ATTRIBUTE_SELECTORS = {
    "href": "a::attr(href)",
    "data-href": "[data-href]::attr(data-href)",
    "data-url": "[data-url]::attr(data-url)",
    "onclick": "[onclick]::attr(onclick)",
}


def _link_holders(page: Selector) -> list[tuple[Selector, str]]:
    """(element, attribute) of every link on the page: <a href>, then data-href / data-url
    cards and onclick handlers (`location.href='/a/5.html'`)."""
    found = [(anchor, "href") for anchor in page.css("a[href]")]
    for attribute in _LINK_ATTRIBUTES[1:]:
        found += [(element, attribute) for element in page.css(f"[{attribute}]")]
    return found


def infer_site(
    client: httpx.Client, url: str, html: str, name: str
) -> tuple[dict[str, Any] | None, list[str]]:
    notes: list[str] = []
    page = Selector(text=html, type="html")
    host = urlsplit(url).hostname or ""
    links: list[str] = []
    texts: dict[str, str] = {}
    via: dict[str, str] = {}  # link -> the attribute it was read from
    for element, attribute in _link_holders(page):
        href = link_in(element.attrib[attribute].strip())
        if not href:
            continue
        try:
            link = canonicalize_url(urljoin(url, href))
        except ValueError:
            continue
        links.append(link)
        via.setdefault(link, attribute)
        text = " ".join("".join(element.css("::text").getall()).split())
        texts[link] = max(texts.get(link, ""), text, key=len)
    cluster = article_cluster(links, host, texts)
    if cluster is None:
        notes = ["no cluster of at least 3 article-like links on the page"]
        if _script_shell(page):
            notes.append(
                "the page is filled in by JavaScript: find the request its list of articles "
                "comes from (browser developer tools, Network tab, often /api/...list?page=1) "
                "and run `fundwatch add` on that URL (a JSON listing, format: json)"
            )
        return None, notes
    pattern, members = cluster
    notes.append(f"{len(members)} article links match {pattern}")
    listing: dict[str, Any] = {"article_url_pattern": pattern}
    used = {via[member] for member in members if member in via}
    if used - {"href"}:  # cards with data-href, anchors whose onclick holds the URL
        listing["article_links"] = ", ".join(
            _ATTRIBUTE_SELECTORS[attribute] for attribute in _LINK_ATTRIBUTES if attribute in used
        )
    nxt = next_page_selector(page)
    if nxt:
        listing["next_page"] = nxt
    article, article_notes = infer_article(client, members)
    notes.extend(article_notes)
    locale, locale_note = language_and_zone(page)
    notes.append(locale_note)
    entry: dict[str, Any] = {
        "name": name,
        "kind": "site",
        **locale,
        "start_urls": [url],
        "every": "1h",
        "listing": listing,
    }
    if article:
        entry["article"] = article
    return entry, notes


def _without_headline(extracted: Extracted) -> str:
    """The generic body without a first line that repeats the title (trafilatura keeps the
    headline on some pages; the body element below it does not hold it)."""
    first, _, rest = extracted.body.partition("\n")
    if rest.strip() and extracted.title and fold(first) == fold(extracted.title):
        return rest
    return extracted.body


def infer_article(
    client: httpx.Client, members: list[str], listed_times: bool = False
) -> tuple[dict[str, Any], list[str]]:
    """Article selectors that agree on most of the first SAMPLE articles, and notes
    (`listed_times`: the listing states each article's time, none is needed on the page)."""
    notes: list[str] = []
    titles: Counter[str] = Counter()
    bodies: Counter[str] = Counter()
    structured_dates = 0
    dates: Counter[str] = Counter()
    checked = 0
    for article_url in members[:SAMPLE]:
        response = _get(client, article_url)
        if response is None:
            continue
        checked += 1
        text = response_text(response)
        article_page = Selector(text=text)
        generic = extract_generic(text, article_url)
        if generic.title:
            titles[title_selector(article_page, generic.title) or ""] += 1
        if generic.body:
            bodies[body_selector(article_page, _without_headline(generic)) or ""] += 1
        if generic.rules.get("published", "").startswith(("json-ld", "meta", "<")):
            structured_dates += 1
        else:
            dates[published_selector(article_page) or ""] += 1
    article: dict[str, Any] = {}
    for key, votes in (("title", titles), ("body", bodies)):
        chosen, count = votes.most_common(1)[0] if votes else ("", 0)
        if chosen and count > checked / 2:
            article[key] = chosen
        elif key == "title":  # without one the entry's default h1::text would apply
            article["title"] = "title::text"
            notes.append(
                "no heading holds the title on most articles: title from <title> (site name "
                "stripped where the page names it); check it in the preview"
            )
        else:
            notes.append(
                "no body selector agrees on most articles: the default `article` applies; "
                "name article.body after checking the preview"
            )
    if structured_dates < checked and not listed_times:
        chosen, count = dates.most_common(1)[0] if dates else ("", 0)
        if chosen and count + structured_dates > checked / 2:
            article["published"] = chosen
        else:
            notes.append(
                f"{checked - structured_dates}/{checked} articles state no structured time "
                "and no date element was found: add article.published"
            )
    return article, notes


_TITLE_KEYS = ("title", "headline", "name", "subject")
_TIME_KEY = re.compile(r"time|date|publish|created|ctime|pub|ts$", re.I)
_PAGE_PARAMS = ("page", "p", "pn", "pageno", "page_no", "pageindex", "pagenum", "page_num")
_EPOCHS = (946_684_800, 4_102_444_800)  # 2000 .. 2100 in seconds


def _lists_of_items(node: Any, path: str = "", depth: int = 0) -> Any:
    """(dotted path, list) of every list of objects in a JSON document, depth first."""
    if isinstance(node, list) and node and all(isinstance(item, dict) for item in node):
        yield path or ".", node
    elif isinstance(node, dict) and depth < 5:
        for key, value in node.items():
            if isinstance(key, str) and re.fullmatch(r"[\w$@-]+", key):
                yield from _lists_of_items(value, f"{path}.{key}" if path else key, depth + 1)


def _flat(item: dict[str, Any], prefix: str = "") -> dict[str, Any]:
    """An item's scalar values by dotted path, two levels deep (author.name)."""
    out: dict[str, Any] = {}
    for key, value in item.items():
        if not isinstance(key, str) or not re.fullmatch(r"[\w$@-]+", key):
            continue
        if isinstance(value, dict) and not prefix:
            out.update(_flat(value, f"{key}."))
        elif not isinstance(value, dict | list):
            out[prefix + key] = value
    return out


def _url_like(value: Any, host: str) -> bool:
    if not isinstance(value, str):
        return False
    value = value.strip()
    if value.startswith(("http://", "https://")):
        return (urlsplit(value).hostname or "") == host
    return value.startswith("/") and not value.startswith("//") and len(value) > 1


def _is_epoch(value: Any) -> bool:
    if isinstance(value, bool) or not isinstance(value, int | float | str):
        return False
    try:
        number = float(value)
    except ValueError:
        return False
    seconds = number / 1000 if number >= EPOCH_MS else number
    return _EPOCHS[0] <= seconds <= _EPOCHS[1]


def infer_json_listing(
    client: httpx.Client, url: str, text: str, name: str
) -> tuple[dict[str, Any] | None, list[str]]:
    """A `format: json` listing from an API answer: the largest list of objects whose items
    hold a same-site URL, with the title and time keys found in its items."""
    from fundwatch.crawler.dates import parse_published

    document = json.loads(text)
    host = urlsplit(url).hostname or ""
    best: tuple[int, str, str, list[dict[str, Any]]] | None = None
    for path, items in _lists_of_items(document):
        flats = [_flat(item) for item in items]
        for key in flats[0]:
            hits = sum(1 for flat in flats if _url_like(flat.get(key), host))
            if hits * 2 >= len(items) and (best is None or hits > best[0]):
                best = (hits, path, key, items)
    if best is None:
        return None, ["a JSON document, but no list of items holding article URLs of this site"]
    _, items_path, url_key, items = best
    flats = [_flat(item) for item in items]
    keys = list(flats[0])
    listing: dict[str, Any] = {"format": "json", "items": items_path, "item_url": url_key}
    named = [k for k in keys if k.rsplit(".", 1)[-1].lower() in _TITLE_KEYS]
    texts = [
        k
        for k in keys
        if k != url_key
        and all(isinstance(f.get(k), str) for f in flats)
        and 8 <= sum(len(f[k]) for f in flats) / len(flats) <= 200
    ]
    title = next(iter(named or texts), None)
    if title:
        listing["item_title"] = title
    for key in sorted(keys, key=lambda k: not _TIME_KEY.search(k)):
        values = [f.get(key) for f in flats]
        if all(_is_epoch(v) for v in values) or (
            _TIME_KEY.search(key)
            and all(isinstance(v, str) and parse_published(v, "UTC") for v in values)
        ):
            listing["item_published"] = key
            break
    query = dict(parse_qsl(urlsplit(url).query))
    param = next((k for k in query if k.lower() in _PAGE_PARAMS and query[k].isdigit()), None)
    if param:
        listing["page_param"] = param
    links = [urljoin(url, str(f[url_key]).strip()) for f in flats if f.get(url_key)]
    notes = [f"{len(links)} article URLs at {items_path}[].{url_key} in the JSON listing"]
    article, article_notes = infer_article(client, links, "item_published" in listing)
    notes.extend(article_notes)
    entry: dict[str, Any] = {
        "name": name,
        "kind": "site",
        "start_urls": [url],
        "every": "1h",
        "listing": listing,
    }
    if article:
        entry["article"] = article
    return entry, notes


_ZONES = {  # a page's <html lang> region (or script) -> the zone its unmarked times are in
    "cn": "Asia/Shanghai",
    "hans": "Asia/Shanghai",
    "sg": "Asia/Singapore",
    "tw": "Asia/Taipei",
    "hant": "Asia/Taipei",
    "hk": "Asia/Hong_Kong",
    "mo": "Asia/Macau",
    "jp": "Asia/Tokyo",
    "ja": "Asia/Tokyo",
    "kr": "Asia/Seoul",
    "ko": "Asia/Seoul",
    "gb": "Europe/London",
    "in": "Asia/Kolkata",
}


def language_and_zone(page: Selector) -> tuple[dict[str, str], str]:
    """`language` and `timezone` from the page's <html lang> (zh-TW -> zh-Hant, Asia/Taipei),
    and a note saying where they came from or that they are to be set."""
    lang = (page.xpath("/html/@lang").get() or "").strip()
    parts = [part for part in lang.lower().replace("_", "-").split("-") if part]
    found: dict[str, str] = {}
    if parts and parts[0] == "zh":
        traditional = any(part in ("hant", "tw", "hk", "mo") for part in parts[1:])
        found["language"] = "zh-Hant" if traditional else "zh-Hans"
        region = next((p for p in reversed(parts[1:]) if p in _ZONES), None)
        found["timezone"] = _ZONES[region] if region else "Asia/Shanghai"
    elif parts and re.fullmatch(r"[a-z]{2,3}", parts[0]):
        found["language"] = parts[0]
        region = next((p for p in reversed(parts) if p in _ZONES), None)
        if region:
            found["timezone"] = _ZONES[region]
    if "timezone" in found:
        note = (
            f"language {found['language']} and timezone {found['timezone']} from "
            f'<html lang="{lang}">: check them (times without an offset are read in timezone)'
        )
    else:
        note = (
            "set timezone (an IANA name): times without an offset are read in it, UTC if unset"
            + ("" if found else "; and language (the page names none)")
        )
    return found, note


def source_name(url: str) -> str:
    host = (urlsplit(url).hostname or "site").removeprefix("www.")
    name = re.sub(r"[^a-z0-9]+", "_", host.lower()).strip("_")[:40]
    return name if name[:1].isalpha() else f"site_{name}".rstrip("_")


def discover(url: str, transport: httpx.BaseTransport | None = None) -> Discovery:
    found = Discovery(url)
    with httpx.Client(
        headers={"User-Agent": "fundwatch-add/0.1"},
        timeout=20.0,
        follow_redirects=True,
        transport=transport,
    ) as client:
        response = _get(client, url)
        if response is None:
            found.notes.append(f"{url} could not be fetched")
            return found
        name = source_name(url)
        text = response_text(response)
        if looks_like_feed(text):
            found.is_feed = True
            found.entry = {"name": name, "kind": "feed", "url": str(response.url), "every": "30m"}
            return found
        given = read_sitemap(client, str(response.url)) if looks_like_sitemap(text) else None
        if given is not None:  # the URL is a sitemap (or an index of them)
            sitemaps = [given] if given.kind == "urlset" else sitemaps_of_index(client, given)
            chosen = best_sitemap(sitemaps)
            found.sitemaps = [s.url for s in sitemaps]
            found.news_sitemaps = [s.url for s in sitemaps if s.news]
            if chosen is not None:
                found.entry, notes = sitemap_entry(chosen, name)
                found.notes.extend(notes)
            return found
        if looks_like_json(text):  # an API answer: a JSON listing (format: json)
            found.entry, notes = infer_json_listing(client, str(response.url), text, name)
            found.notes.extend(notes)
            return found
        page = Selector(text=text, type="html")
        found.feeds = feeds_of(page, str(response.url))
        sitemaps = sitemaps_of(client, str(response.url))
        found.sitemaps = [s.url for s in sitemaps]
        found.news_sitemaps = [s.url for s in sitemaps if s.news]
        chosen = best_sitemap(sitemaps)
        if chosen is not None and chosen.news:
            # a Google News sitemap lists each recent article with its title and publication
            # time, kept up by the publisher for crawlers: no selector to break on a redesign
            found.entry, notes = sitemap_entry(chosen, name)
            found.notes.extend(notes)
            return found
        entry, notes = infer_site(client, str(response.url), text, name)
        found.notes.extend(notes)
        if entry is not None:
            found.entry = entry
        elif found.feeds:
            found.entry = {"name": name, "kind": "feed", "url": found.feeds[0], "every": "30m"}
        elif chosen is not None:
            found.entry, notes = sitemap_entry(chosen, name)
            found.notes.extend(notes)
    return found


def looks_like_sitemap(text: str) -> bool:
    head = text[:2000]
    return "<urlset" in head or "<sitemapindex" in head


def sitemaps_of_index(client: httpx.Client, index: Sitemap) -> list[Sitemap]:
    """The index and its first MAX_CHILD_SITEMAPS child sitemaps, those named "news" first."""
    children = sorted(index.locs, key=lambda loc: "news" not in loc.lower())
    found = [read_sitemap(client, child) for child in children[:MAX_CHILD_SITEMAPS]]
    return [index, *(s for s in found if s is not None and s.kind == "urlset")]
