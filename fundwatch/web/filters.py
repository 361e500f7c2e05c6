"""Filters of the events and stories lists, parsed from query parameters, and keyset cursors.

A bad value never breaks a page: it is dropped and reported in `problems` (the API answers 400
with them instead).
"""

from __future__ import annotations

import base64
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from urllib.parse import urlencode

EVENT_FIELDS = ("q", "since", "until", "round", "min_usd", "max_usd", "investor", "lang", "source")
STORY_FIELDS = ("q", "since", "until", "lang", "source", "verdict")
VERDICTS = ("flagged", "funding", "not-flagged", "copies")
MAX_QUERY_LENGTH = 200


@dataclass(frozen=True)
class Cursor:
    """Position after the last row shown: (time, id) of the newest-first order."""

    at: datetime
    id: int

    def encode(self) -> str:
        raw = f"{self.at.astimezone(UTC).isoformat()}|{self.id}".encode()
        return base64.urlsafe_b64encode(raw).decode().rstrip("=")

    @classmethod
    def decode(cls, value: str) -> Cursor:
        padded = value + "=" * (-len(value) % 4)
        at, _, ident = base64.urlsafe_b64decode(padded.encode()).decode().partition("|")
        parsed = datetime.fromisoformat(at)
        return cls(parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC), int(ident))


def _text(value: str | None) -> str | None:
    value = (value or "").strip()
    return value[:MAX_QUERY_LENGTH] or None


def _day(name: str, value: str | None, problems: list[str], *, end: bool) -> datetime | None:
    value = (value or "").strip()
    if not value:
        return None
    try:
        if len(value) == 10:
            day = date.fromisoformat(value)
            start = datetime.combine(day, time.min, tzinfo=UTC)
            return start + timedelta(days=1) if end else start
        parsed = datetime.fromisoformat(value)
    except ValueError:
        problems.append(f"{name}: {value!r} is not a date (use YYYY-MM-DD)")
        return None
    return parsed.replace(tzinfo=UTC) if parsed.tzinfo is None else parsed.astimezone(UTC)


_SCALE = {"k": 1e3, "m": 1e6, "b": 1e9}


def _money(name: str, value: str | None, problems: list[str]) -> float | None:
    """'5000000', '5m', '1.2b' (USD)."""
    value = (value or "").strip().lower().replace(",", "").replace("$", "")
    if not value:
        return None
    scale = _SCALE.get(value[-1], 1.0)
    number = value[:-1] if value[-1] in _SCALE else value
    try:
        amount = float(number) * scale
    except ValueError:
        problems.append(f"{name}: {value!r} is not an amount (use e.g. 5000000, 5m or 1.2b)")
        return None
    if amount < 0:
        problems.append(f"{name}: amounts are not negative")
        return None
    return amount


def _cursor(value: str | None, problems: list[str]) -> Cursor | None:
    if not value:
        return None
    try:
        return Cursor.decode(value)
    except (ValueError, UnicodeDecodeError):
        problems.append("after: not a page cursor from this dashboard; showing the first page")
        return None


@dataclass
class EventFilter:
    q: str | None = None
    since: datetime | None = None
    until: datetime | None = None
    round: str | None = None
    min_usd: float | None = None
    max_usd: float | None = None
    investor: str | None = None
    lang: str | None = None
    source: str | None = None
    after: Cursor | None = None
    raw: dict[str, str] = field(default_factory=dict)
    problems: list[str] = field(default_factory=list)

    @classmethod
    def parse(cls, params: Mapping[str, str]) -> EventFilter:
        problems: list[str] = []
        result = cls(
            q=_text(params.get("q")),
            since=_day("since", params.get("since"), problems, end=False),
            until=_day("until", params.get("until"), problems, end=True),
            round=_text(params.get("round")),
            min_usd=_money("min_usd", params.get("min_usd"), problems),
            max_usd=_money("max_usd", params.get("max_usd"), problems),
            investor=_text(params.get("investor")),
            lang=_text(params.get("lang")),
            source=_text(params.get("source")),
            after=_cursor(params.get("after"), problems),
            raw={k: params[k].strip() for k in EVENT_FIELDS if (params.get(k) or "").strip()},
            problems=problems,
        )
        return result

    @property
    def active(self) -> bool:
        return bool(self.raw)

    def query_string(self, **extra: str) -> str:
        return urlencode({**self.raw, **{k: v for k, v in extra.items() if v}})


@dataclass
class StoryFilter:
    q: str | None = None
    since: datetime | None = None
    until: datetime | None = None
    lang: str | None = None
    source: str | None = None
    verdict: str | None = None
    after: Cursor | None = None
    raw: dict[str, str] = field(default_factory=dict)
    problems: list[str] = field(default_factory=list)

    @classmethod
    def parse(cls, params: Mapping[str, str]) -> StoryFilter:
        problems: list[str] = []
        verdict = _text(params.get("verdict"))
        if verdict is not None and verdict not in VERDICTS:
            problems.append(f"verdict: {verdict!r} is not one of {', '.join(VERDICTS)}")
            verdict = None
        return cls(
            q=_text(params.get("q")),
            since=_day("since", params.get("since"), problems, end=False),
            until=_day("until", params.get("until"), problems, end=True),
            lang=_text(params.get("lang")),
            source=_text(params.get("source")),
            verdict=verdict,
            after=_cursor(params.get("after"), problems),
            raw={k: params[k].strip() for k in STORY_FIELDS if (params.get(k) or "").strip()},
            problems=problems,
        )

    @property
    def active(self) -> bool:
        return bool(self.raw)

    def query_string(self, **extra: str) -> str:
        return urlencode({**self.raw, **{k: v for k, v in extra.items() if v}})
