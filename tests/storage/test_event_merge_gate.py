"""Gate: one alert per funding round on the labelled corpora, splits and false merges pinned.

Every labelled funding story of ``../shared/corpus/dev.jsonl``, ``dev2.jsonl`` and
``tests/detection/fixtures/blind_corpus.jsonl`` goes through the detector and
``ingest_article`` on a fresh SQLite database, one outlet per row, all within three days; the
events formed are compared with the labelled rounds. Measure and answer key are
``harness/event_merge.py``'s, the code ``bench/event_merge.py`` prints the figures and every
split and false merge with, so the benchmark and the gate cannot drift apart. Maximums live in
``event_merge_baseline.json``: lower one when a change improves a figure; never raise one to
make a change pass (a new labelled batch that adds a split is a finding: look at it with the
bench first).

Skipped when the shared corpora are absent, except in CI (env ``CI`` set), where absence fails.
``pytest -s`` prints the figures.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from fundwatch import records
from fundwatch.detection import DEFAULT_VOCAB_DIR, load_detector
from harness.event_merge import CORPORA, Measurement, Stored, compare, describe, measure

HERE = Path(__file__).resolve().parent
BASELINE = json.loads((HERE / "event_merge_baseline.json").read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def measured() -> Measurement:
    missing = [str(path) for path in CORPORA if not path.is_file()]
    if missing:
        if os.environ.get("CI"):
            pytest.fail(f"event merge gate: corpora missing (CI must have them): {missing}")
        pytest.skip(f"event merge gate: corpora not found: {missing}")
    m = measure(load_detector(DEFAULT_VOCAB_DIR))
    print("\nevent merge: " + ", ".join(f"{k} {v}" for k, v in m.figures().items()))
    return m


def test_every_labelled_funding_story_is_measured(measured: Measurement) -> None:
    figures = measured.figures()
    assert figures["rows"] >= BASELINE["min rows"]  # a new labelled batch only adds rows
    # most rows have a round of their own to be judged against, so the maximums mean something
    assert figures["ambiguous rows"] <= figures["rows"] // 10
    assert figures["labelled rounds"] >= figures["rows"] // 2


def test_splits_and_false_merges_stay_at_or_below_their_maximums(measured: Measurement) -> None:
    figures = measured.figures()
    over = {
        name: (figures[name], most)
        for name, most in BASELINE["maximums"].items()
        if figures[name] > most
    }
    shown = [
        f"split {key}: " + "; ".join(describe(s) for s in items)
        for key, items in sorted(measured.splits.items())
    ]
    shown += [
        f"false merge, event {e}: " + "; ".join(describe(s) for s in items)
        for e, items in sorted(measured.false_merges.items())
    ]
    assert not over, f"above the maximums (got, maximum): {over}\n" + "\n".join(shown)


def _stored(row_id: str, identity: str | None, event_id: int | None) -> Stored:
    row = {"id": row_id, "title": row_id, "company": "X", "round": "A", "set": "t"}
    detection = records.Detection(flag=event_id is not None, company="X", company_key="x")
    return Stored(row, identity, event_id, detection, "new")


def test_the_comparison_counts_splits_false_merges_and_what_it_cannot_judge() -> None:
    m = compare(
        [
            _stored("a1", "x|a", 1),
            _stored("a2", "x|a", 2),  # x|a in events 1 and 2: a split, one extra event
            _stored("a3", "x|a", 2),
            _stored("b1", "x|b", 2),  # event 2 holds x|a and x|b: a false merge
            _stored("c1", "x|c", 3),
            _stored("v1", None, 3),  # ambiguous: counted in no figure
            _stored("m1", "x|d", None),  # no event: a detector miss
        ]
    )
    assert m.figures() == {
        "rows": 7,
        "labelled rounds": 4,
        "events": 3,
        "splits": 1,
        "extra events": 1,
        "false merges": 1,
        "rows without event": 1,
        "ambiguous rows": 1,
    }
    assert sorted(m.splits) == ["x|a"] and sorted(m.false_merges) == [2]
