"""Template health on real crawls of the fixture sites: a wrong selector, a redesign whose
links no longer match, and a quiet source each turn the source unhealthy with a reason and one
operator alert; recovery clears it."""

from __future__ import annotations

import json
import subprocess
import sys
from datetime import timedelta

import yaml
from sqlalchemy import select

from fundwatch.storage import CrawlRun, create_db_engine, session_factory
from fundwatch.storage.models import ExtractionError
from fundwatch.storage.timeutil import utcnow
from tests.support.crawl_world import REPO, FixtureWorld


def sources(world: FixtureWorld) -> dict[str, dict]:
    done = subprocess.run(
        [sys.executable, "-m", "fundwatch", "sources", "--format", "json"],
        cwd=REPO,
        env=world.env(),
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 0, done.stderr
    return {row["name"]: row for row in map(json.loads, done.stdout.splitlines())}


def twsite_entry(world: FixtureWorld, name: str, **article: str) -> dict:
    catalog = yaml.safe_load(world.catalog.read_text("utf-8"))
    entry = dict(next(s for s in catalog["sources"] if s["name"] == "twsite"))
    entry["name"] = name
    entry["article"] = {**entry["article"], **article}
    return entry


def alerts(stderr: str) -> list[str]:
    return [line for line in stderr.splitlines() if "operator alert" in line]


def test_a_wrong_title_selector_makes_the_source_unhealthy(world: FixtureWorld) -> None:
    world.add_sources([twsite_entry(world, "tw_wrong", title="h1.no-such-class::text")])
    result = world.crawl("tw_wrong")
    assert "tw_wrong: unhealthy" in result.stdout, result.stdout
    assert "template: title missing on" in result.stdout
    assert len(alerts(result.stderr)) == 1, result.stderr[-3000:]
    row = sources(world)["tw_wrong"]
    assert row["status"] == "unhealthy: template"
    assert "h1.no-such-class" in row["last_error"]
    engine = create_db_engine(world.database_url)
    with session_factory(engine)() as session:
        errors = list(session.scalars(select(ExtractionError)))
    engine.dispose()
    assert errors and {e.field for e in errors} == {"title"}
    assert all(e.url.startswith(world.base + "/sites/twsite/story/") for e in errors)

    # nothing new to check on the next run: the problem stands, no second alert the same day
    again = world.crawl("tw_wrong")
    assert alerts(again.stderr) == []
    assert sources(world)["tw_wrong"]["status"] == "unhealthy: template"


def test_a_redesign_whose_links_no_longer_match_is_a_template_problem(
    world: FixtureWorld,
) -> None:
    first = world.crawl("twsite")
    assert "twsite: ok" in first.stdout, first.stdout + first.stderr[-2000:]
    assert alerts(first.stderr) == []
    listings = sorted((world.root / "sites" / "twsite").glob("*/*.html"))
    originals = {path: path.read_text("utf-8") for path in listings}
    for path, text in originals.items():
        path.write_text(text.replace("news-list", "stream-cards"), "utf-8")
    broken = world.crawl("twsite")
    assert "twsite: unhealthy" in broken.stdout, broken.stdout
    assert "no article links" in broken.stdout
    assert len(alerts(broken.stderr)) == 1
    assert sources(world)["twsite"]["status"] == "unhealthy: template"

    for path, text in originals.items():
        path.write_text(text, "utf-8")
    fixed = world.crawl("twsite")
    assert "twsite: ok" in fixed.stdout, fixed.stdout
    assert "healthy again" in fixed.stderr
    assert sources(world)["twsite"]["status"] != "unhealthy: template"


def test_a_quiet_source_is_flagged_from_its_own_history(world: FixtureWorld) -> None:
    # twsite's articles are stored under twsite; a second entry on the same pages finds
    # nothing new, and its history says it found new articles every hour until two days ago
    world.crawl("twsite")
    world.add_sources([twsite_entry(world, "tw_quiet")])
    engine = create_db_engine(world.database_url)
    start = utcnow() - timedelta(days=2, hours=12)
    with session_factory(engine).begin() as session:
        for hour in range(12):
            at = start + timedelta(hours=hour)
            session.add(
                CrawlRun(source="tw_quiet", started_at=at, finished_at=at, status="ok", new=2)
            )
    engine.dispose()
    result = world.crawl("tw_quiet")
    assert "tw_quiet: ok" in result.stdout, result.stdout  # the run itself went fine
    assert len(alerts(result.stderr)) == 1, result.stderr[-3000:]
    row = sources(world)["tw_quiet"]
    assert row["status"] == "unhealthy: quiet"
    assert "typically one every 1.0 h" in row["last_error"]
