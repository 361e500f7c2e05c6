"""Article extraction: with a site template's selectors, or generically with trafilatura.

Selectors are CSS (with Scrapy's ::text / ::attr(name)) or XPath written as "xpath:<expr>".
A selector that picks elements yields their visible text, one line per block element.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from lxml import etree
from parsel import Selector, SelectorList

from fundwatch.configuration import ArticleSelectors

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


def texts(selector: Selector, query: str | None) -> list[str]:
    """Every match as text: strings as they are, elements as their visible text."""
    if not query:
        return []
    found: list[str] = []
    for match in select(selector, query):
        root = match.root
        if isinstance(root, str):
            found.append(root)
        elif isinstance(root, etree._Element):
            found.append(_element_text(root))
    return [text for text in found if text and text.strip()]


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


def extract_with_template(selector: Selector, spec: ArticleSelectors) -> Extracted:
    crumbs = [" ".join(text.split()) for text in texts(selector, spec.breadcrumb)]
    return Extracted(
        title=first_text(selector, spec.title) or "",
        body="\n".join(texts(selector, spec.body)),
        published=first_text(selector, spec.published),
        author=first_text(selector, spec.author),
        breadcrumb=" > ".join(crumb for crumb in crumbs if crumb) or None,
        origin_url=_origin_url(selector, spec.source_link),
    )


def extract_generic(html: str, url: str) -> Extracted:
    """Main text and metadata of an arbitrary article page (trafilatura)."""
    import trafilatura

    document = trafilatura.bare_extraction(
        html, url=url, with_metadata=True, include_comments=False, favor_precision=True
    )
    if document is None:
        return Extracted()
    data = document.as_dict() if hasattr(document, "as_dict") else dict(document)
    return Extracted(
        title=data.get("title") or "",
        body=data.get("text") or "",
        published=data.get("date"),
        author=data.get("author"),
    )
