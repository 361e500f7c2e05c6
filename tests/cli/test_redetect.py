"""`fundwatch redetect`: a database filled by ingesting articles with the shipped keyword lists,
then re-detected with changed lists (FUNDWATCH_SEEDS), on both databases."""

from __future__ import annotations

import shutil
from dataclasses import dataclass, replace
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from fundwatch import records
from fundwatch.cli import main
from fundwatch.configuration.settings import DEFAULT_SEEDS
from fundwatch.crawler.verdict import judge
from fundwatch.detection import Detector, load_detector
from fundwatch.storage import AlertOutbox, Article, FundingEvent, create_db_engine, session_factory
from fundwatch.storage.ingest import ingest_article
from fundwatch.storage.redetect import apply_plan, lock_events, plan_redetect
from tests.storage.brief_texts import Brief

DAY = datetime(2026, 6, 1, 8, 0, tzinfo=UTC)
HOLOGRAPHIC = (
    "Holvia raises $12 million Series A led by Cedar Partners",
    "Holvia, which builds holographic stage shows for concert tours, has raised $12 million in "
    "a Series A round led by Cedar Partners. The money will fund new touring rigs.",
)
# what an older detector said about the Fenvid brief: no company, round or amount, so the
# brief joined the Yarvid event it resembles and brought its lead investor along
OLDER_FENVID_VERDICT = {
    "company": None,
    "company_key": None,
    "round": None,
    "amount": None,
    "currency": None,
    "amount_usd": None,
}


@dataclass
class Channel:
    name: str
    send_updates: bool = False

    def accepts(self, event: FundingEvent) -> bool:
        return True


CHANNELS = (Channel("mail"), Channel("hook", send_updates=True))


def changed_seeds(folder: Path) -> Path:
    """The shipped keyword lists with three user edits: Lumaro is a known company outside AI
    video; 影途科技 and Shadowpath (its English name, a translation: not its pinyin, which the
    event rules would match on their own) are one company; holographic stage shows count as AI
    video."""
    shutil.copytree(DEFAULT_SEEDS / "detection", folder / "detection")
    companies = folder / "detection" / "companies.yaml"
    text = companies.read_text(encoding="utf-8")
    edits = (
        "companies:\n"
        "  - {key: lumaro, sector: other, names: [Lumaro]}\n"
        "  - {key: yingtu, sector: ai_video, names: [影途科技, 影途, Shadowpath]}\n"
    )
    companies.write_text(text.replace("companies:\n", edits, 1), encoding="utf-8")
    sectors = folder / "detection" / "sectors.yaml"
    text = sectors.read_text(encoding="utf-8")
    sectors.write_text(
        text.replace("\nai_video:\n", "\nai_video:\n  holographic stage: 3\n", 1), encoding="utf-8"
    )
    return folder


def fill(sessions: sessionmaker[Session], detector: Detector) -> dict[str, int]:
    """Ingest six articles with the shipped lists; returns article ids by name."""
    stories: list[tuple[str, tuple[str, str], dict[str, Any]]] = [
        (
            "yarvid",
            Brief("Yarvid", "$22 million", "pre-Series A", "Stonebridge Capital").text(),
            {},
        ),
        (
            "fenvid",
            Brief("Fenvid", "$36 million", "Series A", "Redpine Capital").text(),
            OLDER_FENVID_VERDICT,
        ),
        ("lumaro", Brief("Lumaro", "$15 million", "seed", "Northgate Ventures").text(), {}),
        ("yingtu-en", Brief("Shadowpath", "$11 million", "Series A", "HongShan").text(), {}),
        ("yingtu-zh", Brief("影途科技", "8000万元", "A轮", "红杉中国", chinese=True).text(), {}),
        ("holvia", HOLOGRAPHIC, {}),
    ]
    ids = {}
    for n, (name, (title, body), override) in enumerate(stories):
        verdict = judge(detector, title, body, None)
        record = records.Article(
            url=f"https://outlet{n}.example/{name}",
            source=f"outlet{n}.example",
            title=title,
            body=body,
            language=verdict.language,
            published_at=DAY + timedelta(hours=n),
            detection=replace(verdict.detection, **override),
        )
        with sessions.begin() as session:
            result = ingest_article(session, record, alert_channels=CHANNELS)
        assert result.article_id is not None
        ids[name] = result.article_id
    return ids


@dataclass
class World:
    url: str
    sessions: sessionmaker[Session]
    ids: dict[str, int]
    seeds: Path


