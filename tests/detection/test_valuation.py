"""The round's valuation (``valuation_usd``): the phrasings that state it and the figures that
are not it (an earlier valuation, a rival's, a market size, a revenue multiple, a fund's
assets). Texts are invented; the labelling convention is in docs/detection.md."""

from __future__ import annotations

import pytest

from fundwatch.detection import Detector

CNY = 0.1376  # seeds/detection/fx.yaml
HKD = 0.1281
TWD = 0.03074

STATED = [
    # English
    (
        "Vidora raises $60M",
        "Vidora, an AI video generation startup, raised $60 million in a Series B round. "
        "The new deal values the San Francisco-based company at $1.5 billion.",
        1.5e9,
    ),
    (
        "Vidora closes $200M round",
        "AI video generation company Vidora has closed a $200 million funding round led by "
        "Northwind Capital, lifting its valuation to $4 billion.",
        4e9,
    ),
    (
        "Vidora raises $200M",
        "AI video generation startup Vidora raised $200 million in a Series C, bringing its "
        "valuation to $2.5 billion.",
        2.5e9,
    ),
    (
        "Vidora raises $200M",
        "AI video generation startup Vidora raised $200 million in a Series C that pushes its "
        "valuation to $3 billion.",
        3e9,
    ),
    (
        "Vidora raises $60M at a $440M valuation",
        "AI video generation startup Vidora raised $60 million in a Series A at a $440 million "
        "valuation, led by Northwind Capital.",
        4.4e8,
    ),
    (
        "Vidora raises $80M",
        "Vidora, which makes AI video generation tools, raised $80 million in a Series B. The "
        "company is now valued at $900 million.",
        9e8,
    ),
    (
        "Vidora raises $50M",
        "Vidora, an AI video generation startup, raised $50 million at a post-money valuation "
        "of $600 million.",
        6e8,
    ),
    (
        "Vidora raises $50M",
        "Vidora, an AI video generation startup, raised $50 million in a Series B at a "
        "pre-money valuation of $300 million.",
        3e8,
    ),
    (
        "Vidora raises $50M",
        "Vidora, an AI video generation startup, raised $50 million at a pre-money valuation "
        "of $300 million, or $350 million post-money.",
        3.5e8,
    ),
    (
        "Vidora raises $141M",
        "AI video generation startup Vidora raised $141 million in a Series C. The round "
        "values Vidora at more than $1.5 billion, up from $500 million in December.",
        1.5e9,
    ),
    (
        "Vidora raises $100M",
        "AI video generation startup Vidora raised $100 million in a Series C, and its "
        "valuation rose from $1 billion to $2.2 billion.",
        2.2e9,
    ),
    # simplified Chinese
    (
        "幻镜科技完成新一轮融资",
        "AI视频生成公司幻镜科技宣布完成新一轮融资,投后估值超过100亿元人民币。",
        1e10 * CNY,
    ),
    (
        "幻镜科技完成2亿美元融资",
        "AI视频生成公司幻镜科技宣布完成2亿美元C轮融资,估值达到30亿美元。",
        3e9,
    ),
    (
        "幻镜科技完成2亿美元融资",
        "AI视频生成公司幻镜科技宣布完成2亿美元C轮融资,估值逾30亿美元。",
        3e9,
    ),
    (
        "幻镜科技完成2亿美元融资",
        "AI视频生成公司幻镜科技宣布完成2亿美元C轮融资,本轮投前估值约15亿美元。",
        1.5e9,
    ),
    (
        "幻镜科技融资2亿美元,估值跃升至40亿美元",
        "幻镜科技最近完成的2亿美元融资让估值翻倍至40亿美元。幻镜科技是一家AI视频生成公司。",
        4e9,
    ),
    (
        "幻镜科技完成C轮融资",
        "AI视频生成公司幻镜科技宣布完成3亿美元C轮融资,公司身价达到20亿美元。",
        2e9,
    ),
    (
        "幻镜科技完成C轮融资",
        "AI视频生成公司幻镜科技宣布完成3亿美元C轮融资,这家公司的估值几乎翻倍,达到53亿美元。",
        5.3e9,
    ),
    # traditional Chinese, HKD and TWD converted as amount_usd is
    (
        "幻鏡科技完成1億美元融資",
        "AI影片生成公司幻鏡科技剛募得1億美元,估值來到31億美元。",
        3.1e9,
    ),
    (
        "幻鏡科技完成B輪融資",
        "AI影片生成新創幻鏡科技宣布完成2億港元B輪融資,投後估值約20億港元。",
        2e9 * HKD,
    ),
    (
        "幻鏡科技完成A輪融資",
        "AI影片生成新創幻鏡科技宣布完成新台幣3億元A輪融資,估值達新台幣30億元。",
        3e9 * TWD,
    ),
]


