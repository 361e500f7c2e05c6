"""Fact-aware event joins (FAULTS F-47): formulaic briefs of different rounds look alike, but a
text is a copy of a funding story only when its facts agree, and one round's investors never
reach another round's event. The briefs go through the real detector and the real ingest path
on both databases."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from fundwatch import records
from fundwatch.configuration.settings import DEFAULT_SEEDS
from fundwatch.crawler.verdict import judge
from fundwatch.detection import Detector, load_detector
from fundwatch.storage import AlertOutbox, FundingEvent, create_db_engine, session_factory
from fundwatch.storage.ingest import IngestResult, ingest_article
from tests.storage.brief_texts import CHINESE_BRIEFS, ENGLISH_BRIEFS, Brief

DAY = datetime(2026, 6, 1, 8, 0, tzinfo=UTC)


@dataclass
class Channel:
    name: str
    send_updates: bool = True

    def accepts(self, event: FundingEvent) -> bool:
        return True


CHANNELS = (Channel("mail", send_updates=False), Channel("hook"))


@pytest.fixture(scope="module")
def detector() -> Detector:
    return load_detector(DEFAULT_SEEDS / "detection")


@pytest.fixture
def sessions(database_url: str) -> sessionmaker[Session]:
    return session_factory(create_db_engine(database_url))


def ingest(
    sessions: sessionmaker[Session], detector: Detector, brief: Brief, n: int, repost: bool = False
) -> IngestResult:
    title, body = brief.text(repost=repost)
    verdict = judge(detector, title, body, None)
    assert verdict.detection.flag, f"the detector does not flag {title!r}"
    record = records.Article(
        url=f"https://outlet{n}.example/news/{n}",
        source=f"outlet{n}.example",
        title=title,
        body=body,
        language=verdict.language,
        published_at=DAY + timedelta(hours=n),
        detection=verdict.detection,
    )
    with sessions.begin() as session:
        return ingest_article(session, record, alert_channels=CHANNELS)


def stored_events(sessions: sessionmaker[Session]) -> dict[str, FundingEvent]:
    with sessions() as session:
        return {e.company: e for e in session.scalars(select(FundingEvent))}


def alerts(sessions: sessionmaker[Session]) -> list[tuple[int, str, int]]:
    with sessions() as session:
        rows = session.execute(
            select(AlertOutbox.event_id, AlertOutbox.channel, AlertOutbox.revision)
        )
        return sorted(tuple(row) for row in rows)


@pytest.mark.parametrize("briefs", [ENGLISH_BRIEFS, CHINESE_BRIEFS], ids=["english", "chinese"])
def test_formulaic_briefs_of_different_rounds_are_different_events(
    sessions: sessionmaker[Session], detector: Detector, briefs: tuple[Brief, ...]
) -> None:
    results = [ingest(sessions, detector, brief, n) for n, brief in enumerate(briefs)]
    assert [r.status for r in results] == ["new"] * len(briefs)
    assert all(r.event_created for r in results)
    # the later briefs were near copies by text; they say why they are stored as their own
    assert any(r.not_a_copy and "company" in r.not_a_copy for r in results[1:])

    events = stored_events(sessions)
    assert len(events) == len(briefs)
    for brief in briefs:
        [event] = [e for name, e in events.items() if name.startswith(brief.company[:2])]
        assert event.lead_investors == [brief.lead]
        assert event.investors == [brief.lead]
        assert event.article_count == 1
    expected = sorted((r.event_id, c.name, 0) for r in results for c in CHANNELS)
    assert alerts(sessions) == expected


def test_both_languages_interleaved_and_a_repost_of_each(
    sessions: sessionmaker[Session], detector: Detector
) -> None:
    briefs = [b for pair in zip(ENGLISH_BRIEFS, CHINESE_BRIEFS, strict=True) for b in pair]
    firsts = [ingest(sessions, detector, brief, n) for n, brief in enumerate(briefs)]
    yarvid, yingtu = briefs[0], briefs[1]
    en_repost = ingest(sessions, detector, yarvid, 10, repost=True)
    zh_repost = ingest(sessions, detector, yingtu, 11, repost=True)

    assert en_repost.status == "near_duplicate" and zh_repost.status == "near_duplicate"
    assert en_repost.duplicate_of == firsts[0].article_id
    assert zh_repost.duplicate_of == firsts[1].article_id
    assert en_repost.event_id == firsts[0].event_id and not en_repost.event_created
    assert zh_repost.event_id == firsts[1].event_id and not zh_repost.event_created
    assert en_repost.not_a_copy is None and zh_repost.not_a_copy is None

    with sessions() as session:
        by_id = {e.id: e for e in session.scalars(select(FundingEvent))}
    assert len(by_id) == 6
    assert by_id[firsts[0].event_id].article_count == 2
    assert by_id[firsts[0].event_id].lead_investors == ["Stonebridge Capital"]
    assert by_id[firsts[1].event_id].article_count == 2
    assert by_id[firsts[1].event_id].lead_investors == ["红杉中国"]
    for result, brief in zip(firsts, briefs, strict=True):
        assert by_id[result.event_id].lead_investors == [brief.lead]
    # one alert per event and channel: the reposts changed nothing material
    assert len(alerts(sessions)) == 6 * len(CHANNELS)


def test_a_copy_whose_round_differs_from_its_event_is_its_own_event(
    sessions: sessionmaker[Session], detector: Detector
) -> None:
    """Same company, same template, a later round: text says copy, the round says otherwise."""
    seed = Brief("Yarvid", "$5 million", "seed", "Stonebridge Capital")
    series_a = Brief("Yarvid", "$22 million", "Series A", "Redpine Capital")
    first = ingest(sessions, detector, seed, 0)
    second = ingest(sessions, detector, series_a, 1)
    assert second.status == "new" and second.event_created
    assert second.not_a_copy is not None and "round" in second.not_a_copy
    with sessions() as session:
        leads = dict(session.execute(select(FundingEvent.id, FundingEvent.lead_investors)).all())
    assert leads == {first.event_id: ["Stonebridge Capital"], second.event_id: ["Redpine Capital"]}
