"""One alert per funding round, measured on the labelled corpora.

Shared by bench/event_merge.py (prints the figures) and tests/storage/test_event_merge_gate.py
(pins maximums under them), so the two cannot drift apart. The rows are read from their
corpora (../shared/corpus/dev*.jsonl, tests/detection/fixtures/blind_corpus.jsonl), never
copied into the repository.

Every row labelled `flag: true` goes through what a crawl does with an article: the detector
(crawler.verdict.judge, as the writer runs it) and `storage.ingest.ingest_article` (the writer's
entry point) on a fresh database, each row as the article of an outlet of its own, published a
quarter of an hour after the row before it (all within three days: nothing is kept apart by the
45-day window, so a company's rounds all meet, the hardest case). The events formed are then
compared with the labels:

- a labelled round is the row's company (labels spelled differently for one company, across
  scripts or with a suffix, are one company by `COMPANY_ALIASES`: the bench's own table, not
  the product's) and its labelled round; a row whose round is undisclosed belongs to the
  company's labelled round whose amount is within 15 % of its own (the nearest; amounts in USD
  by the shipped rate table), else to the
  company's undisclosed round of that amount; a row with neither round nor amount belongs to
  the company's only round, and is *ambiguous* (counted in no figure) when the company has
  several; `SAME_ROUND` moves the few rows the labels give another round than the one their text
  and the corpus notes show;
- split: a labelled round whose rows lie in two or more events (the user is alerted twice);
- false merge: an event holding rows of two or more labelled rounds (a round is lost).
Rows the detector does not flag, or flags without a company, form no event: they are counted
apart (`no_event`), as detector misses, not as splits.
"""

from __future__ import annotations

import json
import shutil
import tempfile
import unicodedata
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import yaml
from sqlalchemy import select

from fundwatch import records
from fundwatch.configuration.settings import DEFAULT_SEEDS
from fundwatch.crawler.verdict import judge
from fundwatch.detection import DEFAULT_VOCAB_DIR, Detector, load_detector
from fundwatch.storage import Article, create_db_engine, session_factory
from fundwatch.storage.ingest import ingest_article

REPO = Path(__file__).resolve().parents[1]
CORPORA = (
    REPO.parent / "shared" / "corpus" / "dev.jsonl",
    REPO.parent / "shared" / "corpus" / "dev2.jsonl",
    REPO / "tests" / "detection" / "fixtures" / "blind_corpus.jsonl",
)

# Label spellings of one company (other script, other romanisation, with or without a suffix),
# read off the labels and the rows' text. The bench's answer key only: the product must find
# these by its own means. They make the bench see a round the product splits across scripts (as
# a split); without them the answer key would hold two rounds where there is one, and count the
# product's right join as a false merge. So the entries the product's pinyin rule covers
# (生數科技, ShengShu: storage/pinyin_keys.py) stay: it is checked against them, with
# `detector_without` making those companies unknown to the detector (bench --unknown).
COMPANY_ALIASES = {
    "愛詩科技": "爱诗科技",  # PixVerse's maker, Traditional and Simplified, and its English name
    "AIsphere": "爱诗科技",
    "生數科技": "生数科技",
    "ShengShu": "生数科技",
    "ShengShu AI": "生数科技",
    "Shengshu Technology": "生数科技",
    "Zhixiang Future": "智象未来",  # HiDream.ai's Chinese name, romanised
    "李未可科技": "李未可",
    "Higgsfield AI": "Higgsfield",
    "Fable Studio": "Fable",
    "Wonder Studios": "Wonder",  # d142's note: the same company as d141
}

# Rows whose labels name two rounds where the rows themselves (and the corpus notes) tell one:
# the answer key's corrections, each with its evidence. Row ids, not names: nothing here can
# reach the product.
SAME_ROUND = {  # row -> a row of the round it reports
    # "raised more than 100 million yuan in a series A round, with Fortune Capital in the lead"
    # and "億級人民幣A1輪融資,由達晨財智領投": one round (Fortune Capital is 達晨財智)
    "d002": "d012",
    # d174's note: the same round as d142 (which calls it pre-seed), not Wonder Studios' $12M
    "d174": "d142",
    # b9-29's note: the $53M of the SEC filing is a $10M add-on to the $43M, not a new round
    "b4-03": "d101",
    "b9-29": "d101",
}