@pytest.mark.parametrize(("title", "text", "valuation"), STATED)
def test_the_stated_valuation_is_read(
    detector: Detector, title: str, text: str, valuation: float
) -> None:
    result = detector.detect(title, text)
    assert result.flag, result.matched
    assert result.valuation_usd == pytest.approx(valuation, rel=0.001), result.matched


NOT_THE_ROUNDS = [
    # an earlier valuation, told as history
    (
        "Vidora raises $60M",
        "AI video generation startup Vidora raised $60 million in a Series A. Vidora was "
        "valued at $440 million only a few months back.",
    ),
    (
        "Vidora raises $60M",
        "AI video generation startup Vidora raised $60 million in a Series B. The company "
        "was valued at $500 million in its previous round.",
    ),
    (
        "幻镜科技完成2亿美元融资",
        "AI视频生成公司幻镜科技宣布完成2亿美元C轮融资。当时公司在B轮融资后估值10亿美元。",
    ),
    # a rival's valuation
    (
        "Vidora raises $60M",
        "AI video generation startup Vidora raised $60 million in a Series A. Its rival "
        "Pika is valued at $470 million.",
    ),
    (
        "Vidora raises $60M",
        "AI video generation startup Vidora raised $60 million in a Series A round. "
        "Framewell, a startup in Paris, is valued at $2 billion.",
    ),
    # a market size
    (
        "幻镜科技完成2亿美元融资",
        "AI视频生成公司幻镜科技宣布完成2亿美元C轮融资。预计到2030年全球AI视频市场规模将达到"
        "500亿美元。",
    ),
    (
        "Vidora raises $60M",
        "AI video generation startup Vidora raised $60 million in a Series A. Its backer "
        "Nvidia recently reached a $3 trillion market value.",
    ),
    # a revenue multiple: the figure is revenue, not the valuation
    (
        "Vidora raises $60M",
        "AI video generation startup Vidora raised $60 million in a Series A, valued at 20 "
        "times its $50 million annual revenue.",
    ),
    # a fund's assets
    (
        "Vidora raises $60M",
        "AI video generation startup Vidora raised $60 million in a Series A led by "
        "Northwind Capital, which manages assets worth $12 billion.",
    ),
    # a hypothetical valuation of talks (dev d009's convention)
    (
        "Vidora in talks to raise",
        "AI video generation startup Vidora is in talks to raise $100 million in a deal that "
        "could value it at about $1 billion.",
    ),
    (
        "幻镜科技洽谈新一轮融资",
        "据知情人士透露,AI视频生成公司幻镜科技正在洽谈新一轮融资,金额约6000万美元,投后估值"
        "有望超过5亿美元。",
    ),
    # the round's own size told with "worth"
    (
        "Vidora closes $40M round",
        "Vidora, which builds AI avatars for video, closed its second funding round, this one "
        "worth $40 million.",
    ),
    # a founder's wealth
    (
        "幻镜科技完成2亿美元融资",
        "AI视频生成公司幻镜科技宣布完成2亿美元C轮融资,其创始人身价超过10亿美元。",
    ),
]


@pytest.mark.parametrize(("title", "text"), NOT_THE_ROUNDS)
def test_figures_that_are_not_the_rounds_valuation(
    detector: Detector, title: str, text: str
) -> None:
    result = detector.detect(title, text)
    assert result.is_funding, result.matched
    assert result.valuation_usd is None, result.matched


AMOUNT_BESIDE = [
    (
        "Vidora closes $200M round",
        "AI video generation company Vidora has closed a $200 million funding round, lifting "
        "its valuation to $4 billion.",
        200_000_000,
        4e9,
    ),
    (
        "Vidora raises money",
        "Vidora, an AI video generation startup, raised $50 million at a post-money valuation "
        "of $600 million.",
        50_000_000,
        6e8,
    ),
    (
        "幻镜科技新一轮融资",
        "AI视频生成公司幻镜科技宣布,本轮2亿美元融资让公司估值翻倍至40亿美元。",
        200_000_000,
        4e9,
    ),
    (
        "Vidora raises money",
        "AI video generation startup Vidora raised money from Nvidia, which has a $3 trillion "
        "market value, in a seed round.",
        None,
        None,
    ),
]


@pytest.mark.parametrize(("title", "text", "amount", "valuation"), AMOUNT_BESIDE)
def test_the_round_amount_is_told_from_its_valuation(
    detector: Detector, title: str, text: str, amount: int | None, valuation: float | None
) -> None:
    result = detector.detect(title, text)
    assert result.flag, result.matched
    assert (result.amount, result.valuation_usd) == (amount, valuation), result.matched


def test_a_range_of_amounts_is_still_no_valuation(detector: Detector) -> None:
    result = detector.detect(
        "Vidora raises",
        "AI video generation startup Vidora raised between $50 million and $75 million in a "
        "Series B.",
    )
    assert result.is_funding
    assert result.valuation_usd is None
