"""Article extraction: with a site template's selectors, or generically with trafilatura.

Selectors are CSS (with Scrapy's ::text / ::attr(name)) or XPath written as "xpath:<expr>".
A selector that picks elements yields their visible text, one line per block element.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from lxml import etree
from lxml import html as lxml_html
from parsel import Selector, SelectorList

from fundwatch.configuration import ArticleSelectors
from fundwatch.crawler import structured
from fundwatch.crawler.dates import is_relative
from fundwatch.crawler.titles import choose_title, strip_site_name

_BLOCK_TAGS = frozenset(
    {"p", "div", "li", "h1", "h2", "h3", "h4", "h5", "h6", "blockquote", "pre", "tr", "br"}
    | {"section", "article", "header", "footer", "ul", "ol", "table", "figure", "figcaption"}
    | {"dd", "dt"}
)
_SKIP_TAGS = frozenset(
    {"script", "style", "noscript", "template", "iframe", "svg", "form", "button"}
)
_URL = re.compile(r"https?://[^\s<>\"'，。、)）]+")


@dataclass
class Extracted:
    title: str = ""
    body: str = ""
    published: str | None = None
    author: str | None = None
    breadcrumb: str | None = None
    origin_url: str | None = None
    origin_name: str | None = None
    canonical: str | None = None  # the page's <link rel=canonical>, when usable (the stored URL)
    next_page: str | None = None  # the article's next page, when it is split over several
    first_page: str | None = None  # the article's first page, when this is a later one
    rules: dict[str, str] = field(default_factory=dict)  # field -> the rule that produced it
    warnings: list[str] = field(default_factory=list)


def select(selector: Selector, query: str) -> SelectorList[Selector]:
    if query.startswith("xpath:"):
        return selector.xpath(query.removeprefix("xpath:"))
    return selector.css(query)


def _element_text(element: etree._Element) -> str:
    parts: list[str] = []

    def walk(node: etree._Element) -> None:
        tag = node.tag if isinstance(node.tag, str) else ""
        tag = tag.rsplit("}", 1)[-1].lower()
        if tag in _SKIP_TAGS:
            if node.tail:
                parts.append(node.tail)
            return
        block = tag in _BLOCK_TAGS
        if block:
            parts.append("\n")
        if node.text and tag:
            parts.append(node.text)
        for child in node:
            walk(child)
        if block:
            parts.append("\n")
        if node.tail:
            parts.append(node.tail)

    tail = element.tail
    element.tail = None
    try:
        walk(element)
    finally:
        element.tail = tail
    return "".join(parts)


_OWN_TEXT = re.compile(r"(::text|/text\(\))\s*$")


def texts(selector: Selector, query: str | None) -> list[str]:
    """Every match as text: strings as they are, elements as their visible text.

    A selector of an element's own text (`h1::text`, `xpath://h1/text()`) whose elements hold
    their text only in children (`<h1><span>Title</span></h1>`) gives those elements' visible
    text: the text the selector's author saw on the page."""
    if not query:
        return []
    found: list[str] = []
    for match in select(selector, query):
        root = match.root
        if isinstance(root, str):
            found.append(root)
        elif isinstance(root, etree._Element):
            found.append(_element_text(root))
    found = [text for text in found if text and text.strip()]
    if not found and _OWN_TEXT.search(query):
        return texts(selector, _OWN_TEXT.sub("", query))
    return found


def first_text(selector: Selector, query: str | None) -> str | None:
    found = texts(selector, query)
    return found[0].strip() if found else None


def _origin_url(selector: Selector, query: str | None) -> str | None:
    """The URL of a "原文地址:" line: a link's href inside the match, else a URL in its text."""
    if not query:
        return None
    for match in select(selector, query):
        if not isinstance(match.root, str):
            href = match.xpath(".//a/@href").get()
            if href and href.startswith(("http://", "https://")):
                return href.strip()
        text = match.get() if isinstance(match.root, str) else _element_text(match.root)
        found = _URL.search(text or "")
        if found:
            return found.group(0)
    return None


def visible_text(selector: Selector) -> str:
    """The text a reader sees in the page's <body>, one line per block element."""
    body = selector.xpath("//body")
    return _element_text(body[0].root) if body else ""


def html_fragment_text(html: str) -> str:
    """Visible text of an HTML fragment (e.g. a body held in JSON), one line per block."""
    try:
        root = lxml_html.fragment_fromstring(html, create_parent="div")
    except (etree.ParserError, ValueError):
        return html
    return _element_text(root)


def _page_titles(selector: Selector) -> list[tuple[str, str]]:
    """Title candidates, best first, as (text, rule)."""
    found: list[tuple[str, str]] = []
    head = structured.headline(selector)
    for hit in (
        structured.meta(selector, "og:title"),
        head,
        structured.meta(selector, "twitter:title"),
    ):
        if hit:
            found.append((hit.value, hit.rule))
    title = document_title(selector)
    if title:
        found.append((title, "<title>"))
    return found


