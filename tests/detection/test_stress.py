"""The detector keeps its scores on the project's own stress set (and on the dev corpus).

``fixtures/stress.jsonl`` holds hand-written texts in simplified Chinese, traditional Chinese
and English: raises told in many forms (investor-first titles, raises in the third paragraph,
"in talks", parent companies, roundups, unknown company names), raises outside AI video, and
lookalike non-raises (launches, acquisitions, layoffs, ARR, stock moves, compute costs, market
forecasts, subsidies, VC fund closes, IPO filings). Labelling decisions are in each line's
``notes``; a VC firm closing its own fund and an IPO filing are not funding rounds.

Scoring is ``bench/detect_eval.py``'s, so the benchmark and this test cannot drift apart.
"""

from __future__ import annotations

import importlib.util
import json
from pathlib import Path
from types import ModuleType

import pytest

from fundwatch.detection import Detector

REPO = Path(__file__).resolve().parents[2]
STRESS = Path(__file__).resolve().parent / "fixtures" / "stress.jsonl"
# written blind (before reading the detector) to measure how it does on unseen texts
BLIND2 = Path(__file__).resolve().parent / "fixtures" / "blind2.jsonl"
BLIND3 = Path(__file__).resolve().parent / "fixtures" / "blind3.jsonl"
BLIND4 = Path(__file__).resolve().parent / "fixtures" / "blind4.jsonl"
DEV = REPO.parent / "shared" / "corpus" / "dev.jsonl"
FIELDS = ("amount+currency accuracy (TP)", "round accuracy (TP)", "company accuracy (TP)")


def _eval_module() -> ModuleType:
    spec = importlib.util.spec_from_file_location("detect_eval", REPO / "bench" / "detect_eval.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _rows(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line]


def _check(result: dict, floor: float) -> None:
    failing = {
        name: round(result[name], 3)
        for name in ("flag precision", "flag recall", *FIELDS)
        if result[name] < floor
    }
    assert not failing, f"below {floor}: {failing}; wrong:\n" + "\n".join(result["wrong"])


def test_stress_set_is_well_formed() -> None:
    rows = _rows(STRESS)
    assert len(rows) >= 80
    assert len({r["id"] for r in rows}) == len(rows)
    langs = {r["lang"] for r in rows}
    assert {"en", "zh-Hans", "zh-Hant"} <= langs
    for row in rows:
        assert row["flag"] == (row["is_funding"] and row["is_ai_video"]), row["id"]
        if not row["is_funding"]:
            assert row["company"] is None and row["amount"] is None, row["id"]
    assert sum(r["flag"] for r in rows) >= 40
    assert sum(not r["is_funding"] for r in rows) >= 30


def test_stress_set_scores(detector: Detector) -> None:
    result = _eval_module().evaluate(detector, _rows(STRESS))
    _check(result, 0.9)


@pytest.mark.parametrize("path", [BLIND2, BLIND3, BLIND4], ids=["blind2", "blind3", "blind4"])
def test_blind_sets_are_well_formed_and_long_enough(path: Path) -> None:
    rows = _rows(path)
    assert len(rows) >= {BLIND2: 70, BLIND3: 60, BLIND4: 40}[path]
    assert len({r["id"] for r in rows}) == len(rows)
    assert {"en", "zh-Hans", "zh-Hant"} <= {r["lang"] for r in rows}
    for row in rows:
        assert row["flag"] == (row["is_funding"] and row["is_ai_video"]), row["id"]
        if not row["is_funding"]:
            assert row["company"] is None and row["amount"] is None, row["id"]


@pytest.mark.parametrize("path", [BLIND2, BLIND3, BLIND4], ids=["blind2", "blind3", "blind4"])
def test_blind_set_scores(detector: Detector, path: Path) -> None:
    result = _eval_module().evaluate(detector, _rows(path))
    _check(result, 0.9)


def test_dev_corpus_scores(detector: Detector) -> None:
    if not DEV.is_file():
        pytest.skip(f"dev corpus not found at {DEV}")
    result = _eval_module().evaluate(detector, _rows(DEV))
    _check(result, 0.95)
