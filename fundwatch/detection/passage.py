"""The passage: one text folded, scanned and cut into sentences, built once per ``detect``.

Every later stage reads it; none changes it (``Sentence.clauses`` is filled lazily, a cache).
"""

from __future__ import annotations

import bisect
from dataclasses import dataclass, field

from .matcher import Hit
from .normalize import display
from .patterns import (
    BARE_MONTH_END,
    CJK,
    CLAUSE_ALONE,
    CLAUSE_END,
    DATED_MONTH_ZH,
    DATED_YEAR,
    DATED_YEAR_ZH,
    HANDLE,
    MONTH_BEFORE_YEAR,
    NEGATION_SPAN,
    PINYIN_NOTE,
    SENTENCE_END,
)
from .toolkit import Toolkit


@dataclass
class Sentence:
    start: int
    end: int
    hits: list[Hit]
    clauses: list[int] = field(default_factory=list)  # clause starts (absolute), ascending


@dataclass
class Passage:
    full: str  # title + "\n" + body, display form (offsets shared with ``folded``)
    folded: str  # lower case, simplified Chinese, folded punctuation
    hits: list[Hit]  # every vocabulary hit, by start
    title_end: int
    lang: str | None
    sentences: list[Sentence]
    negated: set[Hit]  # sector hits a negation turns around ("暂无视频产品")
    memo: dict = field(default_factory=dict)  # per-stage caches keyed by stage name

    def text(self, sent: Sentence) -> str:
        return self.full[sent.start : sent.end]

    def folded_text(self, sent: Sentence) -> str:
        return self.folded[sent.start : sent.end]

    def title_hits(self) -> list[Hit]:
        return [h for h in self.hits if h.end <= self.title_end]


# What ``detect`` reads of a page: the title's first TITLE_LIMIT and the body's first
# BODY_LIMIT characters. A news story tells its raise in the title and lead; the longest
# features run to ~60,000 characters. Past that is a listing, comments or a dump, never the
# news, and reading it would only cost time: a 10 MB page is read as its first 100,000
# characters.
TITLE_LIMIT = 1_000
BODY_LIMIT = 100_000


class Trace:
    """What fired, in order (``Detection.matched``), as ``kind:term``."""

    def __init__(self) -> None:
        self.items: list[str] = []
        self._seen: set[str] = set()

    def note(self, item: str) -> None:
        if item not in self._seen:
            self._seen.add(item)
            self.items.append(item)


def build_passage(kit: Toolkit, title: str, text: str, lang: str | None) -> Passage:
    title_d = display(plain_handles(strip_pinyin((title or "")[:TITLE_LIMIT]))).replace("\n", " ")
    full = title_d + "\n" + display(plain_handles(strip_pinyin((text or "")[:BODY_LIMIT])))
    folded = kit.fold(full)
    hits = kit.matcher.find(folded, full)
    noise = [(h.start, h.end) for h in hits if h.kind == "noise"]
    if noise:
        hits = [h for h in hits if h.kind == "noise" or not _in_sorted_spans(h.start, noise)]
    hits = _drop_vetoes_in_rounds(_drop_nested_companies(hits))
    dated = [Hit(a, b, "dated", folded[a:b], None) for a, b in dated_forms(folded)]
    if dated:
        hits = sorted(hits + dated, key=lambda h: (h.start, -h.end))
    if kit.sector_patterns and any(h.kind in ("funding", "funding_weak") for h in hits):
        # sector phrases only matter once there is a raise to attribute (and cost time)
        extra = [
            Hit(m.start(), m.end(), sector, f"pattern:{m.group(0)}", weight)
            for pattern, sector, weight in kit.sector_patterns
            for m in pattern.finditer(folded)
        ]
        if extra:
            hits = sorted(hits + extra, key=lambda h: (h.start, -h.end))
    return Passage(
        full=full,
        folded=folded,
        hits=hits,
        title_end=len(title_d),
        lang=lang,
        sentences=_sentences(full, hits),
        negated=_negated(full, hits),
    )


_MONTH_NAMES = (
    "january", "february", "march", "april", "may", "june", "july", "august", "september",
    "october", "november", "december",
)  # fmt: skip


def dated_forms(folded: str) -> list[tuple[int, int]]:
    """Spans of "november 2025", of a Chinese year ("2021年11月", not "2021年11月3日") and of a
    bare month ("3月", not "3月11日") in folded text;
    plain substring scans first, the regexes only where they can match."""
    spans = []
    if any(name in folded for name in _MONTH_NAMES):
        for y in DATED_YEAR.finditer(folded):
            m = MONTH_BEFORE_YEAR.search(folded, max(0, y.start() - 16), y.start())
            if m:
                spans.append((m.start(), y.end()))
    if "年" in folded:
        spans += [(m.start(), m.end()) for m in DATED_YEAR_ZH.finditer(folded)]
    for month in BARE_MONTH_END.finditer(folded):
        at = month.start()
        m = DATED_MONTH_ZH.match(folded, max(0, at - 2), at + 1) or DATED_MONTH_ZH.match(
            folded, max(0, at - 1), at + 1
        )
        if m:
            spans.append((m.start(), m.end()))
    return sorted(spans)


