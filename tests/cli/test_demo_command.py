"""`fundwatch demo` end to end in a subprocess: the real spiders, detector, dedup, events,
outbox and relay against the bundled demo site, feed and webhook receiver on 127.0.0.1."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from collections import defaultdict
from pathlib import Path

import pytest
from sqlalchemy import create_engine, func, select
from sqlalchemy.orm import Session

from fundwatch.demo.catalog import CHANNEL_NAME, DEMO_SOURCES
from fundwatch.demo.content import load_content
from fundwatch.storage.models import AlertOutbox, Article, FundingEvent

REPO = Path(__file__).resolve().parents[2]
pytestmark = [pytest.mark.slow, pytest.mark.timeout(240)]


def run_demo(database_url: str | None, cwd: Path) -> subprocess.CompletedProcess[str]:
    """`fundwatch demo` with nothing configured (no FUNDWATCH_* variables)."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("FUNDWATCH_")}
    options = ["--database-url", database_url] if database_url else []
    return subprocess.run(
        [sys.executable, "-m", "fundwatch", "demo", *options],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        timeout=200,
    )


def received(output: str) -> int:
    match = re.search(r"The webhook receiver got (\d+) alerts", output)
    assert match, output
    return int(match.group(1))


def article_ids(session: Session) -> dict[str, Article]:
    """Stored demo articles by their demo id (the last path segment without .html)."""
    rows = session.scalars(select(Article).where(Article.source.in_(DEMO_SOURCES))).all()
    return {row.url.rstrip("/").rsplit("/", 1)[-1].removesuffix(".html"): row for row in rows}


def check_events(database_url: str) -> int:
    content = load_content()
    engine = create_engine(database_url)
    with Session(engine) as session:
        stored = article_ids(session)
        assert set(stored) == {a.id for a in content.articles}, "every demo article is stored"

        events_by_label: dict[str, set[int]] = defaultdict(set)
        for article in content.articles:
            row = stored[article.id]
            if article.negative:
                assert not row.flag, f"{article.id} ({article.negative}) was flagged"
                assert row.event_id is None, f"{article.id} ({article.negative}) joined an event"
            else:
                assert row.flag, f"{article.id} (a funding story, {article.event}) not flagged"
                assert row.event_id is not None, f"{article.id} did not join an event"
                events_by_label[article.event or ""].add(row.event_id)

        # one event per funding round, despite the duplicates across outlets and languages
        assert set(events_by_label) == set(content.events)
        for label, ids in events_by_label.items():
            assert len(ids) == 1, f"{label}: its articles went to {len(ids)} events"
        event_ids = {next(iter(ids)) for ids in events_by_label.values()}
        assert len(event_ids) == len(content.events)
        demo_event_ids = set(
            session.scalars(
                select(Article.event_id).where(
                    Article.source.in_(DEMO_SOURCES), Article.event_id.is_not(None)
                )
            )
        )
        assert demo_event_ids == event_ids, "no event for anything but the funding stories"

        # the Lumora round: three outlets (one a light rewording, one in English) -> one event
        lumora = {stored[a.id].event_id for a in content.articles if a.event == "lumora-a"}
        assert len(lumora) == 1 and None not in lumora
        event = session.get(FundingEvent, lumora.pop())
        assert event is not None
        assert event.round == "A" and event.amount_usd == pytest.approx(30_000_000)
        first, reworded = stored["30417"], stored["30422"]
        assert reworded.duplicate_of is not None or first.duplicate_of is not None
        assert (first.duplicate_of or first.id) == (reworded.duplicate_of or reworded.id), (
            "the light rewording is stored as a near duplicate of the first report"
        )

        statuses = session.execute(
            select(AlertOutbox.status, func.count())
            .where(AlertOutbox.channel == CHANNEL_NAME)
            .group_by(AlertOutbox.status)
        ).all()
        assert dict(statuses) == {"sent": len(content.events)}, "one alert per event, all sent"
    engine.dispose()
    return len(event_ids)


def demo_article_count(database_url: str) -> int:
    engine = create_engine(database_url)
    with Session(engine) as session:
        count = session.scalar(
            select(func.count()).select_from(Article).where(Article.source.in_(DEMO_SOURCES))
        )
    engine.dispose()
    return int(count or 0)


def test_demo_port_taken_is_one_line(tmp_path: Path) -> None:
    import socket

    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        env = {k: v for k, v in os.environ.items() if not k.startswith("FUNDWATCH_")}
        result = subprocess.run(
            [sys.executable, "-m", "fundwatch", "demo", "--port", str(port)],
            cwd=tmp_path,
            env=env,
            capture_output=True,
            text=True,
            timeout=120,
        )
    assert result.returncode == 2
    assert "Traceback" not in result.stderr
    assert f"cannot serve the demo site on 127.0.0.1:{port}" in result.stderr


def test_demo_crawls_detects_dedups_and_alerts(tmp_path: Path) -> None:
    result = run_demo(None, tmp_path)
    assert result.returncode == 0, result.stdout + result.stderr
    default_db = tmp_path / "fundwatch.db"
    assert default_db.is_file(), "the default database is fundwatch.db in the working directory"
    sqlite_url = f"sqlite:///{default_db}"
    events = check_events(sqlite_url)
    assert received(result.stdout) == events
    assert f"Funding events found ({events})" in result.stdout
    for company in ("Lumora", "Reelsmith", "Avaloop", "数影智能"):
        assert company in result.stdout

    # a second run serves the site on the same port (same URLs): it stores no article again,
    # adds no event and sends no alert again
    stored_once = demo_article_count(sqlite_url)
    assert stored_once == len(load_content().articles)
    again = run_demo(None, tmp_path)
    assert again.returncode == 0, again.stdout + again.stderr
    assert demo_article_count(sqlite_url) == stored_once
    assert check_events(sqlite_url) == events
    assert received(again.stdout) == 0
    assert "already held" in again.stdout


@pytest.mark.postgres
def test_demo_on_postgresql(postgres_url: str, tmp_path: Path) -> None:
    result = run_demo(postgres_url, tmp_path)
    assert result.returncode == 0, result.stdout + result.stderr
    assert received(result.stdout) == check_events(postgres_url)
