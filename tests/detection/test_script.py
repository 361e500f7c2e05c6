"""The language of an article from its own text."""

from __future__ import annotations

import pytest

from fundwatch.detection import Detector
from fundwatch.detection.script import detect_language

ENGLISH = (
    "Clipforge, a video editing startup from Leeds, has raised twelve million dollars to build "
    "tools that cut long recordings into short clips. 青木 is its Chinese name."
)
SIMPLIFIED = (
    "视频剪辑初创公司青木影像宣布完成新一轮融资,资金将用于模型训练和海外市场拓展。"
    "公司创始人表示,团队会继续专注于短视频创作者的需求。Clipforge 是其英文名称。"
)
TRADITIONAL = (
    "影片剪輯新創公司青木影像宣布完成新一輪融資,資金將用於模型訓練與海外市場拓展。"
    "公司創辦人表示,團隊會繼續專注於短影音創作者的需求。Clipforge 是其英文名稱。"
)


@pytest.mark.parametrize(
    ("text", "expected"),
    [(ENGLISH, "en"), (SIMPLIFIED, "zh-Hans"), (TRADITIONAL, "zh-Hant")],
)
def test_language_from_text(text: str, expected: str) -> None:
    assert detect_language(text) == expected


def test_unclear_texts_give_none() -> None:
    assert detect_language("") is None
    assert detect_language("OK 好") is None
    mixed = "青木 Clipforge raised new funding from Birch Lane Ventures and others 完成融资 " * 2
    assert detect_language(mixed) is None
    assert detect_language("我在上海工作。" * 10) is None  # Chinese, but no script-marked char


def test_only_the_start_of_a_long_text_is_read() -> None:
    assert detect_language(ENGLISH * 60 + SIMPLIFIED * 200) == "en"


def test_detector_uses_its_own_character_map(detector: Detector) -> None:
    assert detector.detect_language(TRADITIONAL) == "zh-Hant"
    assert detector.detect_language(SIMPLIFIED) == "zh-Hans"
