"""Forms of funding news beyond the dev corpus: unknown names, sentence shapes, lookalikes.

Each text is written for this test; company names are invented unless the test is about a
known alias.
"""

from __future__ import annotations

import pytest

from fundwatch.detection import Detector


def test_pronoun_subject_keeps_the_titled_company(detector: Detector) -> None:
    result = detector.detect(
        "Northlight Ventures backs avatar startup Facet in $12 million round",
        "Facet makes AI avatars for product demos.\n\nThe Lisbon company said on Monday it has "
        "raised $12 million in a Series A round led by Northlight Ventures.",
    )
    assert result.flag
    assert (result.company, result.amount, result.round) == ("Facet", 12_000_000, "A")


def test_apposition_before_said_it_raised(detector: Detector) -> None:
    result = detector.detect(
        "Quillreel's parent company raises $9 million",
        "Arbor Media, the parent company of AI video app Quillreel, said it raised $9 million "
        "in a seed round.",
    )
    assert result.flag and result.company == "Arbor Media" and result.round == "seed"


def test_place_possessive_is_not_part_of_the_name(detector: Detector) -> None:
    result = detector.detect(
        "Oslo's Clipmoth raises €6m for AI video editing",
        "Clipmoth, which builds video editing software driven by AI, raised €6m in a seed round.",
    )
    assert result.flag
    assert (result.company, result.amount, result.currency) == ("Clipmoth", 6_000_000, "EUR")


def test_investor_led_round_in_unknown_company(detector: Detector) -> None:
    result = detector.detect(
        "Tencent leads $20 million round in AI video startup Lumora",
        "Tencent has led a $20 million investment round in Lumora, a startup that turns photos "
        "into short videos.",
    )
    assert result.flag and result.company == "Lumora" and result.amount == 20_000_000


@pytest.mark.parametrize(
    ("title", "text", "company"),
    [
        (
            "深圳某某影像科技完成天使轮融资",
            "近日,深圳市栖光影像科技有限公司(以下简称“栖光影像”)完成千万元级天使轮融资,"
            "公司专注于AI视频生成。",
            "栖光影像",
        ),
        (
            "AI视频生成公司栖光影像(Qiguang AI)完成A轮融资",
            "AI视频生成公司栖光影像(Qiguang AI)宣布完成5000万元A轮融资。",
            "栖光影像",
        ),
        (
            "視頻生成新創「栖光」獲得3000萬美元投資",
            "專注於文生視頻的新創公司「栖光」今日宣布,獲得3000萬美元A輪投資。",
            "栖光",
        ),
    ],
)
def test_chinese_name_forms(detector: Detector, title: str, text: str, company: str) -> None:
    result = detector.detect(title, text)
    assert result.flag
    assert result.company == company


def test_sector_word_at_the_end_belongs_to_the_name(detector: Detector) -> None:
    result = detector.detect(
        "具身智能公司「青檀机器人」完成2亿元A轮融资",
        "具身智能公司「青檀机器人」宣布完成2亿元A轮融资,资金用于人形机器人量产。",
    )
    assert result.is_funding and not result.flag
    assert result.company == "青檀机器人"


def test_generic_title_gives_way_to_the_body_company(detector: Detector) -> None:
    result = detector.detect(
        "视频大模型赛道再迎大额融资",
        "此前,多家公司曾完成融资,另一家也获得了投资。\n近日,视频大模型公司「澄帧科技」宣布"
        "完成3亿元人民币B轮融资。",
    )
    assert result.flag
    assert (result.company, result.amount, result.round) == ("澄帧科技", 300_000_000, "B")


@pytest.mark.parametrize(
    ("title", "text"),
    [
        (
            "Harbor Peak closes $2 billion in new funds to back AI startups",
            "Harbor Peak has closed $2 billion across two new funds and will back AI video "
            "startups among others.",
        ),
        (
            "远岸资本完成30亿元新基金募集",
            "远岸资本宣布完成第三期人民币基金募集,规模30亿元,重点投资视频生成方向。",
        ),
        (
            "AI video company Reelwright files for Hong Kong IPO",
            "Reelwright, a maker of AI video generation software, filed for an initial public "
            "offering in Hong Kong. It raised $40 million in a Series B two years ago.",
        ),
        (
            "Avatar startup Mimeo lays off 40% of staff",
            "Mimeo, which makes AI avatars for sales videos, laid off 40% of its staff. The "
            "company, which raised $25 million in 2023, is looking for a buyer.",
        ),
        (
            "「澄帧」回应融资传闻",
            "针对有关公司完成10亿元融资的传闻,视频生成公司「澄帧」回应称消息不属实。",
        ),
        (
            "Former Runway executive raises $30 million for a new venture fund",
            "A former Runway executive has raised $30 million for a new venture fund that will "
            "invest in AI video startups.",
        ),
        (
            "Lumora co-founder departs",
            "The co-founder of Lumora, a video generation startup that raised $20 million in a "
            "Series A, has left to start a new company.",
        ),
    ],
)
def test_lookalikes_are_not_raises(detector: Detector, title: str, text: str) -> None:
    result = detector.detect(title, text)
    assert not result.is_funding, result.matched
    assert not result.flag


def test_reported_speech_past_perfect_is_news(detector: Detector) -> None:
    result = detector.detect(
        "Dubframe raises $7 million",
        "Dubframe announced on Thursday it had raised $7 million in a seed round. Its lip-sync "
        "model dubs videos into new languages.",
    )
    assert result.flag and result.amount == 7_000_000


def test_yen_symbol_resolved_by_context(detector: Detector) -> None:
    result = detector.detect(
        "Tokyo's Emaki AI raises ¥2bn",
        "Emaki AI, a Tokyo startup that turns manga into animated video, raised ¥2bn in a "
        "Series A.",
    )
    assert result.flag and (result.amount, result.currency) == (2_000_000_000, "JPY")


def test_taiwan_dollar_before_yuan_unit(detector: Detector) -> None:
    result = detector.detect(
        "台灣新創「映潮」完成新台幣1億元A輪募資",
        "主打AI影片生成的台灣新創映潮宣布完成新台幣1億元A輪募資。",
    )
    assert result.flag and (result.amount, result.currency) == (100_000_000, "TWD")


def test_several_hundred_million_yuan_is_vague(detector: Detector) -> None:
    result = detector.detect(
        "Chinese AI video startup Yunmo raises funds",
        "Chinese AI video startup Yunmo has raised several hundred million yuan in a Series A "
        "round, the company said.",
    )
    assert result.flag
    assert result.amount is None and result.currency == "CNY" and result.amount_approximate


def test_generative_phrase_marks_the_sector(detector: Detector) -> None:
    result = detector.detect(
        "Brightcut raises $9 million",
        "Brightcut, a startup that generates product videos from photos, raised $9 million in "
        "seed funding.",
    )
    assert result.flag
    assert any(m.startswith("ai_video:pattern:") for m in result.matched)
