"""Publication times as sites write them, parsed in the source's time zone, returned in UTC.

Understood: "2024-03-22 12:10", "2024/03/22", "2024年3月7日 14:30" (a weekday between date and
clock, "2026年12月1日 星期二 14:30" or "2026-12-01 (二) 14:30", is skipped), "Nov 30, 2026",
"30 November 2026 2:30 PM", "3小时前", "5分钟前", "2天前", "昨天 08:15", "刚刚", "3時間前",
"2 hours ago", "an hour ago", "yesterday 08:15", "just now" (relative times are read against
`now`, the fetch time), dates without a year ("11月27日 16:40", "11-27 16:40": the latest such
date not after `now`), RFC 822 ("Fri, 22 Mar 2024 04:10:00 +0000"), ISO 8601, and an explicit
strptime format from the catalog (`article.published_format`).
"""

from __future__ import annotations

import re
import unicodedata
from datetime import UTC, datetime, timedelta
from email.utils import parsedate_to_datetime
from zoneinfo import ZoneInfo

# a weekday written between the date and the clock: 星期二, 周二, 週二, 礼拜二, (二), （二）
_WEEKDAY = r"(?:\s*(?:(?:星期|周|週|礼拜|禮拜)[一二三四五六日天]|[(（][一二三四五六日天][)）]))?"
_AMPM = r"(?:(?P<ampm>上午|下午|晚上|凌晨|早上|中午)\s*)?"
_CJK_DATE = re.compile(
    r"(?P<y>\d{4})\s*年\s*(?P<m>\d{1,2})\s*月\s*(?P<d>\d{1,2})\s*[日号]?"
    + _WEEKDAY
    + r"(?:\s*"
    + _AMPM
    + r"(?P<H>\d{1,2})\s*[:時时点]\s*(?P<M>\d{1,2})?\s*分?(?:\s*:\s*(?P<S>\d{1,2}))?)?"
)
_NUMERIC_DATE = re.compile(
    r"(?P<y>\d{4})[-/.](?P<m>\d{1,2})[-/.](?P<d>\d{1,2})"
    + _WEEKDAY
    + r"(?:(?:[ T]+|\s*)"
    + _AMPM
    + r"(?P<H>\d{1,2}):(?P<M>\d{2})(?::(?P<S>\d{2}))?)?"
)
# month and day without a year: "11月27日 16:40", "11-27 16:40", "11/27"
_YEARLESS = re.compile(
    r"(?<![\d/.年-])(?:(?P<cm>\d{1,2})\s*月\s*(?P<cd>\d{1,2})\s*[日号]|(?P<m>\d{1,2})[-/](?P<d>\d{1,2}))"
    r"(?![\d/.-])" + _WEEKDAY + r"(?:\s*" + _AMPM + r"(?P<H>\d{1,2}):(?P<M>\d{2}))?"
)
_STATED_ZONE = re.compile(r"[+-]\d{2}:?\d{2}\s*$|\b(?:GMT|UTC|UT|Z)\s*$")
_MONTHS = {
    name: number
    for number, names in enumerate(
        [
            ("jan", "january"),
            ("feb", "february"),
            ("mar", "march"),
            ("apr", "april"),
            ("may",),
            ("jun", "june"),
            ("jul", "july"),
            ("aug", "august"),
            ("sep", "sept", "september"),
            ("oct", "october"),
            ("nov", "november"),
            ("dec", "december"),
        ],
        start=1,
    )
    for name in names
}
_MONTH = r"(?P<mon>" + "|".join(sorted(_MONTHS, key=len, reverse=True)) + r")\.?"
_EN_CLOCK = (
    r"(?:,?\s*(?:at\s+)?(?P<H>\d{1,2})(?::(?P<M>\d{2}))?(?::(?P<S>\d{2}))?"
    r"\s*(?P<ap>[ap]\.?m\.?)?(?![\w:]))?"
)
# "Nov 30, 2026", "November 30, 2026 2:30 PM", "30 November 2026", "Dec. 1, 2026, 8:15 a.m."
_ENGLISH_DATE = re.compile(
    r"\b(?:" + _MONTH + r"\s+(?P<d>\d{1,2})(?:st|nd|rd|th)?,?\s+(?P<y>\d{4})"
    r"|(?P<d2>\d{1,2})(?:st|nd|rd|th)?\s+"
    + _MONTH.replace("mon", "mon2")
    + r",?\s+(?P<y2>\d{4}))"
    + _EN_CLOCK,
    re.IGNORECASE,
)
_RELATIVE = re.compile(
    r"(?P<n>\d+)\s*(?P<unit>秒|分钟|分鐘|分|小时|小時|時間|天|日|周|週|星期)\s*前"
)
_RELATIVE_EN = re.compile(
    r"\b(?P<n>\d+|an?|one)\s*(?P<unit>s(?:ec(?:ond)?s?)?|m(?:in(?:ute)?s?)?|h(?:(?:ou)?rs?)?|"
    r"d(?:ays?)?|w(?:(?:ee)?ks?)?)\s+ago\b",
    re.IGNORECASE,
)
_DAY_WORDS = {
    "今天": 0,
    "今日": 0,
    "昨天": 1,
    "昨日": 1,
    "前天": 2,
    "today": 0,
    "yesterday": 1,
}
_JUST_NOW = ("刚刚", "剛剛", "just now")
_CLOCK = re.compile(r"(?P<H>\d{1,2}):(?P<M>\d{2})")
_UNIT_SECONDS = {
    "秒": 1,
    "分钟": 60,
    "分鐘": 60,
    "分": 60,
    "小时": 3600,
    "小時": 3600,
    "時間": 3600,
    "天": 86400,
    "日": 86400,
    "周": 604800,
    "週": 604800,
    "星期": 604800,
}


