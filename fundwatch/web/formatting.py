"""How values look on the pages: money, dates, languages, safe links (Jinja filters)."""

from __future__ import annotations

from datetime import UTC, datetime
from urllib.parse import urlsplit

CURRENCY_SIGNS = {"USD": "$", "CNY": "¥", "RMB": "¥", "EUR": "€", "GBP": "£", "JPY": "JP¥"}
LANGUAGE_NAMES = {"zh": "中文", "en": "EN", "ja": "日本語", "ko": "한국어"}


def compact_number(value: float) -> str:
    for limit, suffix in ((1e9, "B"), (1e6, "M"), (1e3, "K")):
        if abs(value) >= limit:
            number = value / limit
            text = f"{number:.1f}" if number < 100 else f"{number:.0f}"
            return text.removesuffix(".0") + suffix
    return f"{value:.0f}"


def money(amount: float | None, currency: str | None = "USD", approximate: bool = False) -> str:
    """60000000, 'USD' -> '$60M'; 1e8, 'CNY' -> 'CNY 100M'; approximate -> '≈$60M'."""
    if amount is None:
        return ""
    code = (currency or "").upper()
    sign = "$" if code == "USD" else ""
    text = f"{sign}{compact_number(amount)}" if sign else f"{code} {compact_number(amount)}"
    return ("≈" if approximate else "") + text.strip()


def utc(value: datetime | None) -> datetime | None:
    if value is None:
        return None
    return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


def when(value: datetime | None) -> str:
    value = utc(value)
    return value.strftime("%Y-%m-%d %H:%M") if value else ""


def iso(value: datetime | None) -> str:
    value = utc(value)
    return value.isoformat().replace("+00:00", "Z") if value else ""


def language(code: str | None) -> str:
    if not code:
        return ""
    return LANGUAGE_NAMES.get(code.split("-")[0].lower(), code)


def safe_url(url: str | None) -> str | None:
    """Only http(s) links from crawled data become hrefs (no javascript:, data:, ...)."""
    if not url:
        return None
    try:
        scheme = urlsplit(url.strip()).scheme.lower()
    except ValueError:
        return None
    return url.strip() if scheme in ("http", "https") else None


def host(url: str | None) -> str:
    try:
        return (urlsplit(url or "").hostname or "").removeprefix("www.")
    except ValueError:
        return ""


def duration(seconds: float | None) -> str:
    if seconds is None:
        return ""
    if seconds < 1:
        return f"{seconds * 1000:.0f} ms"
    return f"{seconds:.1f} s"


FILTERS = {
    "money": money,
    "when": when,
    "iso": iso,
    "language": language,
    "safe_url": safe_url,
    "host": host,
    "compact": compact_number,
}
