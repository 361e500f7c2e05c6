"""An article's title as published: the site name taken off ("… | TechCrunch",
"… - Taipei Times", "…：朝日新聞デジタル"), checked against the page's own headline (h1)."""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from urllib.parse import urlsplit

from fundwatch.storage.text import fold as matching_form

# separators between a headline and the site name, spaced ones first
_SEPARATORS = re.compile(r"\s+[|\-–—·•»:/]{1,2}\s+|\s*[｜|ㅣ]\s*|\s*[：:_]\s*|\s*[-–—]\s+")
_NOT_WORD = re.compile(r"[\W_]+")


def fold(text: str) -> str:
    """Compare form: NFKC, case-folded, letters and digits only."""
    return _NOT_WORD.sub("", matching_form(text))


def tidy(text: str) -> str:
    return " ".join(unicodedata.normalize("NFC", text).split())


def _host_words(url: str) -> set[str]:
    host = (urlsplit(url).hostname or "").lower().removeprefix("www.")
    parts = host.split(".")
    words = {fold(host), fold(".".join(parts[:-1]))}
    words.update(fold(part) for part in parts if len(part) > 3)
    return {word for word in words if word}


def _is_site(segment: str, names: Iterable[str], host_words: set[str]) -> bool:
    folded = fold(segment)
    if not folded:
        return True
    for name in names:
        other = fold(name)
        if other and (
            folded == other
            or (len(other) >= 4 and other in folded and len(folded) <= len(other) + 12)
            or folded in other
        ):
            return True
    if folded in host_words:
        return True
    # "Die Neue Südtiroler Tageszeitung" on tageszeitung.it: a short segment holding the host
    return len(segment) <= 40 and any(len(w) >= 6 and w in folded for w in host_words)


def _is_byline(segment: str) -> bool:
    """A trailing "by Jane Doe" segment ("… | The Site | by Jane Doe"): "by" and a name of one
    to four capitalised words ("by the numbers" is a headline's own words)."""
    words = segment.split()
    return (
        len(words) in range(2, 6)
        and words[0].casefold() == "by"
        and all(word[0].isupper() for word in words[1:])
    )


def strip_site_name(title: str, names: Iterable[str], url: str = "") -> str:
    """The title without a leading or trailing segment that names the site or the author
    ("| by Jane Doe")."""
    title = tidy(title)
    names = [name for name in names if name]
    host_words = _host_words(url) if url else set()
    for _ in range(3):
        cuts = list(_SEPARATORS.finditer(title))
        if not cuts:
            break
        last, first = cuts[-1], cuts[0]
        tail = title[last.end() :]
        if last.start() > 0 and (_is_site(tail, names, host_words) or _is_byline(tail)):
            title = title[: last.start()].strip()
            continue
        # a leading separator with nothing before it is part of the title ("- Quote", the
        # Scandinavian quotation dash), not an empty site name
        if (
            first.start() > 0
            and _is_site(title[: first.start()], names, host_words)
            and first.end() < len(title)
        ):
            title = title[first.end() :].strip()
            continue
        break
    return title


# How much each source's word counts when candidates disagree. og:title and the JSON-LD headline
# are the publisher's own declarations and the h1 is the headline readers see; twitter:title is
# mostly a copy of og:title (and counts nothing when it is one) and <title> the search-engine
# form, so they count less.
_WEIGHTS = {"meta og:title": 1.0, "json-ld headline": 1.0, "meta twitter:title": 0.5}
_OTHER_WEIGHT = 0.25
_H1_WEIGHT = 1.0
# a short label after another candidate's full text: "…-Politics", " | World News", " - updates"
# (not after a colon: "Headline: what it means" is a headline with its subtitle)
_LABEL_TAIL = re.compile(r"\s*[|\-–—/·ㅣ｜]\s*\S[^|\-–—/·ㅣ｜]{0,18}")
_LABELLED = re.compile(rf"(.*\S)({_LABEL_TAIL.pattern})")
_KICKER_ENDS = (":", "：")
_QUOTES = str.maketrans("‘’‚‛“”„‟", "''''\"\"\"\"")


@dataclass
class _Candidate:
    text: str
    rule: str
    weight: float
    vote: str = ""  # fold() of the title this candidate speaks for


def _is_kicker_of(text: str, head: str) -> bool:
    """text is "Kicker: head": the head after a label ending in a colon (a headline the
    publisher states with its kicker, not the head with site noise around it)."""
    lead = text[: len(text) - len(head)]
    return bool(lead.strip()) and text.endswith(head) and lead.rstrip().endswith(_KICKER_ENDS)


def _speaks_for(text: str, other: str) -> bool:
    """text is other followed by a short label ("…-정치", "… | World News")."""
    return (
        len(fold(other)) >= 4
        and text.startswith(other)
        and _LABEL_TAIL.fullmatch(text[len(other) :]) is not None
    )


def _page_headline(heads: list[str], candidates: list[_Candidate]) -> str | None:
    """The h1 that is the article's headline: one a candidate agrees with or holds, else the
    first (a page may have a logo or a teaser in another h1)."""
    keys = [fold(c.text) for c in candidates]
    for head in heads:
        if fold(head) in keys:
            return head
    for head in heads:
        folded = fold(head)
        if any(folded in key and len(folded) >= 0.6 * len(key) for key in keys):
            return head
    return heads[0] if heads else None


