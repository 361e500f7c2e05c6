"""Backers told as descriptions, totals and unnamed subjects: one invented case per fix prompted
by blind batch 12 (real news reworded; no corpus text here).

A title that names a company's backers with a participle ("invested by", "X-backed") tells no
raise of its own; a raise title with no raise verb names its company with a company noun; a
Chinese round told as "这轮…的融资" belongs to the company the title's investing verb names; a
sentence opened by "获…支持的" describes the company named after it; "一大笔" is a sum, not a
deal count; "累计融资" and "最近几轮" describe funding to date; "当时它" is no name; a title
ranking a company as "highest-funded" and a state programme's incentives are no round; a
dubbing company with synthetic voices only is not AI video.
"""

from __future__ import annotations

import pytest

from fundwatch.detection import Detector
from tests.detection.form_checks import check_not_raise, check_raise

RAISES = [
    # a raise title without a raise verb: the company noun names the raiser
    (
        "Comedy duo's face-swap studio Mirrorfolk conjures $12M in new funding",
        "The comedians behind the sketch show have raised $12 million to keep building their "
        "studio. They began during the lockdown of 2020. With the money, Mirrorfolk now sells "
        "its deepfake video effects to other productions.",
        "Mirrorfolk",
        12_000_000,
        "USD",
        "undisclosed",
    ),
    # "这轮…的融资由…领投": the round is the company's that the title's investing verb names
    (
        "两位网红押注AI视频初创公司帧幻",
        "两位网红加入了投资帧幻的行列。这家公司用AI生成短视频。"
        "这轮600万美元的融资由北岬资本领投,多家机构参投。",
        "帧幻",
        6_000_000,
        "USD",
        "undisclosed",
    ),
    # "获…高层支持的X募得": the company is the one after the clause, not the backer's employer
    (
        "获OpenAI、谷歌高层支持的AI视频工作室帧幻募得800万美元",
        "总部位于上海的AI视频工作室帧幻已募得800万美元种子轮资金,由北岬资本领投。",
        "帧幻",
        8_000_000,
        "USD",
        "seed",
    ),
    # "一大笔" is a sum of money, not a count of deals
    (
        "云厂商的风投看上帧幻",
        "做AI数字人视频的新创帧幻刚刚拿下一大笔融资,金额为3000万美元。",
        "帧幻",
        30_000_000,
        "USD",
        "undisclosed",
    ),
    # a backer named after the company in the title does not stop a real raise title
    (
        "Clipvane, backed by Sequoia, raises $20 million",
        "Clipvane, which turns scripts into AI avatar videos, has raised $20 million.",
        "Clipvane",
        20_000_000,
        "USD",
        "undisclosed",
    ),
]


@pytest.mark.parametrize(("title", "text", "company", "amount", "currency", "round_"), RAISES)
def test_described_and_unnamed_raisers(
    detector: Detector,
    title: str,
    text: str,
    company: str,
    amount: int | None,
    currency: str | None,
    round_: str,
) -> None:
    check_raise(detector, title, text, company, amount, currency, round_)


# an office story; the round is told weeks back, then once more deep in the text
_TOKYO_OFFICE = (
    "Clipvane will hire 90 people in Tokyo by next spring. The office opens in May. Its staff "
    "will double. The company makes AI avatar videos. Just three weeks ago, Clipvane announced "
    "a $150 million Series C led by Harbor Growth. Clipvane's Series C funding pays for the "
    "Tokyo staff."
)

NOT_RAISES = [
    # the title's backers are a description; the round is weeks old, told in a growth story
    (
        "Valued at $2 billion, Clipvane, invested by Nvidia, announces a Tokyo office",
        _TOKYO_OFFICE,
    ),
    ("Nvidia-backed Clipvane, valued at $2 billion, opens a Tokyo office", _TOKYO_OFFICE),
    # a profile: funding to date and "recent rounds" describe history
    (
        "帧幻创始人是谁?",
        "帧幻创始人曾在大厂做广告算法。"
        "AI视频公司帧幻累计融资超过5000万美元,最近几轮都由知名机构领投。",
    ),
    # a ranking title: the body's raise words sum up what the company was given
    (
        "Vantara is the country's highest-funded AI video lab",
        "Vantara got $90 million from the ministry's programme for AI video models.",
    ),
    # a state programme's incentives (mostly GPU access) are no round
    (
        "Ministry names its AI video picks",
        "Vantara got $90 million of the mission's incentives, mostly as GPU access for "
        "training its video models.",
    ),
    # a dubbing company that replaces voices only
    (
        "Papercup raises $20M for AI that dubs videos",
        "Papercup has raised $20 million in a Series A for its synthetic voices that dub "
        "videos into other languages.",
    ),
]


@pytest.mark.parametrize(("title", "text"), NOT_RAISES)
def test_backers_totals_and_other_sectors(detector: Detector, title: str, text: str) -> None:
    check_not_raise(detector, title, text)


def test_then_it_is_no_company_name(detector: Detector) -> None:
    """ "当时它募得…" (at the time it raised) refers to the company, "当时它" is no name."""
    d = detector.detect(
        "帧幻估值冲上40亿美元", "一年前帧幻估值还只有20亿美元;当时它募得1.8亿美元。"
    )
    assert d.company != "当时它" and "company:当时它" not in d.matched, d.matched
