"""Event: the raise a text reports, and the sentences that add to it.

The first raise sentence with a company is the event; later sentences about the same company
(or about no company: "the round was led by ...") add amount, round, valuation, investors.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from .amounts import eligible_money
from .cues import has_raise_cue, strong_cues, valid_cues
from .matcher import Hit
from .money import Money
from .passage import Passage, Sentence, Trace
from .patterns import NAMED_APPOSITION, RAISE_KINDS, VALUES_AT
from .rounds import RoundMention
from .subject import (
    find_company,
    lead_subject,
    refers_back_any,
    roundup_title,
    said_subject,
    title_described,
    title_subject,
)
from .toolkit import Toolkit
from .vocab import CompanyEntry


@dataclass
class Event:
    sentence: int  # index of the sentence that names it
    company: str | None
    entry: CompanyEntry | None
    strong: bool
    money: list[Money] = field(default_factory=list)
    matched: list[str] = field(default_factory=list)


Gathered = list[tuple[Sentence, list[Hit]]]

# An event's figures are in its first sentences; a text that keeps restating the raise adds
# nothing after this many, and stopping keeps long texts linear.
GATHER_LIMIT = 40


def mentions(kit: Toolkit, p: Passage, sent: Sentence, event: Event, key: str | None) -> bool:
    name = kit.fold(event.company or "")
    if name and name in p.folded[sent.start : sent.end]:
        return True
    return any(h.kind == "company" and h.value.key == key for h in sent.hits)


def valuation_only(kit: Toolkit, p: Passage, sent: Sentence, key: str | None) -> bool:
    """A sentence that states a valuation ("The deal values Luma at more than $4bn") of the
    event's company or of no named one (a rival's value is not the round's)."""
    if not any(h.kind == "valuation" and h.term != "value" for h in sent.hits) and not (
        VALUES_AT.search(p.folded, sent.start, sent.end)
    ):
        return False
    named = [h for h in sent.hits if h.kind == "company"]
    if not all(h.value is not None and kit.companies.same(h.value.key, key) for h in named):
        return False
    # "Framewell, a Paris startup, is valued at $2 billion": a named subject in
    # apposition that is not the event's company
    subject = NAMED_APPOSITION.match(p.full, sent.start, sent.end)
    return subject is None or kit.companies.same(kit.companies.key(subject.group(1)), key)


def _not_one_raise(sent: Sentence) -> bool:
    """A title about totals, deal counts, a ranking, an acquisition ... ("AI video funding
    totals $2bn", "融资排行榜"): its raise words name no single raiser."""
    return any(h.kind in ("aggregate", "count_deals", "veto") for h in sent.hits)


ENUMERATION_ITEMS = 3


def enumerated_raises(p: Passage, idx: int) -> bool:
    """ "12月,A宣布完成数亿元融资;11月,B完成5亿元融资;C完成天使轮融资": sentences joined by
    semicolons that tell three raises or more give examples of a trend."""
    sents = p.sentences

    def joined(i: int) -> bool:  # sentence i and i + 1 are parts of one semicolon list
        return ";" in p.folded[sents[i].end : sents[i + 1].start + 1][:3]

    first = idx
    while first > 0 and joined(first - 1):
        first -= 1
    last = idx
    while last + 1 < len(sents) and joined(last):
        last += 1
    items = sum(1 for s in sents[first : last + 1] if any(h.kind in RAISE_KINDS for h in s.hits))
    return items >= ENUMERATION_ITEMS


