"""Backers inside an apposition and investors "investing": one invented case per fix prompted
by blind batch 13 (real news reworded; no corpus text here).

A known company named in the backing phrase of an apposition ("Framewell, an AI studio backed
by executives from OpenAI, has collected ...") backs the subject, it is not the subject; an
investor that "is investing $N in X" tells X's raise, as "has invested $N in X" does; a count
spelled out before "million" with a currency word is money ("twelve million US dollars"); a
Latin company name before a Chinese raise verb is measured in letters, not as a Han name; "the
team ... led by <people> has raised" refers back to the company; an investor's "we're thrilled
to" / "我们很高兴" announces a round told deep in its post.
"""

from __future__ import annotations

import pytest

from fundwatch.detection import Detector
from tests.detection.form_checks import check_not_raise, check_raise

RAISES = [
    # the subject opens the sentence; the known companies sit in its apposition
    (
        "Hollywood's next AI studio gets money from Europe",
        "Framewell, an AI film studio backed by executives from OpenAI and Google, has "
        "collected $8 million in a seed round. The studio makes AI-generated series.",
        "Framewell",
        8_000_000,
        "USD",
        "seed",
    ),
    (
        "Studio news",
        "Framewell, the AI video studio supported by a former OpenAI researcher, has raised "
        "$8 million, led by Northwind Ventures.",
        "Framewell",
        8_000_000,
        "USD",
        "undisclosed",
    ),
    # a Latin name longer than twenty letters before a Chinese raise verb
    (
        "动画新闻",
        "据外媒报道,Northwind Animation Studios宣布在一轮融资中募得2000万美元,"
        "用于制作AI生成的动画短片。",
        "Northwind Animation Studios",
        20_000_000,
        "USD",
        "undisclosed",
    ),
    # an investor "is investing" an amount in the company
    (
        "News in brief",
        "Northwind is investing $25 million in Clipvane, an AI avatar video startup valued at "
        "$300 million. Clipvane sells avatar videos to sales teams.",
        "Clipvane",
        25_000_000,
        "USD",
        "undisclosed",
    ),
]


@pytest.mark.parametrize(("title", "text", "company", "amount", "currency", "round_"), RAISES)
def test_apposition_backers_and_investing(
    detector: Detector,
    title: str,
    text: str,
    company: str,
    amount: int | None,
    currency: str | None,
    round_: str,
) -> None:
    check_raise(detector, title, text, company, amount, currency, round_)


NOT_RAISES = [
    # investing in things, not in a company
    (
        "Northwind's plans",
        "Northwind is investing $2 billion in data centres across Europe for video models.",
    ),
    # an investor's habit, no amount and no company raising
    (
        "Who backs AI video?",
        "Northwind has been investing in AI video startups since 2019, its partner said.",
    ),
    # a backer known company in an apposition, but no raise at all
    (
        "Framewell opens a London office",
        "Framewell, an AI film studio backed by executives from OpenAI, has opened a London "
        "office with 40 staff.",
    ),
]


@pytest.mark.parametrize(("title", "text"), NOT_RAISES)
def test_investing_and_backers_without_a_round(detector: Detector, title: str, text: str) -> None:
    check_not_raise(detector, title, text)


def test_backer_in_apposition_is_not_the_company(detector: Detector) -> None:
    """The known company in the apposition is a backer, never the raiser."""
    d = detector.detect(
        "Studio news",
        "Framewell, an AI film studio backed by executives from OpenAI, has collected $8 "
        "million in a seed round.",
    )
    assert d.company == "Framewell", d.matched
    assert d.company_key != "openai"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("has collected twelve million US dollars", (12_000_000, "USD", False)),
        ("raised about fifty million euros", (50_000_000, "EUR", True)),
        ("a hundred million yuan from the city fund", (100_000_000, "CNY", False)),
    ],
)
def test_spelled_out_amounts(detector: Detector, text: str, expected: tuple) -> None:
    """A count spelled out before "million"/"billion" and a currency word is money."""
    folded = detector.kit.folder.fold(text)
    found = [(m.amount, m.currency, m.approximate) for m in detector.kit.money.find(folded)]
    assert found == [expected]


@pytest.mark.parametrize(
    "text", ["twelve million users watched", "one million downloads", "ten-million-view clip"]
)
def test_spelled_counts_are_not_money(detector: Detector, text: str) -> None:
    folded = detector.kit.folder.fold(text)
    assert detector.kit.money.find(folded) == []


def test_spelled_amount_sizes_the_round(detector: Detector) -> None:
    d = detector.detect(
        "Studio news",
        "Framewell, an AI film studio backed by executives from OpenAI, has collected twelve "
        "million US dollars in a financing round.",
    )
    assert (d.company, d.amount, d.currency) == ("Framewell", 12_000_000, "USD"), d.matched


def test_team_led_by_people_refers_back(detector: Detector) -> None:
    """ "the team of three engineers led by Mira Chen and Tom Park has raised": the company's
    own team, not a raiser named Tom Park; its valuation clause belongs to the event."""
    d = detector.detect(
        "Clipvane, the 'Sora of ads', is AI's new darling",
        "On Monday, startup Clipvane showed a striking clip made by its AI video generator. "
        "The demo comes after the startup raised $10 million in a seed round led by Northwind "
        "Ventures. Since May, the team of three engineers led by Mira Chen and Tom Park has "
        "raised more than $14 million, which values it at more than $90 million.",
    )
    assert (d.company, d.amount, d.round) == ("Clipvane", 10_000_000, "seed"), d.matched
    assert d.valuation_usd == 90_000_000, d.matched


_INTERVIEW_INTRO = (
    "本文属于我们的创始人访谈系列,我们与所投公司的创始人聊技术和市场。访谈内容经过编辑。"
    "帧幻如何走到AI视频浪潮的前沿。大模型公司已经开启了新的技术时代。"
    "视频占全世界数据的八成。"
)


def test_investor_announcement_deep_in_a_post_is_news(detector: Detector) -> None:
    """ "我们很高兴共同领投该公司的A轮融资" after a long series intro: the investor announces it."""
    d = detector.detect(
        "帧幻:会做视频的AI",
        _INTERVIEW_INTRO + "我们相信帧幻走在最前面,因此我们很高兴与北岬资本共同领投帧幻的A轮融资。",
    )
    assert d.is_funding and d.company == "帧幻" and d.round == "A", d.matched
    d = detector.detect(
        "Framewell: AI that makes films",
        "This piece is part of our founder series. The interview has been edited. Framewell "
        "started in 2021. Video is most of the world's data. Models now understand it. We "
        "believe the future is video, which is why we're thrilled to co-lead Framewell's $20 "
        "million Series A with Northwind Ventures.",
    )
    assert d.is_funding and d.company == "Framewell" and d.amount == 20_000_000, d.matched


def test_glad_about_an_old_round_is_still_history(detector: Detector) -> None:
    d = detector.detect(
        "帧幻创始人谈AI视频",
        _INTERVIEW_INTRO + "创始人说,很高兴去年帧幻完成了A轮融资,由北岬资本领投。",
    )
    assert not d.flag, d.matched
