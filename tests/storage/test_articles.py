from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from sqlalchemy import func, select

from fundwatch import records
from fundwatch.storage import Article, create_db_engine, session_factory
from fundwatch.storage.articles import insert_article, stored_url_keys
from fundwatch.storage.canonical import canonicalize_url, url_key

WORKER = Path(__file__).with_name("insert_worker.py")


def test_insert_is_idempotent_on_canonical_url(database_url: str) -> None:
    sessions = session_factory(create_db_engine(database_url))
    first = records.Article(url="https://News.Example.com:443/a/1.html#top", source="s", title="t")
    again = records.Article(url="https://news.example.com/a/1.html?utm_medium=x", source="s2")
    with sessions.begin() as session:
        assert insert_article(session, first) is not None
        assert insert_article(session, again) is None
    with sessions() as session:
        rows = session.scalars(select(Article)).all()
    assert len(rows) == 1
    assert rows[0].url == "https://news.example.com/a/1.html"
    assert rows[0].source == "s"


def test_two_processes_inserting_the_same_articles_store_each_once(
    database_url: str, tmp_path: Path
) -> None:
    count = 150
    create_db_engine(database_url).dispose()  # schema exists before the race starts
    start_file = tmp_path / "go"
    workers = [
        subprocess.Popen(
            [sys.executable, str(WORKER), database_url, str(count), str(start_file)],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for _ in range(2)
    ]
    start_file.touch()
    outputs = [worker.communicate(timeout=120) for worker in workers]
    for worker, (_, err) in zip(workers, outputs, strict=True):
        assert worker.returncode == 0, err
    inserted = sum(int(out.strip()) for out, _ in outputs)
    assert inserted == count
    sessions = session_factory(create_db_engine(database_url))
    with sessions() as session:
        assert session.scalar(select(func.count()).select_from(Article)) == count


def test_bad_text_is_stored_identically(database_url: str) -> None:
    sessions = session_factory(create_db_engine(database_url))
    title = "融资\x00快讯\ud800 \u202eevil"
    body = b"caf\xe9 \x00ok".decode("utf-8", errors="surrogateescape")
    with sessions.begin() as session:
        insert_article(
            session, records.Article(url="https://x.example/1", source="s", title=title, body=body)
        )
    with sessions() as session:
        row = session.scalars(select(Article)).one()
    assert row.title == "融资快讯\ufffd \u202eevil"
    assert row.body == "caf\ufffd ok"


def test_stored_url_keys_reports_only_known_urls(sqlite_url: str) -> None:
    sessions = session_factory(create_db_engine(sqlite_url))
    with sessions.begin() as session:
        insert_article(session, records.Article(url="https://x.example/1", source="s"))
    known = url_key(canonicalize_url("https://x.example/1"))
    unknown = url_key(canonicalize_url("https://x.example/2"))
    with sessions() as session:
        assert stored_url_keys(session, [known, unknown]) == {known}
