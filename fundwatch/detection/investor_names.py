"""Investor names: which spans are names, their display form, and one key per investor.

A span found by ``investors.find_investors`` is kept when it names an organisation or a person:
not a clause fragment ("Lumora在可控性", "表现是其"), not a date ("Tuesday"), not a generic
description ("多位天使投资人", "existing investors"); the vocabulary is ``investors.yaml``.

``InvestorBook.key`` gives every spelling of one investor the same key: the name folded
(traditional -> simplified, NFKC, case-folded) with whitespace, punctuation and legal suffixes
removed, mapped through the alias groups of ``investors.yaml``. "X (Y)" is keyed by X, and
within one text Y then names the same investor.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from .vocab import InvestorVocab

_ALIAS_FORM = re.compile(r"^(.+?)\s*\(\s*([^()]+?)\s*\)\s*$")
_ROLE_NOTE = re.compile(r"^(?:领投|跟投|参投|联合领投|共同领投|lead|co-?lead|领投方|跟投方)$")
_NOT_KEY = re.compile(r"[\s\W_]+")
_DATE = re.compile(r"\d{1,2}\s*[月日号]|\d{4}\s*年|^\d{1,4}$|\b\d{1,2}(?:st|nd|rd|th)\b")
_EN_FILLER = frozenset({"on", "last", "this", "next", "the", "of", "early", "late", "in", "by"})


@dataclass
class _Entry:
    display: str
    key: str
    lead: bool


class InvestorBook:
    """Filters, display forms and keys of investor names (see the module docstring)."""

    def __init__(self, vocab: InvestorVocab, fold: Callable[[str], str]) -> None:
        self._fold = fold
        self._descriptors = {_NOT_KEY.sub("", fold(t)) for t in vocab.descriptors}
        heads = [fold(t) for t in vocab.descriptor_heads]
        self._zh_heads = tuple(h for h in heads if not h.isascii())
        en_heads = [re.escape(h) for h in heads if h.isascii()]
        self._en_heads = re.compile(rf"^(?:{'|'.join(en_heads)})\s" if en_heads else r"(?!)")
        terms = [fold(t) for t in vocab.not_name]
        zh = [re.escape(t) for t in terms if not t.isascii()]
        en = [re.escape(t) for t in terms if t.isascii()]
        self._zh_fragment = re.compile("|".join(zh) if zh else r"(?!)")
        self._en_fragment = re.compile(rf"\b(?:{'|'.join(en)})\b" if en else r"(?!)")
        dates = [fold(t) for t in vocab.date_words]
        self._en_dates = frozenset(t for t in dates if t.isascii())
        self._zh_dates = tuple(t for t in dates if not t.isascii())
        self._suffixes = sorted({fold(s) for s in vocab.legal_suffixes}, key=len, reverse=True)
        self._aliases: dict[str, str] = {}
        for group in vocab.aliases:
            canonical = self._base_key(group[0])
            for name in group:
                self._aliases.setdefault(self._base_key(name), canonical)

    # -- names ------------------------------------------------------------------------------
    def is_fragment(self, name: str) -> bool:
        """A clause fragment ("Lumora在可控性", "the company said on Monday"), not a name."""
        folded = self._fold(name)
        return bool(self._zh_fragment.search(folded) or self._en_fragment.search(folded))

    def is_date(self, name: str) -> bool:
        folded = self._fold(name)
        if _DATE.search(folded) or any(t in folded for t in self._zh_dates):
            return True
        words = [w for w in re.split(r"[\s,.]+", folded) if w and w not in _EN_FILLER]
        return bool(words) and all(w in self._en_dates or w.isdigit() for w in words)

    def is_descriptor(self, name: str) -> bool:
        """A description of investors ("多家产业资本", "existing investors"), not a name."""
        folded = self._fold(name)
        if _NOT_KEY.sub("", folded) in self._descriptors:
            return True
        return folded.startswith(self._zh_heads) or bool(self._en_heads.match(folded + " "))

    def clean(self, name: str) -> str | None:
        """The display form of a name ("北岬资本 (Northgate Capital)"), or None for a span
        that is no name."""
        name = name.strip(" \"'“”「」")
        alias = None
        m = _ALIAS_FORM.match(name)
        if m:
            name, alias = m.group(1).strip(), m.group(2).strip()
            if _ROLE_NOTE.match(self._fold(alias)) or not self._is_name(alias):
                alias = None
        if len(name) < 2 or not self._is_name(name):
            return None
        return f"{name} ({alias})" if alias else name

    def _is_name(self, name: str) -> bool:
        return not (self.is_fragment(name) or self.is_date(name) or self.is_descriptor(name))

    # -- keys -------------------------------------------------------------------------------
    def _base_key(self, name: str) -> str:
        folded = self._fold(name).casefold().strip(" .,-")
        changed = True
        while changed:
            changed = False
            for suffix in self._suffixes:
                if len(folded) <= len(suffix) or not folded.endswith(suffix):
                    continue
                rest = folded[: -len(suffix)]
                if suffix[0].isascii() and suffix[0].isalnum() and rest[-1].isalnum():
                    continue  # "…ltd" inside a word
                folded, changed = rest.rstrip(" .,-"), True
                break
        return _NOT_KEY.sub("", folded) or folded

    def known(self, name: str) -> bool:
        """``name`` is a listed investor ("Sequoia", "红杉资本")."""
        return self._base_key(name) in self._aliases

    def key(self, name: str) -> str:
        """One key for every spelling of an investor (see the module docstring)."""
        m = _ALIAS_FORM.match(name)
        primary = m.group(1) if m else name
        key = self._base_key(primary)
        if key in self._aliases:
            return self._aliases[key]
        if m:
            alias = self._base_key(m.group(2))
            return self._aliases.get(alias, key)
        return key

    def merge(
        self, leads: Iterable[str], others: Iterable[str], exclude: Callable[[str], bool]
    ) -> tuple[list[str], list[str], list[str], list[str]]:
        """``(lead_names, lead_keys, all_names, all_keys)``: one entry per investor, leads
        first; a fuller spelling ("Khosla Ventures", "X (Y)") replaces a shorter one."""
        named = [(n, True) for n in leads] + [(n, False) for n in others]
        local: dict[str, str] = {}  # "X (Y)" in this text: Y's key -> X's key
        for name, _ in named:
            m = _ALIAS_FORM.match(name)
            if m:
                local[self._base_key(m.group(2))] = self.key(name)
        entries: list[_Entry] = []
        for name, lead in named:
            if exclude(name):
                continue
            key = self.key(name)
            key = local.get(key, key)
            entry = next((e for e in entries if same_investor(e.key, key)), None)
            if entry is None:
                entries.append(_Entry(name, key, lead))
                continue
            entry.lead = entry.lead or lead
            if "(" in entry.display and "(" not in name:
                continue
            new, old = self._base_key(name), self._base_key(entry.display)
            if ("(" in name and "(" not in entry.display) or (
                len(new) > len(old) and new.startswith(old)
            ):
                entry.display = name  # the fuller spelling
                if len(key) > len(entry.key):
                    entry.key = key
        lead_entries = [e for e in entries if e.lead]
        return (
            [e.display for e in lead_entries],
            [e.key for e in lead_entries],
            [e.display for e in entries],
            [e.key for e in entries],
        )


def same_investor(a: str, b: str) -> bool:
    """Equal keys, or one starts the other ("khosla" / "khoslaventures")."""
    if a == b:
        return True
    short, long_ = sorted((a, b), key=len)
    if len(short) < 2 or (short.isascii() and len(short) < 4):
        return False
    return long_.startswith(short)
