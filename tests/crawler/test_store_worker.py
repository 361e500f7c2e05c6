"""The writer's batch call: a batch in one transaction with the results of one transaction per
article, failures reported and not affecting the others, the frontier left in the same
transaction."""

from __future__ import annotations

from dataclasses import replace

from sqlalchemy import func, select, text

from fundwatch import records
from fundwatch.configuration import Settings
from fundwatch.crawler import store_worker
from fundwatch.storage import Article, FrontierEntry, create_db_engine, session_factory
from fundwatch.storage.canonical import canonicalize_url, url_key
from fundwatch.storage.frontier import Found, record_found


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


def _statuses(results: list[store_worker.Stored | str]) -> list[str]:
    return [r.result.status if isinstance(r, store_worker.Stored) else "error" for r in results]


def test_a_batch_gives_what_one_transaction_per_article_would(database_url: str) -> None:
    """Later articles of a batch see the earlier ones: a copy points at its original, a URL
    stored earlier in the same batch is seen."""
    store_worker.init_worker(replace(Settings(), database_url=database_url))
    copy = replace(_record(1), url="https://mirror.example.net/copied-story-1.html")
    results = store_worker.store_batch([_record(1), copy, _record(1), _record(2)])

    assert _statuses(results) == ["new", "exact_duplicate", "seen_url", "new"]
    first, copied = results[0], results[1]
    assert isinstance(first, store_worker.Stored) and isinstance(copied, store_worker.Stored)
    assert copied.result.duplicate_of == first.result.article_id


# A real database fault for one article: the database itself refuses the row.
_REFUSE = {
    "sqlite": [
        "CREATE TRIGGER refuse_poison BEFORE INSERT ON articles WHEN NEW.title = 'poison' "
        "BEGIN SELECT RAISE(ABORT, 'refused by the test trigger'); END"
    ],
    "postgresql": [
        "CREATE FUNCTION refuse_poison() RETURNS trigger AS $$ BEGIN "
        "IF NEW.title = 'poison' THEN RAISE EXCEPTION 'refused by the test trigger'; END IF; "
        "RETURN NEW; END $$ LANGUAGE plpgsql",
        "CREATE TRIGGER refuse_poison BEFORE INSERT ON articles "
        "FOR EACH ROW EXECUTE FUNCTION refuse_poison()",
    ],
}


def test_an_article_the_database_refuses_fails_alone_and_stays_in_the_frontier(
    database_url: str,
) -> None:
    store_worker.init_worker(replace(Settings(), database_url=database_url))
    poison = replace(_record(2), title="poison")
    batch = [_record(1), poison, _record(3)]
    keys = [url_key(canonicalize_url(article.url)) for article in batch]
    engine = create_db_engine(database_url)
    sessions = session_factory(engine)
    with sessions.begin() as session:
        for statement in _REFUSE[engine.dialect.name]:
            session.execute(text(statement))
        found = [Found(canonicalize_url(a.url), k) for a, k in zip(batch, keys, strict=True)]
        record_found(session, "example", None, found)

    results = store_worker.store_batch(batch, frontier_keys=keys)

    assert _statuses(results) == ["new", "error", "new"]
    assert "refused by the test trigger" in str(results[1])
    with sessions() as session:
        assert session.scalar(select(func.count()).select_from(Article)) == 2
        # the stored ones left the frontier with their transaction; the refused one is pending
        assert list(session.scalars(select(FrontierEntry.url_key))) == [keys[1]]
    engine.dispose()
