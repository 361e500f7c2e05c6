"""Every published article is stored exactly once despite faults (FAULTS.md F-41..F-44):
for each fault, real crawls of a publishing site on 127.0.0.1, on SQLite and PostgreSQL; after
the fault clears, at most two runs store everything, nothing twice, one alert per round."""

from __future__ import annotations

import contextlib
import json
import os
import signal
import time

import pytest
from sqlalchemy import select

from fundwatch.scheduler.runner import CrawlRunner
from fundwatch.storage import create_db_engine, session_factory
from fundwatch.storage.models import UrlState
from harness.fault_world import REPO, Harness

# each test runs several real crawls (Scrapy and a writer process start each time)
pytestmark = pytest.mark.timeout(900)


def _wait(condition, timeout: float, what: str) -> None:  # type: ignore[no-untyped-def]
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        if condition():
            return
        time.sleep(0.1)
    raise AssertionError(f"timed out waiting for {what}")


def _recover(harness: Harness, runs: int = 2) -> int:
    """Crawl until every article is stored, at most `runs` times; return the runs it took."""
    for run in range(1, runs + 1):
        harness.crawl()
        if not harness.missing():
            return run
    return runs + 1


def test_listing_5xx_on_a_middle_page(harness: Harness) -> None:
    """F-41: page 2 of 3 fails during one crawl: the run is partial, the listing's validators
    are not saved, and the next crawl walks past page 2 although page 1 is unchanged."""
    harness.site.publish(15)
    harness.write_catalog(harness.site.entry(max_pages=5))
    harness.site.fail(r"^/news/page/2/$", 500, times=2)  # the crawl's try and its retry
    harness.crawl()
    first = harness.runs()[-1]
    assert first.status == "partial" and first.failed_pages == 1
    assert "/news/page/2/" in first.reasons[0] and "500" in first.reasons[0]
    assert len(harness.stored()) == 5
    assert [w.state for w in harness.walks()] == ["walking"]
    engine = create_db_engine(harness.database_url)
    with session_factory(engine)() as session:
        assert all(state.etag is None for state in session.scalars(select(UrlState)))
    engine.dispose()

    assert _recover(harness) == 1
    harness.assert_every_article_once()
    assert harness.runs()[-1].status == "ok"
    assert [w.state for w in harness.walks()] == ["complete"]

    # after a complete walk: page 1 answers 304, nothing else is fetched
    before = harness.site.hits(r"^/news/page/")
    harness.crawl()
    assert harness.site.log[-1] == ("/news/", 304)
    assert harness.site.hits(r"^/news/page/") == before
    harness.assert_every_article_once()


def test_article_5xx_stays_pending_and_is_fetched_next_run(harness: Harness) -> None:
    """F-42: an article answering 503 during one crawl stays pending; the listing is 304 next
    time, and the frontier fetches it anyway."""
    harness.site.publish(8)
    harness.write_catalog(harness.site.entry())
    harness.site.fail(r"^/a/3\.html$", 503, times=2)
    harness.crawl()
    first = harness.runs()[-1]
    assert first.status == "partial" and first.pending == 1
    pending = harness.frontier()
    assert [(e.url.rsplit("/", 1)[-1], e.attempts) for e in pending] == [("3.html", 1)]
    assert "503" in (pending[0].last_error or "")
    assert _recover(harness) == 1
    harness.assert_every_article_once()
    assert harness.site.log[0] != ("/news/", 200) or True  # order is Scrapy's


