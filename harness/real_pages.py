"""Article extraction measured on the real publisher pages of ../shared/real-pages.

Shared by bench/real_pages.py (prints the figures, trafilatura beside them) and
tests/crawler/test_real_pages_gate.py (pins floors under them), so the two cannot drift apart.
The pages are read from the shared archive, unpacked to a temporary folder, never copied into
the repository; see the archive's README for the manifest's fields.

Per page, fundwatch's result is what a crawl would store from it: generic extraction, then the
normalize step of the pipeline (crawler/pipelines.py NormalizePipeline: titles and the
publication text on one line, the body's paragraphs tidied and a first line repeating the title
left out, the time parsed in the publisher's zone with relative times counted from when the page
was fetched). Scores:

- title exact: the stored title equals the checked one (whitespace runs collapsed, NFC);
- minute right: same instant to the minute, over pages whose checked date states a time;
- day right: same calendar day in the publisher's zone, over every page with a checked date;
- body F1: bag-of-tokens F1 of the body against the checked paragraphs (tokens are words, CJK
  characters one by one, after NFKC and case folding), mean over pages, x100.
"""

from __future__ import annotations

import json
import re
import subprocess
import tempfile
import unicodedata
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from fundwatch.crawler.dates import parse_published
from fundwatch.crawler.extraction import extract_generic
from fundwatch.crawler.textnorm import normalize_inline, stored_body

ARCHIVE = Path(__file__).resolve().parents[2] / "shared" / "real-pages" / "real_html.tar.xz"
_CJK = "\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uac00-\ud7af"
_TOKENS = re.compile(rf"[{_CJK}]|[^\W_{_CJK}]+")


@dataclass(frozen=True)
class Page:
    """One page of the archive with the fields a person checked (`expected`)."""

    id: str
    url: str
    zone: str
    html: str
    expected: dict[str, Any]
    fetched_at: datetime | None


@dataclass(frozen=True)
class Result:
    """What an extractor made of a page."""

    title: str
    body: str
    published: datetime | None


@dataclass(frozen=True)
class Outcome:
    """One page scored; None where the page has nothing checked to score against."""

    page: Page
    got: Result
    expected_time: datetime | None
    title_right: bool | None
    day_right: bool | None
    minute_right: bool | None  # None also when the checked date states no time of day
    body_f1: float | None


@dataclass
class Figures:
    """The scores over a set of pages (percentages; body F1 x100)."""

    titles: int = 0
    title_right: int = 0
    dates: int = 0
    day_right: int = 0
    stated: int = 0
    minute_right: int = 0
    f1s: list[float] = field(default_factory=list)

    @property
    def title_exact_pct(self) -> float:
        return 100 * self.title_right / max(1, self.titles)

    @property
    def minute_right_pct(self) -> float:
        return 100 * self.minute_right / max(1, self.stated)

    @property
    def day_right_pct(self) -> float:
        return 100 * self.day_right / max(1, self.dates)

    @property
    def body_f1(self) -> float:
        return 100 * sum(self.f1s) / max(1, len(self.f1s))

    def as_dict(self) -> dict[str, float]:
        return {
            "title exact": self.title_exact_pct,
            "minute right": self.minute_right_pct,
            "day right": self.day_right_pct,
            "body F1": self.body_f1,
        }


Extractor = Callable[[Page], Result]


def tokens(text: str) -> Counter[str]:
    return Counter(_TOKENS.findall(unicodedata.normalize("NFKC", text).casefold()))


def token_f1(found: str, expected: str) -> float:
    got, want = tokens(found), tokens(expected)
    common = sum((got & want).values())
    if not common:
        return 1.0 if not got and not want else 0.0
    precision, recall = common / sum(got.values()), common / sum(want.values())
    return 2 * precision * recall / (precision + recall)


def same_title(found: str, expected: str) -> bool:
    def tidy(text: str) -> str:
        return " ".join(unicodedata.normalize("NFC", text).split())

    return tidy(found) == tidy(expected)


