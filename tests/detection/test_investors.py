"""Investor names: clause fragments, dates and descriptions are no names; one key per investor."""

from __future__ import annotations

import pytest

from fundwatch.detection import Detector


def _investors(detector: Detector, title: str, text: str) -> tuple[list[str], list[str]]:
    result = detector.detect(title, text)
    assert result.is_funding, result.matched
    assert len(result.investor_keys) == len(result.investors)
    assert len(result.lead_investor_keys) == len(result.lead_investors)
    return result.lead_investors, result.investors


def test_a_clause_that_ends_in_lead_is_no_investor(detector: Detector) -> None:
    leads, names = _investors(
        detector,
        "视频模型公司青木影像完成2亿元B轮融资",
        "视频模型公司青木影像宣布完成2亿元B轮融资,由松涛资本领投,白桦创投、云岭基金跟投。"
        "松涛资本合伙人说,青木影像在画面一致性和渲染速度上的表现是其领投的主要原因。",
    )
    assert leads == ["松涛资本"]
    assert names == ["松涛资本", "白桦创投", "云岭基金"]


def test_name_with_alias_in_brackets_is_one_investor(detector: Detector) -> None:
    result = detector.detect(
        "AI视频公司青木影像完成5000万美元A轮融资,松涛资本领投",
        "AI视频公司青木影像宣布完成5000万美元A轮融资,本轮由松涛资本(Pine Tide Capital)领投,"
        "老股东继续追投。",
    )
    assert result.lead_investors == ["松涛资本 (Pine Tide Capital)"]
    assert result.investors == ["松涛资本 (Pine Tide Capital)"]
    assert result.lead_investor_keys == [detector.investor_key("松涛资本")]
    assert detector.investor_key("松涛资本(Pine Tide Capital)") == detector.investor_key("松涛资本")


def test_alias_in_brackets_names_the_same_investor_later_in_the_text(detector: Detector) -> None:
    result = detector.detect(
        "AI视频公司青木影像完成5000万美元A轮融资",
        "AI视频公司青木影像宣布完成5000万美元A轮融资,由松涛资本(Pine Tide Capital)领投。"
        "The $50 million funding round was led by Pine Tide Capital with participation from "
        "Birch Lane Ventures.",
    )
    assert result.lead_investors == ["松涛资本 (Pine Tide Capital)"]
    assert result.investors == ["松涛资本 (Pine Tide Capital)", "Birch Lane Ventures"]


@pytest.mark.parametrize("day", ["Tuesday", "Monday", "March 3"])
def test_a_date_after_the_lead_is_no_investor(detector: Detector, day: str) -> None:
    leads, names = _investors(
        detector,
        "Clipforge raises $12 million for AI video editing",
        "Clipforge, an AI video editing startup, has raised $12 million in a Series A round led "
        f"by Birch Lane Ventures, the company announced on {day}. Its tool cuts long videos.",
    )
    assert leads == ["Birch Lane Ventures"]
    assert names == ["Birch Lane Ventures"]


def test_the_company_said_ends_the_list(detector: Detector) -> None:
    leads, _ = _investors(
        detector,
        "Clipforge raises $12 million",
        "Clipforge, an AI video editing startup, raised $12 million in a round led by Birch Lane "
        "Ventures and Oakmoor Capital, Clipforge said. The AI video tool cuts long videos.",
    )
    assert leads == ["Birch Lane Ventures", "Oakmoor Capital"]


@pytest.mark.parametrize(
    ("title", "text", "expected"),
    [
        (
            "AI视频公司青木影像完成8000万元A轮融资",
            "AI视频公司青木影像完成8000万元A轮融资,由松涛资本领投,白桦创投及多位天使投资人参投。",
            ["松涛资本", "白桦创投"],
        ),
        (
            "AI视频公司青木影像完成8000万元A轮融资",
            "AI视频公司青木影像完成8000万元A轮融资,由松涛资本领投,多家产业资本跟投。",
            ["松涛资本"],
        ),
        (
            "香港AI影片公司青木影像完成8000萬港元A輪融資",
            "香港AI影片公司青木影像宣布完成8000萬港元A輪融資,由松濤資本領投,現有股東繼續跟投。",
            ["松濤資本"],
        ),
        (
            "數字人影片新創青木影像完成A輪融資",
            "數字人影片新創青木影像宣布,獲得松濤資本領投的2000萬美元A輪投資,白樺創投等老股東跟投。",
            ["松濤資本", "白樺創投"],
        ),
        (
            "AI视频公司青木影像完成1亿元B轮融资",
            "AI视频公司青木影像宣布完成1亿元B轮融资,由亚洲某主权基金领投。",
            [],
        ),
        (
            "Clipforge raises $12 million",
            "Clipforge, an AI video editing startup, raised $12 million in a round led by Birch "
            "Lane Ventures with participation from existing investors and several angel investors.",
            ["Birch Lane Ventures"],
        ),
    ],
)
def test_generic_descriptions_are_no_names(
    detector: Detector, title: str, text: str, expected: list[str]
) -> None:
    _, names = _investors(detector, title, text)
    assert names == expected


def test_investment_fund_named_with_touzi_is_kept_whole(detector: Detector) -> None:
    _, names = _investors(
        detector,
        "香港AI影片初創青木影像完成種子輪融資",
        "香港AI影片初創青木影像宣布獲得數百萬美元種子輪融資,由松濤投資及白樺投資創業基金參與。",
    )
    assert names == ["松濤投資", "白樺投資創業基金"]


def test_lowercase_investor_name(detector: Detector) -> None:
    leads, _ = _investors(
        detector,
        "Clipforge raises $30M Series B led by a16z",
        "Clipforge, an AI video editing startup, has raised $30 million in a Series B.",
    )
    assert leads == ["a16z"]


def test_keys_fold_scripts_case_and_punctuation(detector: Detector) -> None:
    key = detector.investor_key
    assert key("遠瀾資本") == key("远澜资本")
    assert key("Birch Lane Ventures") == key("birch-lane  ventures") == key("Ｂirch Lane Ventures")
    assert key("Birch Lane Ventures, LLC") == key("Birch Lane Ventures")
    assert key("a16z") == key("Andreessen Horowitz")  # the alias file
    assert key("远澜资本") != key("远山资本")


def test_keys_merge_spellings_within_one_text(detector: Detector) -> None:
    result = detector.detect(
        "AI视频公司帧光科技完成3亿元B轮融资,遠瀾資本领投",
        "AI视频公司帧光科技宣布完成3亿元B轮融资,由远澜资本领投,白桦创投跟投。",
    )
    assert result.lead_investors == ["遠瀾資本"]
    assert result.investors == ["遠瀾資本", "白桦创投"]
    assert result.investor_keys == [detector.investor_key("远澜资本"), "白桦创投"]
    assert result.to_dict()["investor_keys"] == result.investor_keys
    assert result.to_dict()["lead_investor_keys"] == result.lead_investor_keys