def find_event(
    kit: Toolkit, p: Passage, trace: Trace, title_raise: bool
) -> tuple[Event | None, Gathered]:
    event: Event | None = None
    gathered: Gathered = []
    title_company: tuple[str | None, CompanyEntry | None] = (None, None)
    key = None
    other_seen = False
    provisional = False  # event named only by the title, with a name absent from the body
    companies = kit.companies
    for idx, sent in enumerate(p.sentences):
        if len(gathered) >= GATHER_LIMIT:
            break
        if not has_raise_cue(sent):
            if event is not None and not other_seen and valuation_only(kit, p, sent, key):
                gathered.append((sent, []))  # "The round values the company at $600m."
            continue
        if other_seen and event is not None and not mentions(kit, p, sent, event, key):
            continue  # after another company's raise, only sentences naming ours count
        cues = valid_cues(p, sent, title_raise)
        strong = strong_cues(kit, p, sent, cues)
        amounts: list[Money] = []
        if strong or any(h.kind == "funding_weak" for h in cues):
            amounts, _ = eligible_money(kit, p, sent, cues)
        if not strong and not amounts:
            if event is not None and not other_seen and valuation_only(kit, p, sent, key):
                gathered.append((sent, []))  # "The round values the company at $600m."
            continue
        if event is None and not title_raise and enumerated_raises(p, idx):
            trace.note("enumeration")
            continue  # raises listed as examples of a trend
        name, entry = find_company(kit, p, sent, cues)
        if roundup_title(p, sent):
            name, entry = None, None  # "Funding roundup: Figure, Luma and more"
        if name is None and event is None and refers_back_any(kit, p, sent, cues):
            name, entry = said_subject(kit, p, sent, cues) or title_subject(kit, p, sent)
        if name is not None and entry is None and kit.is_investor_name(name):
            trace.note(f"investor_not_raiser:{name}")
            name = None  # a fund raising its own money, or "Sequoia led the round"
        if event is None:
            if name is None and idx > 0 and title_company[0] and strong:
                name, entry = title_company
            if name is None and sent.start < p.title_end and not _not_one_raise(sent):
                # "A tech startup just raised $24M": the lead names the raiser
                name, entry = lead_subject(kit, p)
                if name is None:
                    name, entry = title_described(kit, p)
            if name is None:
                continue
            event = Event(idx, name, entry, bool(strong))
            key = companies.key(name)
            gathered.append((sent, cues))
            for h in cues:
                trace.note(f"{h.kind}:{h.term}")
            trace.note(f"company:{name}")
            if idx == 0:
                title_company = (name, entry)
                folded_name = kit.fold(name)
                provisional = entry is None and folded_name not in p.folded[p.title_end :]
            continue
        if (
            name is not None
            and provisional
            and len(gathered) == 1
            and not companies.same(companies.key(name), key)
        ):
            # the title's "name" never recurs in the body: the body's company raises
            event = Event(idx, name, entry, bool(strong))
            key = companies.key(name)
            gathered.insert(0, (sent, cues))
            provisional = False
            trace.note(f"company:{name}")
            continue
        if name is not None and not companies.same(companies.key(name), key):
            other_seen = True  # another company's raise (roundup or background)
            continue
        if name is not None and len(name) < len(event.company or "") and event.entry is None:
            event.company = name  # "Singapore's Kaleido Studio" -> "Kaleido Studio"
            key = companies.key(name)
        if name is None and other_seen:
            continue  # "the round was led by ..." may now be about the other company
        gathered.append((sent, cues))
    if event is not None and provisional and len(gathered) == 1 and not _title_figure(kit, p):
        # "小心募资诈财!": a title word taken for a name that the body never repeats, with no
        # figure and no body sentence telling the raise, names no raiser
        trace.note(f"unconfirmed_title_name:{event.company}")
        return None, []
    return event, gathered


def _title_figure(kit: Toolkit, p: Passage) -> bool:
    """The title states a figure or names a round ("完成Pre-A轮融资")."""
    if any(ch.isdigit() for ch in p.full[: p.title_end]):
        return True
    return any(rounds_in(kit, p, t) for t in p.sentences if t.start < p.title_end)


def rounds_in(kit: Toolkit, p: Passage, sent: Sentence) -> list[RoundMention]:
    """Round names in the sentence, except those next to a background word."""
    found = [
        RoundMention(r.start + sent.start, r.end + sent.start, r.round)
        for r in kit.rounds.find(p.folded[sent.start : sent.end], p.full[sent.start : sent.end])
    ]
    found += [RoundMention(h.start, h.end, h.value) for h in sent.hits if h.kind == "round"]
    background = [h for h in sent.hits if h.kind == "background"]
    out = []
    for r in sorted(found, key=lambda r: r.start):
        if any(r.start - 16 <= b.start <= r.end + 24 for b in background):
            continue
        out.append(r)
    return out


def strength(kit: Toolkit, p: Passage, event: Event, gathered: Gathered) -> float:
    """2 for a strong cue (1.5 weak), +1 for an amount, +1 for a round name."""
    score = 1.0 + (1.0 if event.strong else 0.5)
    for sent, cues in gathered:
        amounts, _ = eligible_money(kit, p, sent, cues)
        if amounts:
            score += 1
            break
    if any(rounds_in(kit, p, sent) for sent, _ in gathered):
        score += 1
    return score
