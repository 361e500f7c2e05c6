"""An article's title as published: the site name taken off ("… | TechCrunch",
"… - Taipei Times", "…：朝日新聞デジタル"), checked against the page's own headline (h1)."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from urllib.parse import urlsplit

# separators between a headline and the site name, spaced ones first
_SEPARATORS = re.compile(r"\s+[|\-–—·•»:/]{1,2}\s+|\s*[｜|ㅣ]\s*|\s*[：:_]\s*|\s*[-–—]\s+")
_NOT_WORD = re.compile(r"[\W_]+")


def fold(text: str) -> str:
    """Compare form: NFKC, case-folded, letters and digits only."""
    return _NOT_WORD.sub("", unicodedata.normalize("NFKC", text).casefold())


def tidy(text: str) -> str:
    return " ".join(unicodedata.normalize("NFC", text).split())


def _host_words(url: str) -> set[str]:
    host = (urlsplit(url).hostname or "").lower().removeprefix("www.")
    parts = host.split(".")
    words = {fold(host), fold(".".join(parts[:-1]))}
    words.update(fold(part) for part in parts if len(part) > 3)
    return {word for word in words if word}


def _is_site(segment: str, names: Iterable[str], host_words: set[str]) -> bool:
    folded = fold(segment)
    if not folded:
        return True
    for name in names:
        other = fold(name)
        if other and (
            folded == other
            or (len(other) >= 4 and other in folded and len(folded) <= len(other) + 12)
            or folded in other
        ):
            return True
    if folded in host_words:
        return True
    # "Die Neue Südtiroler Tageszeitung" on tageszeitung.it: a short segment holding the host
    return len(segment) <= 40 and any(len(w) >= 6 and w in folded for w in host_words)


def strip_site_name(title: str, names: Iterable[str], url: str = "") -> str:
    """The title without a leading or trailing segment that names the site."""
    title = tidy(title)
    names = [name for name in names if name]
    host_words = _host_words(url) if url else set()
    for _ in range(3):
        cuts = list(_SEPARATORS.finditer(title))
        if not cuts:
            break
        last, first = cuts[-1], cuts[0]
        if _is_site(title[last.end() :], names, host_words) and last.start() > 0:
            title = title[: last.start()].strip()
            continue
        if _is_site(title[: first.start()], names, host_words) and first.end() < len(title):
            title = title[first.end() :].strip()
            continue
        break
    return title


def choose_title(
    candidates: Iterable[tuple[str, str]],
    headlines: Iterable[str],
    names: Iterable[str],
    url: str = "",
) -> tuple[str, str]:
    """(title, rule) from candidate (text, rule) pairs, best first, and the page's h1 texts.

    A candidate that contains an h1 gives the h1 text (the site name around it dropped); else
    the first candidate with its site name stripped.
    """
    names = list(names)
    pairs = [(tidy(text), rule) for text, rule in candidates if text and text.strip()]
    heads = [tidy(h) for h in headlines if h and len(fold(h)) >= 4]
    for text, rule in pairs:
        stripped = strip_site_name(text, names, url)
        for head in heads:
            if fold(head) == fold(stripped):
                return stripped, f"{rule} (= h1)"
        for head in heads:
            if (
                fold(head)
                and fold(head) in fold(text)
                and len(fold(head)) >= 0.6 * len(fold(stripped))
            ):
                return head, f"h1 (inside {rule})"
    if pairs:
        text, rule = pairs[0]
        return strip_site_name(text, names, url), rule
    if heads:
        return heads[0], "h1"
    return "", "none"
