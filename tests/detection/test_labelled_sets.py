"""The project's labelled sets are well formed (scores are pinned in test_quality_gate.py).

``fixtures/stress.jsonl`` holds hand-written texts in simplified Chinese, traditional Chinese
and English: raises told in many forms (investor-first titles, raises in the third paragraph,
"in talks", parent companies, roundups, unknown company names), raises outside AI video, and
lookalike non-raises (launches, acquisitions, layoffs, ARR, stock moves, compute costs, market
forecasts, subsidies, VC fund closes, IPO filings). Labelling decisions are in each line's
``notes``; a VC firm closing its own fund and an IPO filing are not funding rounds.

``fixtures/blind_corpus.jsonl`` holds texts written blind, in batches (field ``batch``).
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

STRESS = Path(__file__).resolve().parent / "fixtures" / "stress.jsonl"
# written blind (before reading the detector) to measure how it does on unseen texts; `batch`
# tells which round of writing a text came from
BLIND = Path(__file__).resolve().parent / "fixtures" / "blind_corpus.jsonl"
BATCH_SIZES = {
    2: 70, 3: 60, 4: 40, 5: 40, 6: 10, 7: 45, 8: 48, 9: 40, 10: 43, 11: 44, 12: 42, 13: 37,
}  # fmt: skip


def _rows(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line]


def _well_formed(rows: list[dict]) -> None:
    assert len({r["id"] for r in rows}) == len(rows)
    assert {"en", "zh-Hans", "zh-Hant"} <= {r["lang"] for r in rows}
    for row in rows:
        assert row["flag"] == (row["is_funding"] and row["is_ai_video"]), row["id"]
        if not row["is_funding"]:
            assert row["company"] is None and row["amount"] is None, row["id"]


def test_stress_set_is_well_formed() -> None:
    rows = _rows(STRESS)
    assert len(rows) >= 80
    _well_formed(rows)
    assert sum(r["flag"] for r in rows) >= 40
    assert sum(not r["is_funding"] for r in rows) >= 30


@pytest.mark.parametrize("batch", sorted(BATCH_SIZES))
def test_each_blind_batch_is_well_formed_and_long_enough(batch: int) -> None:
    rows = [r for r in _rows(BLIND) if r["batch"] == batch]
    assert len(rows) >= BATCH_SIZES[batch]
    _well_formed(rows)


def test_blind_ids_are_unique_across_batches() -> None:
    rows = _rows(BLIND)
    assert len({r["id"] for r in rows}) == len(rows)
    assert {r["batch"] for r in rows} == set(BATCH_SIZES)
