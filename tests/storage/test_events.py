from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from fundwatch import records
from fundwatch.storage import AlertOutbox, Article, FundingEvent, create_db_engine, session_factory
from fundwatch.storage.events import EventSettings
from fundwatch.storage.ingest import IngestResult, ingest_article
from tests.storage.dedup_texts import (
    EN_ORIGINAL,
    EN_ORIGINAL_TITLE,
    ZH_ORIGINAL,
    ZH_ORIGINAL_TITLE,
    ZH_OTHER_ROUND,
    ZH_OTHER_ROUND_TITLE,
    ZH_SPUN,
    ZH_SPUN_TITLE,
)

DAY = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
KEY = "xingying"


@dataclass
class Channel:
    name: str
    send_updates: bool = False

    def accepts(self, event: FundingEvent) -> bool:
        return True


CHANNELS = (Channel("mail"), Channel("hook", send_updates=True))


def detection(**facts: Any) -> records.Detection:
    base: dict[str, Any] = {
        "flag": True,
        "is_funding": True,
        "is_ai_video": True,
        "score": 0.9,
        "company": "星影科技",
        "company_key": KEY,
        "round": "B",
        "amount": 100_000_000.0,
        "currency": "CNY",
        "amount_usd": 13_800_000.0,
        "investors": ["青松资本", "远山创投"],
        "lead_investors": ["青松资本"],
    }
    return records.Detection(**(base | facts))


def store(
    sessions: sessionmaker[Session],
    url: str,
    title: str,
    body: str,
    *,
    published: datetime = DAY,
    settings: EventSettings | None = None,
    **facts: Any,
) -> IngestResult:
    record = records.Article(
        url=url,
        source=url.split("/")[2],
        title=title,
        body=body,
        published_at=published,
        detection=detection(**facts) if facts.get("flag", True) else records.Detection(**facts),
    )
    with sessions.begin() as session:
        return ingest_article(session, record, alert_channels=CHANNELS, events=settings)


@pytest.fixture
def sessions(database_url: str) -> sessionmaker[Session]:
    return session_factory(create_db_engine(database_url))


def events(sessions: sessionmaker[Session]) -> list[FundingEvent]:
    with sessions() as session:
        return list(session.scalars(select(FundingEvent).order_by(FundingEvent.id)))


def outbox(sessions: sessionmaker[Session]) -> list[tuple[int, str, int]]:
    with sessions() as session:
        rows = session.execute(
            select(AlertOutbox.event_id, AlertOutbox.channel, AlertOutbox.revision)
        )
        return sorted(tuple(row) for row in rows)


def test_outlets_in_two_languages_join_one_event(sessions: sessionmaker[Session]) -> None:
    first = store(sessions, "https://cn.example/1", ZH_ORIGINAL_TITLE, ZH_ORIGINAL)
    assert first.event_created and first.event_id is not None
    assert outbox(sessions) == [(first.event_id, "hook", 0), (first.event_id, "mail", 0)]

    english = store(
        sessions,
        "https://en.example/lumen",
        EN_ORIGINAL_TITLE,
        EN_ORIGINAL,
        published=DAY + timedelta(days=2),
        company="Xingying Tech",
        amount=13_800_000.0,
        currency="USD",
        investors=["Evergreen Capital", "远山创投（跟投）"],
        lead_investors=["青松资本(领投)"],
    )
    assert english.event_id == first.event_id
    assert not english.event_created and not english.event_changed
    assert outbox(sessions) == [(first.event_id, "hook", 0), (first.event_id, "mail", 0)]

    [event] = events(sessions)
    assert event.article_count == 2
    assert event.sources == ["cn.example", "en.example"]
    assert event.investors == ["青松资本", "远山创投", "Evergreen Capital"]
    assert (event.round, event.amount, event.currency, event.revision) == ("B", 1e8, "CNY", 0)
    with sessions() as session:
        assert set(session.scalars(select(Article.event_id))) == {first.event_id}


