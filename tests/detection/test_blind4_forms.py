"""Forms found while fixing the blind4 round (fixtures/blind4.jsonl): one case per fix.

Texts are written for this test; company names are invented.
"""

from __future__ import annotations

import pytest

from fundwatch.detection import Detector
from tests.detection.form_checks import check_not_raise, check_raise

NOT_RAISES = [
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
]

RAISES = [
    # "received an undisclosed investment from": a raise without an amount; "Kling rival"
    # describes the raiser, it does not name it
    (
        "Kling rival Vidmo gets backing from Tencent",
        "Vidmo, a Shenzhen text-to-video startup, has received an undisclosed investment from "
        "Tencent, according to business registry records.",
        "Vidmo",
        None,
        None,
        "undisclosed",
    ),
    # a weak title verb with a money word or an investor still tells the raise
    (
        "Clipnova picks up cash from Elevate Ventures",
        "Clipnova, which generates AI video clips, picked up $6 million from Elevate Ventures in "
        "March, it disclosed on Tuesday.",
        "Clipnova",
        6_000_000,
        "USD",
        "undisclosed",
    ),
    (
        "影途科技获腾讯投资",
        "AI视频生成公司影途科技今年初获得腾讯投资,具体金额未披露。",
        "影途科技",
        None,
        None,
        "undisclosed",
    ),
    # "Runway rival Vidmo": the rival describes the raiser, it is not the raiser
    (
        "Runway rival Vidmo raises $20M Series A",
        "The Shenzhen text-to-video startup raised $20 million in a Series A led by Tencent.",
        "Vidmo",
        20_000_000,
        "USD",
        "A",
    ),
    # a year date does not make the raise history when the title tells the raise
    (
        "Reelwise raises $18M Series A for text-to-video ads",
        "Reelwise, which turns product photos into video ads with a text-to-video model, raised "
        "$18 million in a Series A led by Hillcrest Ventures. Reelwise was founded in 2023.",
        "Reelwise",
        18_000_000,
        "USD",
        "A",
    ),
]


@pytest.mark.parametrize(("title", "text"), NOT_RAISES)
def test_lookalike_is_not_flagged(detector: Detector, title: str, text: str) -> None:
    check_not_raise(detector, title, text)


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
