"""Quality gate: the detector's scores on every labelled set stay at or above pinned floors.

Floors live in ``quality_baseline.json`` beside this file (as trafilatura's eval gate pins
``eval_baseline.json``): per set, the path of its JSON Lines corpus and a floor per metric.
Scoring is ``bench/detect_eval.py``'s, so the benchmark and the gate cannot drift apart.
Raise a floor when a change lifts a score; never lower one to make a change pass.

The shared corpora (``../shared/corpus/dev*.jsonl``, real news, never copied into the
repository) are skipped when absent, except in CI (env ``CI`` set), where absence fails.
"""

from __future__ import annotations

import importlib.util
import json
import os
from pathlib import Path
from types import ModuleType

import pytest

from fundwatch.detection import Detector

HERE = Path(__file__).resolve().parent
REPO = HERE.parents[1]
BASELINE = json.loads((HERE / "quality_baseline.json").read_text(encoding="utf-8"))


def _eval_module() -> ModuleType:
    spec = importlib.util.spec_from_file_location("detect_eval", REPO / "bench" / "detect_eval.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _rows(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line]


def test_baseline_names_every_metric_and_set() -> None:
    metrics = set(BASELINE["metrics"])
    assert {
        "flag precision", "flag recall", "company accuracy (TP)", "valuation accuracy (TP)"
    } <= metrics  # fmt: skip
    for name, entry in BASELINE["sets"].items():
        assert set(entry["floors"]) == metrics, name
        assert all(0.0 <= v <= 1.0 for v in entry["floors"].values()), name


@pytest.mark.parametrize("name", sorted(BASELINE["sets"]))
def test_scores_stay_at_or_above_their_floors(detector: Detector, name: str) -> None:
    entry = BASELINE["sets"][name]
    path = (REPO / entry["path"]).resolve()
    if not path.is_file():
        if os.environ.get("CI"):
            pytest.fail(f"{name}: corpus {path} is missing (CI must have it)")
        pytest.skip(f"{name}: corpus not found at {path}")
    rows = _rows(path)
    if "batch" in entry:
        rows = [r for r in rows if r.get("batch") == entry["batch"]]
    result = _eval_module().evaluate(detector, rows)
    below = {
        metric: (round(result[metric], 3), floor)
        for metric, floor in entry["floors"].items()
        if result[metric] + 1e-9 < floor
    }
    assert not below, f"{name} below its floors (got, floor): {below}; wrong:\n" + "\n".join(
        result["wrong"]
    )
