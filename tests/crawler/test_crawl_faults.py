"""A real crawl through every failure the fixture server can produce (FAULTS.md F-1, F-4, F-7,
F-10, F-13, F-15, F-16): the crawl survives, truncated pages are retried and never stored,
unsafe redirects are refused before connecting, and Retry-After is honoured next time."""

from __future__ import annotations

from collections import Counter
from datetime import timedelta

from sqlalchemy import select

from fundwatch.storage import UrlState, create_db_engine, session_factory
from fundwatch.storage.timeutil import as_utc, utcnow
from tests.support.crawl_world import FixtureWorld


def test_faults_are_survived_and_recorded(world: FixtureWorld) -> None:
    result = world.crawl(
        "fixture_faults",
        "fixture_redirecting_feed",
        DOWNLOAD_TIMEOUT=2,
        DOWNLOAD_MAXSIZE=10_000_000,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    log = world.server.requests()
    hits = Counter(entry["path"].split("?")[0] for entry in log)

    # retried: 1 attempt + RETRY_TIMES (2)
    assert hits["/_fault/partial"] == 3
    assert hits["/_fault/drop"] == 3
    assert hits["/_fault/status/500"] == 3
    assert hits["/_fault/status/503"] == 3
    assert hits["/_fault/wait"] == 3
    assert "Expected to receive 12582912 bytes which is larger than" in result.stderr

    # unsafe redirects refused before connecting (a site's own offsite filter, and for feeds,
    # whose links may go anywhere, the address guard); a same-host redirect is followed
    assert not any(entry["headers"].get("host", "").startswith("localhost") for entry in log)
    assert "refused http://localhost:" in result.stderr  # redirect and direct link
    assert "refused http://169.254.169.254/latest/meta-data/" in result.stderr
    summaries = world.articles("fixture_redirecting_feed")
    assert len(summaries) == 4 and all(a.body.startswith("Summary of") for a in summaries)
    stored = sorted(a.url.rsplit("/", 1)[-1] for a in world.articles("fixture_faults"))
    assert stored == ["10003.html", "10005.html"]  # nothing truncated, nothing from a fault

    run = next(run for run in world.runs() if run.source == "fixture_faults")
    # pages failed: the run is partial, says why, and the failed URLs stay pending
    assert run.status == "partial" and run.new == 2
    assert run.errors >= 7 and run.failed_pages >= 5
    assert run.reasons and any("/_fault/" in reason for reason in run.reasons)
    assert run.pending >= 4 and "page(s) failed" in (run.message or "")

    engine = create_db_engine(world.database_url)
    with session_factory(engine)() as session:
        throttled = [s for s in session.scalars(select(UrlState)) if "503" in s.url]
    engine.dispose()
    assert len(throttled) == 1
    wait_until = as_utc(throttled[0].retry_after_until)
    assert wait_until is not None and wait_until > utcnow() + timedelta(seconds=100)

    # the next crawl does not ask the throttled URL again before Retry-After has passed
    world.server.clear_log()
    again = world.crawl("fixture_faults", DOWNLOAD_TIMEOUT=2)  # all else unchanged: quick
    assert again.returncode == 0, again.stderr[-3000:]
    assert not any("/_fault/status/503" in entry["path"] for entry in world.server.requests())
    assert "Retry-After" in again.stderr
