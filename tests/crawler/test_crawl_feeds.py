"""Real crawls of RSS, Atom, malformed and unhealthy feeds and of a Google News sitemap."""

from __future__ import annotations

import json
import subprocess
import sys
from datetime import datetime

from sqlalchemy import select

from fundwatch.storage import SourceState, create_db_engine, session_factory
from fundwatch.storage.canonical import canonicalize_url
from fundwatch.storage.runs import start_run
from tests.support.crawl_world import FixtureWorld


def _fundwatch(world: FixtureWorld, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "fundwatch", *args],
        env=world.env(),
        capture_output=True,
        text=True,
        timeout=60,
    )


def _naive(value: datetime | None) -> datetime | None:
    return value.replace(tzinfo=None) if value is not None else None


def test_rss_feed_uses_template_generic_extraction_and_summary_with_the_scheduler_run_id(
    world: FixtureWorld,
) -> None:
    engine = create_db_engine(world.database_url)
    with session_factory(engine).begin() as session:
        run_id = start_run(session, "fixture_rss").id
    engine.dispose()

    result = world.crawl("fixture_rss", "--run-id", str(run_id))
    assert result.returncode == 0, result.stderr[-3000:]
    assert f"fixture_rss: ok (run {run_id})" in result.stdout

    runs = world.runs()
    assert [(run.id, run.status) for run in runs] == [(run_id, "ok")]  # no second row
    assert runs[0].new == 4 and runs[0].errors == 1  # the entry whose page is gone
    stored = {article.url: article for article in world.articles("fixture_rss")}
    assert len(stored) == 4

    # link with tracking parameters -> canonical URL; extracted with the seed site's template
    seed = stored[canonicalize_url(f"{world.base}/sites/seedsite/10001.html")]
    assert seed.breadcrumb == "首页 > 科技快讯"
    assert seed.origin_url == "https://news.example.org/articles/xingmu-a-round"
    assert "原文地址" not in seed.body and seed.body.count("\n") == 2
    assert seed.flag and seed.company == "星幕智能"

    # no template for this page: trafilatura; the feed's timestamp is kept
    generic = stored[canonicalize_url(f"{world.base}/sites/plain/lumora-series-a.html")]
    assert "Harborline Ventures" in generic.body and "Newsletter" not in generic.body
    assert _naive(generic.published_at) == datetime(2024, 3, 21, 15, 0)
    assert generic.flag and generic.round == "A"

    # the article page is gone (404): the entry's summary is stored instead
    summary = stored[canonicalize_url(f"{world.base}/sites/plain/gone-away.html")]
    assert summary.body.startswith("AI视频配音公司声纹工坊") and "<p>" not in summary.body

    # no link at all: keyed by the guid
    guid_only = next(url for url in stored if "fundwatch_guid=fw-guid-0004" in url)
    assert _naive(stored[guid_only].published_at) == datetime(2024, 3, 19, 1, 30)

    # a second run requests nothing but the feed (unchanged: 304)
    world.server.clear_log()
    again = world.crawl("fixture_rss")
    assert again.returncode == 0, again.stderr[-3000:]
    log = world.server.requests()
    assert [(e["path"], e["status"]) for e in log if e["path"] != "/robots.txt"] == [
        ("/feeds/rss.xml", 304)
    ]


