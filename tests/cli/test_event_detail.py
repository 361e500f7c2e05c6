"""`fundwatch event N`: one event's facts, outlets with first-seen times, articles and alert
deliveries, on both databases, stored through the storage API as a crawl stores them."""

from __future__ import annotations

import csv
import io
import json
import os
import subprocess
import sys
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import select, update

from fundwatch import records
from fundwatch.cli import main
from fundwatch.storage import create_db_engine, session_factory
from fundwatch.storage.ingest import ingest_article
from fundwatch.storage.models import AlertOutbox, Article, FundingEvent
from fundwatch.storage.outbox import record_attempt
from tests.storage.dedup_texts import (
    EN_ORIGINAL,
    EN_ORIGINAL_TITLE,
    ZH_ORIGINAL,
    ZH_ORIGINAL_TITLE,
    ZH_SPUN,
    ZH_SPUN_TITLE,
)

FUNDING = {
    "flag": True,
    "company": "星影科技",
    "company_key": "xingying",
    "round": "B",
    "amount": 1e8,
    "currency": "CNY",
    "amount_usd": 13_800_000.0,
    "valuation_usd": 500_000_000.0,
    "investors": ["青松资本", "远山创投"],
    "lead_investors": ["青松资本"],
}


@dataclass
class Channel:
    name: str
    send_updates: bool = False

    def accepts(self, event: FundingEvent) -> bool:
        return True


