"""Amounts of money in Chinese and English news text.

Parses, on folded text (lower case, simplified Chinese):
``1380万美金``, ``1380 万美金``, ``1亿元人民币``, ``4.4亿美元``, ``五千万元``, ``数千万元``,
``亿级人民币``, ``超4亿元``, ``$13.8m``, ``$60 million``, ``us$1.2 billion``, ``€20m``,
``£5 million``, ``100 million yuan``, ``rmb 50m``, ``hk$2bn``, ``tens of millions of dollars``.

A figure stated vaguely keeps its stated value and is marked approximate (``亿级`` -> 1e8,
``超4亿`` -> 4e8); "several" forms (``数亿``, ``几千万``, ``tens of millions``) have no value
but keep the currency.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

_CN_DIGITS = {"零": 0, "〇": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6,
              "七": 7, "八": 8, "九": 9}  # fmt: skip
_CN_UNITS = {"十": 10, "百": 100, "千": 1000}
_BIG = {"万": 10_000, "亿": 100_000_000}
_EN_MULT = {
    "thousand": 1e3, "k": 1e3, "million": 1e6, "mn": 1e6, "mln": 1e6, "m": 1e6,
    "billion": 1e9, "bn": 1e9, "b": 1e9, "trillion": 1e12, "tn": 1e12,
}  # fmt: skip
MIN_FUNDING_AMOUNT = 10_000


@dataclass(frozen=True, slots=True)
class Money:
    start: int
    end: int
    amount: float | int | None
    currency: str | None
    approximate: bool
    bare: bool = False  # Chinese amount with no currency word (assumed yuan)


def parse_cn_numeral(text: str) -> int | None:
    """``五千`` -> 5000, ``一千二百`` -> 1200, ``十`` -> 10, ``千`` -> 1000."""
    if not text:
        return None
    total, digit = 0, None
    for ch in text:
        if ch in _CN_DIGITS:
            digit = _CN_DIGITS[ch]
        elif ch in _CN_UNITS:
            total += (1 if digit is None else digit) * _CN_UNITS[ch]
            digit = None
        else:
            return None
    if digit is not None:
        total += digit
    return total


def _alternation(words: Iterable[str]) -> str:
    return "|".join(re.escape(w) for w in sorted(set(words), key=len, reverse=True))


def _as_number(value: float) -> float | int:
    rounded = round(value)
    return int(rounded) if abs(value - rounded) < 1e-6 * max(1.0, abs(value)) else value


class MoneyParser:
    """Finds amounts of money; currency words come from the vocabulary."""

    def __init__(
        self,
        currency_words: Mapping[str, str],
        currency_symbols: Mapping[str, str],
        approximate_words: Iterable[str],
        bare_yuan: str,
    ) -> None:
        self._words = dict(currency_words)
        self._symbols = dict(currency_symbols)
        self._bare = bare_yuan
        words = _alternation(self._words)
        symbols = _alternation(self._symbols)
        approx = sorted(set(approximate_words), key=len, reverse=True)
        self._approx = tuple(approx)
        num = r"\d+(?:,\d{3})*(?:\.\d+)?"
        cn = r"[零〇一二两三四五六七八九十百千]"
        self._zh = re.compile(
            rf"(?:(?P<sym>{symbols})\s*)?"
            rf"(?P<several>数|几|上)?(?P<num>{num})?\s*(?P<cn>{cn}*)(?P<big>[万亿]+)"
            rf"(?P<ji>级|多|余)?\s*(?P<cur>{words})?(?P<ji2>级)?"
        )
        self._zh_plain = re.compile(rf"(?:(?P<sym>{symbols})\s*)(?P<num>{num})\s*(?P<cur>元)?")
        en_mult = _alternation(_EN_MULT)
        self._en_sym = re.compile(
            rf"(?P<sym>{symbols})\s*(?P<num>{num})(?:\s*(?P<mult>{en_mult})(?![a-z]))?"
            rf"(?:\s+(?P<cur>{words})(?![a-z]))?"
        )
        self._en_word = re.compile(
            rf"(?<![\w$€£¥])(?P<num>{num})\s*(?P<mult>{en_mult})(?![a-z])\s*(?:of\s+)?"
            rf"(?P<cur>{words})(?![a-z])"
        )
        self._en_vague = re.compile(
            rf"(?:(?:tens|hundreds|several|many)\s+of\s+(?:millions|billions|thousands)\s+of|"
            rf"(?:several|a few|a couple of|multiple)\s+(?:hundred\s+|tens of\s+)?"
            rf"(?:million|billion)(?:\s+of)?)\s+(?P<cur>{words})(?![a-z])"
        )

    def _approximate(self, text: str, start: int) -> bool:
        before = text[max(0, start - 14) : start].rstrip()
        return any(before.endswith(w) for w in self._approx)

    def _currency(self, sym: str | None, cur: str | None) -> str | None:
        if sym and cur == "元":  # "新台币2亿元", "港币5000万元": 元 is the unit, not CNY
            return self._symbols.get(sym.replace(" ", "")) or self._symbols.get(sym)
        if cur:
            return self._words.get(cur)
        if sym:
            return self._symbols.get(sym.replace(" ", "")) or self._symbols.get(sym)
        return None

    def find(self, text: str) -> list[Money]:
        """All amounts in folded ``text``, in order, non-overlapping."""
        found: list[Money] = []
        taken: list[tuple[int, int]] = []

        def free(a: int, b: int) -> bool:
            return all(b <= s or a >= e for s, e in taken)

        def add(m: Money) -> None:
            found.append(m)
            taken.append((m.start, m.end))

        for m in self._zh.finditer(text):
            g = m.groupdict()
            if not (g["num"] or g["cn"] or g["several"] or g["ji"] or g["cur"] or g["sym"]):
                continue  # a lone 万/亿 inside a word
            if not free(m.start(), m.end()):
                continue
            currency = self._currency(g["sym"], g["cur"])
            bare = currency is None
            if bare:
                nxt = text[m.end() : m.end() + 1]
                if nxt and not (nxt in " ,.;:!?,。;:!?的新轮融投)" or nxt.isascii()):
                    continue  # "1530万分钟", "300万用户": a count, not money
                currency = self._bare
            approx = bool(g["ji"] or g["ji2"] or g["several"]) or self._approximate(text, m.start())
            value: float | None
            if g["several"] in ("数", "几"):
                value = None
            else:
                base = float(g["num"].replace(",", "")) if g["num"] else None
                cn = g["cn"]
                if base is not None and cn:
                    mult = 1
                    for ch in cn:
                        if ch not in _CN_UNITS:
                            mult = 0
                            break
                        mult *= _CN_UNITS[ch]
                    if not mult:
                        continue
                    base *= mult
                elif cn:
                    parsed = parse_cn_numeral(cn)
                    if parsed is None:
                        continue
                    base = float(parsed)
                if base is None:
                    base = 1.0
                for ch in g["big"]:
                    base *= _BIG[ch]
                value = base
            add(Money(m.start(), m.end(), None if value is None else _as_number(value),
                      currency, approx, bare))  # fmt: skip

        for m in self._en_vague.finditer(text):
            if free(m.start(), m.end()):
                add(Money(m.start(), m.end(), None, self._words.get(m["cur"]), True))
        for pattern in (self._en_sym, self._en_word):
            for m in pattern.finditer(text):
                if not free(m.start(), m.end()):
                    continue
                g = m.groupdict()
                currency = self._currency(g.get("sym"), g.get("cur"))
                if currency is None:
                    continue
                value = float(g["num"].replace(",", "")) * _EN_MULT.get(g["mult"] or "", 1.0)
                add(Money(m.start(), m.end(), _as_number(value), currency,
                          self._approximate(text, m.start())))  # fmt: skip
        for m in self._zh_plain.finditer(text):
            if free(m.start(), m.end()):
                currency = self._currency(m["sym"], None)
                value = float(m["num"].replace(",", ""))
                add(Money(m.start(), m.end(), _as_number(value), currency,
                          self._approximate(text, m.start())))  # fmt: skip
        found.sort(key=lambda x: x.start)
        return found
