"""Salience: is the raise the story's news, or background to a story of another kind?"""

from __future__ import annotations

from .cues import untold_history
from .event import Event, Gathered, strength
from .passage import Passage, Trace, inside
from .patterns import HARD_TITLE_VETOES, RAISE_KINDS, TITLE_VETOES
from .toolkit import Toolkit


def raise_is_news(kit: Toolkit, p: Passage, trace: Trace, event: Event, gathered: Gathered) -> bool:
    """False when the title is about something else (an acquisition, a layoff, a lawsuit, a
    ranking, a launch ...) and the raise is not told in the title itself."""
    title_hits = p.title_hits()
    title_vetoes = [h for h in title_hits if h.kind == "veto" and h.value in TITLE_VETOES]
    title_cue = any(h.kind == "funding" for h in title_hits)
    title_sents = [t for t in p.sentences if t.start < p.title_end]
    ranking = [(h.start, h.end) for h in title_vetoes if h.value == "ranking"]
    valid_title_cue = any(
        untold_history(p, t, h)
        for t in title_sents
        for h in t.hits
        if h.kind in RAISE_KINDS and not inside(h, ranking)
    )  # "Acme gets $10M as it hires ..." tells its own raise; "... 此前累计融资" does not;
    # the 融资 of "融资排行榜" names the ranking, not a raise
    news = True
    hard = [h for h in title_vetoes if h.value in HARD_TITLE_VETOES]
    if hard and not valid_title_cue and event.sentence != 0:
        for h in hard:
            trace.note(f"veto:{h.value}:{h.term}")
        news = False
    weak_story = title_vetoes and not title_cue and event.sentence != 0
    if weak_story and strength(kit, p, event, gathered) < 4:
        for h in title_vetoes:
            trace.note(f"veto:{h.value}:{h.term}")
        news = False
    return news