def test_material_news_revises_the_event_and_alerts_only_update_channels(
    sessions: sessionmaker[Session],
) -> None:
    first = store(
        sessions,
        "https://cn.example/1",
        ZH_ORIGINAL_TITLE,
        ZH_ORIGINAL,
        amount=None,
        currency=None,
        amount_usd=None,
        lead_investors=[],
    )
    later = store(
        sessions,
        "https://cn2.example/2",
        ZH_OTHER_ROUND_TITLE,  # another text: not a duplicate, same company and round
        ZH_OTHER_ROUND,
        valuation_usd=500_000_000.0,
    )
    assert later.event_id == first.event_id and later.event_changed
    [event] = events(sessions)
    assert (event.amount_usd, event.valuation_usd, event.lead_investors) == (
        13_800_000.0,
        500_000_000.0,
        ["青松资本"],
    )
    assert event.revision == 1
    assert outbox(sessions) == [
        (event.id, "hook", 0),
        (event.id, "hook", 1),
        (event.id, "mail", 0),
    ]


def test_different_rounds_of_one_company_are_different_events(
    sessions: sessionmaker[Session],
) -> None:
    b_round = store(sessions, "https://cn.example/1", ZH_ORIGINAL_TITLE, ZH_ORIGINAL)
    c_round = store(
        sessions,
        "https://cn.example/2",
        ZH_OTHER_ROUND_TITLE,
        ZH_OTHER_ROUND,
        published=DAY + timedelta(days=20),
        round="C",
        amount=300_000_000.0,
        amount_usd=41_400_000.0,
    )
    assert c_round.event_created and c_round.event_id != b_round.event_id
    assert [e.round for e in events(sessions)] == ["B", "C"]


def test_without_a_round_the_amount_decides(sessions: sessionmaker[Session]) -> None:
    base = store(sessions, "https://cn.example/1", ZH_ORIGINAL_TITLE, ZH_ORIGINAL)
    close = store(
        sessions,
        "https://en.example/1",
        EN_ORIGINAL_TITLE,
        EN_ORIGINAL,
        round="undisclosed",
        amount=14_000_000.0,
        currency="USD",
        amount_usd=14_000_000.0,
    )
    assert close.event_id == base.event_id
    far = store(
        sessions,
        "https://en.example/2",
        ZH_OTHER_ROUND_TITLE,
        ZH_OTHER_ROUND,
        round=None,
        amount=60_000_000.0,
        currency="USD",
        amount_usd=60_000_000.0,
    )
    assert far.event_created and far.event_id != base.event_id


def test_the_window_is_configurable(sessions: sessionmaker[Session]) -> None:
    base = store(sessions, "https://cn.example/1", ZH_ORIGINAL_TITLE, ZH_ORIGINAL)
    later = store(
        sessions,
        "https://en.example/1",
        EN_ORIGINAL_TITLE,
        EN_ORIGINAL,
        published=DAY + timedelta(days=10),
        settings=EventSettings(window=timedelta(days=7)),
    )
    assert later.event_created and later.event_id != base.event_id
    within_default = store(
        sessions,
        "https://en.example/2",
        ZH_OTHER_ROUND_TITLE,
        ZH_OTHER_ROUND,
        published=DAY + timedelta(days=40),
    )
    assert not within_default.event_created


def test_a_copy_of_a_flagged_story_joins_its_event(sessions: sessionmaker[Session]) -> None:
    first = store(sessions, "https://cn.example/1", ZH_ORIGINAL_TITLE, ZH_ORIGINAL)
    copy = store(sessions, "https://farm.example/9", ZH_SPUN_TITLE, ZH_SPUN, flag=False)
    assert copy.status == "near_duplicate" and copy.duplicate_of == first.article_id
    assert copy.event_id == first.event_id
    [event] = events(sessions)
    assert event.sources == ["cn.example", "farm.example"] and event.article_count == 2


def test_unflagged_articles_make_no_event(sessions: sessionmaker[Session]) -> None:
    result = store(sessions, "https://cn.example/1", ZH_ORIGINAL_TITLE, ZH_ORIGINAL, flag=False)
    assert result.event_id is None and events(sessions) == [] and outbox(sessions) == []


def test_bad_settings_are_refused() -> None:
    with pytest.raises(ValueError, match="window"):
        EventSettings(window=timedelta(0))
    with pytest.raises(ValueError, match="amount_tolerance"):
        EventSettings(amount_tolerance=2)
