"""The writer's batch call: each article in a transaction of its own, failures reported."""

from __future__ import annotations

from dataclasses import replace

from sqlalchemy import func, select

from configuration import Settings
from crawler import store_worker
from storage import Article, create_db_engine, session_factory
from storage.articles import ArticleRecord
from storage.ingest import IngestResult


def _record(number: int) -> ArticleRecord:
    return ArticleRecord(
        url=f"https://news.example.org/story/{number}.html",
        source="example",
        title=f"Story {number}",
        body=f"Paragraph about harbour number {number} and its ferries. " * 12,
        language="en",
    )


def test_a_failing_article_is_reported_and_the_rest_of_the_batch_is_stored(
    sqlite_url: str,
) -> None:
    store_worker.init_worker(replace(Settings(), database_url=sqlite_url))
    bad = replace(_record(2), url="mailto:editor@example.org")  # not an http(s) URL
    results = store_worker.store_batch([_record(1), bad, _record(3), _record(1)])

    assert [r.status if isinstance(r, IngestResult) else "error" for r in results] == [
        "new",
        "error",
        "new",
        "seen_url",
    ]
    assert "not an http(s) URL" in str(results[1])
    engine = create_db_engine(sqlite_url)
    with session_factory(engine)() as session:
        assert session.scalar(select(func.count()).select_from(Article)) == 2
    engine.dispose()
