"""Funding events merge investor lists by the detector's investor keys."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from fundwatch import records
from fundwatch.storage import FundingEvent, create_db_engine, session_factory
from fundwatch.storage.ingest import ingest_article

DAY = datetime(2026, 5, 4, 8, 0, tzinfo=UTC)

BODIES = (
    "帧光科技宣布完成8000万元Pre-A轮融资,资金将用于视频生成模型训练与商业化落地。",
    "影片生成新創幀光科技今天表示,新一輪資金會投入多語言配音與長影片一致性的研發工作。",
    "Zhenguang Tech, which builds a video generation model for advertisers, closed a new round "
    "that it will spend on hiring researchers in Hangzhou and opening a sales office abroad.",
    "据悉,帧光科技创始团队来自多家影视特效公司,过去一年服务了三百余家品牌客户的短片制作需求。",
)


@pytest.fixture
def sessions(database_url: str) -> sessionmaker[Session]:
    return session_factory(create_db_engine(database_url))


def store(sessions: sessionmaker[Session], n: int, **detection: Any) -> int | None:
    base: dict[str, Any] = {
        "flag": True,
        "is_funding": True,
        "is_ai_video": True,
        "score": 0.9,
        "company": "帧光科技",
        "company_key": "zhenguang",
        "round": "pre-A",
        "amount": 80_000_000.0,
        "currency": "CNY",
        "amount_usd": 11_000_000.0,
    }
    record = records.Article(
        url=f"https://outlet{n}.example/story/{n}",
        source=f"outlet{n}.example",
        title=f"帧光科技融资报道 {n}",
        body=BODIES[n],
        published_at=DAY + timedelta(hours=n),
        detection=records.Detection(**(base | detection)),
    )
    with sessions.begin() as session:
        return ingest_article(session, record).event_id


def the_event(sessions: sessionmaker[Session]) -> FundingEvent:
    with sessions() as session:
        [event] = session.scalars(select(FundingEvent))
        return event


def test_spellings_in_two_scripts_are_one_investor(sessions: sessionmaker[Session]) -> None:
    first = store(
        sessions,
        0,
        investors=["远澜资本", "光年创投", "星河创投"],
        lead_investors=["远澜资本"],
        investor_keys=["远澜资本", "光年创投", "星河创投"],
        lead_investor_keys=["远澜资本"],
    )
    second = store(
        sessions,
        1,
        investors=["遠瀾資本", "光年創投", "白樺基金"],
        lead_investors=["遠瀾資本"],
        investor_keys=["远澜资本", "光年创投", "白桦基金"],
        lead_investor_keys=["远澜资本"],
    )
    assert first == second
    event = the_event(sessions)
    assert event.lead_investors == ["远澜资本"]  # the first-seen spelling
    assert event.investors == ["远澜资本", "光年创投", "星河创投", "白樺基金"]
    assert event.revision == 0  # no new lead: not a material change


def test_alias_in_brackets_joins_the_plain_spelling_either_way(
    sessions: sessionmaker[Session],
) -> None:
    store(
        sessions,
        2,
        investors=["Northgate Capital"],
        lead_investors=["Northgate Capital"],
        investor_keys=["northgatecapital"],
        lead_investor_keys=["northgatecapital"],
    )
    store(
        sessions,
        0,
        investors=["北岬资本 (Northgate Capital)", "星河创投"],
        lead_investors=["北岬资本 (Northgate Capital)"],
        investor_keys=["北岬资本", "星河创投"],
        lead_investor_keys=["北岬资本"],
    )
    store(
        sessions,
        3,
        investors=["北岬资本"],
        lead_investors=["北岬资本"],
        investor_keys=["北岬资本"],
        lead_investor_keys=["北岬资本"],
    )
    event = the_event(sessions)
    assert event.lead_investors == ["Northgate Capital"]
    assert event.investors == ["Northgate Capital", "星河创投"]
    assert event.article_count == 3


def test_records_without_keys_merge_by_name(sessions: sessionmaker[Session]) -> None:
    store(sessions, 0, investors=["远澜资本"], lead_investors=["远澜资本"])
    store(
        sessions,
        1,
        investors=["远澜资本(领投)", "光年创投"],
        lead_investors=["远澜资本(领投)"],
        investor_keys=["远澜资本", "光年创投"],
        lead_investor_keys=["远澜资本"],
    )
    store(sessions, 3, investors=["光年创投", "Birch Lane"], lead_investors=[])
    event = the_event(sessions)
    assert event.lead_investors == ["远澜资本"]
    assert event.investors == ["远澜资本", "光年创投", "Birch Lane"]


def test_a_new_lead_by_key_is_a_material_change(sessions: sessionmaker[Session]) -> None:
    store(
        sessions,
        0,
        investors=["远澜资本"],
        lead_investors=["远澜资本"],
        investor_keys=["远澜资本"],
        lead_investor_keys=["远澜资本"],
    )
    store(
        sessions,
        1,
        investors=["遠瀾資本", "白樺基金"],
        lead_investors=["遠瀾資本", "白樺基金"],
        investor_keys=["远澜资本", "白桦基金"],
        lead_investor_keys=["远澜资本", "白桦基金"],
    )
    event = the_event(sessions)
    assert event.lead_investors == ["远澜资本", "白樺基金"]
    assert event.revision == 1


def test_a_bracketed_alias_folds_two_listed_spellings_into_one(
    sessions: sessionmaker[Session],
) -> None:
    store(
        sessions,
        2,
        investors=["Northgate Capital"],
        lead_investors=["Northgate Capital"],
        investor_keys=["northgatecapital"],
        lead_investor_keys=["northgatecapital"],
    )
    store(
        sessions,
        3,
        investors=["北岬资本"],
        lead_investors=["北岬资本"],
        investor_keys=["北岬资本"],
        lead_investor_keys=["北岬资本"],
    )
    store(
        sessions,
        0,
        investors=["北岬资本 (Northgate Capital)"],
        lead_investors=["北岬资本 (Northgate Capital)"],
        investor_keys=["北岬资本"],
        lead_investor_keys=["北岬资本"],
    )
    event = the_event(sessions)
    assert event.lead_investors == ["Northgate Capital"]
    assert event.investors == ["Northgate Capital"]
