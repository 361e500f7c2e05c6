"""Multi-pattern vocabulary matching with an Aho-Corasick automaton (pyahocorasick).

All vocabularies (funding cues, vetoes, sectors, rounds, currencies, company names) go into
one automaton, so a text is scanned once whatever the size of the vocabulary. Terms are
folded like the text (see ``normalize``). Terms that begin or end with an ASCII letter or
digit only match on word boundaries, so "raise" does not fire inside "praise".
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import ahocorasick


@dataclass(frozen=True, slots=True)
class Hit:
    start: int
    end: int  # exclusive
    kind: str
    term: str  # the vocabulary term as folded
    value: Any


def _is_word_char(ch: str) -> bool:
    return ch.isascii() and ch.isalnum()


class Matcher:
    def __init__(self, fold: Callable[[str], str]) -> None:
        self._fold = fold
        self._entries: dict[str, list[tuple[str, Any, str | None]]] = {}
        self._automaton: ahocorasick.Automaton | None = None

    def add(self, term: str, kind: str, value: Any = None, exact: str | None = None) -> None:
        """Add ``term`` under ``kind``; with ``exact``, the original text must equal it."""
        key = self._fold(term)
        if not key:
            return
        entries = self._entries.setdefault(key, [])
        if (kind, value, exact) not in entries:
            entries.append((kind, value, exact))
        self._automaton = None

    def build(self) -> None:
        automaton = ahocorasick.Automaton()
        for key, entries in self._entries.items():
            left = _is_word_char(key[0])
            right = _is_word_char(key[-1])
            automaton.add_word(key, (key, left, right, tuple(entries)))
        if len(automaton):
            automaton.make_automaton()
        self._automaton = automaton

    def find(self, folded: str, display: str) -> list[Hit]:
        """Every vocabulary hit in ``folded`` (``display`` has the same offsets), by start."""
        if self._automaton is None:
            self.build()
        automaton = self._automaton
        assert automaton is not None
        if not len(automaton):
            return []
        hits: list[Hit] = []
        n = len(folded)
        for end_index, (key, left, right, entries) in automaton.iter(folded):
            end = end_index + 1
            start = end - len(key)
            if left and start > 0 and _is_word_char(folded[start - 1]):
                continue
            if right and end < n and _is_word_char(folded[end]):
                continue
            for kind, value, exact in entries:
                if exact is not None and display[start:end] != exact:
                    continue
                hits.append(Hit(start, end, kind, key, value))
        hits.sort(key=lambda h: (h.start, -h.end))
        return hits
