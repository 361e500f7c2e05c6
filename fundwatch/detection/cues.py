"""Cues: which sentences tell a raise, and which of their cue words count."""

from __future__ import annotations

import bisect

from .matcher import Hit
from .passage import Passage, Sentence, Trace, clause_is, clauses, is_cjk, same_clause
from .patterns import (
    CLAUSE_VETOES,
    CUE_KINDS,
    EN_GOT_INVESTMENT,
    FUND_AS_INVESTOR,
    MINORITY_STAKE_AFTER,
    NEWS_NOW,
    PARTICIPLE_BY,
    PRESENT_PERFECT_END,
    PURPOSE_BEFORE,
    RAISE_KINDS,
    REPORTED,
    STAKE_BOUGHT_END,
    STEALTH_BACKERS,
    TITLE_MONEY_NOUN,
    YEAR,
    ZH_GOT_INVESTMENT,
)
from .toolkit import Toolkit

# "累计融资", "累计获得融资": how far a cue may follow a total's word and still be the total
TOTAL_GAP = 3


def title_tells_raise(p: Passage) -> bool:
    """A weak cue tells a raise only with a figure or an investor: "HeyGen secures $5.6
    million" and "影途获腾讯投资" do, "Veed adds AI avatars" does not; a title that counts
    deals or tells a sector's funding trend tells no single raise."""
    end = p.title_end
    if any(h.kind == "count_deals" for h in p.hits if h.end <= end):
        return False  # "Media Startups Draw Less Backing", "融资热潮涌现 59起投资事件": totals
    title_figure = (
        any(ch.isdigit() for ch in p.full[:end])
        or ZH_GOT_INVESTMENT.search(p.folded, 0, end) is not None
        or EN_GOT_INVESTMENT.search(p.folded, 0, end) is not None
        or TITLE_MONEY_NOUN.search(p.folded, 0, end) is not None
    )
    return any(
        h.kind == "funding" or (h.kind == "funding_weak" and title_figure and not _participle(p, h))
        for h in p.hits
        if h.end <= end
    )


def _participle(p: Passage, h: Hit) -> bool:
    """ "Luma AI, invested by NVIDIA, announces ...", "Nvidia-backed Acme": a weak cue used
    as a participle describes the company's backers; it tells no raise of the title's own."""
    return bool(PARTICIPLE_BY.match(p.folded, h.end)) or p.folded[h.start - 1 : h.start] == "-"


def reported_speech(p: Passage, sent: Sentence, h: Hit) -> bool:
    """ "X said on Monday it had raised $5m": a past perfect in reported speech is news."""
    if not h.term.startswith("had "):
        return False
    before = p.folded[max(sent.start, h.start - 40) : h.start]
    return REPORTED.search(before) is not None


def purpose(p: Passage, h: Hit) -> bool:
    """ "raised $40M and plans to acquire rivals", "资金将用于收购/招聘": what the money is
    for, not a story of another kind."""
    return h.value in ("acquisition", "personnel") and bool(
        PURPOSE_BEFORE.search(p.folded, max(0, h.start - 24), h.start)
    )


def minority_stake(p: Passage, h: Hit) -> bool:
    """ "has bought a minority stake in Hyperreal": an investment, not an acquisition."""
    return h.value == "acquisition" and bool(MINORITY_STAKE_AFTER.match(p.folded, h.end))


def fund_as_investor(p: Passage, sent: Sentence, h: Hit) -> bool:
    """ "secured $1.2 million from SoftBank's Opportunity Fund": the fund invests, it is not
    closing."""
    return h.value == "fund_close" and bool(
        FUND_AS_INVESTOR.search(p.folded, max(sent.start, h.start - 60), h.start)
    )


