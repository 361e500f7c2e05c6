"""The funding-story detector: vocabulary hits -> raise events -> one ``Detection``.

Steps for one text (title + body):
1. fold the text and scan it once with the Aho-Corasick matcher (all vocabularies);
2. split into sentences; a sentence is a *raise candidate* when it has a funding cue (or a
   weak cue plus an amount) in a clause free of background ("last year", "此前") and veto
   ("acquired", "股价") terms;
3. name the raising company (known alias, else extracted around the verb); the first
   candidate with a company is the event, later sentences about the same company (or about
   no company: "the round was led by ...") add amount, round, valuation, investors;
4. sector: the company's sector from ``companies.yaml``, else AI-video vs other-sector cues
   near the company, else over the whole text.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass, field

from .companies import CAP_RUN, CompanyBook
from .fx import FxTable
from .investor_names import InvestorBook
from .investors import find_investors
from .matcher import Hit, Matcher
from .money import MIN_FUNDING_AMOUNT, Money, MoneyParser
from .normalize import Folder, display
from .result import Detection
from .rounds import UNDISCLOSED, RoundMention, RoundParser
from .script import ScriptTable
from .vocab import CompanyEntry, Vocabulary

_SENTENCE_END = re.compile(r"[。!?!?;;\n]+|(?<=[a-z0-9)\"'”’%])\.\s+(?=[A-Z\"'“(])")
_CLAUSE_END = re.compile(r"[,;:()、]|\s[-\u2013\u2014]\s|\u2014")
_MONEY_OBJECT = re.compile(
    r"\d[\w.,]*(?:\s+(?:million|billion|thousand|[a-z]+ dollars|euros|yuan))?\s+(?:in|into|to)\s+"
)
_CJK = re.compile(r"[\u4e00-\u9fff]")
_PURPOSE_BEFORE = re.compile(
    r"(?:\b(?:plans?|planning|intends?|aims?|money|funds|capital|proceeds)\s+to\s+|用于|用来|计划)$"
)
_ROUND_BEFORE_WORTH = re.compile(r"\b(?:round|funding|financing|investment|deal)\s+$")
_SAID_IT = re.compile(
    r"\s+(?:said|says|announced|announces|confirmed|told [A-Z][\w ]{0,30}?)\b[^,;]{0,30}?"
    r"\b(?:it|they)(?:\s+(?:has|have|had|was|is|just|now))?\s*$"
)
_PASSIVE_BY = re.compile(r"\s+by\b")
_ZH_GOT_INVESTMENT = re.compile(
    r"(?<!曾)获(?!评|选|奖|颁|批|誉)(?:得)?[^,。;,;:]{2,20}?(?:战略)?投资(?!价值|机构|人|者|方|圈|界|回报)"
)
# "has received an undisclosed investment from Tencent": a raise even without an amount
_EN_GOT_INVESTMENT = re.compile(
    r"\b(?:receives|received|secures|secured|gets|got|lands|landed|wins|won|takes|took)\s+"
    r"(?:an?\s+)?(?:(?:undisclosed|new|fresh|minority|strategic|equity|significant|"
    r"seven-figure|eight-figure|nine-figure)\s+)*(?:investment|backing)\s+from\b"
)
# money words that make a weak title cue a raise: "Clipnova picks up seed cash"
_TITLE_MONEY_NOUN = re.compile(
    r"\b(?:cash|capital|money|seed|backing|investment|investors?|war chest|funds)\b|资金|投资"
)
_FORMER = re.compile(r"(?:\bex-|\bformer\s+|\bex\s+|(?<![此之日目提以事眼当空年])前)$")
_AFFILIATE = re.compile(
    r"(?:'s\s+)?\s*(?:former\s+)?(?:executives?|execs?|founders?|co-?founders?|alum(?:ni|nus)?|"
    r"veterans?|engineers?|researchers?|employees?|staff(?:ers)?|ceo|cto|rivals?|competitors?|"
    r"challengers?|高管|创始人|联合创始人|"
    r"前员工|员工|工程师|研究员|负责人|核心成员|团队成员|出身)"
)
# a sentence about the company named before: "Its model ...", "The startup ...", "该公司…"
_REFERS_BACK_START = re.compile(
    r"\s*(?:(?:its|it|the (?:company|startup|firm|platform)|this startup)\b|该公司|公司|其|该平台)"
)
_REPORTED = re.compile(
    r"\b(?:said|says|announced|announces|confirmed|confirms|disclosed|revealed|told [a-z]+)\b"
    r"[^,.;]{0,30}$"
)
_DESCRIPTION_HEAD = re.compile(
    r"(?:[\s「」“”\"'《》]|公司|企业|创企|初创|新创|厂商|平台|品牌|团队|开发商|服务商|"
    r"提供商|工具|应用|的|赛道|领域|行业|startup|start-up|company|firm|developer|maker|platform|app|tool|"
    r"editor|provider)+",
    re.IGNORECASE,
)
# Veto categories (keywords.yaml `vetoes`): a funding cue in the same clause as a clause veto
# is ignored; title vetoes lower a weak story; amount vetoes void an amount right after them.
_CLAUSE_VETOES = ("acquisition", "personnel", "stock", "fund_close", "layoff", "ipo", "grant")
_TITLE_VETOES = (
    *_CLAUSE_VETOES,
    "revenue",
    "compute",
    "launch",
    "market",
    "retrospective",
    "lawsuit",
    "ranking",
)
# a title about an acquisition, a layoff, a hire, a lawsuit or a funding ranking, with no raise of
# its own: the body's raises are background however strong
_HARD_TITLE_VETOES = ("acquisition", "personnel", "layoff", "retrospective", "lawsuit", "ranking")
_AMOUNT_VETOES = ("revenue", "compute", "market", "grant", "capital")
_CUE_KINDS = ("funding", "funding_weak", "verb_subject", "verb_object")


@dataclass
class _Sentence:
    start: int
    end: int
    hits: list[Hit]
    clauses: list[int]  # clause start offsets (absolute), ascending


@dataclass
class _Event:
    sentence: int
    company: str | None
    entry: CompanyEntry | None
    strong: bool
    money: list[Money] = field(default_factory=list)
    matched: list[str] = field(default_factory=list)


class Detector:
    """Decides whether a text reports an AI-video company raising money; see ``detect``."""

    def __init__(self, vocab: Vocabulary) -> None:
        self.vocab = vocab
        self._folder = Folder(vocab.t2s)
        fold = self._folder.fold_term
        kw = vocab.keywords
        m = Matcher(fold)
        for kind, source in (
            ("funding", "funding"), ("funding_weak", "funding_weak"),
            ("verb_subject", "verbs_subject"), ("verb_object", "verbs_object"),
            ("background", "background"), ("prospective", "prospective"),
            ("hypothetical", "hypothetical"), ("aggregate", "aggregate"),
            ("count_deals", "count_deals"), ("valuation", "valuation"),
            ("denial", "denial"), ("negation", "negation"),
        ):  # fmt: skip
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
        for term in ("获悉", *kw["noise"]):
            m.add(term, "noise")
        for entry in vocab.companies:
            for name in entry.names:
                m.add(name, "company", entry, exact=name if name in entry.case_sensitive else None)
        m.build()
        self._matcher = m
        self._money = MoneyParser(
            vocab.currency_words, vocab.currency_symbols, kw["approximate"], vocab.default_bare_yuan
        )
        self._rounds = RoundParser(vocab.round_letters)
        self._fx = FxTable(vocab.fx_as_of, vocab.usd_per_unit)
        self.companies = CompanyBook(
            vocab.companies, vocab.legal_suffixes, vocab.name_stopwords, fold
        )
        self.investors = InvestorBook(vocab.investors, fold)
        self._script = ScriptTable(vocab.t2s)
        self._patterns = tuple(
            (p, "ai_video" if sector == "ai_video" else "other", w)
            for p, sector, w in vocab.sector_patterns
        )
        self._ambiguous = {
            fold(sym): {code: tuple(fold(w) for w in hints) for code, hints in alts.items()}
            for sym, alts in vocab.ambiguous_symbols.items()
        }
        endings = [fold(t) for t in kw["investor_name_endings"]]
        self._investor_endings = re.compile(
            "(?:" + "|".join(
                (r"\b" + re.escape(t) if t.isascii() else re.escape(t))
                for t in sorted(endings, key=len, reverse=True)
            ) + r")\s*$" if endings else r"(?!)"
        )  # fmt: skip
        self._sector_check = Matcher(fold)
        for term in (*vocab.ai_video, *vocab.other_sector):
            self._sector_check.add(term, "sector")
        self._sector_check.build()

    # -- public ----------------------------------------------------------------------------
    def company_key(self, name: str) -> str:
        """Canonical key for a company name, shared by all its known spellings."""
        return self.companies.key(name)

    def is_investor_name(self, name: str) -> bool:
        """A name that belongs to an investor ("北辰资本", "Sequoia"), not to a startup."""
        return bool(self._investor_endings.search(self._folder.fold(name).strip())) or (
            self.investors.known(name)
        )

    def detect_language(self, text: str) -> str | None:
        """``"en"``, ``"zh-Hans"``, ``"zh-Hant"`` from the text itself, or None when unclear."""
        return self._script.language(text)

    def investor_key(self, name: str) -> str:
        """Canonical key for an investor name (远澜资本 / 遠瀾資本, a16z / Andreessen Horowitz)."""
        return self.investors.key(name)

    def detect(self, title: str, text: str, lang: str | None = None) -> Detection:
        title_d = display(title or "").replace("\n", " ")
        full = title_d + "\n" + display(text or "")
        folded = self._folder.fold(full)
        hits = self._matcher.find(folded, full)
        noise = [(h.start, h.end) for h in hits if h.kind == "noise"]
        if noise:
            hits = [h for h in hits if h.kind == "noise" or not _inside(h, noise)]
        hits = _drop_nested_companies(hits)
        if self._patterns and any(h.kind in ("funding", "funding_weak") for h in hits):
            # sector phrases only matter once there is a raise to attribute (and cost time)
            extra = [
                Hit(m.start(), m.end(), sector, f"pattern:{m.group(0)}", weight)
                for pattern, sector, weight in self._patterns
                for m in pattern.finditer(folded)
            ]
            if extra:
                hits = sorted(hits + extra, key=lambda h: (h.start, -h.end))
        ctx = _Context(self, full, folded, hits, len(title_d), lang)
        return ctx.run()


def _inside(hit: Hit, spans: list[tuple[int, int]]) -> bool:
    return any(s <= hit.start < e for s, e in spans)


def _drop_nested_companies(hits: list[Hit]) -> list[Hit]:
    spans = [(h.start, h.end) for h in hits if h.kind == "company"]
    out = []
    for h in hits:
        if h.kind == "company" and any(
            s <= h.start and h.end <= e and (e - s) > (h.end - h.start) for s, e in spans
        ):
            continue
        out.append(h)
    return out


class _Context:
    """State for one ``detect`` call."""

    def __init__(
        self,
        det: Detector,
        full: str,
        folded: str,
        hits: list[Hit],
        title_end: int,
        lang: str | None,
    ) -> None:
        self.d = det
        self.full = full
        self.folded = folded
        self.hits = hits
        self.title_end = title_end
        self.lang = lang
        self.matched: list[str] = []
        self.negated = _negated(full, hits)
        self._money_cache: dict[tuple, tuple[list[Money], list[Money]]] = {}
        # a weak cue tells a raise only with a figure or an investor: "HeyGen secures $5.6
        # million" and "影途获腾讯投资" do, "Veed adds AI avatars" does not
        title_figure = (
            any(ch.isdigit() for ch in full[:title_end])
            or _ZH_GOT_INVESTMENT.search(folded, 0, title_end) is not None
            or _EN_GOT_INVESTMENT.search(folded, 0, title_end) is not None
            or _TITLE_MONEY_NOUN.search(folded, 0, title_end) is not None
        )
        self.title_tells_raise = any(
            h.kind == "funding" or (h.kind == "funding_weak" and title_figure)
            for h in hits
            if h.end <= title_end
        )

    # -- helpers -----------------------------------------------------------------------------
    def note(self, item: str) -> None:
        if item not in self.matched:
            self.matched.append(item)

    def sentences(self) -> list[_Sentence]:
        out: list[_Sentence] = []
        starts = [h.start for h in self.hits]
        pos = 0
        bounds = [(m.start(), m.end()) for m in _SENTENCE_END.finditer(self.full)]
        bounds.append((len(self.full), len(self.full)))
        for b_start, b_end in bounds:
            if b_start > pos:
                lo = bisect.bisect_left(starts, pos)
                hi = bisect.bisect_left(starts, b_start)
                out.append(_Sentence(pos, b_start, self.hits[lo:hi], []))
            pos = b_end
        return out

    def clauses(self, sent: _Sentence) -> list[int]:
        if not sent.clauses:
            sent.clauses = [sent.start] + [
                sent.start + m.end() for m in _CLAUSE_END.finditer(self.full[sent.start : sent.end])
            ]
        return sent.clauses

    def same_clause(self, sent: _Sentence, a: int, b: int) -> bool:
        cl = self.clauses(sent)
        return bisect.bisect_right(cl, a) == bisect.bisect_right(cl, b)

    def is_zh(self, start: int, end: int) -> bool:
        if self.lang and self.lang.lower().startswith("zh"):
            return True
        return bool(_CJK.search(self.full, start, end))

    def reported_speech(self, sent: _Sentence, h: Hit) -> bool:
        """ "X said on Monday it had raised $5m": a past perfect in reported speech is news."""
        if not h.term.startswith("had "):
            return False
        before = self.folded[max(sent.start, h.start - 40) : h.start]
        return _REPORTED.search(before) is not None

    def clause_is(self, sent: _Sentence, h: Hit) -> bool:
        """``h`` makes up its whole clause ("此前,", "Last year,")."""
        tail = self.full[h.end : min(sent.end, h.end + 2)]
        return bool(re.match(r"\s*[,,:]", tail))

    # -- raise candidates ------------------------------------------------------------------
    def valid_cues(self, sent: _Sentence) -> list[Hit]:
        blockers = [
            h
            for h in sent.hits
            if (h.kind == "background" and not self.reported_speech(sent, h))
            or (h.kind == "veto" and h.value in _CLAUSE_VETOES and not self.purpose(h))
            or (h.kind == "dated" and not self.title_tells_raise)
        ]
        lead = len(self.full[sent.start : sent.end]) - len(
            self.full[sent.start : sent.end].lstrip()
        )
        if any(
            h.kind == "background" and h.start - sent.start <= lead + 1 and self.clause_is(sent, h)
            for h in blockers
        ):
            return []  # "此前,A曾完成…,B也获得…" / "Previously, ...": the whole sentence is history
        cues = []
        for h in sent.hits:
            if h.kind not in _CUE_KINDS:
                continue
            if any(self.same_clause(sent, h.start, b.start) for b in blockers):
                continue
            cues.append(h)
        return cues

    def eligible_money(self, sent: _Sentence, cues: list[Hit]) -> tuple[list[Money], list[Money]]:
        """(round amounts, valuation amounts) in the sentence."""
        cache_key = (sent.start, tuple((c.start, c.kind) for c in cues))
        cached = self._money_cache.get(cache_key)
        if cached is None:
            cached = self._money_cache[cache_key] = self._eligible_money(sent, cues)
        return cached

    def _eligible_money(self, sent: _Sentence, cues: list[Hit]) -> tuple[list[Money], list[Money]]:
        text = self.folded[sent.start : sent.end]
        amounts: list[Money] = []
        valuations: list[Money] = []
        found = self.d._money.find(text)
        for i, m0 in enumerate(found):
            m = Money(m0.start + sent.start, m0.end + sent.start, m0.amount, m0.currency,
                      m0.approximate, m0.bare)  # fmt: skip
            if m.amount is not None and m.amount < MIN_FUNDING_AMOUNT:
                continue
            after = self.folded[m.end : m.end + 24]
            before = self.folded[max(sent.start, m.start - 48) : m.start]
            if _is_range(before, after, found, i):
                continue
            near_before = [
                h
                for h in sent.hits
                if m.start - 48 <= h.end <= m.start + 1 and not self.round_worth(h)
            ]
            near_after = [h for h in sent.hits if m.end <= h.start <= m.end + 14]
            if any(
                h.kind == "valuation" and self.same_clause(sent, h.start, m.start)
                for h in near_before
            ) or any(
                h.kind == "valuation" and self.same_clause(sent, m.end, h.start) for h in near_after
            ):
                hypothetical = any(
                    h.kind == "hypothetical" and h.start < m.start
                    and self.same_clause(sent, h.start, m.start)
                    for h in sent.hits
                )  # fmt: skip
                if not hypothetical:
                    valuations.append(m)
                continue
            if any(
                h.kind == "aggregate" and m.start - 24 <= h.end <= m.start + 1 for h in near_before
            ) or any(h.kind == "aggregate" and h.start <= m.end + 10 for h in near_after):
                continue
            if any(
                h.kind == "veto"
                and h.value in _AMOUNT_VETOES
                and m.start - 24 <= h.end
                and not any(h.end <= c.start and c.end <= m.start for c in cues)
                for h in near_before
            ):  # "GPU企业某某宣布完成15亿元融资": a raise verb between, the amount is the round
                continue
            if any(h.kind == "count_deals" for h in sent.hits):
                continue
            if m.bare and not any(self.same_clause(sent, c.start, m.start) for c in cues):
                continue
            amounts.append(m)
        return amounts, valuations

    def round_worth(self, h: Hit) -> bool:
        """ "a funding round worth several hundred million yuan": the round's size, not a
        valuation; "value" only names a valuation right after the amount ("$1 billion
        value"), not before it ("a deal value of $20 million")."""
        if h.kind == "valuation" and h.term == "value":
            return True
        return (
            h.kind == "valuation"
            and h.term == "worth"
            and bool(_ROUND_BEFORE_WORTH.search(self.folded, max(0, h.start - 24), h.start))
        )

    def find_company(
        self, sent: _Sentence, cues: list[Hit]
    ) -> tuple[str | None, CompanyEntry | None]:
        known = [h for h in sent.hits if h.kind == "company" and not self.affiliation(h)]
        verbs = [
            h
            for h in cues
            if h.kind == "verb_subject"
            or (h.kind == "verb_object" and not _PASSIVE_BY.match(self.folded, h.end))
        ]  # fmt: skip  ("X, backed by Nvidia, announced": Nvidia is not the object)
        anchor = verbs[0] if verbs else cues[0]
        if known:
            if anchor.kind == "verb_object":
                after = [h for h in known if h.start >= anchor.end]
                if not after:
                    # "OpenAI in talks to invest in video startup Vantic": not the investor
                    name = self.extract_name(sent, anchor)
                    if name:
                        return name, self.d.companies.lookup(name)
                pick = after[0] if after else known[-1]
            else:
                before = [h for h in known if h.end <= anchor.start]
                if not before and anchor.kind == "verb_subject":
                    # "Klipp closes €12m to take on Runway": the subject is not the rival
                    if self.refers_back(sent, anchor):
                        return None, None
                    name = self.extract_name(sent, anchor)
                    if name:
                        return name, self.d.companies.lookup(name)
                pick = before[-1] if before else known[0]
            return self.full[pick.start : pick.end], pick.value
        if any(h.kind == "count_deals" for h in sent.hits):
            return None, None
        objects = {(h.start, h.end) for h in verbs if h.kind == "verb_object"}
        for h in verbs + [
            c for c in cues if c.kind == "funding" and (c.start, c.end) not in objects
        ]:  # "X领投" is both a cue and an object verb: X is the investor
            if h.kind == "verb_subject" and self.refers_back(sent, h):
                return None, None  # "the company said it raised ...": the event's company
            name = self.extract_name(sent, h)
            if name:
                return name, self.d.companies.lookup(name)
        # "Tencent has invested $30 million in Vivid"
        text = self.full[sent.start : sent.end]
        m = _MONEY_OBJECT.search(text)
        if (
            m
            and any(c.kind == "funding_weak" and c.start - sent.start < m.start() for c in cues)
            and not any(c.kind == "verb_subject" and c.start - sent.start < m.start() for c in cues)
        ):
            name = self.d.companies.object_en(text[m.end() :])
            if name:
                return name, self.d.companies.lookup(name)
        return None, None

    def affiliation(self, h: Hit) -> bool:
        """ "former Runway executive", "前快手高管", "Synthesia's co-founder", "Kling rival
        Vidmo": the company only describes a person or a competitor, it is not the subject."""
        before = self.folded[max(0, h.start - 8) : h.start]
        after = self.folded[h.end : h.end + 24]
        return bool(_FORMER.search(before) or _AFFILIATE.match(after))

    def refers_back(self, sent: _Sentence, h: Hit) -> bool:
        book = self.d.companies
        if _CJK.search(self.folded, h.start, h.end):
            return book.refers_back_zh(
                self.full[sent.start : h.start], self.folded[sent.start : h.start]
            )
        return book.refers_back_en(self.full[sent.start : h.start])

    def extract_name(self, sent: _Sentence, h: Hit) -> str | None:
        book = self.d.companies
        left = self.full[sent.start : h.start]
        if _CJK.search(self.folded, h.start, h.end):
            if h.kind == "verb_object":
                # "X领投": X is the investor; "战略投资AI视频公司「某某」": the quoted object
                name = book.object_zh(self.full[h.end : sent.end])
                return self.strip_description(name) if name else None
            name = book.subject_zh(left, self.folded[sent.start : h.start])
        elif h.kind == "verb_object":
            name = book.object_en(self.full[h.end : sent.end])
        elif h.kind == "verb_subject":
            name = book.subject_en(left)
        else:
            name = book.possessive_en(left)
        return self.strip_description(name) if name else None

    def strip_description(self, name: str) -> str | None:
        """Drop sector words that describe the company: "AI视频生成公司某某" -> "某某".

        A sector word at the very end belongs to the name ("灵枢机器人"); a name that is all
        description ("AI video startup") is no name.
        """
        folded = self.d._folder.fold(name)
        hits = self.d._sector_check.find(folded, name)
        if not hits:
            return name
        cut = max(h.end for h in hits)
        if cut >= len(name.rstrip()):
            rest = name[: min(h.start for h in hits)].strip()
            if not rest or self.d.companies.is_stopword(rest):
                return None  # "AI video", "video generation"
            return name
        head = _DESCRIPTION_HEAD.match(folded, cut)
        rest = name[head.end() if head else cut :].strip()
        if len(rest) < 2 or self.d.companies.is_stopword(rest):
            return None
        return rest

    # -- main ------------------------------------------------------------------------------
    def run(self) -> Detection:
        sentences = self.sentences()
        has_cue = any(h.kind in ("funding", "funding_weak") for h in self.hits)
        event: _Event | None = None
        gathered: list[tuple[_Sentence, list[Hit]]] = []
        if has_cue:
            event, gathered = self.find_event(sentences)
        is_funding = event is not None
        title_hits = [h for h in self.hits if h.end <= self.title_end]
        if event is not None:
            title_vetoes = [h for h in title_hits if h.kind == "veto" and h.value in _TITLE_VETOES]
            title_cue = any(h.kind == "funding" for h in title_hits)
            title_sents = [t for t in sentences if t.start < self.title_end]
            ranking = [(h.start, h.end) for h in title_vetoes if h.value == "ranking"]
            valid_title_cue = any(
                self.untold_history(t, h)
                for t in title_sents
                for h in t.hits
                if h.kind in ("funding", "funding_weak") and not _inside(h, ranking)
            )  # "Acme gets $10M as it hires ..." tells its own raise; "... 此前累计融资" does not;
            # the 融资 of "融资排行榜" names the ranking, not a raise
            hard = [h for h in title_vetoes if h.value in _HARD_TITLE_VETOES]
            if hard and not valid_title_cue and event.sentence != 0:
                for h in hard:
                    self.note(f"veto:{h.value}:{h.term}")
                is_funding = False
            if title_vetoes and not title_cue and event.sentence != 0:
                strength = self.strength(event, gathered)
                if strength < 4:
                    for h in title_vetoes:
                        self.note(f"veto:{h.value}:{h.term}")
                    is_funding = False
        if is_funding and self.denied(sentences):
            is_funding = False
        if not is_funding:
            return self.no_raise(sentences)
        assert event is not None
        return self.build(event, gathered, sentences)

    def find_event(
        self, sentences: list[_Sentence]
    ) -> tuple[_Event | None, list[tuple[_Sentence, list[Hit]]]]:
        event: _Event | None = None
        gathered: list[tuple[_Sentence, list[Hit]]] = []
        title_company: tuple[str | None, CompanyEntry | None] = (None, None)
        key = None
        other_seen = False
        provisional = False  # event named only by the title, with a name absent from the body
        for idx, sent in enumerate(sentences):
            if not any(h.kind in ("funding", "funding_weak") for h in sent.hits):
                if event is not None and not other_seen and self.valuation_only(sent):
                    gathered.append((sent, []))  # "The round values the company at $600m."
                continue
            if other_seen and event is not None and not self.mentions(sent, event, key):
                continue  # after another company's raise, only sentences naming ours count
            cues = self.valid_cues(sent)
            strong = (
                [h for h in cues if h.kind == "funding"]
                or self.got_investment(sent, cues)
                or self.investor_invests(sent, cues)
            )
            amounts: list[Money] = []
            if strong or any(h.kind == "funding_weak" for h in cues):
                amounts, _ = self.eligible_money(sent, cues)
            if not strong and not amounts:
                if event is not None and not other_seen and self.valuation_only(sent):
                    gathered.append((sent, []))  # "The round values the company at $600m."
                continue
            name, entry = self.find_company(sent, cues)
            if self.roundup_title(sent):
                name, entry = None, None  # "Funding roundup: Figure, Luma and more"
            if name is None and event is None and self.refers_back_any(sent, cues):
                name, entry = self.said_subject(sent, cues) or self.title_subject()
            if name is not None and entry is None and self.d.is_investor_name(name):
                self.note(f"investor_not_raiser:{name}")
                name = None  # a fund raising its own money, or "Sequoia led the round"
            if event is None:
                if name is None and idx > 0 and title_company[0] and strong:
                    name, entry = title_company
                if name is None:
                    continue
                event = _Event(idx, name, entry, bool(strong))
                key = self.d.companies.key(name)
                gathered.append((sent, cues))
                for h in cues:
                    self.note(f"{h.kind}:{h.term}")
                self.note(f"company:{name}")
                if idx == 0:
                    title_company = (name, entry)
                    folded_name = self.d._folder.fold(name)
                    provisional = entry is None and folded_name not in self.folded[self.title_end :]
                continue
            if (
                name is not None
                and provisional
                and len(gathered) == 1
                and not self.d.companies.same(self.d.companies.key(name), key)
            ):
                # the title's "name" never recurs in the body: the body's company raises
                event = _Event(idx, name, entry, bool(strong))
                key = self.d.companies.key(name)
                gathered.insert(0, (sent, cues))
                provisional = False
                self.note(f"company:{name}")
                continue
            if name is not None and not self.d.companies.same(self.d.companies.key(name), key):
                other_seen = True  # another company's raise (roundup or background)
                continue
            if name is not None and len(name) < len(event.company or "") and event.entry is None:
                event.company = name  # "Singapore's Kaleido Studio" -> "Kaleido Studio"
                key = self.d.companies.key(name)
            if name is None and other_seen:
                continue  # "the round was led by ..." may now be about the other company
            gathered.append((sent, cues))
        return event, gathered

    def purpose(self, h: Hit) -> bool:
        """ "raised $40M and plans to acquire rivals", "资金将用于收购/招聘": what the money is
        for, not a story of another kind."""
        return h.value in ("acquisition", "personnel") and bool(
            _PURPOSE_BEFORE.search(self.folded, max(0, h.start - 24), h.start)
        )

    def untold_history(self, sent: _Sentence, cue: Hit) -> bool:
        """The cue is not in a clause of history ("months after raising", "此前累计融资")."""
        return not any(
            h.kind == "background" and self.same_clause(sent, h.start, cue.start) for h in sent.hits
        )

    def roundup_title(self, sent: _Sentence) -> bool:
        """The title (or its copy opening the body) announces a roundup of several raises."""
        title = self.full[: self.title_end].strip()
        if sent.start >= self.title_end and self.full[sent.start : sent.end].strip() != title:
            return False
        return any(
            h.kind == "veto" and h.value == "roundup" and h.end <= self.title_end for h in self.hits
        )

    def refers_back_any(self, sent: _Sentence, cues: list[Hit]) -> bool:
        return any(h.kind == "verb_subject" and self.refers_back(sent, h) for h in cues)

    def said_subject(
        self, sent: _Sentence, cues: list[Hit]
    ) -> tuple[str, CompanyEntry | None] | None:
        """ "Vidnoa said Monday it has raised ...": "it" is the subject of "said"."""
        for h in cues:
            if h.kind != "verb_subject" or _CJK.search(self.folded, h.start, h.end):
                continue
            m = _SAID_IT.search(self.full, sent.start, h.start)
            if m is None:
                continue
            known = [
                c for c in sent.hits
                if c.kind == "company" and c.end <= m.start() and not self.affiliation(c)
            ]  # fmt: skip
            if known:
                return self.full[known[-1].start : known[-1].end], known[-1].value
            name = self.d.companies.subject_en(self.full[sent.start : m.start()])
            name = self.strip_description(name) if name else None
            if name:
                return name, self.d.companies.lookup(name)
        return None

    def title_subject(self) -> tuple[str | None, CompanyEntry | None]:
        """ "Captions CEO on ...", then "The company announced it has closed $60M": the known
        company the title is about is what "the company" refers to."""
        known = [
            h for h in self.hits
            if h.kind == "company" and h.end <= self.title_end
            and not _FORMER.search(self.folded[max(0, h.start - 8) : h.start])
        ]  # fmt: skip
        if len({h.value.key for h in known}) != 1:
            return None, None
        return self.full[known[0].start : known[0].end], known[0].value

    def got_investment(self, sent: _Sentence, cues: list[Hit]) -> list[Hit]:
        """ "获得日本软银旗下基金投资": 获 + investor + 投资 is a raise even without an amount;
        so is "received an (undisclosed) investment from Tencent"."""
        for h in cues:
            if h.kind == "funding_weak" and h.term == "投资":
                m = _ZH_GOT_INVESTMENT.search(self.folded, max(sent.start, h.start - 24), h.end + 4)
                if m and m.end() == h.end and self.same_clause(sent, m.start(), h.start):
                    return [h]
            if h.kind == "funding_weak" and h.term in ("investment", "backing"):
                m = _EN_GOT_INVESTMENT.search(self.folded, max(sent.start, h.start - 64), h.end + 6)
                if m and self.same_clause(sent, m.start(), h.start):
                    return [h]  # "Vidmo has received an undisclosed investment from Tencent"
        return []

    def investor_invests(self, sent: _Sentence, cues: list[Hit]) -> list[Hit]:
        """ "Adobe Ventures invests in video startup Kinora": an investor investing is a raise
        even without an amount."""
        for h in cues:
            if h.kind != "verb_object" or _CJK.search(self.folded, h.start, h.end):
                continue
            subject = self.d.companies.raw_subject_en(self.full[sent.start : h.start])
            if subject and self.d.is_investor_name(subject):
                return [h]
        return []

    def denied(self, sentences: list[_Sentence]) -> bool:
        """A sentence that denies a raise ("该消息不实", "denied it is raising")."""
        for sent in sentences:
            denial = [h for h in sent.hits if h.kind == "denial"]
            if denial and any(h.kind in ("funding", "funding_weak") for h in sent.hits):
                self.note(f"denial:{denial[0].term}")
                return True
        return False

    def mentions(self, sent: _Sentence, event: _Event, key: str | None) -> bool:
        name = self.d._folder.fold(event.company or "")
        if name and name in self.folded[sent.start : sent.end]:
            return True
        return any(h.kind == "company" and h.value.key == key for h in sent.hits)

    def valuation_only(self, sent: _Sentence) -> bool:
        if not any(h.kind == "valuation" and h.term != "value" for h in sent.hits):
            return False
        return not any(h.kind == "company" for h in sent.hits) or (
            all(h.value is not None for h in sent.hits if h.kind == "company")
            and len({h.value.key for h in sent.hits if h.kind == "company"}) <= 1
        )

    def strength(self, event: _Event, gathered: list[tuple[_Sentence, list[Hit]]]) -> float:
        score = 1.0 + (1.0 if event.strong else 0.5)
        for sent, cues in gathered:
            amounts, _ = self.eligible_money(sent, cues)
            if amounts:
                score += 1
                break
        if any(self.rounds_in(sent) for sent, _ in gathered):
            score += 1
        return score

    def rounds_in(self, sent: _Sentence) -> list[RoundMention]:
        found = [
            RoundMention(r.start + sent.start, r.end + sent.start, r.round)
            for r in self.d._rounds.find(
                self.folded[sent.start : sent.end], self.full[sent.start : sent.end]
            )
        ]
        found += [RoundMention(h.start, h.end, h.value) for h in sent.hits if h.kind == "round"]
        background = [h for h in sent.hits if h.kind == "background"]
        out = []
        for r in sorted(found, key=lambda r: r.start):
            if any(r.start - 16 <= b.start <= r.end + 24 for b in background):
                continue
            out.append(r)
        return out

    def build(
        self, event: _Event, gathered: list[tuple[_Sentence, list[Hit]]], sentences: list[_Sentence]
    ) -> Detection:
        amount: Money | None = None
        valuation: Money | None = None
        round_name: str | None = None
        leads: list[str] = []
        others: list[str] = []
        for sent, cues in gathered:
            amounts, valuations = self.eligible_money(sent, cues)
            if not cues:
                amounts = []
            if amount is None and amounts:
                amount = amounts[0]
            if valuation is None and valuations:
                valuation = valuations[0]
            if round_name is None:
                rounds = self.rounds_in(sent)
                if rounds:
                    round_name = rounds[0].round
                    self.note(f"round:{self.full[rounds[0].start : rounds[0].end].strip()}")
            zh = self.is_zh(sent.start, sent.end)
            lead, other = find_investors(
                self.full[sent.start : sent.end],
                self.folded[sent.start : sent.end],
                zh,
                self.d.investors,
            )
            leads += lead
            others += other
        company_key = self.d.companies.key(event.company or "")
        lead_out, lead_keys, investors, investor_keys = self.d.investors.merge(
            leads, others, lambda name: self.d.companies.key(name) == company_key
        )
        if amount is not None and amount.currency == self.d.vocab.default_bare_yuan:
            # "募资5000万元" in the title, "新台币5000万元" in the body: 元 is any dollar or yuan,
            # the body names the currency
            for sent, cues in gathered:
                explicit = [
                    m for m in self.eligible_money(sent, cues)[0]
                    if not m.bare and m.amount == amount.amount and m.currency != amount.currency
                ]  # fmt: skip
                if explicit:
                    amount = explicit[0]
                    break
        if amount is not None:
            self.note(f"amount:{self.full[amount.start : amount.end].strip()}")
            amount = self.resolve_symbol(amount)
        is_video, video_conf = self.sector(event, gathered, sentences)
        strength = self.strength(event, gathered)
        funding_conf = min(1.0, 0.4 + 0.15 * strength)
        valuation_usd = None
        if valuation is not None:
            val_currency = valuation.currency
            if valuation.bare and amount is not None:
                val_currency = amount.currency
            valuation_usd = self.d._fx.to_usd(valuation.amount, val_currency)
        return Detection(
            flag=is_video,
            is_funding=True,
            is_ai_video=is_video,
            score=round(funding_conf * video_conf, 3),
            company=event.company,
            amount=amount.amount if amount else None,
            currency=amount.currency if amount else None,
            amount_usd=self.d._fx.to_usd(amount.amount, amount.currency) if amount else None,
            amount_approximate=amount.approximate if amount else False,
            round=round_name or UNDISCLOSED,
            valuation_usd=valuation_usd,
            investors=investors,
            lead_investors=lead_out,
            investor_keys=investor_keys,
            lead_investor_keys=lead_keys,
            matched=list(self.matched),
        )

    def resolve_symbol(self, money: Money) -> Money:
        """A shared symbol ("¥") takes the currency whose hint words the text contains."""
        for sym, alts in self.d._ambiguous.items():
            if not self.folded.startswith(sym, money.start):
                continue
            for code, hints in alts.items():
                if any(_word_in(hint, self.folded) for hint in hints):
                    return Money(money.start, money.end, money.amount, code,
                                 money.approximate, money.bare)  # fmt: skip
        return money

    # -- sector --------------------------------------------------------------------------------
    def weights(self, hits: list[Hit]) -> tuple[float, float]:
        video = sum(h.value for h in hits if h.kind == "ai_video" and h not in self.negated)
        other = sum(h.value for h in hits if h.kind == "other" and h not in self.negated)
        return video, other

    def note_sector(self, hits: list[Hit]) -> None:
        for h in hits:
            if h.kind in ("ai_video", "other"):
                self.note(f"{h.kind}:{h.term}")

    def sector(
        self, event: _Event, gathered: list[tuple[_Sentence, list[Hit]]], sentences: list[_Sentence]
    ) -> tuple[bool, float]:
        entry = event.entry
        if entry is not None and entry.sector != "mixed":
            self.note(f"sector:{entry.key}={entry.sector}")
            return entry.sector == "ai_video", 0.95
        name = self.d._folder.fold(event.company or "")
        region = self.title_sector_hits(name)
        title = region
        for sent in sentences:
            text = self.folded[sent.start : sent.end]
            if (
                any(sent is g for g, _ in gathered)
                or (name and self.names_subject(sent, name))
                or _REFERS_BACK_START.match(text)
            ):
                # a title that tells the raise counts twice (as title and as raise sentence)
                region = region + (title if sent.start < self.title_end else sent.hits)
        investor_desc = self.investor_descriptions(sentences)
        region = [h for h in region if h not in investor_desc]
        video, other = self.weights(region)
        if video or other:
            self.note_sector(region)
            return video > other and video >= 1.5, _conf(video, other)
        rest = [h for h in self.hits if h not in investor_desc]
        video, other = self.weights(rest)
        self.note_sector(rest)
        return video >= 2 and video > other, _conf(video, other) * 0.8

    def names_subject(self, sent: _Sentence, name: str) -> bool:
        """The sentence names the company other than as a person's employer: "芯算科技CEO表示,
        AI视频带来算力需求" quotes its CEO on the market, it does not describe the company."""
        at = self.folded.find(name, sent.start, sent.end)
        while at >= 0:
            if not _AFFILIATE.match(self.folded, at + len(name), sent.end):
                return True
            at = self.folded.find(name, at + len(name), sent.end)
        return False

    def investor_descriptions(self, sentences: list[_Sentence]) -> set[Hit]:
        """Sector words that describe a Chinese investor: "由AI视频公司某某领投" (the words sit
        in the clause before 领投 with no raise verb between them)."""
        out: set[Hit] = set()
        for sent in sentences:
            objects = [
                h for h in sent.hits
                if h.kind == "verb_object" and _CJK.search(self.folded, h.start, h.end)
            ]  # fmt: skip
            for v in objects:
                for h in sent.hits:
                    if (
                        h.kind in ("ai_video", "other")
                        and h.end <= v.start
                        and self.same_clause(sent, h.start, v.start)
                        and not any(
                            c.kind in ("verb_subject", "funding") and h.end <= c.start < v.start
                            for c in sent.hits
                        )
                    ):
                        out.add(h)
        return out

    def title_sector_hits(self, name: str) -> list[Hit]:
        """Sector hits of the title; when the title names the company in one clause of
        several ("This week in AI funding: Motionary, Quillstack, Borealis Robotics"), hits in
        the other clauses describe the other companies and do not count."""
        title = [
            h for h in self.hits if h.end <= self.title_end and h.kind in ("ai_video", "other")
        ]
        title = self.drop_market_clauses(title)
        at = self.folded.find(name, 0, self.title_end) if name else -1
        if at < 0:
            return title
        bounds = [0] + [m.end() for m in _CLAUSE_END.finditer(self.full, 0, self.title_end)]
        lo = bounds[bisect.bisect_right(bounds, at) - 1]
        nxt = [b for b in bounds if b > at]
        hi = nxt[0] if nxt else self.title_end
        ends = [*bounds[1:], self.title_end]
        listed = sum(
            1
            for a, b in zip(bounds, ends, strict=True)
            if a != lo and CAP_RUN.fullmatch(self.full[a:b].strip(" ,;:"))
        )
        if listed < 2:
            return title  # not a list of names: "Acme, which makes videos, raises $5M"
        return [h for h in title if lo <= h.start < hi]

    def drop_market_clauses(self, title: list[Hit]) -> list[Hit]:
        """ "某GPU公司完成融资, AI视频生成带来算力新需求": a title clause about compute demand,
        revenue or a market, with no raise cue in it, describes the market, not the raiser."""
        bounds = [0] + [m.end() for m in _CLAUSE_END.finditer(self.full, 0, self.title_end)]
        if len(bounds) < 2:
            return title
        ends = [*bounds[1:], self.title_end]
        dropped: list[tuple[int, int]] = []
        for a, b in zip(bounds, ends, strict=True):
            inside = [h for h in self.hits if a <= h.start < b]
            if any(h.kind == "veto" and h.value in _AMOUNT_VETOES for h in inside) and not any(
                h.kind in _CUE_KINDS for h in inside
            ):
                dropped.append((a, b))
        return [h for h in title if not any(a <= h.start < b for a, b in dropped)]

    def no_raise(self, sentences: list[_Sentence]) -> Detection:
        video, other = self.weights(self.hits)
        if any(h.kind == "veto" and h.value == "fund_close" for h in self.hits):
            video, other = 0.0, max(other, 1.0)  # the subject is an investor, not a startup
        for h in self.hits:
            if h.kind == "company" and not self.affiliation(h):  # not "former Runway executive"
                entry: CompanyEntry = h.value
                if entry.sector == "ai_video":
                    video += 2
                elif entry.sector == "other":
                    other += 1
        stock = [h for h in self.hits if h.kind == "veto" and h.value == "stock"]
        self.note_sector(self.hits)
        is_video = video >= 2 and video >= other
        if len(stock) >= 2:
            is_video = False  # a share-price story is about a listed company
            for h in stock:
                self.note(f"veto:stock:{h.term}")
        return Detection(
            flag=False,
            is_funding=False,
            is_ai_video=is_video,
            score=round(0.2 * _conf(video, other), 3),
            matched=list(self.matched),
        )


def _word_in(word: str, text: str) -> bool:
    if not word.isascii():
        return word in text
    return re.search(rf"(?<![a-z0-9]){re.escape(word)}(?![a-z0-9])", text) is not None


def _conf(video: float, other: float) -> float:
    if video <= 0 and other <= 0:
        return 0.3
    return round(0.1 + 0.85 * video / (video + other + 1.0), 3)


def _is_range(before: str, after: str, found: list[Money], i: int) -> bool:
    if re.search(r"between\s*$|介于\s*$", before):
        return True
    if re.match(r"\s*(?:-|–|~|至|到|to|and)\s*(?:[$€£¥]|us\$|rmb)?\s*\d", after):
        return True
    return bool(i > 0 and re.search(r"(?:-|–|~|至|到|\bto|\band)\s*$", before)
                and found[i - 1].end >= len(before) - 40)  # fmt: skip


_NEGATION_SPAN = re.compile(r"[,;:()、。!?!?;;\n]|[,.]\s")


def _negated(full: str, hits: list[Hit]) -> set[Hit]:
    """Sector hits right after a negation in the same clause ("暂无视频产品", "no plans to
    move into video"): they say what the company does not do."""
    out: set[Hit] = set()
    negations = [h for h in hits if h.kind == "negation"]
    if not negations:
        return out
    for n in negations:
        m = _NEGATION_SPAN.search(full, n.end, n.end + 40)
        end = m.start() if m else n.end + 40
        out.update(h for h in hits if h.kind in ("ai_video", "other") and n.end <= h.start < end)
    return out