def test_unhealthy_feeds_and_an_unreachable_site_fail_the_crawl(world: FixtureWorld) -> None:
    result = world.crawl(
        "fixture_not_a_feed", "fixture_empty_feed", "fixture_unreachable", "fixture_atom"
    )
    assert result.returncode == 1
    assert "failed: " in result.stderr
    statuses = {run.source: (run.status, run.message) for run in world.runs()}
    assert statuses["fixture_not_a_feed"][0] == "unhealthy"
    assert "HTML page" in statuses["fixture_not_a_feed"][1]
    assert statuses["fixture_empty_feed"][0] == "unhealthy"
    assert "empty body" in statuses["fixture_empty_feed"][1]
    assert statuses["fixture_unreachable"][0] == "error"
    assert "127.0.0.1:9" in statuses["fixture_unreachable"][1]
    assert statuses["fixture_atom"][0] == "ok"  # the healthy source in the same process
    engine = create_db_engine(world.database_url)
    with session_factory(engine)() as session:
        states = {state.name: state for state in session.scalars(select(SourceState))}
    engine.dispose()
    assert states["fixture_not_a_feed"].status == "failing"
    assert states["fixture_not_a_feed"].consecutive_failures == 1
    assert states["fixture_atom"].status == "ok"


def test_malformed_feed_yields_what_it_can_and_news_sitemap_is_crawled(
    world: FixtureWorld,
) -> None:
    result = world.crawl("fixture_malformed", "fixture_news_sitemap")
    assert result.returncode == 0, result.stderr[-3000:]
    assert "malformed feed" in result.stderr

    recovered = world.articles("fixture_malformed")
    assert [a.title for a in recovered][:1] == [
        "Clipforge closes $12 million seed round for AI video editing"
    ]
    assert recovered[0].flag and recovered[0].round == "seed"
    paths = world.requested()
    assert "/sites/plain/clipforge-seed.html" not in paths  # fetch_articles: false

    news = {a.url.rsplit("/", 1)[-1]: a for a in world.articles("fixture_news_sitemap")}
    assert set(news) == {"a3001.html", "a3006.html", "lumora-series-a.html"}
    assert "/sites/twsite/" not in paths  # not a news entry (news_only)
    aisphere = news["a3001.html"]
    assert aisphere.breadcrumb == "首頁 > 財經"  # the twsite template extracted it
    assert aisphere.flag and aisphere.company_key == "aisphere"
    assert _naive(news["lumora-series-a.html"].published_at) == datetime(2024, 3, 21, 15, 0)


def test_feeds_answering_404_or_410_are_not_retried_and_410_disables_the_source(
    world: FixtureWorld,
) -> None:
    world.add_sources(
        [
            {"name": name, "kind": "feed", "language": "en", "every": "1h", "url": url}
            for name, url in (
                ("feed_missing", f"{world.base}/_fault/status/404"),
                ("feed_gone", f"{world.base}/_fault/status/410"),
            )
        ]
    )
    for _ in range(2):
        result = world.crawl("feed_missing", "feed_gone")
        assert result.returncode == 1
    hits = [path for path in world.requested() if path.startswith("/_fault/status/")]
    assert sorted(hits) == sorted(["/_fault/status/404", "/_fault/status/410"] * 2)  # no retry

    runs = [(run.source, run.status) for run in world.runs()]
    assert runs.count(("feed_missing", "unhealthy")) == 2
    assert runs.count(("feed_gone", "unhealthy")) == 2
    engine = create_db_engine(world.database_url)
    with session_factory(engine)() as session:
        states = {state.name: state for state in session.scalars(select(SourceState))}
    engine.dispose()
    assert states["feed_missing"].consecutive_failures == 2
    assert not states["feed_missing"].disabled
    assert states["feed_gone"].disabled and states["feed_gone"].status == "disabled"
    assert "410" in (states["feed_gone"].last_error or "")

    listing = _fundwatch(world, "sources", "--format", "json")
    shown = {row["name"]: row for row in map(json.loads, listing.stdout.splitlines())}
    assert shown["feed_gone"]["status"] == "disabled"
    assert shown["feed_missing"]["status"] == "failing"
    assert shown["feed_missing"]["failures"] == 2

    enabled = _fundwatch(world, "sources", "--enable", "feed_gone")
    assert enabled.returncode == 0, enabled.stderr
    with session_factory(engine)() as session:
        assert not session.get(SourceState, "feed_gone").disabled
    engine.dispose()
