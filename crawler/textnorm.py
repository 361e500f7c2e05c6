"""Text normalization of extracted fields.

Stored text is the text as published: Unicode NFC only (full-width punctuation, "……" and
U+3000 kept), whitespace tidied, invisible controls out. `fold` is the matching form (NFKC and
case folding), used to compare, never to store.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable

from fundwatch.storage.text import fold

_SPACES = re.compile(r"[ \t\u00a0\u3000\u2000-\u200b\u202f\u205f\ufeff]+")
_BLANK_LINES = re.compile(r"\n{2,}")
# NUL and other C0 controls (PostgreSQL rejects NUL; none belongs in news text), and the bidi
# embedding/override/isolate controls that can make a title display reversed (F-20). U+200E/F
# (LRM/RLM), which right-to-left text legitimately uses, are kept.
_INVISIBLE = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\u202a-\u202e\u2066-\u2069]")
_SURROGATES = re.compile("[\ud800-\udfff]")


def _clean(text: str) -> str:
    return _INVISIBLE.sub("", _SURROGATES.sub("\ufffd", text))


__all__ = ["fold", "normalize_block", "normalize_inline", "strip_lines"]


def normalize_inline(text: str | None) -> str:
    """One line: NFC, every run of whitespace (incl. ideographic space) becomes one space."""
    if not text:
        return ""
    text = unicodedata.normalize("NFC", _clean(text))
    return " ".join(text.split())


def normalize_block(text: str | None) -> str:
    """Paragraphs: NFC, spaces collapsed within a line, one blank-free line per paragraph.

    Leading indentation (ideographic spaces before a Chinese paragraph) goes with the rest."""
    if not text:
        return ""
    text = unicodedata.normalize("NFC", _clean(text.replace("\r\n", "\n").replace("\r", "\n")))
    lines = [_SPACES.sub(" ", line).strip() for line in text.split("\n")]
    return _BLANK_LINES.sub("\n", "\n".join(line for line in lines if line)).strip()


def strip_lines(text: str, markers: Iterable[str]) -> str:
    """Drop every line that contains one of the markers (e.g. 欢迎分享, 原文地址)."""
    folded = [fold(marker) for marker in markers if marker]
    if not folded:
        return text
    kept = []
    for line in text.split("\n"):
        folded_line = fold(line)  # once per line, not once per marker
        if not any(marker in folded_line for marker in folded):
            kept.append(line)
    return "\n".join(kept).strip()


def _same_line(line: str, title: str) -> bool:
    """The same text once folded (NFKC, case) and with every whitespace run removed."""
    return "".join(fold(line).split()) == "".join(fold(title).split())


def without_title_line(body: str, title: str) -> str:
    """The body without first lines that repeat the title (a headline the body's extraction or
    selector took along). Only a whole line equal to the title goes: a first paragraph that
    merely starts with the title's words stays, and so does a body that is nothing else."""
    if not title.strip():
        return body
    lines = body.split("\n")
    first = 0
    while first < len(lines) and (not lines[first].strip() or _same_line(lines[first], title)):
        first += 1
    rest = "\n".join(lines[first:]).strip()
    return rest if rest else body


def stored_body(body: str | None, title: str, strip: Iterable[str] = ()) -> str:
    """The body as stored: paragraphs tidied (normalize_block), the lines holding a `strip`
    marker out, and no first line repeating the (stored) title."""
    return without_title_line(strip_lines(normalize_block(body), strip), title)
