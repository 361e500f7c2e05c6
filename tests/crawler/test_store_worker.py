"""The writer's batch call: each article in a transaction of its own, failures reported."""

from __future__ import annotations

from dataclasses import replace

from sqlalchemy import func, select

from fundwatch import records
from fundwatch.configuration import Settings
from fundwatch.crawler import store_worker
from fundwatch.storage import Article, create_db_engine, session_factory


def _record(number: int) -> records.Article:
    return records.Article(
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

    statuses = [r.result.status if isinstance(r, store_worker.Stored) else "error" for r in results]
    assert statuses == ["new", "error", "new", "seen_url"]
    assert "not an http(s) URL" in str(results[1])
    engine = create_db_engine(sqlite_url)
    with session_factory(engine)() as session:
        assert session.scalar(select(func.count()).select_from(Article)) == 2
    engine.dispose()


def test_the_writer_sets_language_and_verdict_when_it_detects(sqlite_url: str) -> None:
    store_worker.init_worker(replace(Settings(), database_url=sqlite_url), True)
    story = records.Article(
        url="https://news.example.org/story/reelmint.html",
        source="example",
        title="Reelmint raises $9 million for AI video generation",
        body=(
            "Reelmint, a startup that turns scripts into AI-generated videos, has raised "
            "$9 million in a Series A round led by Quarry Hill Capital, the company said. "
            "It will use the money to train its video generation model."
        ),
        language="zh-Hans",  # the source's setting; the text is English
    )
    (stored,) = store_worker.store_batch([story])

    assert isinstance(stored, store_worker.Stored)
    assert stored.result.status == "new"
    assert stored.verdict is not None
    assert stored.verdict.language == "en" and stored.verdict.language_from_text
    assert stored.verdict.detection.flag is True
    engine = create_db_engine(sqlite_url)
    with session_factory(engine)() as session:
        article = session.scalars(select(Article)).one()
        assert (article.language, article.flag) == ("en", True)
        assert article.event_id is not None  # a flagged story joins its funding event
    engine.dispose()