@pytest.fixture
def stored(database_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> int:
    """Three articles of one round (a repost naming 36氪 as its origin, a spun copy of it, an
    English report), a webhook delivered on the second try and a mail channel given up on."""
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("FUNDWATCH_DATABASE_URL", database_url)
    engine = create_db_engine(database_url)
    sessions = session_factory(engine)
    stories = [
        ("https://cn.example/1", "cn", ZH_ORIGINAL_TITLE, ZH_ORIGINAL, "36氪"),
        ("https://farm.example/1", "farm", ZH_SPUN_TITLE, ZH_SPUN, "farm.example"),
        ("https://en.example/1", "en", EN_ORIGINAL_TITLE, EN_ORIGINAL, "en.example"),
    ]
    published = datetime(2026, 3, 1, 1, 30, tzinfo=UTC)
    channels = [Channel("webhook"), Channel("mail")]
    for index, (url, source, title, body, outlet) in enumerate(stories):
        record = records.Article(
            url=url,
            source=source,
            title=title,
            body=body,
            detection=records.Detection(**FUNDING),
            published_at=published + timedelta(hours=index),
            outlet=outlet,
        )
        with sessions.begin() as session:
            ingest_article(session, record, alert_channels=channels)
    fetched = datetime(2026, 3, 1, 2, 0, tzinfo=UTC)
    with sessions.begin() as session:  # fetch times a test can name
        for index, (url, *_rest) in enumerate(stories):
            session.execute(
                update(Article)
                .where(Article.url == url)
                .values(fetched_at=fetched + timedelta(minutes=10 * index))
            )
        event_id = session.scalars(select(FundingEvent.id)).one()
        alerts = {a.channel: a.id for a in session.scalars(select(AlertOutbox))}
        tried = datetime(2026, 3, 1, 2, 1, tzinfo=UTC)
        record_attempt(
            session,
            alerts["webhook"],
            "retry",
            status_code=503,
            error="HTTP 503",
            next_attempt_at=tried + timedelta(minutes=1),
            now=tried,
        )
        record_attempt(
            session, alerts["webhook"], "sent", status_code=200, now=tried + timedelta(minutes=1)
        )
        record_attempt(
            session, alerts["mail"], "failed", error="550 mailbox unavailable", now=tried
        )
    engine.dispose()
    return event_id


def test_event_json_has_facts_outlets_articles_and_deliveries(
    stored: int, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["event", str(stored), "--format", "json"]) == 0
    event = json.loads(capsys.readouterr().out)
    assert (event["company"], event["round"]) == ("星影科技", "B")
    assert (event["amount"], event["currency"], event["amount_usd"]) == (1e8, "CNY", 13_800_000.0)
    assert event["valuation_usd"] == 500_000_000.0
    assert event["investors"] == [
        {"name": "青松资本", "lead": True},
        {"name": "远山创投", "lead": False},
    ]
    announced = datetime.fromisoformat(event["announced"])
    assert announced == datetime(2026, 3, 1, 1, 30, tzinfo=UTC)  # the earliest publication
    assert announced.utcoffset() is not None

    outlets = event["outlets"]
    assert [o["outlet"] for o in outlets] == ["36氪", "farm.example", "en.example"]
    assert [datetime.fromisoformat(o["first_seen"]) for o in outlets] == [
        datetime(2026, 3, 1, 2, 0, tzinfo=UTC),
        datetime(2026, 3, 1, 2, 10, tzinfo=UTC),
        datetime(2026, 3, 1, 2, 20, tzinfo=UTC),
    ]
    assert [o["copy"] for o in outlets] == [False, True, False]  # the farm spun 36氪's story

    articles = event["articles"]
    assert [a["source"] for a in articles] == ["cn", "farm", "en"]
    assert articles[1]["copy_of"] == articles[0]["id"] and articles[0]["copy_of"] is None
    assert (
        articles[2]["title"] == EN_ORIGINAL_TITLE and articles[2]["url"] == "https://en.example/1"
    )
    for article in articles:
        for key in ("published", "fetched"):
            assert datetime.fromisoformat(article[key]).utcoffset() is not None

    alerts = {a["channel"]: a for a in event["alerts"]}
    assert (alerts["webhook"]["status"], alerts["webhook"]["attempts"]) == ("sent", 2)
    assert datetime.fromisoformat(alerts["webhook"]["sent_at"]) == datetime(
        2026, 3, 1, 2, 2, tzinfo=UTC
    )
    assert (alerts["mail"]["status"], alerts["mail"]["attempts"]) == ("failed", 1)
    assert alerts["mail"]["last_error"] == "550 mailbox unavailable"


def test_event_csv_sections(stored: int, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["event", str(stored), "--format", "csv"]) == 0
    rows = list(csv.DictReader(io.StringIO(capsys.readouterr().out)))
    by_section: dict[str, list[dict[str, str]]] = {}
    for row in rows:
        by_section.setdefault(row["section"], []).append(row)
    [event] = by_section["event"]
    assert event["company"] == "星影科技" and event["investors"] == "青松资本 (lead); 远山创投"
    assert datetime.fromisoformat(event["announced"]).utcoffset() is not None
    assert [(o["outlet"], o["copy"]) for o in by_section["outlet"]] == [
        ("36氪", "False"),
        ("farm.example", "True"),
        ("en.example", "False"),
    ]
    assert datetime.fromisoformat(by_section["outlet"][0]["first_seen"]) == datetime(
        2026, 3, 1, 2, 0, tzinfo=UTC
    )
    assert [a["url"] for a in by_section["article"]] == [
        "https://cn.example/1",
        "https://farm.example/1",
        "https://en.example/1",
    ]
    assert sorted((a["channel"], a["status"], a["attempts"]) for a in by_section["alert"]) == [
        ("mail", "failed", "1"),
        ("webhook", "sent", "2"),
    ]


def test_event_table_shows_times_in_the_users_zone(
    stored: int, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("FUNDWATCH_TIMEZONE", "Asia/Shanghai")
    assert main(["event", str(stored)]) == 0
    out = capsys.readouterr().out
    assert f"event {stored}: 星影科技 B" in out
    assert "100,000,000 CNY (USD 13,800,000)" in out
    assert "青松资本 (lead), 远山创投" in out
    assert "announced:  2026-03-01 09:30 (Asia/Shanghai)" in out  # 01:30 UTC
    outlets = out.split("outlets (3):")[1].split("articles (3):")[0]
    assert "first_seen (Asia/Shanghai)" in outlets
    lines = [line for line in outlets.splitlines() if "03-01" in line]
    assert lines[0].split()[0] == "36氪" and "2026-03-01 10:00" in lines[0]
    assert "farm.example" in lines[1] and lines[1].rstrip().endswith("copy")
    articles = out.split("articles (3):")[1].split("alerts (2):")[0]
    assert "copy of #" in articles and "https://en.example/1" in articles
    alerts = out.split("alerts (2):")[1]
    assert "webhook" in alerts and "sent" in alerts and "550 mailbox unavailable" in alerts
    shanghai = datetime(2026, 3, 1, 2, 2, tzinfo=UTC).astimezone(ZoneInfo("Asia/Shanghai"))
    assert f"{shanghai:%Y-%m-%d %H:%M}" in alerts


def test_missing_event_is_one_line_and_non_zero(
    stored: int, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["event", str(stored + 99)]) == 1
    captured = capsys.readouterr()
    assert captured.out == ""
    assert (
        captured.err.strip() == f"fundwatch event: no event {stored + 99} (see `fundwatch events`)"
    )


def test_events_list_carries_outlets_with_first_seen(
    stored: int, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["events", "--format", "json"]) == 0
    [event] = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert [o["outlet"] for o in event["outlets"]] == ["36氪", "farm.example", "en.example"]
    assert datetime.fromisoformat(event["outlets"][0]["first_seen"]) == datetime(
        2026, 3, 1, 2, 0, tzinfo=UTC
    )


def test_event_in_an_empty_folder_creates_no_database(tmp_path: Path) -> None:
    environ = {k: v for k, v in os.environ.items() if not k.startswith("FUNDWATCH_")}
    result = subprocess.run(
        [sys.executable, "-m", "fundwatch", "event", "1"],
        cwd=tmp_path,
        env=environ,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode != 0 and "Traceback" not in result.stderr
    [line] = result.stderr.strip().splitlines()
    assert f"no fundwatch database at {tmp_path / 'fundwatch.db'}" in line
    assert list(tmp_path.iterdir()) == []