def valid_cues(p: Passage, sent: Sentence, title_raise: bool) -> list[Hit]:
    """The sentence's cue words outside clauses of history, vetoes and dated news."""
    blockers = [
        h
        for h in sent.hits
        if (h.kind == "background" and not reported_speech(p, sent, h))
        or (
            h.kind == "veto"
            and h.value in CLAUSE_VETOES
            and not purpose(p, h)
            and not minority_stake(p, h)
            and not fund_as_investor(p, sent, h)
        )
        or (h.kind == "dated" and not title_raise and not _title_period(p, h))
    ]
    text = p.full[sent.start : sent.end]
    lead = len(text) - len(text.lstrip())
    if any(
        h.kind == "background" and h.start - sent.start <= lead + 1 and clause_is(p, sent, h)
        for h in blockers
    ):
        return []  # "此前,A曾完成…,B也获得…" / "Previously, ...": the whole sentence is history
    if _opening_clause_is_history(p, sent, blockers):
        return []  # "就在这次融资前三天,B刚拿到…", "2021年11月,B获得…": dated before the news
    # "2021年11月,B获得…" inside a sentence ("估值/融资轮次:2021年11月,…"): a clause that is
    # only a date dates the clause after it too
    date_clauses = [h for h in blockers if h.kind == "dated" and _date_alone(p, sent, h)]
    totals = [h for h in sent.hits if h.kind == "aggregate"]
    cues = []
    for h in sent.hits:
        if h.kind not in CUE_KINDS:
            continue
        if any(same_clause(p, sent, h.start, b.start) for b in blockers):
            continue
        if any(_total_of(p, sent, t, h) for t in totals):
            continue
        if any(_next_clause(p, sent, b.start, h.start) for b in date_clauses):
            continue
        cues.append(h)
    return cues


def _total_of(p: Passage, sent: Sentence, total: Hit, cue: Hit) -> bool:
    """ "累计融资超过5900万美元": a Chinese cue right after a total's word names the
    company's funding to date, not a raise (English totals keep their clause's own cues:
    "raised $5M, bringing its total funding to $9M, led by Craft Ventures")."""
    if cue.kind not in RAISE_KINDS or not is_cjk(p, cue):
        return False
    return 0 <= cue.start - total.end <= TOTAL_GAP and same_clause(p, sent, total.start, cue.start)


def _title_period(p: Passage, h: Hit) -> bool:
    """The date's year is the title's ("Top Deals of 2020" over "In June 2020, X raised"): the
    raises of that period are the story, not its background."""
    year = YEAR.search(p.folded, h.start, h.end + 6)  # "in june" of "In June 2020"
    return year is not None and year.group(0) in p.full[: p.title_end]


def _date_alone(p: Passage, sent: Sentence, h: Hit) -> bool:
    """The date makes up its whole clause ("2021年11月,", "In March 2024,")."""
    cl = clauses(p, sent)
    start = cl[bisect.bisect_right(cl, h.start) - 1]
    return not p.full[start : h.start].strip() and clause_is(p, sent, h)


def _next_clause(p: Passage, sent: Sentence, a: int, b: int) -> bool:
    cl = clauses(p, sent)
    return bisect.bisect_right(cl, b) == bisect.bisect_right(cl, a) + 1


def _opening_clause_is_history(p: Passage, sent: Sentence, blockers: list[Hit]) -> bool:
    """The sentence opens with a clause of history (or a date, when the title tells no raise)
    and no cue of its own."""
    cl = clauses(p, sent)
    if len(cl) < 2:
        return False
    first_end = cl[1]
    # from the second clause to the first that tells a raise: "2023年底创立的某某,刚募得…",
    # "2025年3月,新创某某,刚完成…"
    cue_at = min(
        (h.start for h in sent.hits if h.kind in CUE_KINDS and h.start >= first_end),
        default=first_end,
    )
    news_end = max(
        cl[2] if len(cl) > 2 else sent.end, next((c for c in cl if c > cue_at), sent.end)
    )
    news_now = NEWS_NOW.search(p.folded, first_end, news_end) is not None
    history = [
        h
        for h in blockers
        if h.end <= first_end and (h.kind == "background" or (h.kind == "dated" and not news_now))
    ]
    return bool(history) and not any(
        h.kind in CUE_KINDS
        and h.start < first_end
        and not any(b.start <= h.start and h.end <= b.end for b in history)  # "这次融资前"
        for h in sent.hits
    )