_EN_UNIT_SECONDS = {"s": 1, "m": 60, "h": 3600, "d": 86400, "w": 604800}


def _relative_seconds(text: str) -> int | None:
    found = _RELATIVE.search(text)
    if found:
        return int(found["n"]) * _UNIT_SECONDS[found["unit"]]
    found = _RELATIVE_EN.search(text)
    if found:
        n = int(found["n"]) if found["n"].isdigit() else 1
        return n * _EN_UNIT_SECONDS[found["unit"][0].lower()]
    return None


def is_relative(text: str) -> bool:
    """A time written against the reader's now ("3小时前", "2 hours ago", "昨天 20:40") and no
    date of its own: only as precise as the fetch time it is read against."""
    text = unicodedata.normalize("NFKC", text).strip()
    if _dated(text):
        return False
    lowered = text.lower()
    return (
        lowered in _JUST_NOW
        or _relative_seconds(text) is not None
        or any(lowered.startswith(word) for word in _DAY_WORDS)
        or _YEARLESS.search(text) is not None  # the year is the reader's
    )


def _dated(text: str) -> bool:
    """Does the text state a full date (with its year)?"""
    return bool(_CJK_DATE.search(text) or _NUMERIC_DATE.search(text) or _ENGLISH_DATE.search(text))


def _local(tz: ZoneInfo, y: int, m: int, d: int, hh: int = 0, mm: int = 0, ss: int = 0) -> datetime:
    return datetime(y, m, d, hh, mm, ss, tzinfo=tz).astimezone(UTC)


def _int(value: str | None) -> int:
    return int(value) if value else 0


def parse_published(
    text: str | datetime | None,
    timezone: str = "UTC",
    *,
    fmt: str | None = None,
    now: datetime | None = None,
) -> datetime | None:
    """An aware UTC datetime, or None when the text holds no recognizable time."""
    if text is None:
        return None
    tz = ZoneInfo(timezone)
    if isinstance(text, datetime):
        return (text if text.tzinfo else text.replace(tzinfo=tz)).astimezone(UTC)
    text = unicodedata.normalize("NFKC", text).strip()
    if not text:
        return None
    now = (now or datetime.now(UTC)).astimezone(tz)
    if fmt:
        try:
            parsed = datetime.strptime(text, fmt)
        except ValueError:
            pass
        else:
            return (parsed if parsed.tzinfo else parsed.replace(tzinfo=tz)).astimezone(UTC)
    if text.lower() in _JUST_NOW:
        return now.astimezone(UTC)
    dated = _dated(text)
    seconds = None if dated else _relative_seconds(text)
    if seconds is not None:
        return (now - timedelta(seconds=seconds)).astimezone(UTC)
    for word, days_back in _DAY_WORDS.items():
        if text.lower().startswith(word):
            day = now - timedelta(days=days_back)
            clock = _CLOCK.search(text)
            hh, mm = (int(clock["H"]), int(clock["M"])) if clock else (0, 0)
            return _local(tz, day.year, day.month, day.day, hh, mm)
    cjk = _CJK_DATE.search(text)
    if cjk:
        hour = _hour(cjk["H"], cjk["ampm"])
        try:
            return _local(
                tz,
                int(cjk["y"]),
                int(cjk["m"]),
                int(cjk["d"]),
                hour,
                _int(cjk["M"]),
                _int(cjk["S"]),
            )
        except ValueError:
            return None
    try:  # ISO 8601 with an offset or Z
        parsed = datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        pass
    else:
        return (parsed if parsed.tzinfo else parsed.replace(tzinfo=tz)).astimezone(UTC)
    english = _ENGLISH_DATE.search(text)
    if english and not _STATED_ZONE.search(text):  # "March 7, 2024 2:30 PM" (RFC 822 drops PM)
        return _english(english, tz)
    try:  # RFC 822 / RFC 2822
        parsed = parsedate_to_datetime(text)
    except (TypeError, ValueError, IndexError):
        pass
    else:
        return (parsed if parsed.tzinfo else parsed.replace(tzinfo=tz)).astimezone(UTC)
    numeric = _NUMERIC_DATE.search(text)
    if numeric:
        try:
            return _local(
                tz,
                int(numeric["y"]),
                int(numeric["m"]),
                int(numeric["d"]),
                _hour(numeric["H"], numeric["ampm"]),
                _int(numeric["M"]),
                _int(numeric["S"]),
            )
        except ValueError:
            return None
    if english:
        return _english(english, tz)
    yearless = _YEARLESS.search(text)
    if yearless:
        return _without_year(yearless, tz, now)
    return None