def _surface(members: list[str]) -> str:
    """The published form among texts that agree once folded: the first (metadata before the
    h1, whose spacing is rebuilt from markup), except that where they differ only in quote
    style (’ or '), the style most of them use."""
    plain = members[0].translate(_QUOTES)
    variants = Counter(text for text in members if text.translate(_QUOTES) == plain)
    return max(variants, key=lambda text: (variants[text], -members.index(text)))


def _cast_votes(found: list[_Candidate], head: str | None, kicker_shown: bool) -> None:
    """Which headline each candidate speaks for: the h1 when it holds the h1 with only site or
    section noise around it (not a "Kicker: h1" the page does not show apart), another
    candidate when it is that candidate plus a short label, else itself."""
    texts = [c.text for c in found] + ([head] if head else [])
    folded_head = fold(head) if head else ""
    for c in found:
        c.vote = fold(c.text)
        if (
            head
            and c.vote != folded_head
            and folded_head in c.vote
            and len(folded_head) >= 0.6 * len(c.vote)
            and (kicker_shown or not _is_kicker_of(c.text, head))
        ):
            c.vote = folded_head
            continue
        c.vote = next((fold(t) for t in texts if t != c.text and _speaks_for(c.text, t)), c.vote)


def _cut_labels(found: list[_Candidate], stated: Callable[[], Iterable[str]]) -> None:
    """Take a short trailing label off a candidate ("…-Politics", "… | Live") when the page's
    own data (its embedded state) names the headline without it: the label is the section or
    a tag the template adds to every title, not part of the headline."""
    cuts = []
    for c in found:
        match = _LABELLED.fullmatch(c.text)
        if match is None:
            continue
        head, label = fold(match.group(1)), fold(match.group(2))
        if len(head) >= 10 and len(head) >= 2 * len(label):
            cuts.append((c, match.group(1).strip(), head))
    if not cuts:
        return
    named = {fold(text) for text in stated()}
    for c, text, head in cuts:
        if head in named:
            c.text = text


def _drop_copies(found: list[_Candidate]) -> None:
    """A twitter:title that repeats og:title is the same declaration filled in twice (sites and
    their plugins copy one field into both): it adds no weight of its own."""
    og = {fold(c.text) for c in found if c.rule == "meta og:title"}
    for c in found:
        if c.rule == "meta twitter:title" and fold(c.text) in og:
            c.weight = 0.0


def _shown_under_other_kicker(
    displayed: list[str], found: list[_Candidate], heads: list[str]
) -> list[str]:
    """The headline part of an h1 shown as kicker + headline, when the metadata states it only
    behind a kicker of its own ("Kicker A: headline" where the page shows "Kicker B" over
    "headline"): the two kickers disagree, the headline they share is the title."""
    for part in displayed:
        if len(fold(part)) < 10:
            continue
        holders = [fold(h) for h in heads if fold(part) in fold(h)]
        for c in found:
            if holders and _is_kicker_of(c.text, part):
                kicker = fold(c.text[: len(c.text) - len(part)])
                if not any(h.startswith(kicker) for h in holders):
                    return [part]
    return []


def choose_title(
    candidates: Iterable[tuple[str, str]],
    headlines: Iterable[str],
    names: Iterable[str],
    url: str = "",
    displayed: Iterable[str] = (),
    stated: Callable[[], Iterable[str]] = tuple,
) -> tuple[str, str]:
    """(title, rule) from candidate (text, rule) pairs, best first, the page's h1 texts and the
    headline parts of headings shown as kicker + headline; stated gives the titles the page's
    scripts name (read only when a candidate ends in a short label, see _cut_labels).

    Every candidate, its site name stripped, votes for a headline (see _cast_votes), and so
    does the page's headline (a shown headline part the metadata states, else the h1 that
    agrees); the headline with most weight wins (ties: the page's, then the best candidate's),
    in the form the candidates state it (see _surface).
    """
    names = list(names)
    found = [
        _Candidate(stripped, rule, _WEIGHTS.get(rule, _OTHER_WEIGHT))
        for text, rule in candidates
        if text and text.strip()
        for stripped in [strip_site_name(text, names, url)]
        if fold(stripped)
    ]
    _cut_labels(found, stated)
    _drop_copies(found)
    keys = {fold(c.text) for c in found}
    shown = [text for text in map(tidy, displayed) if len(fold(text)) >= 4 and fold(text) in keys]
    heads = [tidy(h) for h in headlines if h and len(fold(h)) >= 4]
    if not shown:
        shown = _shown_under_other_kicker(list(map(tidy, displayed)), found, heads)
    head = shown[0] if shown else _page_headline(heads, found)
    if head is None and not found:
        return "", "none"
    _cast_votes(found, head, kicker_shown=bool(shown))
    votes: Counter[str] = Counter()
    for c in found:
        votes[c.vote] += c.weight
    if head:
        votes[fold(head)] += _H1_WEIGHT
    best = max(votes.values())
    order = ([fold(head)] if head else []) + [c.vote for c in found]
    winner = next(key for key in order if votes[key] == best)
    with_head = bool(head) and fold(head or "") == winner
    members = [c.text for c in found if fold(c.text) == winner]
    if not members:
        return head or "", "h1"
    rule = next(c.rule for c in found if fold(c.text) == winner)
    agree = sum(c.vote == winner for c in found)
    text = _surface(members + ([head] if head and with_head else []))
    return text, f"{rule} (= h1)" if with_head else f"{rule} ({agree} of {len(found)} agree)"
