from __future__ import annotations

import json
import subprocess
import sys
from collections import Counter
from pathlib import Path

import pytest
from sqlalchemy import func, select

from fundwatch.storage import AlertOutbox, Article, FundingEvent, create_db_engine, session_factory

WORKER = Path(__file__).with_name("ingest_worker.py")
STORIES = 30


@pytest.mark.parametrize(
    ("orders", "batch"),
    [
        (("forward", "forward"), 1),
        (("forward", "reverse"), 1),
        # the crawl's writer: several articles per transaction, their locks taken together
        # (taken article by article, two batches meeting from both ends would deadlock)
        (("forward", "reverse"), 7),
        (("forward", "backward"), 7),
    ],
)
def test_two_processes_storing_the_same_stories_give_one_article_and_one_event_each(
    database_url: str, tmp_path: Path, orders: tuple[str, str], batch: int
) -> None:
    create_db_engine(database_url).dispose()  # schema exists before the race starts
    start_file = tmp_path / "go"
    workers = [
        subprocess.Popen(
            [
                sys.executable,
                str(WORKER),
                database_url,
                str(STORIES),
                str(start_file),
                order,
                str(batch),
            ],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            cwd=Path(__file__).resolve().parents[2],
        )
        for order in orders
    ]
    start_file.touch()
    outputs = [worker.communicate(timeout=240) for worker in workers]
    for worker, (_, err) in zip(workers, outputs, strict=True):
        assert worker.returncode == 0, err
    statuses = Counter(status for out, _ in outputs for status in json.loads(out))
    # every URL stored once; per story one original and one near duplicate
    assert statuses == {"seen_url": 2 * STORIES, "new": STORIES, "near_duplicate": STORIES}

    sessions = session_factory(create_db_engine(database_url))
    with sessions() as session:
        assert session.scalar(select(func.count()).select_from(Article)) == 2 * STORIES
        roots = session.scalars(select(Article).where(Article.duplicate_of.is_(None))).all()
        assert len(roots) == STORIES
        events = session.scalars(select(FundingEvent)).all()
        assert len(events) == STORIES
        assert all(event.article_count == 2 for event in events)
        assert all(sorted(event.sources) == ["outlet-a", "outlet-b"] for event in events)
        assert session.scalar(select(func.count(func.distinct(Article.event_id)))) == STORIES
        assert session.scalar(select(func.count()).select_from(AlertOutbox)) == STORIES
