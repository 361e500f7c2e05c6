"""A vague amount (数千万元, "eight figures") reaches every message as an approximate range,
never as "undisclosed" and never as one guessed figure."""

from __future__ import annotations

from fundwatch.alerts.render import headline
from fundwatch.alerts.wording import facts
from fundwatch.alerts.wording import headline as local_headline

VAGUE = {
    "company": "剧场说",
    "round": "angel",
    "amount": None,
    "amount_usd": None,
    "currency": "CNY",
    "amount_low": 2e7,
    "amount_high": 1e8,
    "lead_investors": [],
}


def test_a_range_is_shown_as_approximate_in_english_and_chinese() -> None:
    assert headline(VAGUE) == "剧场说 raised ~20M-100M CNY (Angel)"
    assert "约2000万-1亿" in local_headline("zh-Hans", VAGUE)
    assert dict(facts("zh-Hant", VAGUE))["金額"].startswith("約2000萬-1億")


def test_an_open_range_and_a_known_figure() -> None:
    open_range = dict(VAGUE, amount_low=4e8, amount_high=None)
    assert headline(open_range) == "剧场说 raised ~400M+ CNY (Angel)"
    assert local_headline("zh-Hans", open_range).startswith("剧场说完成4亿元人民币以上")
    exact = dict(VAGUE, amount=5e7, amount_usd=6.9e6)
    assert headline(exact) == "剧场说 raised $6.9M (Angel)", "a figure wins over its range"
    nothing = dict(VAGUE, amount_low=None, amount_high=None)
    assert "undisclosed" in headline(nothing)
