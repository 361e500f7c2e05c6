from __future__ import annotations

import csv
import io
import json
from datetime import UTC, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from fundwatch import records
from fundwatch.cli import main
from fundwatch.storage import create_db_engine, session_factory
from fundwatch.storage.ingest import ingest_article
from tests.storage.dedup_texts import (
    EN_ORIGINAL,
    EN_ORIGINAL_TITLE,
    ZH_ORIGINAL,
    ZH_ORIGINAL_TITLE,
    ZH_SPUN,
    ZH_SPUN_TITLE,
    ZH_UNRELATED,
)

FUNDING = {
    "flag": True,
    "company": "星影科技",
    "company_key": "xingying",
    "round": "B",
    "amount": 1e8,
    "currency": "CNY",
    "amount_usd": 13_800_000.0,
    "lead_investors": ["青松资本"],
}


@pytest.fixture
def database(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> str:
    url = f"sqlite:///{tmp_path / 'fw.db'}"
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("FUNDWATCH_DATABASE_URL", url)
    sessions = session_factory(create_db_engine(url))
    stories = [
        ("https://cn.example/1", "cn", ZH_ORIGINAL_TITLE, ZH_ORIGINAL, FUNDING, 1),
        ("https://farm.example/1", "farm", ZH_SPUN_TITLE, ZH_SPUN, {}, 2),
        ("https://en.example/1", "en", EN_ORIGINAL_TITLE, EN_ORIGINAL, FUNDING, 3),
        ("https://cn.example/2", "cn", "口袋公园", ZH_UNRELATED, {}, 20),
    ]
    for url_, source, title, body, detection, day in stories:
        record = records.Article(
            url=url_,
            source=source,
            title=title,
            body=body,
            detection=records.Detection(**detection),
            published_at=datetime(2026, 3, day, tzinfo=UTC),
            outlet="36氪" if source == "cn" else None,  # a repost; the others: their source
        )
        with sessions.begin() as session:
            ingest_article(session, record)
    return url


def run_json(capsys: pytest.CaptureFixture[str], *argv: str) -> list[dict]:
    assert main([*argv, "--format", "json"]) == 0
    return [json.loads(line) for line in capsys.readouterr().out.splitlines() if line]


def test_events_lists_one_event_with_every_outlet(
    database: str, capsys: pytest.CaptureFixture[str]
) -> None:
    [event] = run_json(capsys, "events")
    assert event["company"] == "星影科技" and event["round"] == "B"
    assert (event["amount"], event["currency"], event["amount_usd"]) == (1e8, "CNY", 13_800_000.0)
    assert event["lead_investors"] == ["青松资本"]
    assert event["articles"] == 3 and event["sources"] == ["cn", "farm", "en"]
    assert run_json(capsys, "events", "--since", "2999-01-01") == []

    assert main(["events"]) == 0
    table = capsys.readouterr().out
    assert "星影科技" in table and "13,800,000" in table and "cn, farm, en" in table


def test_stories_filters(database: str, capsys: pytest.CaptureFixture[str]) -> None:
    everything = run_json(capsys, "stories")
    assert [s["source"] for s in everything] == ["cn", "en", "farm", "cn"]  # newest first
    assert everything[2]["duplicate_of"] == everything[3]["id"]
    assert [s["source"] for s in run_json(capsys, "stories", "--flagged")] == ["en", "cn"]
    assert [s["source"] for s in run_json(capsys, "stories", "--since", "2026-03-02")] == [
        "cn",
        "en",
        "farm",
    ]
    assert [s["title"] for s in run_json(capsys, "stories", "--source", "cn", "--limit", "1")] == [
        "口袋公园"
    ]
    assert main(["stories", "--format", "csv", "--flagged"]) == 0
    rows = list(csv.DictReader(io.StringIO(capsys.readouterr().out)))
    assert [row["company"] for row in rows] == ["星影科技", "星影科技"]


def test_bad_dates_are_explained(database: str, capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit):
        main(["stories", "--since", "last week"])
    assert "use YYYY-MM-DD" in capsys.readouterr().err


def test_times_carry_their_zone(
    database: str, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    stories = run_json(capsys, "stories", "--source", "cn", "--limit", "1")
    stamp = datetime.fromisoformat(stories[0]["published"])
    assert stamp.utcoffset() is not None  # ISO 8601 with its offset, never naive
    assert main(["stories", "--format", "csv", "--source", "cn", "--limit", "1"]) == 0
    [row] = list(csv.DictReader(io.StringIO(capsys.readouterr().out)))
    assert datetime.fromisoformat(row["published"]) == stamp
    monkeypatch.setenv("FUNDWATCH_TIMEZONE", "Asia/Shanghai")
    assert main(["stories", "--source", "cn", "--limit", "1"]) == 0
    table = capsys.readouterr().out
    assert "(Asia/Shanghai)" in table.splitlines()[0]
    assert stamp.astimezone(ZoneInfo("Asia/Shanghai")).strftime("%Y-%m-%d %H:%M") in table


def test_events_show_every_outlet_with_its_first_seen_time(
    database: str, capsys: pytest.CaptureFixture[str]
) -> None:
    [event] = run_json(capsys, "events")
    # the outlet the crawler recorded, else (rows stored without one) the site's host
    assert [o["outlet"] for o in event["outlets"]] == ["36氪", "farm.example", "en.example"]
    seen = [datetime.fromisoformat(o["first_seen"]) for o in event["outlets"]]
    assert seen == sorted(seen) and all(t.utcoffset() is not None for t in seen)
    assert main(["events", "--format", "csv"]) == 0
    [row] = list(csv.DictReader(io.StringIO(capsys.readouterr().out)))
    assert row["outlets"].startswith("36氪 (") and "+00:00)" in row["outlets"]
    assert main(["events"]) == 0
    assert "36氪 (" in capsys.readouterr().out
