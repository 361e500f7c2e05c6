"""Forms found while fixing the blind3 round (fixtures/blind3.jsonl): one case per fix.

Texts are written for this test; company names are invented.
"""

from __future__ import annotations

import pytest

from fundwatch.detection import Detector
from tests.detection.form_checks import check_not_raise, check_raise

RAISES = [
    # "X said Monday it has raised": "it" is the subject of "said"
    ("Seoul video startup closes Series B",
     "South Korean AI video generation startup Clipyeon said Monday it has raised 9 billion won "
     "in a Series B round led by Mirae Asset.", "Clipyeon", 9_000_000_000, "KRW", "B"),
    # "the company announced it has closed": the known company the title is about
    ("HeyGen CEO on life after the avatar boom",
     "Joshua Xu talked about the next product. The company this week announced it has closed a "
     "$75 million Series B led by Benchmark.", "HeyGen", 75_000_000, "USD", "B"),
    # 战略投资 + quoted object; 注册资本 in a registry change is not the round's amount
    ("网易战略投资AI视频公司「镜语」",
     "企查查显示，北京镜语科技有限公司新增股东网易，注册资本由 100 万元增至 112 万元。镜语科技"
     "确认已获得网易的战略投资，金额未披露。镜语主打文生视频。", "镜语", None, None, "strategic"),
    # "这笔钱" is not a deal count
    ("对话「光迹」创始人",
     "就在上个月，光迹科技刚刚完成了由启明创投领投、高榕创投跟投的 2 亿元 B 轮融资，这笔钱将投入"
     "视频生成模型的训练。", "光迹科技", 200_000_000, "CNY", "B"),
    # a bracketed English name followed by a time word
    ("港產AI視頻初創獲投",
     "本地 AI 視頻生成初創「影港智能」(HKFrame AI)昨日宣布,完成 3000 萬港元 A 輪融資,由維港投資"
     "領投,多名天使投資人參投。", "影港智能", 30_000_000, "HKD", "A"),
    # "a funding round worth several hundred million yuan" is the round's size (vague: no
    # figure, the currency stays), not a valuation
    ("Chinese AI video developer raises funds",
     "BEIJING (Reuters) - Kuangying Technology, the Chinese developer of a video generation "
     "model, has completed a new funding round worth several hundred million yuan, led by Baidu "
     "Ventures, it said on Wednesday.", "Kuangying Technology", None, "CNY", "undisclosed"),
    # "at $1 billion value" in a wire title is a valuation, not the amount
    ("AI Video Startup Castor Is Said to Seek Funding at $1 Billion Value",
     "(Bloomberg) -- Castor Inc., a startup that makes AI-generated character videos, is seeking "
     "to raise funds at a valuation of about $1 billion, according to people familiar with the "
     "matter.", "Castor", None, None, "undisclosed"),
    # ... but under a raise title the month dates the news
    ("Clipnova raises $50 million Series A",
     "Clipnova, an AI video generation app, raised $50 million in a Series A in September, the "
     "company said on Monday.", "Clipnova", 50_000_000, "USD", "A"),
    # a time word between the name and the verb is no part of the name
    ("幻影AI完成1亿元A轮融资", "AI视频生成公司幻影今年初完成了1亿元A轮融资，由红杉领投。",
     "幻影", 100_000_000, "CNY", "A"),
    # what the money is for ("plans to acquire") is no acquisition story
    ("AI video startup raises $40M to fund acquisitions",
     "Vidora, an AI video generation startup, has raised $40 million in a Series B led by Accel "
     "and plans to acquire smaller rivals.", "Vidora", 40_000_000, "USD", "B"),
    # a title that tells a raise and a hire in one clause still tells a raise
    ("Seoul video startup gets $10M as it hires ex-Naver staff",
     "Vidkor, an AI video generation startup, said on Monday it has raised $10 million in a "
     "Series A.", "Vidkor", 10_000_000, "USD", "A"),
    # Taiwanese usage: 策略投資 (strategic investment), a 今(3)日 date before the verb
    ("這家台灣AI影片新創,剛拿到日本大廠投資",
     "台灣 AI 影片生成新創「動景科技」今(3)日宣布,獲得日本 KDDI Open Innovation Fund 策略投資,"
     "金額未揭露。", "動景科技", None, None, "strategic"),
    # a bridge round is named; "Series C next year" is not this round
    ("Motionlab secures $15 million bridge round",
     "Motionlab, an AI video generation startup, has secured a $15 million bridge round from "
     "existing investors as it prepares to raise a larger Series C next year.",
     "Motionlab", 15_000_000, "USD", "bridge"),
]  # fmt: skip

NOT_RAISES = [
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
]  # fmt: skip


@pytest.mark.parametrize(("title", "text", "company", "amount", "currency", "round_"), RAISES)
def test_raise_is_flagged_with_its_fields(
    detector: Detector,
    title: str,
    text: str,
    company: str,
    amount: int | None,
    currency: str | None,
    round_: str,
) -> None:
    check_raise(detector, title, text, company, amount, currency, round_)


@pytest.mark.parametrize(("title", "text"), NOT_RAISES)
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