TOLERANCE = 0.15
UNDISCLOSED = {"", "undisclosed", "unknown", "none"}
START = datetime(2026, 3, 2, 8, 0, tzinfo=UTC)
STEP = timedelta(minutes=15)


def load_rows(paths: Iterable[Path] = CORPORA) -> list[dict[str, Any]]:
    """The `flag: true` rows of the corpora, in file order (each row's `set` is its file)."""
    rows: list[dict[str, Any]] = []
    for path in paths:
        for line in path.read_text(encoding="utf-8").splitlines():
            if line.strip():
                row = json.loads(line)
                if row.get("flag"):
                    rows.append(row | {"set": path.stem})
    return rows


def _company(label: str) -> str:
    name = COMPANY_ALIASES.get(label, label)
    return "".join(unicodedata.normalize("NFKC", name).casefold().split())


def _round(label: Any) -> str | None:
    text = str(label or "").strip().casefold()
    return None if text in UNDISCLOSED else text


def _usd_rates() -> dict[str, float]:
    table = yaml.safe_load((DEFAULT_SEEDS / "detection" / "fx.yaml").read_text(encoding="utf-8"))
    return {str(k): float(v) for k, v in table["usd_per_unit"].items()}


def _label_amount(row: dict[str, Any], rates: dict[str, float]) -> tuple[float, str] | None:
    """The labelled amount in USD when its currency has a rate, else in its own currency."""
    if row.get("amount") is None:
        return None
    amount, currency = float(row["amount"]), str(row.get("currency") or "")
    if currency in rates:
        return amount * rates[currency], "USD"
    return amount, currency


def _near(a: float, b: float) -> bool:
    return abs(a - b) <= TOLERANCE * max(abs(a), abs(b))


def label_rounds(rows: Sequence[dict[str, Any]]) -> dict[str, str | None]:
    """Row id -> its labelled round ("company|round", "company|~amount currency"), None when
    ambiguous (no round, no amount, and the company has several labelled rounds)."""
    by_id = {row["id"]: row for row in rows}
    by_company: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for row in rows:
        if (other := by_id.get(SAME_ROUND.get(row["id"], ""))) is not None:
            row = row | {"round": other["round"]}  # the corrected round, before amounts match
        by_company[_company(row["company"])].append(row)
    rates = _usd_rates()
    identity: dict[str, str | None] = {}
    for company, mine in by_company.items():
        amounts: dict[str, list[tuple[float, str]]] = defaultdict(list)  # round -> amounts
        for row in mine:
            if (r := _round(row["round"])) is not None:
                identity[row["id"]] = f"{company}|{r}"
                if (stated := _label_amount(row, rates)) is not None:
                    amounts[identity[row["id"]]].append(stated)
        vague: list[dict[str, Any]] = []
        for row in mine:
            if row["id"] in identity:
                continue
            stated = _label_amount(row, rates)
            if stated is None:
                vague.append(row)
                continue
            amount, currency = stated
            near = [
                (abs(a - amount), key)
                for key, pairs in amounts.items()
                for a, c in pairs
                if c == currency and _near(a, amount)
            ]
            if near:
                identity[row["id"]] = min(near)[1]
            else:
                key = f"{company}|~{amount:,.0f} {currency}"
                identity[row["id"]] = key
                amounts[key].append(stated)
        known = {identity[r["id"]] for r in mine if r["id"] in identity}
        for row in vague:
            if len(known) <= 1:
                identity[row["id"]] = next(iter(known), f"{company}|?")
            else:
                identity[row["id"]] = None
    for row_id, other in SAME_ROUND.items():
        if row_id in identity and other in identity:
            identity[row_id] = identity[other]
    return identity


@dataclass
class Stored:
    row: dict[str, Any]
    identity: str | None
    event_id: int | None
    detection: records.Detection
    status: str


@dataclass
class Measurement:
    stored: list[Stored]
    rounds: int = 0  # labelled rounds (of rows that are not ambiguous)
    events: int = 0  # events formed
    splits: dict[str, list[Stored]] = field(default_factory=dict)  # round -> its rows
    false_merges: dict[int, list[Stored]] = field(default_factory=dict)  # event -> its rows
    extra_events: int = 0  # events beyond one per labelled round, over the splits
    no_event: list[Stored] = field(default_factory=list)
    ambiguous: list[Stored] = field(default_factory=list)

    def figures(self) -> dict[str, int]:
        return {
            "rows": len(self.stored),
            "labelled rounds": self.rounds,
            "events": self.events,
            "splits": len(self.splits),
            "extra events": self.extra_events,
            "false merges": len(self.false_merges),
            "rows without event": len(self.no_event),
            "ambiguous rows": len(self.ambiguous),
        }