def untold_history(p: Passage, sent: Sentence, cue: Hit) -> bool:
    """The cue is not in a clause of history ("months after raising", "此前累计融资")."""
    return not any(
        h.kind == "background" and same_clause(p, sent, h.start, cue.start) for h in sent.hits
    )


def got_investment(p: Passage, sent: Sentence, cues: list[Hit]) -> list[Hit]:
    """ "获得日本软银旗下基金投资": 获 + investor + 投资 is a raise even without an amount;
    so is "received an (undisclosed) investment from Tencent"."""
    for h in cues:
        if h.kind == "funding_weak" and h.term == "投资":
            m = ZH_GOT_INVESTMENT.search(p.folded, max(sent.start, h.start - 24), h.end + 4)
            if m and m.end() == h.end and same_clause(p, sent, m.start(), h.start):
                return [h]
        if h.kind == "funding_weak" and h.term in ("investment", "backing"):
            m = EN_GOT_INVESTMENT.search(p.folded, max(sent.start, h.start - 64), h.end + 6)
            if m and same_clause(p, sent, m.start(), h.start):
                return [h]  # "Vidmo has received an undisclosed investment from Tencent"
    return []


def investor_invests(kit: Toolkit, p: Passage, sent: Sentence, cues: list[Hit]) -> list[Hit]:
    """ "Adobe Ventures invests in video startup Kinora": an investor investing is a raise
    even without an amount; so is any company that "has invested in" or "has backed" one."""
    for h in cues:
        if h.kind != "verb_object" or is_cjk(p, h):
            continue
        bought = (
            STAKE_BOUGHT_END.search(p.folded, max(sent.start, h.start - 40), h.start)
            if h.term == "stake in"
            else None
        )  # "CJ ENM has bought a minority stake in Hyperreal": the buyer invests
        verb_start = bought.start() if bought else h.start
        subject = kit.companies.raw_subject_en(p.full[sent.start : verb_start])
        if subject and (
            bought
            or kit.is_investor_name(subject)
            or PRESENT_PERFECT_END.search(p.folded, max(sent.start, h.start - 12), h.start)
        ):
            return [h]  # "Nvidia has invested in Glimmerly": a perfect tells it as news
    return []


def backed_stealth_exit(p: Passage, sent: Sentence, cues: list[Hit]) -> list[Hit]:
    """ "Acme exits stealth with backing from Northwind", "Acme is leaving stealth today & we
    at Northwind are thrilled": a stealth exit told with its backers is a raise."""
    if not STEALTH_BACKERS.search(p.folded, sent.start, sent.end):
        return []
    return [h for h in cues if h.kind == "funding_weak" and "stealth" in h.term][:1]


def strong_cues(kit: Toolkit, p: Passage, sent: Sentence, cues: list[Hit]) -> list[Hit]:
    """Cues that tell a raise without an amount."""
    return (
        [h for h in cues if h.kind == "funding"]
        or got_investment(p, sent, cues)
        or investor_invests(kit, p, sent, cues)
        or backed_stealth_exit(p, sent, cues)
    )


def has_raise_cue(sent: Sentence) -> bool:
    return any(h.kind in RAISE_KINDS for h in sent.hits)


def denied(p: Passage, trace: Trace) -> bool:
    """A sentence that denies a raise ("该消息不实", "denied it is raising")."""
    for sent in p.sentences:
        denial = [h for h in sent.hits if h.kind == "denial"]
        if denial and has_raise_cue(sent):
            trace.note(f"denial:{denial[0].term}")
            return True
    return False
