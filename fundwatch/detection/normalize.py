"""Text folding for matching: NFKC, lower case, traditional -> simplified Chinese.

Two forms of a text are used by the detector:

* the *display* form, ``display(text)``: NFKC-normalized text, from which company names and
  investors are reported as written (traditional characters are kept);
* the *match* form, ``Folder.fold(display_text)``: same length as the display form, lower
  case, with traditional characters replaced by simplified ones. Offsets in one form are
  offsets in the other, so a match found in the folded text maps back to the display text.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Mapping

# Punctuation that NFKC leaves alone but that matching should treat as its ASCII twin.
_PUNCT_FOLD = {
    "\u2018": "'",
    "\u2019": "'",
    "\u201c": '"',
    "\u201d": '"',
    "\u2013": "-",
    "\u2014": "-",
    "\u00a0": " ",
    "\u3000": " ",
}


def display(text: str) -> str:
    """Return the NFKC form of ``text`` (full-width digits and letters become ASCII)."""
    if unicodedata.is_normalized("NFKC", text):
        return text
    return unicodedata.normalize("NFKC", text)


class Folder:
    """Length-preserving case and script folding driven by a character map."""

    def __init__(self, t2s: Mapping[str, str]) -> None:
        table: dict[int, str] = {ord(k): v for k, v in _PUNCT_FOLD.items()}
        for trad, simp in t2s.items():
            table[ord(trad)] = simp
        self._table = table

    def fold(self, text: str) -> str:
        """Fold ``text`` (already in display form); the result has the same length."""
        out = text.translate(self._table).lower()
        if len(out) != len(text):  # a few characters lower-case to two code points
            out = "".join(
                c if len(c.lower()) != 1 else c.lower() for c in text.translate(self._table)
            )
        return out

    def fold_term(self, term: str) -> str:
        """Fold a vocabulary term the same way as text is folded."""
        return self.fold(display(term)).strip()
