"""Subject: which company a raise sentence is about."""

from __future__ import annotations

from .companies import CAP_RUN
from .matcher import Hit
from .passage import Passage, Sentence, is_cjk
from .patterns import (
    AFFILIATE,
    APPOSITION_NAME,
    BACKED_BY_BEFORE,
    CHALLENGED,
    DESCRIBED_NAME,
    DESCRIBED_OBJECT,
    DESCRIPTION_HEAD,
    DIGEST_TITLE,
    EN_BACKING_APPOSITION,
    FORMER,
    MONEY_OBJECT,
    PASSIVE_BY,
    RIVAL_BEFORE,
    SAID_IT,
    ZH_NOUN_CUES,
)
from .toolkit import Toolkit
from .vocab import CompanyEntry

Named = tuple[str | None, CompanyEntry | None]


def find_company(kit: Toolkit, p: Passage, sent: Sentence, cues: list[Hit]) -> Named:
    known = [h for h in sent.hits if h.kind == "company" and not affiliation(p, h)]
    verbs = [
        h
        for h in cues
        if h.kind == "verb_subject"
        or (h.kind == "verb_object" and not PASSIVE_BY.match(p.folded, h.end))
    ]  # fmt: skip  ("X, backed by Nvidia, announced": Nvidia is not the object)
    # "獲OpenAI高層支持的Wonder Studios募得…": a subject verb opening the sentence has no
    # subject before it (it opens a clause describing the company); a later verb anchors
    anchors = [v for v in verbs if v.kind != "verb_subject" or p.full[sent.start : v.start].strip()]
    verbs = anchors or verbs
    anchor = verbs[0] if verbs else cues[0]
    if known:
        if anchor.kind == "verb_object":
            after = [h for h in known if h.start >= anchor.end]
            if not after:
                # "OpenAI in talks to invest in video startup Vantic": not the investor
                name = extract_name(kit, p, sent, anchor)
                if name:
                    return name, kit.companies.lookup(name)
            pick = after[0] if after else known[-1]
        else:
            before = [h for h in known if h.end <= anchor.start]
            if before and (
                _modifies_subject(p, before[-1], anchor)
                or _in_backing_apposition(p, sent, before[-1], anchor)
            ):
                # "获OpenAI高层支持的AI视频工作室帧幻募得": the known company sits in a clause
                # describing the subject, which is named after the 的
                name = extract_name(kit, p, sent, anchor)
                if name:
                    return name, kit.companies.lookup(name)
            if not before and anchor.kind == "verb_subject":
                # "Klipp closes €12m to take on Runway": the subject is not the rival
                if refers_back(kit, p, sent, anchor):
                    return None, None
                name = extract_name(kit, p, sent, anchor)
                if name:
                    return name, kit.companies.lookup(name)
            pick = before[-1] if before else known[0]
        return p.full[pick.start : pick.end], pick.value
    if any(h.kind == "count_deals" for h in sent.hits):
        return None, None
    objects = {(h.start, h.end) for h in verbs if h.kind == "verb_object"}
    for h in verbs + [
        c for c in cues if c.kind == "funding" and (c.start, c.end) not in objects
    ]:  # "X领投" is both a cue and an object verb: X is the investor
        if h.kind == "verb_subject" and refers_back(kit, p, sent, h):
            return None, None  # "the company said it raised ...": the event's company
        name = extract_name(kit, p, sent, h) or named_next(p, sent, h)
        if name:
            return name, kit.companies.lookup(name)
    # "Tencent has invested $30 million in Vivid"
    text = p.full[sent.start : sent.end]
    m = MONEY_OBJECT.search(text)
    if (
        m
        and any(c.kind == "funding_weak" and c.start - sent.start < m.start() for c in cues)
        and not any(c.kind == "verb_subject" and c.start - sent.start < m.start() for c in cues)
    ):
        name = kit.companies.object_en(text[m.end() :])
        name = strip_description(kit, name) if name else None  # "$290M in 'World Model' AI"
        if name:
            return name, kit.companies.lookup(name)
    return None, None


def _modifies_subject(p: Passage, known: Hit, verb: Hit) -> bool:
    """A Chinese subject verb whose known company sits in a backing clause before the subject
    ("获OpenAI高层支持的帧幻募得", "腾讯投资的某某完成"): the company backs the subject, it is
    not the subject."""
    if verb.kind != "verb_subject" or not is_cjk(p, verb):
        return False
    m = BACKED_BY_BEFORE.search(p.folded, known.end, verb.start)
    return m is not None and bool(p.folded[m.end() : verb.start].strip())


def _in_backing_apposition(p: Passage, sent: Sentence, known: Hit, verb: Hit) -> bool:
    """An English subject verb whose known company sits in the backing phrase of an
    apposition ("Wonder Studios, an AI studio backed by executives from OpenAI, has
    collected"): the company backs the subject, which opens the sentence."""
    if verb.kind != "verb_subject" or is_cjk(p, verb):
        return False
    closing = p.full[known.end : verb.start]
    return "," in closing and bool(EN_BACKING_APPOSITION.match(p.full[sent.start : known.start]))