def test_article_given_up_after_bounded_attempts_then_requeued(harness: Harness) -> None:
    """F-42: an article that keeps failing is given up after the attempt limit, reason kept;
    `fundwatch sources` shows it, and --requeue brings it back."""
    import subprocess
    import sys

    harness.site.publish(3)
    harness.write_catalog(harness.site.entry())
    harness.site.fail(r"^/a/2\.html$", 500, times=100)
    for _ in range(2):
        harness.crawl(FUNDWATCH_FRONTIER_MAX_ATTEMPTS=2)
    entries = harness.frontier()
    assert [(e.state, e.attempts) for e in entries] == [("given_up", 2)]
    assert "500" in (entries[0].last_error or "")
    listing = subprocess.run(
        [sys.executable, "-m", "fundwatch", "sources", "--format", "json"],
        cwd=REPO,
        env=harness.env(),
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert listing.returncode == 0, listing.stderr
    row = json.loads(listing.stdout.splitlines()[0])
    assert (row["name"], row["pending"], row["given_up"]) == ("news", 0, 1)
    harness.site.clear_faults()
    requeued = subprocess.run(
        [sys.executable, "-m", "fundwatch", "sources", "--requeue", "news"],
        cwd=REPO,
        env=harness.env(),
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert requeued.returncode == 0 and "1 given-up URL" in requeued.stdout, requeued.stderr
    assert _recover(harness) == 1
    harness.assert_every_article_once()


def test_crawl_child_killed_mid_walk(harness: Harness) -> None:
    """F-43: kill -9 of the crawl while it waits for listing page 2: the next crawl resumes
    the walk and fetches what is pending."""
    harness.site.publish(15)
    harness.write_catalog(harness.site.entry())
    harness.site.slow(r"^/news/page/2/$", 60)
    crawl = harness.start_crawl()
    _wait(lambda: harness.site.hits(r"^/news/page/2/$") >= 1, 120, "page 2 requested")
    os.killpg(crawl.pid, signal.SIGKILL)
    crawl.wait(30)
    assert harness.runs()[-1].status == "running"  # the run row the killed crawl left
    harness.site.clear_faults()
    harness.site.publish(2)  # the site goes on publishing meanwhile
    assert _recover(harness) <= 2
    harness.assert_every_article_once()
    assert os.listdir(harness.tmpdir) == []


def _children(pid: int) -> set[int]:
    """The live processes whose parent is `pid` (from /proc)."""
    found = set()
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                with open(f"/proc/{entry}/stat") as handle:
                    fields = handle.read().rsplit(") ", 1)[1].split()
            except (OSError, IndexError):
                continue
            if int(fields[1]) == pid and fields[0] != "Z":
                found.add(int(entry))
    return found


def test_crawl_process_killed_alone_its_writer_exits(harness: Harness) -> None:
    """F-43: SIGKILL of the crawl process alone (the OOM killer, `kill -9 PID`), not of its
    process group: its article writer notices the crawl is gone and exits instead of living
    on as an orphan; the next crawl stores everything once."""
    harness.site.publish(15)
    harness.write_catalog(harness.site.entry())
    harness.site.slow(r"^/news/page/2/$", 60)
    crawl = harness.start_crawl()
    _wait(lambda: harness.site.hits(r"^/news/page/2/$") >= 1, 120, "page 2 requested")
    writers = _children(crawl.pid)
    assert writers, "the crawl's writer process"
    os.kill(crawl.pid, signal.SIGKILL)
    crawl.wait(30)
    try:
        _wait(lambda: all(_zombie(pid) for pid in writers), 15, "the orphaned writer to exit")
    finally:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(crawl.pid, signal.SIGKILL)  # whatever is left of the crawl's group
    harness.site.clear_faults()
    harness.site.publish(2)
    assert _recover(harness) <= 2
    harness.assert_every_article_once()
    assert os.listdir(harness.tmpdir) == []


def test_deadline_mid_walk(harness: Harness) -> None:
    """F-43: the scheduler's hard deadline kills the crawl while page 2 hangs; the next run
    resumes the walk and stores everything."""
    harness.site.publish(15)
    harness.write_catalog(harness.site.entry())
    harness.site.slow(r"^/news/page/2/$", 600)
    engine = create_db_engine(harness.database_url)
    # the download timeout outlasts the deadline: the deadline, not Scrapy, ends the wait
    command = [
        *harness.crawl_command("{source}", DOWNLOAD_TIMEOUT=900),
        "--run-id",
        "{run_id}",
    ]
    runner = CrawlRunner(session_factory(engine), command=command, env=harness.env(), cwd=REPO)
    runner._kill_grace = 3.0
    outcome = runner.run("news", deadline=90.0)  # page 2 is reached well before, and hangs
    assert outcome.status == "timeout"
    assert harness.site.hits(r"^/news/page/2/$") >= 1
    harness.site.clear_faults()
    second = runner.run("news", deadline=180.0)
    engine.dispose()
    assert second.ok
    if harness.missing():
        harness.crawl()
    harness.assert_every_article_once()
    assert os.listdir(harness.tmpdir) == []


def test_store_worker_that_cannot_start(harness: Harness) -> None:
    """F-44: the alert channels file references an unset variable: the writer cannot start,
    the run is `error` and says so, nothing is fetched or lost; after the fix all is stored
    and alerted once."""
    harness.site.publish(6)
    harness.write_catalog(harness.site.entry())
    harness.write_alerts("FW_TEST_UNSET_VARIABLE")
    output = harness.crawl()
    run = harness.runs()[-1]
    assert run.status == "error" and "article writer could not start" in (run.message or "")
    assert "FW_TEST_UNSET_VARIABLE" in (run.message or "") + output
    assert harness.stored() == {}
    assert harness.site.hits(r"^/a/") == 0
    harness.write_alerts()
    assert _recover(harness) == 1
    harness.assert_every_article_once()


def test_raised_page_limit_takes_effect(harness: Harness) -> None:
    """A source added with max_pages 2 stores its first 2 pages; raising max_pages to 5 makes
    the next crawl walk 5 pages deep once, and later crawls stop early again."""
    harness.site.publish(21)
    harness.write_catalog(harness.site.entry(max_pages=2))
    harness.crawl()
    assert len(harness.stored()) == 10
    harness.crawl()  # unchanged: 304, nothing more
    assert len(harness.stored()) == 10
    harness.write_catalog(harness.site.entry(max_pages=5))
    assert _recover(harness) == 1
    harness.assert_every_article_once()
    harness.site.publish(1)
    before = harness.site.hits(r"^/news/page/")
    harness.crawl()
    assert harness.site.hits(r"^/news/page/") - before <= 1  # page 2 has nothing unseen
    harness.assert_every_article_once()


def test_feed_entry_5xx_stays_pending(harness: Harness) -> None:
    """F-42 for feeds: an entry whose article answers 503 is retried by the next run (not
    replaced by its summary), although the feed itself is then unchanged (304)."""
    harness.site.publish(5)
    harness.write_catalog(harness.site.entry(kind="feed"))
    harness.site.fail(r"^/a/4\.html$", 503, times=2)
    harness.crawl()
    assert harness.runs()[-1].status == "partial"
    assert len(harness.stored()) == 4
    assert _recover(harness) == 1
    harness.assert_every_article_once()
    assert harness.site.log.count(("/feed.xml", 304)) >= 1


def test_daemon_killed_mid_walk_and_restarted(harness: Harness) -> None:
    """F-43, F-30: kill -9 of the daemon while its crawl child waits for page 2; the restarted
    daemon stops the orphaned child after a grace period, and its first run stores everything.
    No temp file is left behind."""
    from tests.scheduler.scheduler_helpers import DaemonProcess

    harness.site.publish(15)
    harness.write_catalog(harness.site.entry())
    harness.site.slow(r"^/news/page/2/$", 600)
    command = " ".join([*harness.crawl_command("{source}"), "--run-id", "{run_id}"])
    args = ["--crawl-command", command, "--stagger", "0.2", "--kill-grace", "2"]
    env = harness.env(FUNDWATCH_CRAWL_DEADLINE="600", FUNDWATCH_LOG_LEVEL="INFO")
    first = DaemonProcess(args, env)
    try:
        _wait(lambda: harness.site.hits(r"^/news/page/2/$") >= 1, 300, "page 2 requested")
    finally:
        first.kill()  # SIGKILL: the crawl child lives on in its own process group
    orphan = harness.runs()[-1]
    assert orphan.status == "running" and orphan.pid
    harness.site.clear_faults()
    second = DaemonProcess(args, env)
    try:
        _wait(lambda: not harness.missing(), 600, "every article stored after the restart")
        _wait(lambda: harness.runs()[-1].status != "running", 120, "the run to finish")
    finally:
        second.signal(signal.SIGTERM)
        second.finish(120)
    runs = harness.runs()
    assert runs[0].status == "killed" and "left running" in (runs[0].message or "")
    assert not os.path.exists(f"/proc/{orphan.pid}") or _zombie(orphan.pid)
    harness.assert_every_article_once()
    assert os.listdir(harness.tmpdir) == []


def _zombie(pid: int) -> bool:
    try:
        with open(f"/proc/{pid}/stat") as handle:
            return handle.read().split(") ", 1)[1].startswith("Z")
    except OSError:
        return True


def test_backfill_and_initial_pages(harness: Harness) -> None:
    """`initial_pages: 1` keeps the first crawl shallow; `fundwatch backfill --pages` walks
    deeper once through the frontier and stores the rest."""
    import subprocess
    import sys

    harness.site.publish(30)
    harness.write_catalog(harness.site.entry(max_pages=2, initial_pages=1))
    harness.crawl()
    assert len(harness.stored()) == 5
    done = subprocess.run(
        [sys.executable, "-m", "fundwatch", "backfill", "news", "--pages", "6", "--no-crawl"],
        cwd=REPO,
        env=harness.env(),
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0 and "6 pages deep" in done.stdout, done.stderr
    assert _recover(harness) == 1
    harness.assert_every_article_once()
    assert [(w.state, w.depth_done, w.target_pages) for w in harness.walks()] == [
        ("complete", 6, None)
    ]
