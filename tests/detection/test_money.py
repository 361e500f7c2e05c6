from __future__ import annotations

import pytest

from fundwatch.detection import Detector


def amounts(detector: Detector, text: str) -> list[tuple[object, object, bool]]:
    folded = detector.kit.folder.fold(text)
    return [(m.amount, m.currency, m.approximate) for m in detector.kit.money.find(folded)]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # simplified Chinese
        ("获得1380万美金投资", (13_800_000, "USD", False)),
        ("完成1380 万美金融资", (13_800_000, "USD", False)),
        ("金额为1亿元人民币", (100_000_000, "CNY", False)),
        ("拿到6000万美元", (60_000_000, "USD", False)),
        ("估计4.4亿美元", (440_000_000, "USD", False)),
        ("融资超4亿元", (400_000_000, "CNY", True)),
        ("亿级人民币融资", (100_000_000, "CNY", True)),
        ("五千万元天使轮", (50_000_000, "CNY", False)),
        ("两亿美元", (200_000_000, "USD", False)),
        ("近亿元", (100_000_000, "CNY", True)),
        ("人民币3亿元", (300_000_000, "CNY", False)),
        ("3000万港元", (30_000_000, "HKD", False)),
        ("800万欧元", (8_000_000, "EUR", False)),
        # traditional Chinese
        ("完成1380萬美金融資", (13_800_000, "USD", False)),
        ("一億元人民幣", (100_000_000, "CNY", False)),
        ("億級人民幣", (100_000_000, "CNY", True)),
        ("超過2億元", (200_000_000, "CNY", True)),
        ("五千萬美元", (50_000_000, "USD", False)),
        # English
        ("raised $13.8M", (13_800_000, "USD", False)),
        ("raised $60 million", (60_000_000, "USD", False)),
        ("a $1.2 billion round", (1_200_000_000, "USD", False)),
        ("a €20m round", (20_000_000, "EUR", False)),
        ("£5 million in seed funding", (5_000_000, "GBP", False)),
        ("RMB 50m", (50_000_000, "CNY", False)),
        ("HK$2bn", (2_000_000_000, "HKD", False)),
        ("US$14 million", (14_000_000, "USD", False)),
        ("200 million yuan", (200_000_000, "CNY", False)),
        ("more than 30 million euros", (30_000_000, "EUR", True)),
        ("¥500 million", (500_000_000, "CNY", False)),
    ],
)
def test_amount_forms(detector: Detector, text: str, expected: tuple) -> None:
    assert amounts(detector, text)[0] == expected


@pytest.mark.parametrize(
    "text", ["数千万元", "數億元", "几千万美元", "tens of millions of dollars"]
)
def test_several_keeps_currency_without_value(detector: Detector, text: str) -> None:
    amount, currency, approximate = amounts(detector, text)[0]
    assert amount is None
    assert currency in {"CNY", "USD"}
    assert approximate


def test_yuan_amount_followed_by_dollar_conversion(detector: Detector) -> None:
    found = amounts(detector, "over 300 million yuan (US$42 million)")
    assert found == [(300_000_000, "CNY", True), (42_000_000, "USD", False)]


@pytest.mark.parametrize("text", ["观看了3000万分钟", "拥有500万用户", "the 2024 edition"])
def test_counts_are_not_money(detector: Detector, text: str) -> None:
    assert amounts(detector, text) == []


def test_fx_conversion(detector: Detector) -> None:
    fx = detector.kit.fx
    assert fx.to_usd(1_000_000, "USD") == 1_000_000
    assert 100_000 < fx.to_usd(1_000_000, "CNY") < 200_000
    assert fx.to_usd(None, "USD") is None
    assert fx.to_usd(5, "XXX") is None


@pytest.mark.parametrize(
    ("text", "amount", "currency", "low", "high"),
    [
        ("数千万元", None, "CNY", 20_000_000, 100_000_000),
        ("几亿美元", None, "USD", 200_000_000, 1_000_000_000),
        ("近亿元", 100_000_000, "CNY", 90_000_000, 100_000_000),
        ("超4亿元", 400_000_000, "CNY", 400_000_000, None),
        ("亿级人民币", 100_000_000, "CNY", 100_000_000, 1_000_000_000),
        ("上亿元", 100_000_000, "CNY", 100_000_000, None),
        ("约5000万元", 50_000_000, "CNY", 45_000_000, 55_000_000),
        ("an eight-figure sum", None, "USD", 10_000_000, 100_000_000),
        ("several hundred million dollars", None, "USD", 200_000_000, 1_000_000_000),
        ("tens of millions of dollars", None, "USD", 10_000_000, 100_000_000),
        ("over $10 million", 10_000_000, "USD", 10_000_000, None),
        ("$20 million", 20_000_000, "USD", 20_000_000, 20_000_000),
    ],
)
def test_vague_amounts_keep_their_range(
    detector: Detector,
    text: str,
    amount: int | None,
    currency: str,
    low: int,
    high: int | None,
) -> None:
    (money,) = detector.kit.money.find(detector.kit.fold(text))
    assert (money.amount, money.currency, money.low, money.high) == (amount, currency, low, high)
    assert money.approximate == (low != high)


def test_a_vague_raise_reports_its_range(detector: Detector) -> None:
    d = detector.detect("影谱科技完成数千万元A轮融资", "影谱科技是一家AI视频生成公司。")
    assert d.flag
    assert (d.amount, d.currency, d.amount_approximate) == (None, "CNY", True)
    assert (d.amount_low, d.amount_high) == (20_000_000, 100_000_000)
    d = detector.detect(
        "Klipfy raises eight figures",
        "Klipfy, an AI video generation startup, has raised an eight-figure sum in a Series A.",
    )
    assert d.flag and (d.amount_low, d.amount_high, d.currency) == (10_000_000, 100_000_000, "USD")
    assert d.to_dict()["amount_low"] == 10_000_000


def test_a_figure_sizing_the_company_in_the_title_is_no_round_amount(detector: Detector) -> None:
    d = detector.detect(
        "一年之后,影澜已是10亿美金公司",
        "数字人公司影澜近日完成A轮融资,高瓴领投,本轮投后估值逾10亿美金。",
    )
    assert d.flag and d.amount is None, d.matched
    assert d.valuation_usd == 1_000_000_000


def test_us_dollar_written_after_the_sign(detector: Detector) -> None:
    assert amounts(detector, "a $US3m pre-seed raise") == [(3_000_000, "USD", False)]
