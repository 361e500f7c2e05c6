"""Lookalikes of a raise (launches, acquisitions, lawsuits, rankings, totals, past rounds,
grants, compute costs ...) and raises outside AI video are not flagged.

One invented case per form the detector learned from the blind-written sets
(fixtures/blind_corpus.jsonl); texts are written for this test, company names are invented.
"""

from __future__ import annotations

import pytest

from fundwatch.detection import Detector
from fundwatch.detection.passage import dated_forms
from tests.detection.form_checks import check_not_raise

# (title, text)
LOOKALIKES = [
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
    # a roundup title (repeated as the body's first line) names no raiser; the first raise
    # in the body is a robot maker's
    ("Robotics and AI funding roundup: Figure, Luma and more",
     "Robotics and AI funding roundup: Figure, Luma and more\nFigure AI raised $675 million in a "
     "Series B round. Luma AI raised $43 million in a Series B to scale its video generator."),
    # an acquisition title: the body's past rounds are background however strong
    ("AI视频公司「映画」被收购，此前累计融资超2000万美元",
     "AI视频生成公司映画近日被收购。公司在2023年完成了由高瓴领投的1500万美元A轮融资，此后又获得"
     "一轮A+轮融资，累计融资超过2000万美元。"),
    # a layoff title ("cuts 30% of staff")
    ("AI video startup Reelo cuts 30% of staff months after raising $25 million",
     "The layoffs come eight months after Reelo raised a $25 million Series A, as platforms such "
     "as YouTube added free AI video editing tools of their own."),
    # an investor's look back on its portfolio
    ("我们投了什么：一家早期基金的年度复盘",
     "年初，我们领投了AI视频生成公司「帧流」3000万元的天使轮融资。到了年底，帧流已经完成了A轮。"),
    # a description is no name ("但头部公司"); a market total is no raise
    ("AI视频赛道一年融资超百亿",
     "过去一年AI视频赛道披露融资总额超过 150 亿元。但头部公司的融资规模正在快速拉大，部分公司一年内"
     "连续完成三轮融资。"),
    # an investor looking back ("a look back") on rounds it led
    ("Brightline Ventures' AI video bets: a look back",
     "Brightline Ventures led the seed round of Vidora, an AI video startup, and later joined the "
     "Series A of Clipwise."),
    # an AI-image raise with a video feature in passing
    ("AI image startup Pictra raises $40M",
     "Pictra, which makes AI image generation and editing tools, has raised $40 million in a "
     "Series B. The company also recently added a video generation feature to its app."),
    # a market-total sentence: 共发生 is no company
    ("AI视频赛道今年融资超200亿元",
     "据统计，今年AI视频赛道共发生融资事件80起，融资总额超200亿元。"),
    # a user-milestone story: a raise dated to a month is background under a title with no raise
    ("Clipnova passes 15 million users",
     "Clipnova said its AI video generation app has passed 15 million users. The company raised "
     "$50 million in a Series A in September."),
    # the same in Chinese: 今年初 under a user-milestone title
    ("幻影AI用户破千万",
     "AI视频生成公司幻影宣布用户突破1000万。该公司今年初完成了1亿元A轮融资，由红杉领投。"),
    # a raise planned for next year is not news; 明年 is no company
    ("某AI影片新創執行長:明年將啟動新一輪募資",
     "AI 影片新創影光科技執行長表示,公司目前營運穩定,預計明年下半年啟動新一輪募資,"
     "目前尚未與投資人洽談。"),
    # cumulative funding since founding, told at a conference
    ("某AI视频公司创始人：AI视频的下一个阶段",
     "在回答现场提问时，他提到，公司成立以来累计融资已超过 4 亿元人民币，目前专注产品。AI视频生成"
     "已经进入好不好用的阶段。"),
    # a ranking by total funding tells no new raise
    (
        "The AI video startups with the most money, ranked",
        "We ranked the generative video companies that have raised the most so far. 1. Runway — "
        "about $540 million in total funding. 2. Pika — $135 million. 3. Hedra — $32 million.",
    ),
    (
        "AI視頻創企融資排行榜出爐",
        "根據公開資料整理,生數科技以數億元融資位居前列,愛詩科技緊隨其後。生數科技主打視頻生成"
        "大模型,愛詩科技旗下有PixVerse。",
    ),
    # a lawsuit: the defendant's raise is history
    (
        "Photo agency sues AI video startup Reelwise",
        "A photo agency filed suit on Monday claiming Reelwise trained its text-to-video model on "
        "licensed images. Reelwise raised a funding round led by Hillcrest Ventures in 2023. The "
        "company said it would fight the claims.",
    ),
    # a raise dated to a past year under a title that tells no raise is history
    (
        "Reelwise passes one million creators",
        "Reelwise, whose text-to-video tool turns product photos into ads, said it now has one "
        "million creators. Reelwise raised $18 million in a Series A led by Hillcrest Ventures in "
        "2023.",
    ),
    # a weak verb in a product title ("adds") tells no raise: a dated raise in the body is history
    (
        "Veed adds AI avatars",
        "Veed, the online video editor, launched AI avatars. Veed raised a $35 million Series B "
        "in 2022.",
    ),
    # a founder recalling a past round at a conference
    (
        "At a summit, Synthesia CEO recalls Series A",
        "Speaking on stage, Synthesia's CEO recalled how the company raised its $3 million seed "
        "round in 2019 after dozens of rejections.",
    ),
    # a listed company's private placement (定增) is not a startup round
    (
        "某传媒定增募资12亿元投向AI视频营销",
        "某传媒公告称,拟向特定对象发行股票募集资金不超过12亿元,用于AI视频内容生产平台建设。",
    ),
    # "提供更多融资渠道" is an industry condition, not a raise
    (
        "AI视频产业观察",
        "业内人士认为,政府引导基金的进入将为视频生成领域的初创企业提供更多融资渠道。",
    ),
    # from blind batch 7 (real news reworded): a round dated to a month and year in a review
    # whose title tells no raise is background
    (
        "Dreamforge review: cinematic video for creators",
        "Before video, Dreamforge was a 3D capture app. Its video model reached a million users "
        "in four days. Dreamforge raised $500 million in a November 2025 Series C at a valuation "
        "above $3 billion, and its latest model outputs HDR video.",
    ),
    # a raise in a relative clause ("a platform that recently raised") describes the guest's
    # company in podcast notes
    (
        "Vidmo CEO on avatars and trust",
        "Lin Wu is co-founder and CEO of Vidmo, an AI video platform that recently raised $40 "
        "million at a $300 million valuation. In this episode she talks about avatars.",
    ),
    # a raise told relative to a listing is the listed company's history
    (
        "",
        "AI avatar company Synthora files for Nasdaq IPO. Synthora, which makes AI avatar videos, "
        "has filed for an initial public offering. It raised $90 million in private funding "
        "before the listing, according to the filing.",
    ),
    # an AI video company starting its own venture fund raises from LPs, not for itself
    ("Runway opens a venture arm backed by outside money",
     "This week's fundraising news includes plans for a new $25 million fund from an unlikely "
     "source: Runway, the AI video company. A filing shows it raising outside capital for "
     "Runway Fund 1, LP."),
    # a gaming-hardware start-up whose one-word name starts a known AI-video name
    ("Wonder融资1400万美元,打造掌上游戏机",
     "新创公司Wonder宣布完成1400万美元A轮融资,用于开发介于智能手机与游戏机之间的便携硬件。"),
    # a region's startups as a whole: a market total, not one company's round
    ("台湾新创募资去年破千亿",
     "统计显示,2024年台湾新创募资金额为33.4亿美元,AI影片与生成式AI领域增长最快。"),
]  # fmt: skip


