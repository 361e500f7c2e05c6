"""Hostile bytes and hostile feeds in one real crawl, on SQLite and PostgreSQL (FAULTS.md F-19
wrong charsets, F-20 NUL / invalid UTF-8 / bidi overrides, F-21..F-23 malformed, billion-laughs
and XXE feeds, F-24 JSON and empty feeds)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import text

from fundwatch.storage import create_db_engine
from tests.support.crawl_world import FixtureWorld, make_world

SOURCES = (
    "fixture_text",
    "fixture_cp1252_feed",
    "fixture_bom_feed",
    "fixture_malformed",
    "fixture_laughs",
    "fixture_xxe",
    "fixture_json_feed",
    "fixture_no_entries",
)
CP1252_TITLE = "Café “Zoëtrope” raises €5 million – AI video"
BOM_TITLE = "帧语科技获得数千万元Pre-A轮融资"


@pytest.fixture
def any_db_world(tmp_path: Path, database_url: str) -> Iterator[FixtureWorld]:
    yield from make_world(tmp_path, database_url)


def _every_stored_text(world: FixtureWorld) -> str:
    engine = create_db_engine(world.database_url)
    try:
        with engine.connect() as connection:
            rows = connection.execute(text("SELECT * FROM articles")).all()
    finally:
        engine.dispose()
    return "\n".join(str(value) for row in rows for value in row)


def test_hostile_bytes_and_feeds_are_stored_clean(any_db_world: FixtureWorld) -> None:
    world = any_db_world
    result = world.crawl(*SOURCES)
    assert result.returncode == 1  # the JSON and empty feeds fail as sources
    runs = {run.source: run for run in world.runs()}

    pages = {a.url.split("sites%2Ftext%2F", 1)[-1].split(".html")[0]: a for a in world.articles()}
    # F-19: header UTF-8 but a cp1252 page with a right <meta>; header right, <meta> wrong;
    # a BOM against a Latin-1 header; a feed whose header says UTF-8 but is cp1252
    assert pages["cp1252"].title == CP1252_TITLE
    assert pages["meta-conflict"].title == "视界引擎完成天使轮融资"
    assert pages["bom"].title == BOM_TITLE
    feeds = {a.source: a for a in world.articles() if a.source != "fixture_text"}
    assert feeds["fixture_cp1252_feed"].title == CP1252_TITLE
    assert "declared as utf-8, but parsed as windows-1252" in result.stderr  # bozo, override
    assert feeds["fixture_bom_feed"].title == BOM_TITLE
    # F-20: NUL and other controls and bidi overrides stripped, invalid bytes replaced; the
    # same string on both databases
    hostile = pages["hostile-title"]
    assert hostile.title == "Nul byte, bad \ufffd\ufffd bytes, reversed text"
    assert hostile.body == "Body with a NUL and a bell and \ufffd( a broken pair."

    # F-21: a malformed feed yields its entries (bozo) and the batch goes on
    assert runs["fixture_malformed"].status == "ok" and runs["fixture_malformed"].new >= 1
    # F-22: billion laughs: the entity is not expanded, its text stays literal
    assert feeds["fixture_laughs"].title == "Laughing feed &lol9; title"
    # F-23: XXE: no file content anywhere in the database
    assert feeds["fixture_xxe"].title == "Entity &xxe; title"
    stored = _every_stored_text(world)
    assert "lollollol" not in stored
    assert "root:x:0:0" not in stored and "/bin/" not in stored
    # F-24: JSON and a feed without entries mark their sources unhealthy; nothing escapes
    assert runs["fixture_json_feed"].status == "unhealthy"
    assert "not an RSS or Atom feed" in (runs["fixture_json_feed"].message or "")
    assert runs["fixture_no_entries"].status == "unhealthy"
    assert "no entries" in (runs["fixture_no_entries"].message or "")
    assert "Traceback" not in result.stderr
    ok = {name for name, run in runs.items() if run.status == "ok"}
    assert ok == set(SOURCES) - {"fixture_json_feed", "fixture_no_entries"}
