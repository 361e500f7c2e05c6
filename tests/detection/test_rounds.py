from __future__ import annotations

import pytest

from fundwatch.detection import Detector


@pytest.mark.parametrize(
    ("title", "expected"),
    [
        ("光影跃动完成种子轮融资", "seed"),
        ("光影跃动完成天使轮融资", "angel"),
        ("光影跃动完成Pre-A轮融资", "pre-A"),
        ("光影跃动完成A轮融资", "A"),
        ("光影跃动完成A1轮融资", "A1"),
        ("光影跃动完成A+轮融资", "A+"),
        ("光影跃动完成B+轮融资", "B+"),
        ("光影跃动完成C轮融资", "C"),
        ("光影跃动获得战略融资", "strategic"),
        ("光影跃动完成首轮融资", "seed"),
        ("光影跃动完成Pre-IPO轮融资", "pre-IPO"),
        ("光影躍動完成天使輪融資", "angel"),
        ("光影躍動完成A2輪融資", "A2"),
        ("光影躍動完成B+輪融資", "B+"),
        ("光影躍動獲得戰略投資", "strategic"),
        ("Framewell raises Series B", "B"),
        ("Framewell raises $4 million seed round", "seed"),
        ("Framewell closes Series A-1 funding", "A1"),
        ("Framewell lands pre-Series A funding", "pre-A"),
        ("Framewell raises $9 million in a round led by Northstar", "undisclosed"),
    ],
)
def test_round_forms(detector: Detector, title: str, expected: str) -> None:
    text = "The video generation startup makes AI video tools. 该公司专注AI视频生成。"
    assert detector.detect(title, text).round == expected


def test_past_round_is_skipped(detector: Detector) -> None:
    result = detector.detect(
        "Framewell raises $30 million",
        "Framewell, an AI video generation startup, raised $30 million in a Series B round. "
        "Northstar Ventures (which led its Series A round last year) also joined.",
    )
    assert result.round == "B"
