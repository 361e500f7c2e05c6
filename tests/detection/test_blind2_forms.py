"""Forms found while fixing the blind2 round (fixtures/blind2.jsonl): one case per fix.

Texts are written for this test; company names are invented.
"""

from __future__ import annotations

import pytest

from fundwatch.detection import Detector

RAISES = [
    # a subject verb prefers the name before it over a known rival after it
    ("Berlin's Klipp closes €12m Series A to take on Runway",
     "Klipp builds generative video tools for broadcasters.", "Klipp"),
    # "X launches Y and announces $22M": X raises
    ("Storyvolt launches Director mode and announces $22 million Series A",
     "The launch comes as the company announced a $22 million Series A led by Lux Capital. "
     "Storyvolt makes a video generation model for filmmakers.", "Storyvolt"),
    # an object verb with no known company after it: the object, not the known investor
    ("OpenAI in talks to invest in AI video startup Vantic",
     "OpenAI is in talks to invest in Vantic, a text-to-video startup, as part of a $60 million "
     "round.", "Vantic"),
    # "backed by X" is passive
    ("NVIDIA-backed Vidflow closes oversubscribed Series A",
     "Vidflow, the AI video generation company backed by NVentures, announced today the close "
     "of an oversubscribed $28 million Series A round led by Accel.", "Vidflow"),
    # an investor-named subject investing is a raise without an amount
    ("Adobe Ventures invests in AI video startup Kinora",
     "Adobe Ventures has made an investment in Kinora, an AI video startup.", "Kinora"),
    ("Persona Forge taps Tiger Global for $40M",
     "Digital human developer Persona Forge has tapped Tiger Global for $40 million in fresh "
     "funding.", "Persona Forge"),
    ("ScriptReel emerges from stealth with $7M",
     "ScriptReel, which turns scripts into animated storyboards and short videos, emerged from "
     "stealth with $7 million in funding from Greylock.", "ScriptReel"),
    # 获得X投资 without an amount; Taiwanese video words
    ("數位分身新創獲日本軟銀投資",
     "台灣數位分身新創「分身工坊」宣布獲得日本軟銀集團旗下基金投資,金額未公開。分身工坊可產出AI虛擬主播影片。",
     "分身工坊"),
    ("AI影音新創「映趣」獲3,000萬元天使輪投資",
     "映趣宣布獲得新台幣3,000萬元天使輪投資。映趣利用生成式AI協助網紅自動剪輯短影音。", "映趣"),
    # a name never holds an amount; names may start with 无
    ("港科大團隊創辦AI視頻公司 完成千萬美元融資",
     "AI視頻生成公司「幻維」宣布完成千萬美元級別的天使輪融資。", "幻維"),
    ("无界帧完成600万美元种子轮融资",
     "视频基础模型公司无界帧完成600万美元种子轮融资,小米前高管个人跟投。", "无界帧"),
]  # fmt: skip

NOT_RAISES = [
    ("万兴科技获融资净买入超5000万元",
     "近5个交易日,万兴科技获融资净买入5326万元,旗下AI视频产品受关注。"),
    ("影匠科技回应融资传闻",
     "有媒体称AI视频公司影匠科技正在洽谈新一轮融资。"
     "影匠科技回应称,该消息不实,暂无新一轮融资计划。"),
    ("某基金完成20亿元募集",
     "北辰资本宣布完成第三期人民币基金的募集,募资总额达20亿元,将投向AI视频。"),
    ("Sequoia closes $950 million seed and venture funds",
     "Sequoia has closed $950 million across two new funds that will back AI video startups."),
    ("AI视频公司领投3D生成初创企业",
     "3D资产生成公司立方造物完成数千万元天使轮融资,本轮由AI视频生成公司幻维智能领投。立方造物可以生成3D模型。"),
    ("Nvidia invests $500 million in AI infrastructure across Europe",
     "Nvidia said it invests $500 million in AI infrastructure across Europe, including data "
     "centers that train video generation models."),
    ("帧跃科技获评最具投资价值企业", "AI视频生成公司帧跃科技获评最具投资价值企业。"),
]  # fmt: skip


@pytest.mark.parametrize(("title", "text", "company"), RAISES)
def test_raise_is_flagged_with_its_company(
    detector: Detector, title: str, text: str, company: str
) -> None:
    result = detector.detect(title, text)
    assert result.flag, result.matched
    assert detector.company_key(result.company or "") == detector.company_key(company)


@pytest.mark.parametrize(("title", "text"), NOT_RAISES)
def test_lookalike_is_not_flagged(detector: Detector, title: str, text: str) -> None:
    result = detector.detect(title, text)
    assert not result.flag, (result.company, result.matched)


def test_audio_startup_saying_it_has_no_video_product_is_not_ai_video(detector: Detector) -> None:
    result = detector.detect(
        "AI語音新創聲紋獲2000萬美元A輪",
        "AI語音合成新創「聲紋智能」宣布完成2,000萬美元A輪融資。公司強調暫無影片生成的產品規劃。",
    )
    assert result.is_funding and not result.is_ai_video, result.matched


def test_named_currency_beats_plain_yuan_of_the_same_amount(detector: Detector) -> None:
    result = detector.detect(
        "虛擬主播新創鏡界完成種子輪募資5000萬元",
        "虛擬主播新創「鏡界AI」宣布完成種子輪募資,金額達新台幣5000萬元。鏡界AI產出數位分身影片。",
    )
    assert (result.amount, result.currency) == (50_000_000, "TWD")


def test_roundup_title_names_count_only_for_their_own_sector(detector: Detector) -> None:
    result = detector.detect(
        "This week in AI funding: Motionary, Quillstack, Borealis Robotics",
        "Motionary, a startup building a video foundation model for game studios, raised $22 "
        "million in a Series A led by a16z.",
    )
    assert result.flag and result.company == "Motionary"