def named_next(p: Passage, sent: Sentence, h: Hit) -> str | None:
    """ "X and Y are backing a new studio that ... . The studio, Promise, is ...": an
    investing verb whose object is a description takes the name the next sentence gives it
    by apposition with the same noun."""
    if h.kind != "verb_object" or is_cjk(p, h):
        return None
    described = DESCRIBED_OBJECT.match(p.full, h.end, sent.end)
    if not described:
        return None
    following = [s for s in p.sentences if s.start >= sent.end]
    if not following:
        return None
    named = APPOSITION_NAME.match(p.full, following[0].start, following[0].end)
    if not named or named.group(1).lower() != described.group(1).lower():
        return None
    return named.group(2)


def affiliation(p: Passage, h: Hit) -> bool:
    """ "former Runway executive", "前快手高管", "Synthesia's co-founder", "Kling rival
    Vidmo": the company only describes a person or a competitor, it is not the subject."""
    before = p.folded[max(0, h.start - 8) : h.start]
    after = p.folded[h.end : h.end + 24]
    return bool(
        FORMER.search(before)
        or AFFILIATE.match(after)
        or RIVAL_BEFORE.search(p.folded, max(0, h.start - 24), h.start)
    )


def refers_back(kit: Toolkit, p: Passage, sent: Sentence, h: Hit) -> bool:
    book = kit.companies
    if is_cjk(p, h):
        return book.refers_back_zh(p.full[sent.start : h.start], p.folded[sent.start : h.start])
    return book.refers_back_en(p.full[sent.start : h.start])


def refers_back_any(kit: Toolkit, p: Passage, sent: Sentence, cues: list[Hit]) -> bool:
    return any(h.kind == "verb_subject" and refers_back(kit, p, sent, h) for h in cues)


def extract_name(kit: Toolkit, p: Passage, sent: Sentence, h: Hit) -> str | None:
    book = kit.companies
    left = p.full[sent.start : h.start]
    if is_cjk(p, h):
        if h.kind == "verb_object":
            # "X领投": X is the investor; "战略投资AI视频公司「某某」": the quoted object
            name = book.object_zh(p.full[h.end : sent.end])
            return strip_description(kit, name) if name else None
        verb = h.kind == "verb_subject" and h.term not in ZH_NOUN_CUES
        name = book.subject_zh(left, p.folded[sent.start : h.start], verb)
    elif h.kind == "verb_object":
        name = book.object_en(p.full[h.end : sent.end])
    elif h.kind == "verb_subject":
        name = book.raised_for_en(p.full[h.end : sent.end]) or book.subject_en(left)
    else:
        name = book.possessive_en(left)
    return strip_description(kit, name) if name else None


def strip_description(kit: Toolkit, name: str) -> str | None:
    """Drop sector words that describe the company: "AI视频生成公司某某" -> "某某".

    A sector word at the very end belongs to the name ("灵枢机器人"); a name that is all
    description ("AI video startup") is no name.
    """
    folded = kit.fold(name)
    hits = kit.sector_check.find(folded, name)
    if not hits:
        return name
    cut = max(h.end for h in hits)
    if cut >= len(name.rstrip()):
        rest = name[: min(h.start for h in hits)].strip()
        if not rest or kit.companies.is_stopword(rest):
            return None  # "AI video", "video generation"
        return name
    head = DESCRIPTION_HEAD.match(folded, cut)
    rest = name[head.end() if head else cut :].strip()
    if len(rest) < 2 or kit.companies.is_stopword(rest):
        return None
    return rest


def roundup_title(p: Passage, sent: Sentence) -> bool:
    """The title (or its copy opening the body) announces a roundup of several raises."""
    title = p.full[: p.title_end].strip()
    if sent.start >= p.title_end and p.full[sent.start : sent.end].strip() != title:
        return False
    return any(h.kind == "veto" and h.value == "roundup" and h.end <= p.title_end for h in p.hits)


def said_subject(kit: Toolkit, p: Passage, sent: Sentence, cues: list[Hit]) -> Named | None:
    """ "Vidnoa said Monday it has raised ...": "it" is the subject of "said"."""
    for h in cues:
        if h.kind != "verb_subject" or is_cjk(p, h):
            continue
        m = SAID_IT.search(p.full, sent.start, h.start)
        if m is None:
            continue
        known = [
            c for c in sent.hits
            if c.kind == "company" and c.end <= m.start() and not affiliation(p, c)
        ]  # fmt: skip
        if known:
            return p.full[known[-1].start : known[-1].end], known[-1].value
        name = kit.companies.subject_en(p.full[sent.start : m.start()])
        name = strip_description(kit, name) if name else None
        if name:
            return name, kit.companies.lookup(name)
    return None