@pytest.mark.parametrize(("title", "text"), LOOKALIKES)
def test_lookalike_is_not_flagged(detector: Detector, title: str, text: str) -> None:
    check_not_raise(detector, title, text)


def test_chip_maker_raise_with_video_demand_quote_is_not_ai_video(detector: Detector) -> None:
    """The CEO's quote about AI-video demand does not describe the chip maker."""
    d = detector.detect(
        "国产GPU公司完成新一轮融资，AI视频生成带来算力新需求",
        "国产GPU企业「芯元科技」近日宣布完成 10 亿元C轮融资。芯元科技主要研发AI训练芯片。"
        "芯元科技CEO表示，AI视频生成带来了巨大的算力需求。",
    )
    assert d.is_funding and not d.is_ai_video, d.matched
    assert (d.company, d.amount, d.round) == ("芯元科技", 1_000_000_000, "C"), d.matched


def test_title_word_the_body_never_repeats_names_no_raiser(detector: Detector) -> None:
    """ "小心募资诈财!": 小心 read as a name before 募资, with no figure in the title and no
    raise in the body, is no raise."""
    d = detector.detect("小心募資詐財!", "如今每家新創都自稱AI公司。業內人士提醒投資人保持警惕。")
    assert not d.is_funding, (d.company, d.matched)


@pytest.mark.parametrize(
    ("text", "dated"),
    [
        ("raised $500 million in a November 2025 Series C", "november 2025"),
        ("作为四小龙之一,3月官宣了6亿美元融资", "3月"),
        ("3月11日,某某宣布完成融资", None),  # a day dates the news itself
        # a Chinese year, with or without its month, like "in 2024" and "March 2024"
        ("2024年3月", "2024年3月"),
        ("到2024年b轮", "2024年"),
        ("2024年3月11日,某某宣布完成融资", None),  # a full date is the news's own
    ],
)
def test_month_dates_mark_a_raise_as_history(text: str, dated: str | None) -> None:
    """A month with a year, a Chinese year, or a bare month, dates a raise like the `dated`
    words do."""
    spans = dated_forms(text.lower())
    assert [text.lower()[a:b] for a, b in spans] == ([dated] if dated else [])