def _hour(value: str | None, ampm: str | None) -> int:
    """The 24-hour hour of a clock written with 上午/下午/晚上 or a.m./p.m. (or neither)."""
    hour = _int(value)
    marker = (ampm or "").lower().replace(".", "")
    if marker in ("下午", "晚上", "pm") and hour < 12:
        return hour + 12
    if marker in ("am", "凌晨") and hour == 12:
        return 0
    return hour


def _english(found: re.Match[str], tz: ZoneInfo) -> datetime | None:
    month = _MONTHS[(found["mon"] or found["mon2"]).lower()]
    day, year = int(found["d"] or found["d2"]), int(found["y"] or found["y2"])
    if found["M"] is None and found["ap"] is None:  # a bare number after the year is no clock
        hour, minute = 0, 0
    else:
        hour, minute = _hour(found["H"], found["ap"]), _int(found["M"])
    try:
        return _local(tz, year, month, day, hour, minute, _int(found["S"]))
    except ValueError:
        return None


def _without_year(found: re.Match[str], tz: ZoneInfo, now: datetime) -> datetime | None:
    """A month and day read as the latest such date that is not after `now` (a day of slack
    for clocks and time zones): "12-31" read on 2 January is last year's."""
    month, day = int(found["cm"] or found["m"]), int(found["cd"] or found["d"])
    hour, minute = _hour(found["H"], found["ampm"]), _int(found["M"])
    for year in (now.year, now.year - 1):
        try:
            stated = _local(tz, year, month, day, hour, minute)
        except ValueError:
            continue  # 2-29 outside a leap year, 13-01
        if stated <= now.astimezone(UTC) + timedelta(days=1):
            return stated
    return None


_HOUR_WORD = re.compile(r"\d\s*[时時点]")


def states_day_only(text: str) -> bool:
    """Does the text state a date (with its year) and no time of day ("2026-11-30")?"""
    text = unicodedata.normalize("NFKC", text)
    return _dated(text) and not _CLOCK.search(text) and not _HOUR_WORD.search(text)


def _clocked_dates(text: str) -> list[re.Match[str]]:
    """The full dates in the text that carry a clock, in the order they are written."""
    found = [m for pattern in (_CJK_DATE, _NUMERIC_DATE) for m in pattern.finditer(text)]
    found = [m for m in found if m["H"] is not None and m["M"] is not None]
    found += [m for m in _ENGLISH_DATE.finditer(text) if m["M"] is not None or m["ap"]]
    return sorted(found, key=lambda m: m.start())


def with_clock(day: str, text: str) -> str | None:
    """The first date in `text` (a page's visible text) that states the same day as `day` (a
    date without a time of day) and a clock, as written there: the day and time a page shows
    under its headline when only the date was read from its metadata or URL."""
    wanted = parse_published(day, "UTC")
    if wanted is None:
        return None
    text = unicodedata.normalize("NFKC", text)
    for found in _clocked_dates(text):
        stated = parse_published(found.group(0), "UTC")
        if stated is not None and stated.date() == wanted.date():
            return found.group(0).strip()
    return None
