"""The writer stores each article's language as its text shows, not the source's setting
(crawler.verdict.judge, run by the writer just before it stores the article)."""

from __future__ import annotations

import pytest

from fundwatch.crawler.verdict import judge
from fundwatch.detection import DEFAULT_VOCAB_DIR, Detector, load_detector

ENGLISH = (
    "Clipforge, an AI video editing startup based in Leeds, has raised $12 million in a seed "
    "round led by Birch Lane Ventures, the company said on Tuesday. Its tool turns long "
    "recordings into short clips with captions."
)
TRADITIONAL = (
    "香港AI影片新創青木影像宣布完成8000萬港元A輪融資,由松濤資本領投,資金將用於模型訓練與"
    "海外市場拓展。公司創辦人表示,團隊會繼續專注於短影音創作者的需求。"
)
SIMPLIFIED = (
    "AI视频公司青木影像宣布完成8000万元A轮融资,由松涛资本领投,资金将用于模型训练与海外市场"
    "拓展。公司创始人表示,团队会继续专注于短视频创作者的需求。"
)


@pytest.fixture(scope="module")
def detector() -> Detector:
    return load_detector(DEFAULT_VOCAB_DIR)


@pytest.mark.parametrize(
    ("source_language", "title", "body", "expected"),
    [
        ("zh-Hans", "Clipforge raises $12 million for AI video editing", ENGLISH, "en"),
        ("zh-Hans", "青木影像完成A輪融資", TRADITIONAL, "zh-Hant"),
        ("en", "青木影像完成A轮融资", SIMPLIFIED, "zh-Hans"),
        ("zh-Hant", "OK", "好", "zh-Hant"),  # too little text: the source's language stays
    ],
)
def test_article_language_comes_from_its_text(
    detector: Detector, source_language: str, title: str, body: str, expected: str
) -> None:
    verdict = judge(detector, title, body, source_language)
    assert verdict.language == expected
    assert verdict.language_from_text == (expected != source_language)


def test_english_story_on_a_chinese_source_is_read_as_english(detector: Detector) -> None:
    out = judge(detector, "Clipforge raises $12 million for AI video editing", ENGLISH, "zh-Hans")
    assert out.language == "en"
    assert out.detection.flag is True
    assert out.detection.lead_investors == ["Birch Lane Ventures"]  # not "Tuesday"
    assert out.detection.lead_investor_keys == ["birchlaneventures"]
