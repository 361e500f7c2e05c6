"""Turning crawled text into safe plain text, escaped HTML and one-line header values.

Crawled titles and names are untrusted: they may hold markup, entities, control characters,
CR/LF (header injection) or be megabytes long. Everything that leaves fundwatch goes through here.
"""

from __future__ import annotations

import html
import re
import unicodedata
from html.parser import HTMLParser
from urllib.parse import urlsplit

_TAG_HINT = re.compile(r"<[A-Za-z/!?]")
_WHITESPACE = re.compile(r"\s+")


class _TextExtractor(HTMLParser):
    _SKIP = frozenset({"script", "style", "template", "noscript", "iframe", "object", "svg"})

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self._skipping = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in self._SKIP:
            self._skipping += 1

    def handle_endtag(self, tag: str) -> None:
        if tag in self._SKIP and self._skipping:
            self._skipping -= 1

    def handle_data(self, data: str) -> None:
        if not self._skipping:
            self.parts.append(data)


def plain_text(value: object, limit: int | None = None) -> str:
    """Untrusted text -> one line of plain text: markup removed, entities decoded, controls
    (incl. CR/LF, NUL, bidi overrides) turned into spaces, whitespace collapsed, length capped."""
    if value is None:
        return ""
    text = str(value)
    if limit is not None:
        text = text[: limit * 4]  # bound the parsing work on huge inputs
    if _TAG_HINT.search(text):
        parser = _TextExtractor()
        parser.feed(text)
        parser.close()
        text = "".join(parser.parts)
    else:
        text = html.unescape(text)
    text = "".join(
        " " if unicodedata.category(ch) in ("Cc", "Cf", "Zl", "Zp") else ch for ch in text
    )
    text = _WHITESPACE.sub(" ", text).strip()
    return truncate(text, limit) if limit is not None else text


def truncate(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: max(limit - 1, 0)].rstrip() + "…"


def header_value(value: object, limit: int = 200) -> str:
    """A value safe to place in one e-mail header line (no CR/LF, no controls, capped)."""
    return plain_text(value, limit)


def safe_url(value: object) -> str | None:
    """An http(s) URL fit for an href, or None (javascript:, data:, relative... are dropped)."""
    if not value:
        return None
    url = plain_text(value, 2000).replace(" ", "%20")
    try:
        parts = urlsplit(url)
    except ValueError:
        return None
    if parts.scheme.lower() not in ("http", "https") or not parts.netloc:
        return None
    return url


def escape(value: object) -> str:
    """Plain text -> HTML text content (quotes escaped too, so it is safe in attributes)."""
    return html.escape(str(value), quote=True)


def money(
    amount_usd: float | None, amount: float | None = None, currency: str | None = None
) -> str:
    """$60M, $1.2B, $850K; the original currency when no USD figure is known."""
    if amount_usd is not None:
        return "$" + _short(amount_usd)
    if amount is not None:
        return f"{_short(amount)} {currency or ''}".strip()
    return "undisclosed amount"


def range_bounds(data: dict[str, object]) -> tuple[float | None, float | None] | None:
    """(low, high) of a vague amount (数千万元, "eight figures") when no figure is known."""
    if data.get("amount_usd") is not None or data.get("amount") is not None:
        return None
    low, high = data.get("amount_low"), data.get("amount_high")
    if low is None and high is None:
        return None
    return low, high  # type: ignore[return-value]


def payload_money(data: dict[str, object]) -> str:
    """money() of a payload, or an approximate range: ~20M-100M CNY, ~400M+ CNY."""
    bounds = range_bounds(data)
    if bounds is None:
        return money(data.get("amount_usd"), data.get("amount"), data.get("currency"))  # type: ignore[arg-type]
    low, high = bounds
    if low is not None and high is not None:
        text = f"{_short(low)}-{_short(high)}"
    elif low is not None:
        text = f"{_short(low)}+"
    else:
        text = f"up to {_short(high)}"  # type: ignore[arg-type]
    return f"~{text} {data.get('currency') or ''}".rstrip()


def _short(value: float) -> str:
    for size, suffix in ((1e9, "B"), (1e6, "M"), (1e3, "K")):
        if abs(value) >= size:
            number = value / size
            text = f"{number:.1f}".rstrip("0").rstrip(".")
            return text + suffix
    return f"{value:,.0f}"


ROUND_LABELS = {
    "seed": "Seed",
    "angel": "Angel",
    "pre-seed": "Pre-seed",
    "strategic": "Strategic",
    "undisclosed": "undisclosed round",
}


def round_label(round_: str | None) -> str | None:
    if not round_:
        return None
    if round_ in ROUND_LABELS:
        return ROUND_LABELS[round_]
    if (round_[0].isalpha() and round_[0].isupper()) or round_.startswith("pre-"):
        return f"Series {round_}" if not round_.startswith("pre-") else f"Pre-Series {round_[4:]}"
    return round_


def headline(data: dict[str, object]) -> str:
    """`HeyGen raised $60M (Series A, led by Benchmark)` from a payload's `data`."""
    company = plain_text(data.get("company"), 80) or "A company"
    amount = payload_money(data)
    details = []
    label = round_label(data.get("round"))  # type: ignore[arg-type]
    if label:
        details.append(label)
    leads = [plain_text(name, 60) for name in data.get("lead_investors") or []]  # type: ignore[union-attr]
    if leads:
        shown = " and ".join(leads[:2]) + (" and others" if len(leads) > 2 else "")
        details.append(f"led by {shown}")
    verb = "raised" if amount != "undisclosed amount" else "raised an"
    text = f"{company} {verb} {amount}"
    if details:
        text += f" ({', '.join(details)})"
    return text
