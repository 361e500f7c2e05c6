"""Amounts of money in Chinese and English news text.

Parses, on folded text (lower case, simplified Chinese):
``1380万美金``, ``1380 万美金``, ``1亿元人民币``, ``4.4亿美元``, ``五千万元``, ``数千万元``,
``亿级人民币``, ``超4亿元``, ``$13.8m``, ``$60 million``, ``us$1.2 billion``, ``€20m``,
``£5 million``, ``100 million yuan``, ``rmb 50m``, ``hk$2bn``, ``tens of millions of dollars``,
``twelve million us dollars``.

A figure stated vaguely keeps its stated value and is marked approximate (``亿级`` -> 1e8,
``超4亿`` -> 4e8); "several" forms (``数亿``, ``几千万``, ``tens of millions``, "eight
figures") have no value but keep the currency. Every amount carries the range it states,
``low`` to ``high`` (either may be None: open): exact figures are their own range, "超4亿" is
4e8 and up, "近亿元" 0.9e8 to 1e8, "约5000万" ±10%, "亿级" 1e8 to 1e9, "数千万" and "several
tens of millions" 2e7 to 1e8, "tens of millions" 1e7 to 1e8, "eight figures" 1e7 to 1e8.
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
    low: float | None = None  # the stated range; None is open (or, for both, unknown)
    high: float | None = None


# How an approximation word bounds the figure after it: (low factor, high factor), None open.
_AT_LEAST = (1.0, None)
_AT_MOST = (0.9, 1.0)
_AROUND = (0.9, 1.1)
_BOUNDS: dict[str, tuple[float, float | None]] = {
    **dict.fromkeys(("超", "超过", "逾", "过", "上", "over", "more than", "upwards of",
                     "at least", "north of", "just over"), _AT_LEAST),
    **dict.fromkeys(("近", "将近", "接近", "nearly", "almost", "just under", "up to"), _AT_MOST),
    **dict.fromkeys(("约", "大约", "左右", "about", "around", "approximately", "roughly", "some",
                     "an estimated", "close to"), _AROUND),
}  # fmt: skip
# a count spelled out before "million"/"billion": "twelve million US dollars"
_EN_NUMBER_WORDS = {
    "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8,
    "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14,
    "fifteen": 15, "sixteen": 16, "seventeen": 17, "eighteen": 18, "nineteen": 19,
    "twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70,
    "eighty": 80, "ninety": 90, "a hundred": 100, "one hundred": 100,
}  # fmt: skip
# "eight figures": a number with that many digits
_FIGURES = {"six": 1e5, "seven": 1e6, "eight": 1e7, "nine": 1e8, "ten": 1e9}
# English vague quantities: (low, high) as multiples of the unit they qualify
_EN_VAGUE_SPAN = {
    "tens of": (10, 100), "hundreds of": (100, 1000), "several": (2, 10), "many": (10, 100),
    "a few": (2, 10), "a couple of": (2, 3), "multiple": (2, 10),
    "several hundred": (200, 1000), "several tens of": (20, 100),
}  # fmt: skip


def bounded(value: float, word: str | None) -> tuple[float | None, float | None]:
    """The range an approximation word gives ``value``; the value itself when none."""
    if word is None or word not in _BOUNDS:
        return _as_number(value), _as_number(value)
    lo, hi = _BOUNDS[word]
    return _as_number(value * lo), (None if hi is None else _as_number(value * hi))


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
            rf"(?:(?P<q1>tens|hundreds|several|many)\s+of\s+(?P<u1>millions|billions|thousands)"
            rf"\s+of|"
            rf"(?P<q2>several|a few|a couple of|multiple)\s+(?P<h2>hundred\s+|tens of\s+)?"
            rf"(?P<u2>million|billion)(?:\s+of)?)\s+(?P<cur>{words})(?![a-z])"
        )
        spelled = _alternation(_EN_NUMBER_WORDS)
        self._en_spelled = re.compile(
            rf"(?<![\w$€£¥-])(?P<num>{spelled})\s+(?P<mult>million|billion)\s+(?:of\s+)?"
            rf"(?P<cur>{words})(?![a-z])"
        )
        self._en_figures = re.compile(
            rf"(?:(?P<sym>{symbols})\s*)?\b(?P<n>six|seven|eight|nine|ten)[- ]figures?\b"
        )

    def _approx_word(self, text: str, start: int) -> str | None:
        before = text[max(0, start - 14) : start].rstrip()
        return next((w for w in self._approx if before.endswith(w)), None)

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
            low = None if m.low is None else _as_number(m.low)
            high = None if m.high is None else _as_number(m.high)
            m = Money(m.start, m.end, m.amount, m.currency, m.approximate, m.bare, low, high)
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
            word = self._approx_word(text, m.start())
            approx = bool(g["ji"] or g["ji2"] or g["several"]) or word is not None
            value: float | None
            unit = 1.0
            for ch in g["big"]:
                unit *= _BIG[ch]
            if g["several"] in ("数", "几"):
                value = None
                scale = float(parse_cn_numeral(g["cn"]) or 1) if g["cn"] else 1.0
                low, high = 2 * scale * unit, 10 * scale * unit  # "数千万": 2e7 to 1e8
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
                base *= unit
                value = base
                if g["ji"] == "级" or g["ji2"]:
                    low, high = value, 10 * value  # "亿级": 1e8 to 1e9
                elif g["ji"] in ("多", "余") or g["several"] == "上":
                    low, high = value, None  # "1亿多", "上亿": 1e8 and up
                else:
                    low, high = bounded(value, word)
            add(Money(m.start(), m.end(), None if value is None else _as_number(value),
                      currency, approx, bare, low, high))  # fmt: skip

        for m in self._en_vague.finditer(text):
            if free(m.start(), m.end()):
                if m["q1"]:
                    quantity = f"{m['q1']} of" if m["q1"] in ("tens", "hundreds") else m["q1"]
                else:
                    hundred = (m["h2"] or "").strip()  # "several hundred", "a few tens of"
                    quantity = "several " + hundred if hundred else m["q2"]
                unit = _EN_MULT[(m["u1"] or m["u2"]).rstrip("s")]
                lo, hi = _EN_VAGUE_SPAN.get(quantity, (2, 10))
                add(Money(m.start(), m.end(), None, self._words.get(m["cur"]), True, False,
                          lo * unit, hi * unit))  # fmt: skip
        for m in self._en_figures.finditer(text):
            if free(m.start(), m.end()):
                unit = _FIGURES[m["n"]]
                currency = self._currency(m["sym"], None) if m["sym"] else "USD"
                add(Money(m.start(), m.end(), None, currency, True, False, unit, 10 * unit))
        for m in self._en_spelled.finditer(text):
            if free(m.start(), m.end()) and (currency := self._words.get(m["cur"])):
                value = _EN_NUMBER_WORDS[m["num"]] * _EN_MULT[m["mult"]]
                word = self._approx_word(text, m.start())
                add(Money(m.start(), m.end(), _as_number(value), currency, word is not None,
                          False, *bounded(value, word)))  # fmt: skip
        for pattern in (self._en_sym, self._en_word):
            for m in pattern.finditer(text):
                if not free(m.start(), m.end()):
                    continue
                g = m.groupdict()
                currency = self._currency(g.get("sym"), g.get("cur"))
                if currency is None:
                    continue
                value = float(g["num"].replace(",", "")) * _EN_MULT.get(g["mult"] or "", 1.0)
                word = self._approx_word(text, m.start())
                add(Money(m.start(), m.end(), _as_number(value), currency, word is not None,
                          False, *bounded(value, word)))  # fmt: skip
        for m in self._zh_plain.finditer(text):
            if free(m.start(), m.end()):
                currency = self._currency(m["sym"], None)
                value = float(m["num"].replace(",", ""))
                word = self._approx_word(text, m.start())
                add(Money(m.start(), m.end(), _as_number(value), currency, word is not None,
                          False, *bounded(value, word)))  # fmt: skip
        found.sort(key=lambda x: x.start)
        return found
