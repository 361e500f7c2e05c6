"""Sector: is the raising company an AI-video company?

The company's sector from ``companies.yaml``, else AI-video vs other-sector cues in the title
and in the sentences about the company, else over the whole text.
"""

from __future__ import annotations

import bisect

from .companies import CAP_RUN
from .event import Event, Gathered
from .matcher import Hit
from .passage import Passage, Sentence, Trace, is_cjk, same_clause
from .patterns import AFFILIATE, AMOUNT_VETOES, CLAUSE_END, CUE_KINDS, REFERS_BACK_START
from .toolkit import Toolkit


def weights(p: Passage, hits: list[Hit]) -> tuple[float, float]:
    video = sum(h.value for h in hits if h.kind == "ai_video" and h not in p.negated)
    other = sum(h.value for h in hits if h.kind == "other" and h not in p.negated)
    return video, other


def confidence(video: float, other: float) -> float:
    if video <= 0 and other <= 0:
        return 0.3
    return round(0.1 + 0.85 * video / (video + other + 1.0), 3)


def note_sector(trace: Trace, hits: list[Hit]) -> None:
    for h in hits:
        if h.kind in ("ai_video", "other"):
            trace.note(f"{h.kind}:{h.term}")


def event_sector(
    kit: Toolkit, p: Passage, trace: Trace, event: Event, gathered: Gathered
) -> tuple[bool, float]:
    """(is AI video, confidence) of the event's company."""
    entry = event.entry
    if entry is not None and entry.sector != "mixed":
        trace.note(f"sector:{entry.key}={entry.sector}")
        return entry.sector == "ai_video", 0.95
    name = kit.fold(event.company or "")
    short = short_name(kit, event.company or "")
    title = title_sector_hits(p, name)
    region = list(title)
    raise_sentences = {id(g) for g, _ in gathered}
    for sent in p.sentences:
        if (
            id(sent) in raise_sentences
            or (name and names_subject(p, sent, name))
            or (short and names_subject(p, sent, short))
            or REFERS_BACK_START.match(p.folded, sent.start, sent.end)
        ):
            # a title that tells the raise counts twice (as title and as raise sentence)
            region.extend(title if sent.start < p.title_end else sent.hits)
    investor_desc = investor_descriptions(p)
    region = [h for h in region if h not in investor_desc]
    video, other = weights(p, region)
    if video or other:
        note_sector(trace, region)
        return video > other and video >= 1.5, confidence(video, other)
    rest = [h for h in p.hits if h not in investor_desc]
    video, other = weights(p, rest)
    note_sector(trace, rest)
    return video >= 2 and video > other, confidence(video, other) * 0.8


def short_name(kit: Toolkit, company: str) -> str | None:
    """The first word of a Latin multi-word name, as the press shortens it: "Fable Studio" ->
    "fable", "Spire Animation Studios" -> "spire" (folded); None when too short or generic."""
    words = company.split()
    if len(words) < 2 or not words[0][:1].isupper() or len(words[0]) < 4:
        return None
    if kit.companies.is_stopword(words[0]) or not words[0].isascii():
        return None
    return kit.fold(words[0])


def names_subject(p: Passage, sent: Sentence, name: str) -> bool:
    """The sentence names the company other than as a person's employer: "芯算科技CEO表示,
    AI视频带来算力需求" quotes its CEO on the market, it does not describe the company."""
    at = p.folded.find(name, sent.start, sent.end)
    while at >= 0:
        if not AFFILIATE.match(p.folded, at + len(name), sent.end):
            return True
        at = p.folded.find(name, at + len(name), sent.end)
    return False


def investor_descriptions(p: Passage) -> set[Hit]:
    """Sector words that describe a Chinese investor: "由AI视频公司某某领投" (the words sit
    in the clause before 领投 with no raise verb between them)."""
    out: set[Hit] = set()
    for sent in p.sentences:
        objects = [h for h in sent.hits if h.kind == "verb_object" and is_cjk(p, h)]
        for v in objects:
            for h in sent.hits:
                if (
                    h.kind in ("ai_video", "other")
                    and h.end <= v.start
                    and same_clause(p, sent, h.start, v.start)
                    and not any(
                        c.kind in ("verb_subject", "funding") and h.end <= c.start < v.start
                        for c in sent.hits
                    )
                ):
                    out.add(h)
    return out


def title_sector_hits(p: Passage, name: str) -> list[Hit]:
    """Sector hits of the title; when the title names the company in one clause of
    several ("This week in AI funding: Motionary, Quillstack, Borealis Robotics"), hits in
    the other clauses describe the other companies and do not count."""
    title = [h for h in p.hits if h.end <= p.title_end and h.kind in ("ai_video", "other")]
    title = drop_market_clauses(p, title)
    at = p.folded.find(name, 0, p.title_end) if name else -1
    if at < 0:
        return title
    bounds = [0] + [m.end() for m in CLAUSE_END.finditer(p.full, 0, p.title_end)]
    lo = bounds[bisect.bisect_right(bounds, at) - 1]
    nxt = [b for b in bounds if b > at]
    hi = nxt[0] if nxt else p.title_end
    ends = [*bounds[1:], p.title_end]
    listed = sum(
        1
        for a, b in zip(bounds, ends, strict=True)
        if a != lo and CAP_RUN.fullmatch(p.full[a:b].strip(" ,;:"))
    )
    if listed < 2:
        return title  # not a list of names: "Acme, which makes videos, raises $5M"
    return [h for h in title if lo <= h.start < hi]


def drop_market_clauses(p: Passage, title: list[Hit]) -> list[Hit]:
    """ "某GPU公司完成融资, AI视频生成带来算力新需求": a title clause about compute demand,
    revenue or a market, with no raise cue in it, describes the market, not the raiser."""
    bounds = [0] + [m.end() for m in CLAUSE_END.finditer(p.full, 0, p.title_end)]
    if len(bounds) < 2:
        return title
    ends = [*bounds[1:], p.title_end]
    dropped: list[tuple[int, int]] = []
    for a, b in zip(bounds, ends, strict=True):
        inside = [h for h in p.hits if a <= h.start < b]
        if any(h.kind == "veto" and h.value in AMOUNT_VETOES for h in inside) and not any(
            h.kind in CUE_KINDS for h in inside
        ):
            dropped.append((a, b))
    return [h for h in title if not any(a <= h.start < b for a, b in dropped)]