def plain_handles(text: str) -> str:
    """Social-media handles read as names: "@Rephrase_AI" -> "Rephrase AI"."""
    if "@" not in text:
        return text
    return HANDLE.sub(lambda m: m.group(1).replace("_", " "), text)


def strip_pinyin(text: str) -> str:
    """Drop pinyin annotations ("認(rèn)知" -> "認知") so words read whole."""
    return PINYIN_NOTE.sub("", text) if "(" in text or "\uff08" in text else text


def inside(hit: Hit, spans: list[tuple[int, int]]) -> bool:
    return any(s <= hit.start < e for s, e in spans)


def _in_sorted_spans(at: int, spans: list[tuple[int, int]]) -> bool:
    """``at`` inside one of ``spans`` (sorted by start, as hits are): linear overall, since
    only the spans starting at most ``at`` and reaching past it count."""
    i = bisect.bisect_right(spans, (at, float("inf")))
    # spans are short vocabulary terms; look back over those that may still cover ``at``
    while i > 0:
        i -= 1
        s, e = spans[i]
        if s <= at < e:
            return True
        if at - s > _LONGEST_TERM:
            return False
    return False


_LONGEST_TERM = 200  # no vocabulary term is longer (folded characters)


def _drop_vetoes_in_rounds(hits: list[Hit]) -> list[Hit]:
    """A veto word inside a round name ("IPO" in "pre-IPO round") names the round."""
    spans = [(h.start, h.end) for h in hits if h.kind == "round"]
    if not spans:
        return hits
    return [h for h in hits if h.kind != "veto" or not _nested(h, spans)]


def _drop_nested_companies(hits: list[Hit]) -> list[Hit]:
    """A company name inside a longer one ("Runway" in "Runway Studios") is not a mention."""
    spans = [(h.start, h.end) for h in hits if h.kind == "company"]
    out = []
    for h in hits:
        if h.kind == "company" and _nested(h, spans):
            continue
        out.append(h)
    return out


def _nested(h: Hit, spans: list[tuple[int, int]]) -> bool:
    i = bisect.bisect_right(spans, (h.start, float("inf")))
    while i > 0:
        i -= 1
        s, e = spans[i]
        if h.start - s > _LONGEST_TERM:
            return False
        if s <= h.start and h.end <= e and (e - s) > (h.end - h.start):
            return True
    return False


def _sentences(full: str, hits: list[Hit]) -> list[Sentence]:
    out: list[Sentence] = []
    starts = [h.start for h in hits]
    pos = 0
    bounds = [(m.start(), m.end()) for m in SENTENCE_END.finditer(full)]
    bounds.append((len(full), len(full)))
    for b_start, b_end in bounds:
        if b_start > pos:
            lo = bisect.bisect_left(starts, pos)
            hi = bisect.bisect_left(starts, b_start)
            out.append(Sentence(pos, b_start, hits[lo:hi]))
        pos = b_end
    return out


def _negated(full: str, hits: list[Hit]) -> set[Hit]:
    """Sector hits right after a negation in the same clause ("暂无视频产品", "no plans to
    move into video"): they say what the company does not do."""
    out: set[Hit] = set()
    negations = [h for h in hits if h.kind == "negation"]
    if not negations:
        return out
    sector = [h for h in hits if h.kind in ("ai_video", "other")]
    starts = [h.start for h in sector]
    for n in negations:
        m = NEGATION_SPAN.search(full, n.end, n.end + 40)
        end = m.start() if m else n.end + 40
        lo, hi = bisect.bisect_left(starts, n.end), bisect.bisect_left(starts, end)
        out.update(sector[lo:hi])
    return out


def clauses(p: Passage, sent: Sentence) -> list[int]:
    if not sent.clauses:
        sent.clauses = [sent.start] + [
            sent.start + m.end() for m in CLAUSE_END.finditer(p.full[sent.start : sent.end])
        ]
    return sent.clauses


def same_clause(p: Passage, sent: Sentence, a: int, b: int) -> bool:
    cl = clauses(p, sent)
    return bisect.bisect_right(cl, a) == bisect.bisect_right(cl, b)


def clause_is(p: Passage, sent: Sentence, h: Hit) -> bool:
    """``h`` makes up its whole clause ("此前,", "Last year,")."""
    return bool(CLAUSE_ALONE.match(p.full[h.end : min(sent.end, h.end + 2)]))


def is_zh(p: Passage, start: int, end: int) -> bool:
    if p.lang and p.lang.lower().startswith("zh"):
        return True
    return bool(CJK.search(p.full, start, end))


def is_cjk(p: Passage, h: Hit) -> bool:
    return CJK.search(p.folded, h.start, h.end) is not None
