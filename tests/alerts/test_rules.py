"""Cadences, filters, wording and send windows without a database."""

from __future__ import annotations

from datetime import UTC, datetime
from types import SimpleNamespace

import pytest
from pydantic import ValidationError

from fundwatch.alerts.changes import describe_changes, snapshot
from fundwatch.alerts.rate_limit import SendWindows
from fundwatch.alerts.wording import amount_text, headline, reader_language, round_text
from fundwatch.configuration.alert_rules import Cadence, Filters


def _utc(*parts: int) -> datetime:
    return datetime(*parts, tzinfo=UTC)


def test_cadences_fall_due_at_the_right_instant() -> None:
    hourly = Cadence.model_validate("hourly")
    assert hourly.due_at(_utc(2026, 3, 28, 9, 59, 59)) == _utc(2026, 3, 28, 10)
    assert hourly.due_at(_utc(2026, 3, 28, 10)) == _utc(2026, 3, 28, 11)
    london = Cadence.model_validate("daily 08:30 Europe/London")
    assert london.due_at(_utc(2026, 3, 28, 7)) == _utc(2026, 3, 28, 8, 30)  # GMT
    assert london.due_at(_utc(2026, 3, 28, 9)) == _utc(2026, 3, 29, 7, 30)  # BST from the 29th
    shanghai = Cadence.model_validate({"kind": "daily", "at": "09:00", "timezone": "Asia/Shanghai"})
    assert shanghai.due_at(_utc(2026, 12, 1, 23)) == _utc(2026, 12, 2, 1)
    assert Cadence.model_validate("daily").describe() == "daily 09:00 UTC"
    assert Cadence.model_validate("every 6h").due_at(_utc(2026, 1, 1)) == _utc(2026, 1, 1, 6)
    assert not Cadence.model_validate("immediate").is_digest


@pytest.mark.parametrize("text", ["weekly", "daily 8h", "daily 09:00 Nowhere/City", "every 0s"])
def test_bad_cadences_say_what_is_allowed(text: str) -> None:
    with pytest.raises(ValidationError):
        Cadence.model_validate(text)


def test_watch_lists_and_keywords() -> None:
    event = SimpleNamespace(
        amount_usd=5e6,
        round="seed",
        company="Vidu",
        company_key="vidu",
        investors=["Sequoia China"],
        lead_investors=[],
        investor_keys={"hongshan": "HongShan"},
        languages=["zh-Hans"],
        titles=["Vidu完成种子轮融资，视频生成模型"],
    )
    assert Filters(investors=["hongshan"]).accepts(event)
    assert Filters(investors=["SEQUOIA CHINA"]).accepts(event)
    assert not Filters(investors=["Benchmark"]).accepts(event)
    assert Filters(keywords=["视频生成"]).accepts(event)
    assert not Filters(keywords=["robotics"]).accepts(event)
    assert Filters(companies=["VIDU"], languages=["zh"]).accepts(event)
    assert not Filters(companies=["VIDU"], min_amount_usd=10e6).accepts(event)


def test_chinese_wording() -> None:
    assert amount_text("zh-Hans", 1.2e9) == "12亿美元"
    assert amount_text("zh-Hans", None, 1e8, "CNY") == "1亿元人民币"
    assert amount_text("zh-Hant", 6e7) == "6000萬美元"
    assert round_text("zh-Hans", "pre-A") == "Pre-A轮" and round_text("zh-Hant", "B+") == "B+輪"
    data = {"company": "生数科技", "round": "strategic", "amount_usd": None, "amount": None}
    assert headline("zh-Hans", data) == "生数科技完成战略融资（金额未披露）"
    data = {"company": "X", "round": "A", "amount_usd": 1e7, "lead_investors": ["甲", "乙", "丙"]}
    assert headline("zh-Hans", data) == "X完成1000万美元A轮融资，甲、乙等领投"
    assert reader_language("auto", {"articles": [{"language": "zh-TW"}]}) == "zh-Hant"
    assert reader_language("auto", {"articles": [{"language": "en"}]}) == "en"
    assert reader_language("zh-Hans", {"articles": []}) == "zh-Hans"


def test_update_lines_name_only_what_changed() -> None:
    before = snapshot({"company": "A", "round": "A", "amount_usd": None, "lead_investors": ["X"]})
    now = {"company": "A", "round": "B", "amount_usd": 2e7, "lead_investors": ["X", "Y"]}
    assert describe_changes("en", before, now) == [
        "Round: Series A → Series B",
        "Amount: undisclosed amount → $20M",
        "new lead investor: Y",
    ]
    assert describe_changes("zh-Hans", before, now)[1] == "金额：未披露 → 2000万美元"
    assert describe_changes("en", before, {**before}) == []
    assert describe_changes("en", None, now) == []


def test_send_windows() -> None:
    windows = SendWindows(((5, 1.0), (20, 60.0)))
    for second in range(4):
        for _ in range(5):
            assert windows.wait(100.0 + second) == 0
            windows.note(100.0 + second)
    assert windows.wait(103.5) == pytest.approx(56.5)  # 20 in the minute: wait for the first
    assert windows.wait(160.0) == 0
