"""Investors named in a raise sentence: lead investors and participants.

Chinese: "由X领投,Y、Z跟投", "X、Y参投", "投资方为X", "由X和Y联合投资".
English: "led by X with participation from Y and Z", "X led the round",
"investors including X, Y and Z", "other investors ... include X", "raised $5m from X".
Names are returned as written (display text), after ``InvestorBook.clean`` has dropped clause
fragments, dates and generic descriptions; a list in which one item is a clause fragment is
a clause, not a list of investors, and is dropped whole.
"""

from __future__ import annotations

import re

from .companies import CAP_RUN
from .investor_names import InvestorBook

_ZH_ITEM = re.compile(r"(?:(?!以及)[^、,和及与跟])+")
_ZH_STRIP_HEAD = re.compile(
    r"(?:本轮|此轮|该轮|融资|由|老股东|新股东|股东|机构|投资方|投资人|包括|为|有|其中|继续|"
    r"联合|共同|知名|头部|产业|资本方|还有|另有|以及|及|并|获得了|获得|得到|宣布|完成)+"
)
_ZH_STRIP_TAIL = re.compile(
    r"(?:等|等机构|等投资方|等多家机构|老股东|现有股东|原有股东|股东|联合|共同|继续|持续|超额|"
    r"独家|追加|担任|作为|均|也|参与|跟进|多家|机构)+$"
)
_ZH_PATTERNS = (
    ("lead", re.compile(r"由([^,。;;:!?\n]{2,80}?)(?:联合|共同)?领投")),
    ("lead", re.compile(r"(?:^|[,,;;。])([^,,;;。由\n]{2,60}?)(?:联合|共同)?领投")),
    (
        "other",
        re.compile(r"(?:^|[,,;;。])([^,,;;。\n]{2,80}?)(?:跟投|参投|追投|继续加注|跟进投资)"),
    ),
    ("other", re.compile(r"投资方(?:为|包括|有|是)([^。;;\n]{2,80})")),
    (
        "other",
        re.compile(
            r"由([^,。;;!?\n]{2,80}?)(?:联合|共同)?(?:投资|注资|参与|参投)(?=$|[,,。;;!?\n]|的|了)"
        ),
    ),
)
_EN_LIST_END = (
    r"(?=[.;]|\s+(?:as|at|in|to|which|who|that|for|after|with|bringing|brings|alongside|"
    r"and\s+(?:is|was|has|will|the))\b|$)"
)
_EN_PATTERNS = (
    ("lead", re.compile(r"\b(?:co-)?led by\s+(.{2,160}?)" + _EN_LIST_END)),
    (
        "lead",
        re.compile(
            r"(?:^|[.;]\s*)(.{2,80}?)\s+(?:co-)?(?:led|leads)\s+the\s+"
            r"(?:round|investment|financing|funding|deal)"
        ),
    ),
    ("other", re.compile(r"\bparticipation (?:from|of|by)\s+(.{2,200}?)" + _EN_LIST_END)),
    (
        "other",
        re.compile(
            r"\binvestors?\b[^.;]{0,60}?\b(?:such as|including|includ(?:e|es|ed))\s+"
            r"(.{2,200}?)" + _EN_LIST_END
        ),
    ),
    (
        "other",
        re.compile(
            r"\b(?:backed by|backing from|joined by|support from)\s+(.{2,160}?)" + _EN_LIST_END
        ),
    ),
    (
        "other",
        re.compile(
            r"\b(?:rais\w*|secur\w*|funds?|funding|investment)\b[^.;]{0,40}?\bfrom\s+"
            r"(.{2,120}?)" + _EN_LIST_END
        ),
    ),
    (
        "other",
        re.compile(
            r"(?:^|[.;]\s*)([A-Z][^.;]{1,120}?)\s+(?:also\s+)?(?:participated|joined)"
            r"(?:\s+(?:in\s+)?the\s+(?:round|financing|funding|raise))?(?=\s*[.;]?\s*$)"
        ),
    ),
    (
        "other",
        re.compile(
            r"(?:^|[.;]\s*)([A-Z][^.;,]{1,60}?)\s+(?:has\s+)?(?:committed|commits|"
            r"invested|invests)\s+(?:[$€£¥]|us\$|rmb)"
        ),
    ),
)
_EN_SPLIT = re.compile(r",\s*(?:and\s+)?|\s+and\s+|\s*;\s*")
_PAREN = re.compile(r"\([^)]*\)|\uff08[^\uff09]*\uff09")
_LOWER_HEAD = re.compile(r"[a-z][a-z0-9]*$")  # "a" of "a16z" before the capital-run "16z"


def _clean_zh(item: str) -> tuple[int, int] | None:
    """Span of the investor name inside one folded list item, or None."""
    start, end = 0, len(item)
    while True:
        before = (start, end)
        while start < end and item[start] in " “”「」\"'":
            start += 1
        while end > start and item[end - 1] in " “”「」\"'":
            end -= 1
        m = _ZH_STRIP_HEAD.match(item, start, end)
        if m and m.end() > start:
            start = m.end()
        m = _ZH_STRIP_TAIL.search(item, start, end)
        if m and m.start() < end:
            end = m.start()
        if (start, end) == before:
            break
    name = item[start:end]
    if not (2 <= len(name) <= 30) or re.search(r"\d+(?:\.\d+)?\s*[万亿元]|融资|轮", name):
        return None
    return start, end


def _split_en(chunk: str, book: InvestorBook) -> list[str]:
    names: list[str] = []
    for item in _EN_SPLIT.split(_PAREN.sub("", chunk)):
        item = item.strip()
        if not item:
            continue
        if book.is_fragment(item) or book.is_date(item):
            break  # "led by Accel, the company said on Monday": the list has ended
        run = None
        for m in CAP_RUN.finditer(item):
            run = m
        if run is None:
            if len(item.split()) <= 3:
                continue  # a descriptor such as "actor" in "actor, singer and investor X"
            break
        if item[run.end() :].strip():
            if names:
                break
            continue
        head = _LOWER_HEAD.search(item, 0, run.start())
        name = item[head.start() if head else run.start() : run.end()]
        for prefix in ("The ", "US ", "U.S. "):
            if name.startswith(prefix) and len(name) > len(prefix) + 2:
                name = name[len(prefix) :]
        cleaned = book.clean(name)
        if cleaned:
            names.append(cleaned)
    return names


def _zh_names(display: str, folded: str, start: int, end: int, book: InvestorBook) -> list[str]:
    names: list[str] = []
    for seg in _ZH_ITEM.finditer(folded, start, end):
        span = _clean_zh(seg.group(0))
        if not span:
            continue
        raw = display[seg.start() + span[0] : seg.start() + span[1]]
        if book.is_fragment(raw):
            return []  # "Lumora在可控性和生成速度上的表现是其领投…" is a clause, not a list
        name = book.clean(raw)
        if name:
            names.append(name)
    return names


def find_investors(
    display: str, folded: str, lang_zh: bool, book: InvestorBook
) -> tuple[list[str], list[str]]:
    """``(lead_investors, other_investors)`` named in one sentence."""
    leads: list[str] = []
    others: list[str] = []
    if lang_zh:
        for role, pattern in _ZH_PATTERNS:
            for m in pattern.finditer(folded):
                names = _zh_names(display, folded, m.start(1), m.end(1), book)
                (leads if role == "lead" else others).extend(names)
    for role, pattern in _EN_PATTERNS:
        for m in pattern.finditer(display):
            for name in _split_en(m.group(1), book):
                (leads if role == "lead" else others).append(name)
    return leads, others