def expected_time(text: str | None, zone: str) -> tuple[datetime | None, bool]:
    """The checked publication time in UTC, and whether it states a time of day."""
    if not text:
        return None, False
    parsed = datetime.fromisoformat(text)
    stated = parsed.tzinfo is not None or (parsed.hour, parsed.minute) != (0, 0)
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=ZoneInfo(zone))
    return parsed.astimezone(UTC), stated


def fundwatch_result(page: Page) -> Result:
    """What a crawl stores from the page: generic extraction, then NormalizePipeline's steps."""
    extracted = extract_generic(page.html, page.url)
    published = normalize_inline(extracted.published) if extracted.published else None
    title = normalize_inline(extracted.title)
    return Result(
        title=title,
        body=stored_body(extracted.body, title),
        published=parse_published(published, page.zone, now=page.fetched_at),
    )


@contextmanager
def unpacked(archive: Path = ARCHIVE) -> Iterator[Path]:
    """The archive unpacked to a temporary folder, removed afterwards."""
    with tempfile.TemporaryDirectory(prefix="real-pages-") as folder:
        subprocess.run(["tar", "-xJf", str(archive), "-C", folder], check=True)
        yield Path(folder)


def _fetched_at(text: str | None) -> datetime | None:
    if not text:
        return None
    parsed = datetime.fromisoformat(text)
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)


def pages(root: Path) -> list[Page]:
    """Every page of an unpacked archive, in manifest order."""
    manifest = (root / "manifest.jsonl").read_text(encoding="utf-8").splitlines()
    found = []
    for row in map(json.loads, filter(None, manifest)):
        found.append(
            Page(
                id=row["id"],
                url=row["orig_url"],
                zone=row["tz"],
                html=(root / row["file"]).read_text(encoding="utf-8"),
                expected=row["expected"],
                fetched_at=_fetched_at(row.get("crawl_date")),
            )
        )
    return found


def score(page: Page, got: Result) -> Outcome:
    expected = page.expected
    want, stated = expected_time(expected.get("publishing_date"), page.zone)
    title_right = day_right = minute_right = None
    if expected.get("title"):
        title_right = same_title(got.title, expected["title"])
    if want is not None:
        zone = ZoneInfo(page.zone)
        day_right = bool(
            got.published and got.published.astimezone(zone).date() == want.astimezone(zone).date()
        )
        if stated:
            minute_right = bool(
                got.published
                and got.published.replace(second=0, microsecond=0)
                == want.replace(second=0, microsecond=0)
            )
    body_f1 = token_f1(got.body, expected["body"]) if expected.get("body") else None
    return Outcome(page, got, want, title_right, day_right, minute_right, body_f1)


def miss(outcome: Outcome, metric: str) -> str | None:
    """One line on how the page misses `metric` (a key of Figures.as_dict), None if it does not
    (a body misses below F1 0.9)."""
    page, got = outcome.page, outcome.got
    if metric == "title exact" and outcome.title_right is False:
        return f"{page.id}: {got.title!r} != {page.expected['title']!r}"
    if (metric == "minute right" and outcome.minute_right is False) or (
        metric == "day right" and outcome.day_right is False
    ):
        return f"{page.id}: {got.published} != {outcome.expected_time}"
    if metric == "body F1" and outcome.body_f1 is not None and outcome.body_f1 < 0.9:
        return f"{page.id}: body F1 {100 * outcome.body_f1:.1f}"
    return None


def tally(outcomes: Iterable[Outcome]) -> Figures:
    figures = Figures()
    for outcome in outcomes:
        if outcome.title_right is not None:
            figures.titles += 1
            figures.title_right += outcome.title_right
        if outcome.day_right is not None:
            figures.dates += 1
            figures.day_right += outcome.day_right
        if outcome.minute_right is not None:
            figures.stated += 1
            figures.minute_right += outcome.minute_right
        if outcome.body_f1 is not None:
            figures.f1s.append(outcome.body_f1)
    return figures


def measure(root: Path, extractor: Extractor = fundwatch_result) -> list[Outcome]:
    """Every page of an unpacked archive extracted and scored."""
    return [score(page, extractor(page)) for page in pages(root)]