def ingest_rows(detector: Detector, rows: Sequence[dict[str, Any]], url: str) -> list[Stored]:
    """Detect and store each row as a crawled article of its own outlet; the event it lands in."""
    sessions = session_factory(create_db_engine(url))
    identity = label_rounds(rows)
    stored: list[Stored] = []
    for n, row in enumerate(rows):
        title, body = row.get("title") or "", row.get("text") or ""
        verdict = judge(detector, title, body, row.get("lang"))
        when = START + n * STEP
        outlet = f"outlet{n:03d}.example"
        article = records.Article(
            url=f"https://{outlet}/{row['set']}/{row['id']}",
            source=outlet,
            title=title,
            body=body,
            language=verdict.language,
            published_at=when,
            fetched_at=when,
            detection=verdict.detection,
        )
        with sessions.begin() as session:
            result = ingest_article(session, article)
        stored.append(Stored(row, identity[row["id"]], None, verdict.detection, result.status))
    with sessions() as session:
        events = {
            url: event_id
            for url, event_id in session.execute(select(Article.url, Article.event_id))
        }
    for n, item in enumerate(stored):
        item.event_id = events.get(
            f"https://outlet{n:03d}.example/{item.row['set']}/{item.row['id']}"
        )
    return stored


def compare(stored: list[Stored]) -> Measurement:
    m = Measurement(stored)
    by_round: dict[str, list[Stored]] = defaultdict(list)
    by_event: dict[int, list[Stored]] = defaultdict(list)
    for item in stored:
        if item.identity is None:
            m.ambiguous.append(item)
        if item.event_id is None:
            m.no_event.append(item)
            continue
        by_event[item.event_id].append(item)
        if item.identity is not None:
            by_round[item.identity].append(item)
    m.rounds = len({s.identity for s in stored if s.identity is not None})
    m.events = len(by_event)
    for key, items in by_round.items():
        events = {s.event_id for s in items}
        if len(events) > 1:
            m.splits[key] = items
            m.extra_events += len(events) - 1
    for event_id, items in by_event.items():
        if len({s.identity for s in items if s.identity is not None}) > 1:
            m.false_merges[event_id] = items
    return m


def measure(detector: Detector, rows: Sequence[dict[str, Any]] | None = None) -> Measurement:
    """The whole run on a fresh SQLite database in a temporary folder."""
    rows = load_rows() if rows is None else rows
    with tempfile.TemporaryDirectory() as tmp:
        return compare(ingest_rows(detector, rows, f"sqlite:///{Path(tmp) / 'events.db'}"))


def detector_without(companies: Iterable[str], vocab_dir: Path = DEFAULT_VOCAB_DIR) -> Detector:
    """The shipped detector with the `companies.yaml` entries of these keys left out: the
    companies become unknown names, keyed by their spelling as a new company's would be (the
    Chinese name and the English one then get keys in two scripts)."""
    dropped = set(companies)
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / "detection"
        shutil.copytree(vocab_dir, folder)
        path = folder / "companies.yaml"
        table = yaml.safe_load(path.read_text(encoding="utf-8"))
        unknown = dropped - {entry["key"] for entry in table["companies"]}
        if unknown:
            raise ValueError(f"no such companies in {path.name}: {sorted(unknown)}")
        table["companies"] = [e for e in table["companies"] if e["key"] not in dropped]
        path.write_text(yaml.safe_dump(table, allow_unicode=True), encoding="utf-8")
        return load_detector(folder)


def describe(item: Stored) -> str:
    d = item.detection
    amount = "-" if d.amount is None else f"{d.amount:,.0f}"
    if d.amount is None and (d.amount_low is not None or d.amount_high is not None):
        amount = f"~{d.amount_low or 0:,.0f}-{d.amount_high or 0:,.0f}"
    said = f"{d.company_key or '-'} {d.round or '-'} {amount} {d.currency or ''}".strip()
    if not d.flag:
        said = "not flagged"
    return (
        f"{item.row['id']:>7} event {item.event_id or '-':>3} label {item.identity or '?'} "
        f"| detected {said} [{item.status}] | {item.row['title'][:50]}"
    )
