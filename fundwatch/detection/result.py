"""The detector's output record."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class Detection:
    """What one text says about an AI-video funding event.

    ``flag`` is ``is_funding and is_ai_video``. ``amount`` is in the units of ``currency``
    (ISO 4217) as stated; ``amount_approximate`` marks "超4亿元", "亿级", "over $10m".
    ``amount_low`` / ``amount_high`` hold the range the text states (same currency): both
    equal ``amount`` for an exact figure; "数千万元" has no ``amount`` but 2e7 to 1e8; "超4亿元"
    has 4e8 and no high bound (None is open).
    ``investor_keys`` / ``lead_investor_keys`` hold one key per name of ``investors`` /
    ``lead_investors`` (same order), shared by every spelling of one investor (远澜资本 /
    遠瀾資本; "X (Y)" and Y); consumers merge investor lists by them.
    ``matched`` lists the vocabulary terms and extractions that fired, as ``kind:term``.
    """

    flag: bool
    is_funding: bool
    is_ai_video: bool
    score: float
    company: str | None = None
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
        """A JSON-ready dict (plain types, fresh lists)."""
        return {
            "flag": self.flag,
            "is_funding": self.is_funding,
            "is_ai_video": self.is_ai_video,
            "score": self.score,
            "company": self.company,
            "amount": self.amount,
            "currency": self.currency,
            "amount_usd": self.amount_usd,
            "amount_approximate": self.amount_approximate,
            "amount_low": self.amount_low,
            "amount_high": self.amount_high,
            "round": self.round,
            "valuation_usd": self.valuation_usd,
            "investors": list(self.investors),
            "lead_investors": list(self.lead_investors),
            "investor_keys": list(self.investor_keys),
            "lead_investor_keys": list(self.lead_investor_keys),
            "matched": list(self.matched),
        }
