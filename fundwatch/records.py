"""The values that cross rooms: what the detector says about a text (`Detection`) and an article
as the crawler hands it to storage (`Article`).

The ground floor: this module imports nothing of ours, and every room may import it. Lists of
their fields (the article columns a detection sets, the fields `fundwatch detect` prints, the
facts an event is built from) are derived from these classes with `dataclasses.fields`, never
spelled out again.
"""

from __future__ import annotations

from dataclasses import dataclass, field, fields
from datetime import datetime
from typing import Any


@dataclass(frozen=True)
class Detection:
    """What one text says about an AI-video funding event.

    ``flag`` is ``is_funding and is_ai_video``. ``company_key`` is the canonical key of
    ``company``, shared by all its known spellings. ``amount`` is in the units of ``currency``
    (ISO 4217) as stated; ``amount_approximate`` marks "超4亿元", "亿级", "over $10m".
    ``amount_low`` / ``amount_high`` hold the range the text states (same currency): both
    equal ``amount`` for an exact figure; "数千万元" has no ``amount`` but 2e7 to 1e8; "超4亿元"
    has 4e8 and no high bound (None is open).
    ``investor_keys`` / ``lead_investor_keys`` hold one key per name of ``investors`` /
    ``lead_investors`` (same order), shared by every spelling of one investor (远澜资本 /
    遠瀾資本; "X (Y)" and Y); consumers merge investor lists by them.
    ``matched`` lists the vocabulary terms and extractions that fired, as ``kind:term``.

    ``Detection()`` is a text that says nothing: not a funding story, not about AI video.
    """

    flag: bool = False
    is_funding: bool = False
    is_ai_video: bool = False
    score: float = 0.0
    company: str | None = None
    company_key: str | None = None
    amount: float | int | None = None
    currency: str | None = None
    amount_usd: float | None = None
    amount_approximate: bool = False
    amount_low: float | int | None = None
    amount_high: float | int | None = None
    round: str | None = None
    valuation_usd: float | None = None
    investors: list[str] = field(default_factory=list)
    lead_investors: list[str] = field(default_factory=list)
    investor_keys: list[str] = field(default_factory=list)
    lead_investor_keys: list[str] = field(default_factory=list)
    matched: list[str] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready dict of every field, in field order (plain types, fresh lists)."""
        out: dict[str, Any] = {}
        for name in DETECTION_FIELDS:
            value = getattr(self, name)
            out[name] = list(value) if isinstance(value, list) else value
        return out


@dataclass(frozen=True)
class Article:
    """An article as the crawler hands it to storage: cleaned text, dates in UTC, and the
    detector's verdict (None: not detected; stored as `Detection()`)."""

    url: str
    source: str
    title: str = ""
    body: str = ""
    author: str | None = None
    breadcrumb: str | None = None
    origin_url: str | None = None
    origin_name: str | None = None
    outlet: str | None = None
    language: str | None = None
    published_at: datetime | None = None
    fetched_at: datetime | None = None
    detection: Detection | None = None


DETECTION_FIELDS: tuple[str, ...] = tuple(f.name for f in fields(Detection))
ARTICLE_FIELDS: tuple[str, ...] = tuple(f.name for f in fields(Article))
