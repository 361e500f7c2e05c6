"""The outlet of an article: who published the story first.

A repost names its origin in a line such as "来源：36氪", "來源:中央社", "原文地址：https://…" or
"Source: Reuters" (the catalog's `article.origin` selector picks it; without one, the body's own
origin line is used). The outlet is that origin (its name, else its URL's host) when the article
is a repost, else the site's host.
"""

from __future__ import annotations

import re

from fundwatch.crawler.items import ArticleItem
from fundwatch.crawler.textnorm import fold
from fundwatch.storage.outlets import outlet_of

_LABEL = re.compile(
    r"^\s*[【\[(（]?\s*(?:文章|本文|新闻|新聞|稿件)?(?:来源|來源|稿源|出处|出處|转载自|轉載自|原文地址|"
    r"原文链接|原文連結|原文網址|source|via|originally published (?:by|in|at)|quelle|fuente)"
    r"\s*[】\])）]?\s*[:：]\s*(?P<value>.+?)\s*$",
    re.IGNORECASE,
)
_URL = re.compile(r"https?://[^\s<>\"'，。、)）]+")
_TRAILING = re.compile(r"[\s,，。;；|｜/]+(?:作者|作者：|编辑|編輯|记者|記者|author|by)\b.*$", re.I)
MAX_NAME = 60  # characters: a longer "来源" value is a sentence, not an outlet


def parse_origin(text: str | None) -> tuple[str | None, str | None]:
    """(name, url) of an origin line or of the bare value a selector picked."""
    if not text:
        return None, None
    text = " ".join(text.split())
    labelled = _LABEL.match(text)
    value = labelled.group("value") if labelled else text
    url = _URL.search(value)
    if url:
        name = value[: url.start()].strip(" :：(（") or None
        return name if name and len(name) <= MAX_NAME else None, url.group(0)
    value = _TRAILING.sub("", value).strip(" 。.，,)）】]")
    if not value or len(value) > MAX_NAME:
        return None, None
    if re.fullmatch(r"(?:[\w-]+\.)+[a-z]{2,}", value, re.IGNORECASE):  # a bare host
        return None, f"https://{value}"
    return value, None


def origin_in_body(body: str) -> tuple[str | None, str | None]:
    """The origin line among the first and last lines of a body."""
    lines = [line for line in body.split("\n") if line.strip()]
    for line in [*lines[:3], *lines[-4:]]:
        if _LABEL.match(" ".join(line.split())):
            name, url = parse_origin(line)
            if name or url:
                return name, url
    return None, None


class OutletPipeline:
    """Sets item.origin_name (from the selector's line, or the body's) and item.outlet."""

    @classmethod
    def from_crawler(cls, crawler: object) -> OutletPipeline:
        return cls()

    def process_item(self, item: ArticleItem) -> ArticleItem:
        name, url = parse_origin(item.origin_name)
        if not name and not url and not item.origin_url:
            name, url = origin_in_body(item.body)
        item.origin_name = name
        item.origin_url = item.origin_url or url
        item.outlet = outlet_of(name, item.origin_url, item.url)
        return item


def same_outlet(a: str, b: str) -> bool:
    return fold(a).strip() == fold(b).strip()