@pytest.fixture
def world(database_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> World:
    sessions = session_factory(create_db_engine(database_url))
    ids = fill(sessions, load_detector(DEFAULT_SEEDS / "detection"))
    seeds = changed_seeds(tmp_path / "seeds")
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("FUNDWATCH_DATABASE_URL", database_url)
    monkeypatch.setenv("FUNDWATCH_SEEDS", str(seeds))
    monkeypatch.delenv("FUNDWATCH_ALERTS", raising=False)
    monkeypatch.delenv("FUNDWATCH_CONFIG", raising=False)
    return World(database_url, sessions, ids, seeds)


def snapshot(sessions: sessionmaker[Session]) -> tuple[list[Any], list[Any], list[Any]]:
    with sessions() as session:
        events = [
            (e.id, e.company_key, e.round, e.lead_investors, e.article_count, e.withdrawn_at)
            for e in session.scalars(select(FundingEvent).order_by(FundingEvent.id))
        ]
        articles = list(
            map(
                tuple,
                session.execute(
                    select(
                        Article.id, Article.flag, Article.company_key, Article.event_id
                    ).order_by(Article.id)
                ),
            )
        )
        alerts = sorted(
            tuple(row)
            for row in session.execute(
                select(AlertOutbox.event_id, AlertOutbox.channel, AlertOutbox.revision)
            )
        )
    return events, articles, alerts


def live_events(sessions: sessionmaker[Session]) -> dict[str, FundingEvent]:
    with sessions() as session:
        return {
            e.company_key: e
            for e in session.scalars(
                select(FundingEvent).where(FundingEvent.withdrawn_at.is_(None))
            )
        }


def test_dry_run_shows_the_diff_and_writes_nothing(
    world: World, capsys: pytest.CaptureFixture[str]
) -> None:
    before = snapshot(world.sessions)
    ids = world.ids
    yarvid_event = live_events(world.sessions)["yarvid"]
    assert yarvid_event.lead_investors == ["Stonebridge Capital", "Redpine Capital"]  # the leak

    assert main(["redetect", "--dry-run"]) == 0
    out = capsys.readouterr().out
    assert "6 articles" in out and str(world.seeds) in out
    lines = out.splitlines()

    def article_line(name: str) -> str:
        [line] = [x for x in lines if x.strip().startswith(f"#{ids[name]} ")]
        return line

    assert "flag lost" in article_line("lumaro")
    assert "flag gained" in article_line("holvia")
    assert "company: - → Fenvid" in article_line("fenvid")
    assert "round: - → A" in article_line("fenvid")
    assert "company_key: shadowpath → yingtu" in article_line("yingtu-en")
    assert "company_key: 影途 → yingtu" in article_line("yingtu-zh")
    assert not any(x.strip().startswith(f"#{ids['yarvid']} ") for x in lines)  # unchanged

    events = [x.strip() for x in lines if x.startswith("  ") and "event" in x]
    assert any(
        x.startswith("split") and "new event: Fenvid A" in x and "Redpine Capital" in x
        for x in events
    )
    assert any(
        x.startswith("split") and f"event {yarvid_event.id}: Yarvid" in x and "lead_investors" in x
        for x in events
    )
    assert any(x.startswith("withdrawn") and "Lumaro" in x for x in events)
    assert any(x.startswith("merged") and "absorbs event" in x for x in events)
    assert any(x.startswith("created") and "Holvia" in x for x in events)
    assert out.rstrip().endswith("dry run: nothing written (run again without --dry-run to apply)")
    assert "flags: 1 gained, 1 lost; other facts changed: 3;" in out
    assert snapshot(world.sessions) == before


def test_applying_splits_merges_withdraws_and_never_re_alerts(
    world: World, capsys: pytest.CaptureFixture[str]
) -> None:
    _, _, alerts_before = snapshot(world.sessions)
    old = live_events(world.sessions)
    assert main(["redetect"]) == 0
    out = capsys.readouterr().out
    assert (
        "applied: 5 articles updated, 2 events created, 2 updated, 2 withdrawn, 0 deleted; "
        "0 alerts queued" in out
    )

    events = live_events(world.sessions)
    assert set(events) == {"yarvid", "fenvid", "yingtu", "holvia"}
    assert events["yarvid"].id == old["yarvid"].id
    assert events["yarvid"].lead_investors == ["Stonebridge Capital"]
    assert events["yarvid"].article_count == 1
    assert events["fenvid"].lead_investors == ["Redpine Capital"]
    assert (events["fenvid"].round, events["fenvid"].amount) == ("A", 36_000_000)
    assert events["yingtu"].article_count == 2
    assert events["yingtu"].id in {old["shadowpath"].id, old["影途"].id}
    assert events["yingtu"].lead_investors == ["HongShan"]  # 红杉中国 is its other name

    with world.sessions() as session:
        withdrawn = dict(
            session.execute(
                select(FundingEvent.company_key, FundingEvent.withdrawn_at).where(
                    FundingEvent.withdrawn_at.is_not(None)
                )
            ).all()
        )
        assert len(withdrawn) == 2 and "lumaro" in withdrawn  # and the absorbed one of the two
        assert len(set(withdrawn) & {"影途", "shadowpath"}) == 1
        statuses = dict(
            session.execute(
                select(AlertOutbox.channel, AlertOutbox.status).where(
                    AlertOutbox.event_id == old["lumaro"].id
                )
            ).all()
        )
        assert statuses == {"mail": "cancelled", "hook": "cancelled"}
        event_of = {name: session.get(Article, i).event_id for name, i in world.ids.items()}
        assert event_of == {
            "yarvid": events["yarvid"].id,
            "fenvid": events["fenvid"].id,
            "lumaro": None,
            "yingtu-en": events["yingtu"].id,
            "yingtu-zh": events["yingtu"].id,
            "holvia": events["holvia"].id,
        }

    # no channels are configured for the command: nothing new queued, nothing re-sent
    assert snapshot(world.sessions)[2] == alerts_before

    # a second run finds nothing to change
    assert main(["redetect", "--dry-run"]) == 0
    again = capsys.readouterr().out
    assert "flags: 0 gained, 0 lost; other facts changed: 0; events: no change" in again
    assert main(["redetect"]) == 0
    assert "applied: 0 articles updated, 0 events created, 0 updated" in capsys.readouterr().out


def test_new_events_are_announced_and_old_ones_only_when_asked(world: World) -> None:
    detector = load_detector(world.seeds / "detection")
    with world.sessions() as session:
        texts = session.execute(select(Article.id, Article.title, Article.body)).all()
    detections = {row.id: judge(detector, row.title, row.body, None).detection for row in texts}
    _, _, alerts_before = snapshot(world.sessions)
    old_yarvid = live_events(world.sessions)["yarvid"]

    for realert in (False, True):
        with world.sessions.begin() as session:
            lock_events(session)
            plan = plan_redetect(session, detections)
            apply_plan(session, plan, alert_channels=CHANNELS, realert=realert)
        events = live_events(world.sessions)
        new_alerts = sorted(set(snapshot(world.sessions)[2]) - set(alerts_before))
        if not realert:
            # the split-off Fenvid event and the newly flagged Holvia event are news
            assert new_alerts == sorted(
                (events[key].id, channel.name, 0)
                for key in ("fenvid", "holvia")
                for channel in CHANNELS
            )
            # the Yarvid event lost a lead (a new revision) but is not announced again
            assert events["yarvid"].revision == old_yarvid.revision + 1
        else:
            # nothing changed since the first run, so even --realert announces nothing
            assert len(new_alerts) == 2 * len(CHANNELS)


def test_realert_announces_a_split_event_to_every_channel(world: World) -> None:
    detector = load_detector(world.seeds / "detection")
    with world.sessions() as session:
        texts = session.execute(select(Article.id, Article.title, Article.body)).all()
    detections = {row.id: judge(detector, row.title, row.body, None).detection for row in texts}
    old_yarvid = live_events(world.sessions)["yarvid"]
    with world.sessions.begin() as session:
        plan = plan_redetect(session, detections)
        apply_plan(session, plan, alert_channels=CHANNELS, realert=True)
    with world.sessions() as session:
        rows = sorted(
            tuple(row)
            for row in session.execute(
                select(AlertOutbox.channel, AlertOutbox.revision).where(
                    AlertOutbox.event_id == old_yarvid.id
                )
            )
        )
    # revision 1 went to the update channel when the Fenvid brief leaked its lead into the event
    assert rows == [("hook", 0), ("hook", 1), ("hook", 2), ("mail", 0), ("mail", 2)]


def test_scope_by_source_and_date(world: World, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["redetect", "--dry-run", "--source", "outlet5.example"]) == 0
    out = capsys.readouterr().out
    assert "1 articles (source outlet5.example)" in out and "flag gained" in out
    assert "Lumaro" not in out
    assert main(["redetect", "--dry-run", "--since", "2026-07-01"]) == 0
    assert "nothing to re-detect" in capsys.readouterr().out


def test_a_report_that_gains_its_flag_joins_the_round_of_its_name_in_the_other_script(
    database_url: str, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    """Only the English report is re-detected (--source): the Chinese report's event, keyed 影途,
    is outside the re-detected set and must be found by "yingtu", its pinyin."""
    sessions = session_factory(create_db_engine(database_url))
    detector = load_detector(DEFAULT_SEEDS / "detection")
    stories = [
        (Brief("影途科技", "8000万元", "A轮", "红杉中国", chinese=True).text(), {}),
        (Brief("Yingtu", "$11 million", "Series A", "HongShan").text(), {"flag": False}),
    ]
    for n, ((title, body), override) in enumerate(stories):
        verdict = judge(detector, title, body, None)
        record = records.Article(
            url=f"https://outlet{n}.example/yingtu",
            source=f"outlet{n}.example",
            title=title,
            body=body,
            language=verdict.language,
            published_at=DAY + timedelta(hours=n),
            detection=replace(verdict.detection, **override),
        )
        with sessions.begin() as session:
            ingest_article(session, record)
    [chinese] = live_events(sessions).values()
    assert chinese.company_key == "影途" and chinese.article_count == 1
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("FUNDWATCH_DATABASE_URL", database_url)
    monkeypatch.setenv("FUNDWATCH_SEEDS", str(DEFAULT_SEEDS))
    monkeypatch.delenv("FUNDWATCH_ALERTS", raising=False)
    monkeypatch.delenv("FUNDWATCH_CONFIG", raising=False)
    assert main(["redetect", "--source", "outlet1.example"]) == 0
    [event] = live_events(sessions).values()
    assert (event.id, event.article_count) == (chinese.id, 2)
