"""The language of an article from its own text: English, simplified or traditional Chinese.

A source's configured language is a default, not a fact: a simplified-Chinese site reposts
Taiwanese and Hong Kong stories and English wire copy. ``detect_language`` samples the start
of a text and counts Han characters against Latin letters, then characters that exist only in
traditional writing (keys of the ``t2s.yaml`` map) against characters that exist only in
simplified writing (its values). It answers None when the text does not say clearly.
"""

from __future__ import annotations

from collections.abc import Mapping
from functools import lru_cache

SAMPLE_CHARS = 4000
MIN_LETTERS = 40  # fewer Han characters + Latin letters than this: too little to tell
LATIN_PER_WORD = 5.0  # an English word is about five letters, a Chinese word one or two Han
CHINESE_SHARE = 0.5  # share of "words" that are Han for Chinese
ENGLISH_SHARE = 0.15  # at most this share of Han "words" for English
SCRIPT_MARGIN = 2.0  # traditional-only vs simplified-only characters, one must lead by this
MIN_MARKED = 3  # script-marked characters needed to tell the two scripts apart


class ScriptTable:
    """Traditional-only and simplified-only characters from a traditional -> simplified map."""

    def __init__(self, t2s: Mapping[str, str]) -> None:
        pairs = {t: s for t, s in t2s.items() if t != s}
        self.traditional = frozenset(pairs)
        self.simplified = frozenset(s for s in pairs.values() if s not in pairs)

    def language(self, text: str, sample: int = SAMPLE_CHARS) -> str | None:
        """``"en"``, ``"zh-Hans"``, ``"zh-Hant"`` or None (unclear) for ``text``."""
        head = text[:sample]
        han = latin = trad = simp = 0
        for ch in head:
            if "\u4e00" <= ch <= "\u9fff" or "\u3400" <= ch <= "\u4dbf":
                han += 1
                if ch in self.traditional:
                    trad += 1
                elif ch in self.simplified:
                    simp += 1
            elif ch.isascii() and ch.isalpha():
                latin += 1
        if han + latin < MIN_LETTERS:
            return None
        share = han / (han + latin / LATIN_PER_WORD)
        if share <= ENGLISH_SHARE:
            return "en"
        if share < CHINESE_SHARE:
            return None
        if trad + simp < MIN_MARKED:
            return None
        if trad >= SCRIPT_MARGIN * simp:
            return "zh-Hant"
        if simp >= SCRIPT_MARGIN * trad:
            return "zh-Hans"
        return None


@lru_cache(maxsize=1)
def _default_table() -> ScriptTable:
    from . import DEFAULT_VOCAB_DIR
    from .vocab import _load_t2s  # the bundled map, read once

    return ScriptTable(_load_t2s(DEFAULT_VOCAB_DIR))


def detect_language(text: str, t2s: Mapping[str, str] | None = None) -> str | None:
    """The language of ``text``: ``"en"``, ``"zh-Hans"``, ``"zh-Hant"``, or None when unclear.

    ``t2s`` is a traditional -> simplified character map (default: the bundled
    ``seeds/detection/t2s.yaml``). Only the first ``SAMPLE_CHARS`` characters are read.
    """
    table = ScriptTable(t2s) if t2s is not None else _default_table()
    return table.language(text)
