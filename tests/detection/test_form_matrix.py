"""Raise sentences composed from independent slots (harness/form_matrix.py): each case is
flagged with its company, amount, currency and round, and no lookalike is flagged.

Simplified and traditional Chinese and English; the slots are the opening, the company's
form, the verb, the amount, the round, the investors, the sector sentence and the headline
(English adds whether the amount comes before the round or is its attribute). The sample is
fixed (seeded) and small enough to run in a second or two; bench/form_matrix.py draws larger
samples and counts failures by slot value.
"""

from __future__ import annotations

import pytest

from fundwatch.detection import Detector
from harness.form_matrix import SLOTS, Case, lookalike_cases, sample_cases, single_slot_cases

SEED = 20
PER_LANGUAGE = 150

CASES = [
    *single_slot_cases(),
    *sample_cases(SEED, PER_LANGUAGE),
    *lookalike_cases(),
]


def test_the_matrix_covers_every_slot_value() -> None:
    seen = {(c.lang, slot, label) for c in CASES if c.flag for slot, label in c.slots}
    for lang, slots in SLOTS.items():
        for slot, values in slots.items():
            for v in values:
                assert (lang, slot, v.label) in seen, (lang, slot, v.label)


@pytest.mark.parametrize("case", CASES, ids=lambda c: c.id)
def test_case(detector: Detector, case: Case) -> None:
    d = detector.detect(case.title, case.text)
    if not case.flag:
        assert not d.flag, (d.company, d.matched)
        return
    assert d.flag, d.matched
    assert detector.company_key(d.company or "") == detector.company_key(case.company or ""), (
        d.company
    )
    assert (d.amount, d.currency, d.round) == (case.amount, case.currency, case.round), d.matched


@pytest.mark.parametrize(
    "text",
    [
        "一家视频公司完成1.2亿元A轮融资。该公司专注AI视频生成。",
        "这家美国公司完成1.2亿元A轮融资。该公司专注AI视频生成。",
        "被投公司完成1.2亿元A轮融资。该公司专注AI视频生成。",
        "據悉,上市公司完成1.2億元A輪融資。該公司專注AI視頻生成。",
    ],
)
def test_a_word_of_kind_place_or_relation_before_gongsi_names_nobody(
    detector: Detector, text: str
) -> None:
    """ "帧影公司" names its company; "视频公司", "美国公司", "被投公司" only describe one."""
    d = detector.detect("AI视频生成赛道又添新玩家", text)
    assert not d.flag, (d.company, d.matched)
