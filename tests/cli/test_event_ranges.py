"""Vague amounts (数千万元, "eight figures") are kept as a range on articles and events, agree
with any figure inside it, give way to a precise figure, and are shown as ranges."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from fundwatch import records
from fundwatch.cli import main
from fundwatch.storage import Article, FundingEvent, create_db_engine, session_factory
from fundwatch.storage.ingest import IngestResult, ingest_article

DAY = datetime(2026, 7, 1, 8, 0, tzinfo=UTC)
VAGUE = {  # 影途科技完成数千万元A轮融资
    "flag": True,
    "is_funding": True,
    "is_ai_video": True,
    "score": 0.9,
    "company": "影途科技",
    "company_key": "yingtu",
    "round": None,
    "amount": None,
    "currency": "CNY",
    "amount_usd": None,
    "amount_approximate": True,
    "amount_low": 10_000_000.0,
    "amount_high": 100_000_000.0,
    "lead_investors": ["红杉中国"],
    "investors": ["红杉中国"],
}
BODIES = (
    "影途科技近日完成数千万元融资,由红杉中国领投,资金将用于视频生成模型研发与团队建设。",
    "AI视频公司影途科技披露,新一轮融资金额为5000万元,主要投向海外市场和算力采购。",
    "影途科技另一则消息称其正在洽谈一笔3亿元的新融资,尚未完成交割,仍待股东会批准。",
)


@pytest.fixture
def sessions(
    database_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> sessionmaker[Session]:
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("FUNDWATCH_DATABASE_URL", database_url)
    return session_factory(create_db_engine(database_url))


def store(sessions: sessionmaker[Session], n: int, **facts: Any) -> IngestResult:
    record = records.Article(
        url=f"https://outlet{n}.example/{n}",
        source=f"outlet{n}.example",
        title=f"影途科技融资 {n}",
        body=BODIES[n],
        published_at=DAY + timedelta(days=n),
        detection=records.Detection(**(VAGUE | facts)),
    )
    with sessions.begin() as session:
        return ingest_article(session, record)


def test_a_range_is_stored_shown_and_replaced_by_a_precise_figure(
    sessions: sessionmaker[Session], capsys: pytest.CaptureFixture[str]
) -> None:
    vague = store(sessions, 0)
    with sessions() as session:
        article = session.get(Article, vague.article_id)
        assert (article.amount_low, article.amount_high, article.amount_approximate) == (
            1e7,
            1e8,
            True,
        )
    assert main(["events"]) == 0
    assert "~10,000,000-100,000,000" in capsys.readouterr().out
    assert main(["events", "--format", "json"]) == 0
    [shown] = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert (shown["amount"], shown["amount_low"], shown["amount_high"]) == (None, 1e7, 1e8)
    assert shown["amount_approximate"] is True

    precise = store(  # an exact figure is its own range
        sessions, 1, amount=50_000_000.0, amount_usd=6_900_000.0, amount_approximate=False,
        amount_low=50_000_000.0, amount_high=50_000_000.0,
    )  # fmt: skip
    assert precise.event_id == vague.event_id and precise.event_changed
    outside = store(
        sessions, 2, amount=300_000_000.0, amount_approximate=False, amount_low=None,
        amount_high=None, lead_investors=["高瓴创投"], investors=["高瓴创投"],
    )  # fmt: skip
    assert outside.event_created and outside.event_id != vague.event_id

    with sessions() as session:
        event = session.get(FundingEvent, vague.event_id)
        assert (event.amount, event.amount_low, event.amount_high) == (5e7, 5e7, 5e7)
        assert not event.amount_approximate and event.revision == 1
        assert event.lead_investors == ["红杉中国"]
        other = session.scalars(select(FundingEvent).where(FundingEvent.id == outside.event_id))
        assert other.one().lead_investors == ["高瓴创投"]
    assert main(["events"]) == 0
    table = capsys.readouterr().out
    assert "50,000,000" in table and "~" not in table  # both events now have exact figures


def test_an_open_range_is_shown_with_its_bound(
    sessions: sessionmaker[Session], capsys: pytest.CaptureFixture[str]
) -> None:
    """超4亿元: 4e8 and up."""
    store(sessions, 0, amount=4e8, amount_low=4e8, amount_high=None)
    assert main(["events"]) == 0
    assert "~400,000,000+" in capsys.readouterr().out