# <title> also names inline SVG icons (<svg><title>Search</title>…): only the first one outside
# an svg/symbol/math element is the document's title
_DOCUMENT_TITLE = (
    "(//title[not(ancestor::*[local-name() = 'svg' or local-name() = 'symbol'"
    " or local-name() = 'math'])])[1]"
)


def document_title(selector: Selector) -> str:
    """The page's own <title>, without the titles of icons drawn in the page."""
    return " ".join(selector.xpath(f"{_DOCUMENT_TITLE}//text()").getall()).strip()


_CRUMBS = "contains(translate(@class, 'CRUMB', 'crumb'), 'crumb')"


def _headlines(selector: Selector) -> list[str]:
    """The page's h1 texts, without an h1 that sits in (or is styled as) a breadcrumb trail:
    such an h1 is a navigation or SEO line, not the headline shown above the article."""
    found = selector.xpath(f"//h1[not({_CRUMBS}) and not(ancestor::*[{_CRUMBS}])]")
    return [" ".join(_element_text(h.root).split()) for h in found]


def _displayed_headlines(selector: Selector, have_h1: bool) -> list[str]:
    """Headlines shown as parts of a heading: the last part of an h1/h2 built as kicker +
    headline (<h2><span>Kicker</span><span>Headline</span></h2>), then, on a page without a
    usable h1, the h2 texts."""
    found: list[str] = []
    for heading in selector.xpath("//body//h1 | //body//h2"):
        root = heading.root
        parts = [
            child for child in root if isinstance(child.tag, str) and child.text_content().strip()
        ]
        if len(parts) < 2 or (root.text or "").strip() or (parts[-1].tail or "").strip():
            continue
        found.append(" ".join(_element_text(parts[-1]).split()))
    if not have_h1:
        found += [" ".join(_element_text(h.root).split()) for h in selector.xpath("//body//h2")]
    return [text for text in found if text]


def page_title(selector: Selector, url: str, selected: str | None = None) -> tuple[str, str]:
    """(title, rule): a selector's match with the site name stripped, else the page's own."""
    names = structured.site_names(selector)
    if selected:
        return strip_site_name(selected, names, url), "selector"
    headlines = _headlines(selector)
    displayed = _displayed_headlines(selector, any(h.strip() for h in headlines))
    return choose_title(
        _page_titles(selector),
        headlines,
        names,
        url,
        displayed,
        stated=lambda: structured.script_titles(selector),
    )


def page_published(selector: Selector) -> tuple[str | None, str]:
    found = structured.best_published(selector)
    return (found.value, found.rule) if found else (None, "none")


def extract_with_template(selector: Selector, spec: ArticleSelectors, url: str = "") -> Extracted:
    """Fields by the entry's selectors; title and time fall back to what the page states
    (structured data), with a warning naming the selector that matched nothing."""
    crumbs = [" ".join(text.split()) for text in texts(selector, spec.breadcrumb)]
    extracted = Extracted(
        body="\n".join(texts(selector, spec.body)),
        author=first_text(selector, spec.author),
        breadcrumb=" > ".join(crumb for crumb in crumbs if crumb) or None,
        origin_url=_origin_url(selector, spec.source_link),
        origin_name=first_text(selector, spec.origin),
    )
    extracted.rules["body"] = f"selector {spec.body}"
    if not extracted.body.strip():
        extracted.warnings.append(f"body selector {spec.body!r} matched nothing")
    selected_title = first_text(selector, spec.title)
    if spec.title and not selected_title:
        extracted.warnings.append(f"title selector {spec.title!r} matched nothing")
    if selected_title:
        extracted.title, _ = page_title(selector, url, selected_title)
        extracted.rules["title"] = f"selector {spec.title}"
    elif extracted.body.strip():  # a page without the article (maintenance) stays empty
        extracted.title, extracted.rules["title"] = page_title(selector, url)
    selected_time = first_text(selector, spec.published)
    if spec.published and not selected_time:
        extracted.warnings.append(f"published selector {spec.published!r} matched nothing")
    if selected_time:
        extracted.published = selected_time
        extracted.rules["published"] = f"selector {spec.published}"
        if is_relative(selected_time):  # "3小时前": the page may state the exact time too
            stated, rule = page_published(selector)
            if stated and not is_relative(stated):
                extracted.published = stated
                extracted.rules["published"] = (
                    f"{rule} (selector {spec.published} gave the relative {selected_time!r})"
                )
    elif extracted.body.strip():
        extracted.published, extracted.rules["published"] = page_published(selector)
    return extracted


def extract_generic(html: str, url: str) -> Extracted:
    """Main text and metadata of an arbitrary article page (see crawler/generic.py)."""
    from fundwatch.crawler.generic import extract_article

    return extract_article(html, url)
