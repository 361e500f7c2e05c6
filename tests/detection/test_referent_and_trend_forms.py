"""Raises named through "the company", trend and list pieces, condition words: one invented case
per form (first seen in real news; no corpus text).

"The company" after a body that named the raiser, AI-run VTubers and "AI humans", trend titles
("draw less backing", "融资热潮", "biggest rounds"), film funds, raises listed between
semicolons as examples, financing words that name a condition ("融资困境", "融资阶段"),
bullets and aspect words before a Chinese raise verb, and one passing share-price remark.
"""

from __future__ import annotations

import pytest

from fundwatch.detection import Detector
from tests.detection.form_checks import check_raise

RAISES = [
    # "the company" is the company the body introduced ("a company called X")
    (
        "Screens Versus the Studios",
        "Audiences keep asking for more. One contender stands above the rest: a company called "
        "Vidlume, which builds AI video tools for studios. The company just secured another $20 "
        "million through a Series B extension, thanks to investors Alder and Kestrel.",
        "Vidlume",
        20_000_000,
        "USD",
        "B",
    ),
    # ... or the known company the body named last
    (
        "Creative tools this week",
        "Runway keeps shipping new video models for filmmakers. The company just secured "
        "another $50 million in a Series D round, investors said.",
        "Runway",
        50_000_000,
        "USD",
        "D",
    ),
    # virtual YouTubers run by AI are virtual humans on video
    (
        "Hoshiko Labs raises 200 million yen",
        "Hoshiko Labs, whose AI VTubers stream with no human operator, raises 200 million yen "
        "from Skyline Ventures.",
        "Hoshiko Labs",
        200_000_000,
        "JPY",
        "undisclosed",
    ),
    # a bullet before the name is not part of it
    (
        "星帧科技完成数千万元天使轮融资",
        "- 星帧科技完成数千万元天使轮融资,资金将用于视频生成模型研发",
        "星帧科技",
        None,
        "CNY",
        "angel",
    ),
]

NOT_RAISES = [
    # a title about a sector's funding trend, the raise in the body one example of it
    (
        "Media Startups Draw Less Backing, But AI Is A Bright Spot",
        "Studios are cutting budgets. Ad revenue is down. Fewer households pay for cable. "
        "Investors are wary of the sector. The largest media round this year was a $90 million "
        "June Series C for Runway, which makes AI video tools.",
    ),
    (
        "视频生成融资热潮涌现 今年国内59起投资事件",
        "行业融资动态。今年以来国内共发生59起投资事件。全球相关投资超过300起。公司融资进展。"
        "星帧科技完成数千万元天使轮融资,将发布新的视频生成模型。",
    ),
    # a ranking of the year's rounds
    (
        "Europe's AI Funding Explosion: 2025's Biggest Rounds",
        "European AI funding reached record levels, with Paris-based Mistral AI raising a record "
        "€1.7 billion in a September Series C. Synthesia secured €174 million for avatars.",
    ),
    # money into a film fund is no startup round
    (
        "Kirin Pictures lands ¥500 million from a state bank for its film fund",
        "Kirin Pictures said on Friday it had secured a ¥500 million investment for its "
        "flagship Kirin Film Fund I, which backs AI-assisted animated films.",
    ),
    # raises listed between semicolons as examples of a trend
    (
        "本期周刊导播",
        "本期导播先为你领读封面文章。投资人认为视频生成赛道规模巨大。业内人士纷纷入局。"
        "在这样的预期下,融资也在密集发生。12月,星帧科技宣布完成数亿元Pre-A+轮融资;11月,"
        "影翼智能宣布完成5亿元融资;1月成立的幻映视频完成了1.5亿元天使轮融资。",
    ),
    # financing as a condition or a stage, not a raise
    (
        "视频模型赚钱了",
        "2024年国内不少视频生成初创陷入融资困境,找不到市场契合点。",
    ),
    (
        "数字人员工上岗",
        "这位数字人员工能在一秒内读完上百份商业计划书,并按行业属性、融资阶段做出总结。",
    ),
    # an aspect of a sector is not a company
    (
        "内地AR初创成风投新宠",
        "市场调查机构指出,内地初创在扩增实境(AR)及电脑视觉方面的融资额,过去12个月高达39亿美元。",
    ),
]


@pytest.mark.parametrize("title,text,company,amount,currency,round_", RAISES)
def test_raise_forms(
    detector: Detector,
    title: str,
    text: str,
    company: str,
    amount: int | None,
    currency: str | None,
    round_: str,
) -> None:
    check_raise(detector, title, text, company, amount, currency, round_)


@pytest.mark.parametrize("title,text", NOT_RAISES)
def test_not_raises(detector: Detector, title: str, text: str) -> None:
    d = detector.detect(title, text)
    assert not d.is_funding, (d.company, d.matched)


def test_ai_humans_are_ai_video(detector: Detector) -> None:
    d = detector.detect(
        "AI humans take over Korean entertainment",
        "The members of the band do not exist in the physical world: they are AI humans made "
        "by a graphics company, and their first music video has two million views.",
    )
    assert d.is_ai_video and not d.is_funding, d.matched


def test_one_share_price_remark_leaves_a_sector_story_about_ai_video(detector: Detector) -> None:
    text = (
        "虚拟数字人在2022年异军突起,相关概念股一度涨停。越来越多的服务型数字人走进银行和商场。"
        "投资人认为数字人已不再是纯粹的概念。"
    )
    assert detector.detect("数字人出圈记", text).is_ai_video
    # share-price words in the title make it a stock story about listed companies
    assert not detector.detect("数字人概念股涨停", text).is_ai_video
