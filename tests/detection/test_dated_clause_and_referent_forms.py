"""Dated opening clauses, demonstrative subjects, rivals and fund words: one invented case per
form (first seen in real news of blind batch 11; no corpus text).

A Chinese year opening a clause ("2022年5月,", "到2024年") dates the raise told after it when
the title tells none; a full date ("2025年3月11日") is a dateline and dates nothing, and a year
the title names ("deals of 2023") is the story's own period. "这家…公司"
before a raise verb points back to the company named before. "获…资金" with a figure tells a
raise. A company named as the yardstick ("做Runway的对手") is not the raiser. A quoted sector
phrase after "invests $N in" is no company. "A Series A worth several hundred million yuan"
states the round's size. "AI short dramas" are AI video.
"""

from __future__ import annotations

import pytest

from fundwatch.detection import Detector
from tests.detection.form_checks import check_not_raise, check_raise

RAISES = [
    # the raise is told by "这家…公司" two sentences after the title named the company
    (
        "Lumora刚拿到3000万美元,要做短视频界的剪映?",
        "3000万美元到账,Lumora想干什么?\n上个月,Lumora在创投圈里频频被提起。\n"
        "这家成立两年的AI视频生成公司宣布完成3000万美元A轮融资,估值约2亿美元。",
        "Lumora",
        30_000_000,
        "USD",
        "A",
    ),
    # 获 + figure + 资金 is a raise without any other cue word
    (
        "影帧科技获1500万美元资金",
        "AI视频生成公司影帧科技获1500万美元资金,用于扩充算力与招募研究员。",
        "影帧科技",
        15_000_000,
        "USD",
        "undisclosed",
    ),
    # the known company in "做Runway Gen-4的对手" is the rival; the lead names the raiser
    (
        "视频生成公司拿到1500万美元资金,做Runway Gen-4的对手",
        "总部在北京的视频生成公司生数科技近日拿到1500万美元资金,意在追赶海外同行。",
        "生数科技",
        15_000_000,
        "USD",
        "undisclosed",
    ),
    # "invests $80M in 'World Model' AI": the quoted phrase is a sector, the body names Vidora
    (
        "Halcyon Reorganises and Invests $80M in 'World Model' AI",
        "Halcyon is moving its money toward world models that simulate physics. Halcyon Cloud led "
        "an $80 million investment in Vidora, the maker of an AI video generator.",
        "Vidora",
        80_000_000,
        "USD",
        "undisclosed",
    ),
    # a round named before "worth" sizes the round: the vague amount keeps its currency
    (
        "After its Series A, Vidora's founder on what comes next",
        "Vidora, which builds text-to-video models, has closed a Series A worth several "
        "hundred million yuan, led by Northcape Capital.",
        "Vidora",
        None,
        "CNY",
        "A",
    ),
    # a full date opening the lead is the news's own date, not history
    (
        "影帧科技:让每个人都能拍短片",
        "2025年3月11日,AI视频生成公司影帧科技宣布完成5000万元A轮融资,北岬资本领投。",
        "影帧科技",
        50_000_000,
        "CNY",
        "A",
    ),
    # a recap titled with the year: the year's dated raises are its story
    (
        "The biggest AI video deals of 2023",
        "Funding kept flowing to video generation. In June 2023, Vidora pulled in $20 million "
        "through a seed round led by Northcape Capital.",
        "Vidora",
        20_000_000,
        "USD",
        "seed",
    ),
    # AI short dramas are AI video
    (
        "Reelmint raises $3 million",
        "Reelmint, a studio that makes AI short dramas for phone screens, raises $3 million "
        "from Northcape Capital.",
        "Reelmint",
        3_000_000,
        "USD",
        "undisclosed",
    ),
]

NOT_RAISES = [
    # a fact box under an interview title: the round is dated by a clause of its own
    (
        "专访影帧科技创始人:数字人会成为新的交互界面",
        "■行业属性:虚拟数字人\n■估值/融资轮次:2022年5月,影帧科技获得北岬资本约千万美元A轮融资。\n"
        "创始人认为,数字人是下一代交互入口。",
    ),
    # rounds dated by years in their opening clauses, under a title about a possible takeover
    (
        "巨头盯上了AI视频独角兽生数科技",
        "科技巨头又开始扫货了。\n生数科技2023年创立,一年之内连下三轮融资,吸走5000万美元;"
        "到2024年B轮,又揽下8000万美元,估值逼近5亿美元。\n如今,一家科技巨头正考虑把它买下。",
    ),
]


@pytest.mark.parametrize(("title", "text", "company", "amount", "currency", "round_"), RAISES)
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


@pytest.mark.parametrize(("title", "text"), NOT_RAISES)
def test_not_raise_forms(detector: Detector, title: str, text: str) -> None:
    check_not_raise(detector, title, text)