def title_subject(kit: Toolkit, p: Passage, sent: Sentence) -> Named:
    """ "Captions CEO on ...", then "The company announced it has closed $60M": the known
    company the title is about is what "the company" refers to."""
    known = [
        h for h in p.hits
        if h.kind == "company" and h.end <= p.title_end
        and not FORMER.search(p.folded[max(0, h.start - 8) : h.start])
    ]  # fmt: skip
    if not known:
        named = _title_raiser_in_body(kit, p) or _title_name_in_body(kit, p)
        if named[0]:
            return named
        named = _described_before(kit, p, sent)
        # "Runway builds AI tools. The company just secured $141M": the known company the
        # body named last
        return named if named[0] else _body_subject_before(p, sent)
    if len({h.value.key for h in known}) != 1:
        return None, None
    if DIGEST_TITLE.search(p.full, 0, p.title_end) or CHALLENGED.match(p.folded, known[0].end):
        # "Runway Gets a Challenger; AI Drama at Meta; ...": a newsletter's digest title, or a
        # title about the company's rival; "it" is the company the body has been describing
        return _body_subject_before(p, sent)
    return p.full[known[0].start : known[0].end], known[0].value


def _body_subject_before(p: Passage, sent: Sentence) -> Named:
    """The known company the body named last before ``sent`` (not as an affiliation)."""
    known = [
        h for h in p.hits
        if h.kind == "company" and p.title_end <= h.start and h.end <= sent.start
        and not affiliation(p, h)
    ]  # fmt: skip
    if not known:
        return None, None
    return p.full[known[-1].start : known[-1].end], known[-1].value


def _title_raiser_in_body(kit: Toolkit, p: Passage) -> Named | None:
    """ "Twitter invests in virtual avatar startup Facemoji" over "The company recently ...
    raised US$ 3 million": the company the title's raise verb names, when the body repeats
    it."""
    title = [t for t in p.sentences if t.start < p.title_end]
    for sent in title:
        for h in sent.hits:
            if h.kind not in ("verb_subject", "verb_object"):
                continue
            name = extract_name(kit, p, sent, h)
            if (
                name
                and not kit.is_investor_name(name)
                and kit.fold(name) in p.folded[p.title_end :]
            ):
                return name, kit.companies.lookup(name)
    return None


def title_described(kit: Toolkit, p: Passage) -> Named:
    """ "South Park creators' deepfake video startup Deep Voodoo conjures $20M in new
    funding": a raise title with no raise verb names its company with a company noun; the
    name counts when the body repeats it."""
    for m in DESCRIBED_NAME.finditer(p.full, 0, p.title_end):
        name = kit.companies.clean_en(m.group(1))
        if name and not kit.is_investor_name(name) and kit.fold(name) in p.folded[p.title_end :]:
            return name, kit.companies.lookup(name)
    return None, None


def _described_before(kit: Toolkit, p: Passage, sent: Sentence) -> Named:
    """ "...says the CEO of 3-D avatar maker DNABlock." then "the startup said it had
    secured $1.2 million": the name the body introduced with a company noun, last before
    ``sent``."""
    for m in reversed(list(DESCRIBED_NAME.finditer(p.full, p.title_end, sent.start))):
        name = kit.companies.clean_en(m.group(1))
        if name and not kit.is_investor_name(name):
            return name, kit.companies.lookup(name)
    return None, None


def _title_name_in_body(kit: Toolkit, p: Passage) -> Named:
    """ "The Craft Behind Wonder Studios" over a body that names Wonder Studios: the longest
    tail of a title's capitalized run (two words or more) that the body repeats."""
    body = p.full[p.title_end :]
    for run in CAP_RUN.finditer(p.full, 0, p.title_end):
        words = run.group(0).split()
        for i in range(len(words) - 1):
            tail = " ".join(words[i:])
            if kit.companies.is_stopword(words[i]) or tail not in body:
                continue
            name = kit.companies.clean_en(tail)
            if name and len(name.split()) >= 2 and not kit.is_investor_name(name):
                return name, kit.companies.lookup(name)
    return None, None


LEAD_SENTENCES = 3  # "the lead": the body's first sentences


def lead_subject(kit: Toolkit, p: Passage) -> Named:
    """The company the lead is about, for a title that tells a raise without a usable name
    ("A tech startup just raised $24 million ..."): the first known company of the lead
    (not as someone's employer), else the subject of the lead's first raise verb."""
    body = [s for s in p.sentences if s.start >= p.title_end][:LEAD_SENTENCES]
    for sent in body:
        if any(h.kind == "background" for h in sent.hits):
            continue  # "此前,生数科技曾完成…": history names no raiser
        known = [h for h in sent.hits if h.kind == "company" and not affiliation(p, h)]
        if known:
            return p.full[known[0].start : known[0].end], known[0].value
        for h in sent.hits:
            # Chinese subjects without a known name are too loose here ("单笔融资")
            if h.kind != "verb_subject" or is_cjk(p, h) or refers_back(kit, p, sent, h):
                continue
            name = extract_name(kit, p, sent, h)
            if name and not kit.is_investor_name(name):
                return name, kit.companies.lookup(name)
    return None, None
