"""Salience: is the raise the story's news, or background to a story of another kind?"""

from __future__ import annotations

from .cues import untold_history
from .event import Event, Gathered, strength
from .matcher import Hit
from .passage import Passage, Trace, inside
from .patterns import (
    DIGEST_SEPARATOR,
    DIGEST_TITLE,
    HARD_TITLE_VETOES,
    RAISE_KINDS,
    TITLE_VETOES,
)
from .toolkit import Toolkit

# the lead: the body's first sentences (a headline copy, a dateline and the first paragraph)
LEAD_SENTENCES = 4


def raise_is_news(
    kit: Toolkit, p: Passage, trace: Trace, event: Event, gathered: Gathered, title_raise: bool
) -> bool:
    """The raise is the story's news: it is told in the title, in the lead, or in a sentence
    that dates it as new ("today", "has raised", "宣布"); and the title is not about
    something else (an acquisition, a layoff, a lawsuit, a ranking ...) with the raise as
    background."""
    if not told_as_news(p, event, title_raise):
        trace.note("salience:background")
        return False
    return not titled_otherwise(kit, p, trace, event, gathered)


def told_as_news(p: Passage, event: Event, title_raise: bool) -> bool:
    """Title, lead, or a clause dating the raise as new."""
    sent = p.sentences[event.sentence]
    if title_raise or sent.start < p.title_end:
        return True
    body_before = sum(1 for s in p.sentences[: event.sentence] if s.start >= p.title_end)
    if body_before < LEAD_SENTENCES:
        return True
    return any(h.kind == "fresh" for h in sent.hits)


def titled_otherwise(
    kit: Toolkit, p: Passage, trace: Trace, event: Event, gathered: Gathered
) -> bool:
    """The title is about an acquisition, a layoff, a lawsuit, a ranking, a launch ... and
    does not tell the raise itself."""
    title_hits = p.title_hits()
    title_vetoes = [h for h in title_hits if h.kind == "veto" and h.value in TITLE_VETOES]
    title_vetoes = _digest_item_vetoes(kit, p, event, title_vetoes)
    title_cue = any(h.kind == "funding" for h in title_hits)
    title_sents = [t for t in p.sentences if t.start < p.title_end]
    ranking = [(h.start, h.end) for h in title_vetoes if h.value == "ranking"]
    # "AI Funding Explosion: 2025's Biggest Rounds": the cue inside a trend phrase names no raise
    ranking += [(h.start, h.end) for h in title_hits if h.kind == "count_deals"]
    valid_title_cue = any(
        untold_history(p, t, h)
        for t in title_sents
        for h in t.hits
        if h.kind in RAISE_KINDS and not inside(h, ranking)
    )  # "Acme gets $10M as it hires ..." tells its own raise; "... 此前累计融资" does not;
    # the 融资 of "融资排行榜" names the ranking, not a raise
    otherwise = False
    hard = [h for h in title_vetoes if h.value in HARD_TITLE_VETOES]
    if hard and not valid_title_cue and event.sentence != 0:
        for h in hard:
            trace.note(f"veto:{h.value}:{h.term}")
        otherwise = True
    weak_story = title_vetoes and not title_cue and event.sentence != 0
    if weak_story and strength(kit, p, event, gathered) < 4:
        for h in title_vetoes:
            trace.note(f"veto:{h.value}:{h.term}")
        otherwise = True
    return otherwise


def _digest_item_vetoes(kit: Toolkit, p: Passage, event: Event, vetoes: list[Hit]) -> list[Hit]:
    """A newsletter's digest title ("Runway Gets a Challenger; Layoffs at Meta; ...") holds
    several stories: a veto counts only in the item that names the event's company."""
    if not vetoes or not DIGEST_TITLE.search(p.full, 0, p.title_end):
        return vetoes
    name = kit.fold(event.company or "")
    bounds = [0, *(m.end() for m in DIGEST_SEPARATOR.finditer(p.full, 0, p.title_end))]
    ends = [*bounds[1:], p.title_end]
    items = [(a, b) for a, b in zip(bounds, ends, strict=True) if name and name in p.folded[a:b]]
    return [h for h in vetoes if any(a <= h.start < b for a, b in items)]
