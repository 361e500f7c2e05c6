"""Conversion to US dollars with a dated rate table kept as data (``seeds/detection/fx.yaml``)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass


@dataclass(frozen=True)
class FxTable:
    as_of: dt.date
    usd_per_unit: Mapping[str, float]

    def to_usd(self, amount: float | None, currency: str | None) -> float | None:
        """``amount`` of ``currency`` in US dollars, or None when either is unknown."""
        if amount is None or currency is None:
            return None
        rate = self.usd_per_unit.get(currency)
        if rate is None:
            return None
        return round(float(amount) * rate, 2)
