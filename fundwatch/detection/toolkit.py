"""The parts a detector builds once from its vocabulary and every stage reads."""

from __future__ import annotations

import re
from dataclasses import dataclass

from .companies import CompanyBook
from .fx import FxTable
from .investor_names import InvestorBook
from .matcher import Matcher
from .money import MoneyParser
from .normalize import Folder
from .rounds import RoundParser
from .script import ScriptTable
from .vocab import Vocabulary

# matcher kind <- keywords.yaml list
_KEYWORD_KINDS = (
    ("funding", "funding"), ("funding_weak", "funding_weak"),
    ("verb_subject", "verbs_subject"), ("verb_object", "verbs_object"),
    ("background", "background"), ("prospective", "prospective"),
    ("hypothetical", "hypothetical"), ("aggregate", "aggregate"),
    ("count_deals", "count_deals"), ("valuation", "valuation"),
    ("denial", "denial"), ("negation", "negation"),
)  # fmt: skip


@dataclass(frozen=True)
class Toolkit:
    vocab: Vocabulary
    folder: Folder
    matcher: Matcher  # every vocabulary, one scan per text
    sector_check: Matcher  # sector words only, for names ("AI视频公司某某")
    money: MoneyParser
    rounds: RoundParser
    fx: FxTable
    companies: CompanyBook
    investors: InvestorBook
    script: ScriptTable
    # (regex, "ai_video" | "other", weight) from sectors.yaml `patterns`
    sector_patterns: tuple[tuple[re.Pattern[str], str, float], ...]
    # folded symbol -> {currency: folded hint words}
    ambiguous: dict[str, dict[str, tuple[str, ...]]]
    investor_endings: re.Pattern[str]

    def fold(self, text: str) -> str:
        return self.folder.fold(text)

    def is_investor_name(self, name: str) -> bool:
        """A name that belongs to an investor ("北辰资本", "Sequoia"), not to a startup."""
        return bool(self.investor_endings.search(self.folder.fold(name).strip())) or (
            self.investors.known(name)
        )


def build_toolkit(vocab: Vocabulary) -> Toolkit:
    folder = Folder(vocab.t2s)
    fold = folder.fold_term
    kw = vocab.keywords
    m = Matcher(fold)
    for kind, source in _KEYWORD_KINDS:
        for term in kw[source]:
            m.add(term, kind)
    for category, terms in kw["vetoes"].items():
        for term in terms:
            m.add(term, "veto", category)
    for term, weight in vocab.ai_video.items():
        m.add(term, "ai_video", weight)
    for term, weight in vocab.other_sector.items():
        m.add(term, "other", weight)
    for name, terms in vocab.named_rounds.items():
        for term in terms:
            m.add(term, "round", name)
    for term in kw["dated"]:
        m.add(term, "dated")
    for term in kw["fresh"]:
        m.add(term, "fresh")
    for term in ("获悉", *kw["noise"]):
        m.add(term, "noise")
    for entry in vocab.companies:
        for name in entry.names:
            m.add(name, "company", entry, exact=name if name in entry.case_sensitive else None)
    m.build()
    sector_check = Matcher(fold)
    for term in (*vocab.ai_video, *vocab.other_sector):
        sector_check.add(term, "sector")
    sector_check.build()
    endings = [fold(t) for t in kw["investor_name_endings"]]
    investor_endings = re.compile(
        "(?:" + "|".join(
            (r"\b" + re.escape(t) if t.isascii() else re.escape(t))
            for t in sorted(endings, key=len, reverse=True)
        ) + r")\s*$" if endings else r"(?!)"
    )  # fmt: skip
    return Toolkit(
        vocab=vocab,
        folder=folder,
        matcher=m,
        sector_check=sector_check,
        money=MoneyParser(
            vocab.currency_words, vocab.currency_symbols, kw["approximate"], vocab.default_bare_yuan
        ),
        rounds=RoundParser(vocab.round_letters),
        fx=FxTable(vocab.fx_as_of, vocab.usd_per_unit),
        companies=CompanyBook(
            vocab.companies,
            vocab.legal_suffixes,
            vocab.name_stopwords,
            fold,
            registration_places=vocab.registration_places,
        ),
        investors=InvestorBook(vocab.investors, fold),
        script=ScriptTable(vocab.t2s),
        sector_patterns=tuple(
            (p, "ai_video" if sector == "ai_video" else "other", w)
            for p, sector, w in vocab.sector_patterns
        ),
        ambiguous={
            fold(sym): {code: tuple(fold(w) for w in hints) for code, hints in alts.items()}
            for sym, alts in vocab.ambiguous_symbols.items()
        },
        investor_endings=investor_endings,
    )
