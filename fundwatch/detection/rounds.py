"""Funding-round names: ``A1轮``, ``B+轮``, ``Pre-A轮``, ``Series B``, ``seed round`` ...

Letter rounds follow a grammar (letters from ``rounds.yaml``); named rounds (seed, angel,
strategic, pre-IPO ...) are vocabulary, matched by the detector's multi-pattern matcher and
normalized here through ``named_rounds``.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

UNDISCLOSED = "undisclosed"


@dataclass(frozen=True, slots=True)
class RoundMention:
    start: int
    end: int
    round: str


def _normalize(pre: str | None, letter: str, suffix: str | None) -> str:
    suffix = (suffix or "").replace("-", "")
    name = letter.upper() + suffix
    return f"pre-{name}" if pre else name


class RoundParser:
    def __init__(self, letters: Iterable[str]) -> None:
        cls = "".join(sorted({c.lower() for c in letters}))
        suffix = r"(?P<suf>-?\d|\+{1,2})?"
        pre = r"(?P<pre>pre[-\s]?)?"
        self._series = re.compile(rf"(?<![a-z0-9]){pre}series\s*(?P<l>[{cls}]){suffix}(?![a-z0-9])")
        self._zh = re.compile(rf"(?<![a-z0-9]){pre}(?P<l>[{cls}]){suffix}\s*(?:轮|系列)")
        self._pre = re.compile(
            rf"(?<![a-z0-9])(?P<pre>pre[-\s]?)(?P<l>[{cls}]){suffix}(?![a-z0-9])"
        )
        # "an A3 round", "a B-2 financing round"
        self._round = re.compile(
            rf"(?<![a-z0-9$€£]){pre}(?P<l>[{cls}]){suffix}[-\s]"
            rf"(?:(?:funding|financing|investment)\s+)?round(?![a-z])"
        )

    def find(self, folded: str, display: str) -> list[RoundMention]:
        """Letter rounds in ``folded`` text; ``display`` (same offsets) disambiguates case."""
        out: list[RoundMention] = []
        seen: set[int] = set()
        for pattern in (self._series, self._zh, self._pre, self._round):
            for m in pattern.finditer(folded):
                if m.start() in seen or any(r.start <= m.start() < r.end for r in out):
                    continue
                if pattern is self._round and not m["pre"] and display[m.start("l")].islower():
                    continue  # "in a round led by" is not Series A
                seen.add(m.start())
                out.append(RoundMention(m.start(), m.end(), _normalize(m["pre"], m["l"], m["suf"])))
        out.sort(key=lambda r: r.start)
        return out
