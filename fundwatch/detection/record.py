"""Record: the ``Detection`` for a raise (its figures, round, investors) or for no raise."""

from __future__ import annotations

import bisect
from dataclasses import dataclass

from fundwatch.records import Detection

from .amounts import eligible_money, resolve_symbol
from .event import Event, Gathered, rounds_in, strength
from .investors import find_investors
from .matcher import Hit
from .money import Money
from .passage import Passage, Trace, is_zh
from .patterns import VALUED_COMPANY_AFTER
from .rounds import UNDISCLOSED
from .sector import confidence, note_sector, weights
from .subject import affiliation
from .toolkit import Toolkit
from .valuation import pick_valuation
from .vocab import CompanyEntry


@dataclass(frozen=True)
class Figures:
    """What the event's sentences state: amount, valuation, round, investors."""

    amount: Money | None
    valuation: Money | None
    round: str
    lead_investors: list[str]
    lead_investor_keys: list[str]
    investors: list[str]
    investor_keys: list[str]


def read_figures(
    kit: Toolkit, p: Passage, trace: Trace, event: Event, gathered: Gathered
) -> Figures:
    amount: Money | None = None
    valuations: list[Money] = []
    round_name: str | None = None
    leads: list[str] = []
    others: list[str] = []
    for sent, cues in gathered:
        amounts, stated = eligible_money(kit, p, sent, cues)
        if not cues:
            amounts = []
        if amount is None and amounts:
            amount = amounts[0]
        valuations += stated
        if round_name is None:
            rounds = rounds_in(kit, p, sent)
            # "a strategic investment as part of an expanded seed round": the named round wins
            rounds = sorted(rounds, key=lambda r: r.round == "strategic")
            if rounds:
                round_name = rounds[0].round
                trace.note(f"round:{p.full[rounds[0].start : rounds[0].end].strip()}")
        lead, other = find_investors(
            p.full[sent.start : sent.end],
            p.folded[sent.start : sent.end],
            is_zh(p, sent.start, sent.end),
            kit.investors,
        )
        leads += lead
        others += other
    company_key = kit.companies.key(event.company or "")
    lead_out, lead_keys, investors, investor_keys = kit.investors.merge(
        leads, others, lambda name: kit.companies.key(name) == company_key
    )
    if amount is None:
        amount = _title_amount(kit, p, event)
    if amount is not None and (
        amount.currency == kit.vocab.default_bare_yuan or _bare_dollar(p, amount)
    ):
        # "募资5000万元" in the title, "新台币5000万元" in the body: 元 is any dollar or yuan,
        # the body names the currency; so is "$" ("a $500m bet" / "$500 million NZD")
        for sent, cues in gathered:
            explicit = [
                m for m in eligible_money(kit, p, sent, cues)[0]
                if not m.bare and m.amount == amount.amount and m.currency != amount.currency
            ]  # fmt: skip
            if explicit:
                amount = explicit[0]
                break
    if amount is not None:
        trace.note(f"amount:{p.full[amount.start : amount.end].strip()}")
        amount = resolve_symbol(kit, p, amount)
    valuation = pick_valuation(p, valuations)
    if valuation is not None:
        trace.note(f"valuation:{p.full[valuation.start : valuation.end].strip()}")
    return Figures(
        amount, valuation, round_name or UNDISCLOSED, lead_out, lead_keys, investors, investor_keys
    )


def _bare_dollar(p: Passage, amount: Money) -> bool:
    """ "$500m" with no code: any dollar; "US$", "NZ$" or "$5m NZD" name theirs."""
    told = p.folded[amount.start : amount.end].strip()
    return amount.currency == "USD" and told.startswith("$") and not told.endswith("usd")


def _title_amount(kit: Toolkit, p: Passage, event: Event) -> Money | None:
    """ "Moonvalley Pulls $43M Out of Thin Air": a title that names the company and states one
    figure, in a currency, that is no valuation or revenue, gives the round's amount."""
    name = kit.fold(event.company or "")
    if not name or name not in p.folded[: p.title_end]:
        return None
    title = [s for s in p.sentences if s.start < p.title_end]
    amounts = [m for s in title for m in eligible_money(kit, p, s, [])[0] if not m.bare]
    valuations = [m for s in title for m in eligible_money(kit, p, s, [])[1]]
    if len(amounts) != 1 or valuations or VALUED_COMPANY_AFTER.match(p.folded, amounts[0].end):
        return None
    return amounts[0]


def raise_record(
    kit: Toolkit,
    p: Passage,
    trace: Trace,
    event: Event,
    gathered: Gathered,
    figures: Figures,
    sector: tuple[bool, float],
) -> Detection:
    amount, valuation = figures.amount, figures.valuation
    is_video, video_conf = sector
    funding_conf = min(1.0, 0.4 + 0.15 * strength(kit, p, event, gathered))
    valuation_usd = None
    if valuation is not None:
        val_currency = valuation.currency
        if valuation.bare and amount is not None:
            val_currency = amount.currency
        valuation_usd = kit.fx.to_usd(valuation.amount, val_currency)
    return Detection(
        flag=is_video,
        is_funding=True,
        is_ai_video=is_video,
        score=round(funding_conf * video_conf, 3),
        company=event.company,
        company_key=kit.companies.key(event.company) if event.company else None,
        amount=amount.amount if amount else None,
        currency=amount.currency if amount else None,
        amount_usd=kit.fx.to_usd(amount.amount, amount.currency) if amount else None,
        amount_approximate=amount.approximate if amount else False,
        amount_low=amount.low if amount else None,
        amount_high=amount.high if amount else None,
        round=figures.round,
        valuation_usd=valuation_usd,
        investors=figures.investors,
        lead_investors=figures.lead_investors,
        investor_keys=figures.investor_keys,
        lead_investor_keys=figures.lead_investor_keys,
        matched=list(trace.items),
    )


def no_raise_record(p: Passage, trace: Trace) -> Detection:
    """Not a funding story; ``is_ai_video`` still says whether it is about AI video."""
    video, other = weights(p, p.hits)
    if any(h.kind == "veto" and h.value == "fund_close" for h in p.hits):
        video, other = 0.0, max(other, 1.0)  # the subject is an investor, not a startup
    for h in p.hits:
        if h.kind == "company" and not affiliation(p, h):  # not "former Runway executive"
            entry: CompanyEntry = h.value
            if entry.sector == "ai_video":
                video += 2
            elif entry.sector == "other":
                other += 1
    stock = [h for h in p.hits if h.kind == "veto" and h.value == "stock"]
    note_sector(trace, p.hits)
    is_video = video >= 2 and video >= other
    if stock_story(p, stock):
        is_video = False  # a share-price story is about a listed company
        for h in stock:
            trace.note(f"veto:stock:{h.term}")
    return Detection(
        flag=False,
        is_funding=False,
        is_ai_video=is_video,
        score=round(0.2 * confidence(video, other), 3),
        matched=list(trace.items),
    )


def stock_story(p: Passage, stock: list[Hit]) -> bool:
    """Share-price words in the title, or in two sentences or more: a story about a listed
    company's shares. One sentence of them ("概念股掀起涨停潮") is a remark in a sector
    story."""
    if len(stock) < 2:
        return False
    if any(h.end <= p.title_end for h in stock):
        return True
    starts = [s.start for s in p.sentences]
    return len({bisect.bisect_right(starts, h.start) for h in stock}) >= 2
