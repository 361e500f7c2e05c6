"""Generic extraction of an article page no template describes.

Body: trafilatura's precision and recall extractions are both run and one is chosen per page
(against JSON-LD articleBody when the page has one, else by how much text precision dropped);
the page's structured data (JSON-LD articleBody, Next.js / Nuxt state) stands in when the HTML
holds no text. Title and publication time come from structured data first (see structured.py,
titles.py; a date stated without a time of day takes the clock the page's text shows beside that
day); boilerplate lines (teasers, "read more", newsletter) are dropped (boilerplate.py).
"""

from __future__ import annotations

from collections import Counter
from typing import Any

from parsel import Selector

from fundwatch.crawler import structured
from fundwatch.crawler.blocks import join_split_blocks
from fundwatch.crawler.boilerplate import drop_boilerplate_lines
from fundwatch.crawler.dates import states_day_only, with_clock
from fundwatch.crawler.extraction import Extracted, page_published, page_title, visible_text
from fundwatch.crawler.titles import fold

MIN_BODY = 200  # characters: less than this is "the HTML has no text"
# precision keeping less than this share of recall's text lost the article itself
PRECISION_LOST = 0.2
SUMMARY_SHARE = 0.5  # an articleBody shorter than this share of the page's text is a summary
LONGER = 1.3  # ... and articleBody is this much longer than it
COVERED = 0.7  # an extraction holding less of articleBody's words than this lost a part


def _trafilatura(html: str, url: str, **options: Any) -> dict[str, Any]:
    import trafilatura

    document = trafilatura.bare_extraction(
        html, url=url, with_metadata=True, include_comments=False, **options
    )
    if document is None:
        return {}
    return document.as_dict() if hasattr(document, "as_dict") else dict(document)


def _tokens(text: str) -> Counter[str]:
    from fundwatch.storage.fingerprints import units

    return Counter(units(text))


def overlap_f1(found: str, reference: str) -> float:
    got, want = _tokens(found), _tokens(reference)
    common = sum((got & want).values())
    if not common:
        return 0.0
    precision, recall = common / sum(got.values()), common / sum(want.values())
    return 2 * precision * recall / (precision + recall)


def coverage(text: str, reference: str) -> float:
    """Share of the reference's words that the text holds."""
    got, want = _tokens(text), _tokens(reference)
    return sum((got & want).values()) / max(1, sum(want.values()))


def choose_body(precise: str, recall: str, reference: str | None) -> tuple[str, str]:
    """(body, rule): precision or recall extraction, or the structured-data reference text.

    With a full JSON-LD articleBody the extraction closer to it wins, and the articleBody
    itself when that extraction lost a part of it; without one, precision unless it kept less
    than a fifth of recall's text (then it dropped the article, not the clutter)."""
    longest = max(len(precise), len(recall))
    if reference and len(reference) >= MIN_BODY and len(reference) > SUMMARY_SHARE * longest:
        scored = [
            (overlap_f1(precise, reference), precise, "generic precision"),
            (overlap_f1(recall, reference), recall, "generic recall"),
        ]
        _, text, rule = max(scored, key=lambda s: s[0])
        if coverage(text, reference) < COVERED and len(reference) > LONGER * len(text):
            return reference, "json-ld articleBody"
        return text, f"{rule} (closest to json-ld articleBody)"
    if len(fold(precise)) < PRECISION_LOST * len(fold(recall)):
        return recall, "generic recall"
    return precise, "generic precision"


def extract_article(html: str, url: str) -> Extracted:
    selector = Selector(text=html)
    precise = _trafilatura(html, url, favor_precision=True)
    recall = _trafilatura(html, url)
    ld_body = structured.article_body(selector)
    body, body_rule = choose_body(
        precise.get("text") or "", recall.get("text") or "", ld_body.value if ld_body else None
    )
    if body_rule.startswith("generic"):
        body, joined = join_split_blocks(selector.root, body)
        if joined:
            body_rule += f" + {joined} split blocks joined"
    extracted = Extracted(author=recall.get("author") or precise.get("author"))
    embedded = None
    if len(body.strip()) < MIN_BODY:
        embedded = structured.embedded_article(selector)
        if embedded and len(embedded.body) > len(body):
            body, body_rule = embedded.body, embedded.rule
    extracted.body = drop_boilerplate_lines(body)
    extracted.rules["body"] = body_rule
    extracted.title, extracted.rules["title"] = page_title(selector, url)
    if not extracted.title and embedded and embedded.title:
        extracted.title, extracted.rules["title"] = embedded.title, embedded.rule
    if not extracted.title and recall.get("title"):
        extracted.title, extracted.rules["title"] = recall["title"], "generic"
    extracted.published, extracted.rules["published"] = page_published(selector)
    if extracted.published is None and embedded and embedded.published:
        extracted.published, extracted.rules["published"] = embedded.published, embedded.rule
    if extracted.published is None and (recall.get("date") or precise.get("date")):
        extracted.published = recall.get("date") or precise.get("date")
        extracted.rules["published"] = "generic (date in text or URL)"
    if extracted.published and states_day_only(extracted.published):
        # the date alone (a date-only meta, the URL, the text read by trafilatura): the page's
        # text may show that day with its clock ("2026-11-30 11:00" under the headline)
        clocked = with_clock(extracted.published, visible_text(selector))
        if clocked:
            extracted.rules["published"] += f" + the clock of {clocked!r} in the page's text"
            extracted.published = clocked
    return extracted
