"""Quality gate: extraction on real publisher pages stays at or above pinned floors.

Floors live in ``real_pages_baseline.json`` beside this file (as trafilatura's eval gate pins
``eval_baseline.json``): title exact %, minute right %, day right % and body token F1 of what a
crawl stores from each of the 204 pages of ``../shared/real-pages`` against the fields a person
checked. Extraction and scoring are ``harness/real_pages.py``'s, the same code
``bench/real_pages.py`` prints the figures with, so the benchmark and the gate cannot drift
apart. Raise a floor when a change lifts a figure; never lower one to make a change pass.

The pages are read from the shared archive (never copied into the repository); the gate is
skipped when the archive is absent, except in CI (env ``CI`` set), where absence fails.
``pytest -s`` prints the figures.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from harness.real_pages import Figures, Outcome, measure, miss, tally, unpacked

HERE = Path(__file__).resolve().parent
REPO = HERE.parents[1]
BASELINE = json.loads((HERE / "real_pages_baseline.json").read_text(encoding="utf-8"))
METRICS = ("title exact", "minute right", "day right", "body F1")


@pytest.fixture(scope="module")
def outcomes() -> list[Outcome]:
    archive = (REPO / BASELINE["archive"]).resolve()
    if not archive.is_file():
        if os.environ.get("CI"):
            pytest.fail(f"real pages: archive {archive} is missing (CI must have it)")
        pytest.skip(f"real pages: archive not found at {archive}")
    with unpacked(archive) as root:
        found = measure(root)
    figures = tally(found)
    print(
        f"\nreal pages ({len(found)}): title exact {figures.title_exact_pct:.1f} % "
        f"({figures.title_right} of {figures.titles}), minute right "
        f"{figures.minute_right_pct:.1f} % ({figures.minute_right} of {figures.stated}), "
        f"day right {figures.day_right_pct:.1f} % ({figures.day_right} of {figures.dates}), "
        f"body F1 {figures.body_f1:.1f}"
    )
    return found


def test_baseline_names_every_metric() -> None:
    assert set(BASELINE["floors"]) == set(METRICS)
    assert all(0.0 < floor <= 100.0 for floor in BASELINE["floors"].values())


@pytest.mark.slow
def test_every_page_is_measured(outcomes: list[Outcome]) -> None:
    figures = tally(outcomes)
    assert len(outcomes) == BASELINE["pages"]
    # each figure is over most of the pages, so a floor cannot pass on a handful of them
    assert min(figures.titles, figures.dates, figures.stated, len(figures.f1s)) > 0.9 * len(
        outcomes
    )


@pytest.mark.slow
@pytest.mark.parametrize("metric", METRICS)
def test_figure_stays_at_or_above_its_floor(outcomes: list[Outcome], metric: str) -> None:
    figures: Figures = tally(outcomes)
    got, floor = figures.as_dict()[metric], BASELINE["floors"][metric]
    assert got + 1e-9 >= floor, (
        f"{metric} {got:.2f} is below its floor {floor}; misses:\n"
        + "\n".join(filter(None, (miss(o, metric) for o in outcomes)))
    )
