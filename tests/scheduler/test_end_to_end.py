"""The daemon end to end: real `fundwatch crawl` children against a local fixture site, real
detection, events and outbox, the real relay delivering to a local webhook receiver.

The test writes the site's pages while the daemon runs (the fixture server reads files on every
request), with a cadence of a few seconds.
"""

from __future__ import annotations

import base64
import os
import signal
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlalchemy import select

from fundwatch.demo.receiver import WebhookReceiver
from fundwatch.storage import create_db_engine, session_factory
from fundwatch.storage.models import AlertOutbox, Article, CrawlRun, FundingEvent
from fundwatch.storage.timeutil import as_utc
from harness.server import RunningServer
from harness.watch_config import write_watch_config
from tests.scheduler.scheduler_helpers import DaemonProcess, wait_for

pytestmark = pytest.mark.slow

CADENCE_SECONDS = 3
SECRET = "whsec_" + base64.b64encode(b"scheduler-e2e-test-secret-32byte").decode()

# Our own test texts (not from the corpus): two routine stories and funding stories.
ROUTINE = [
    ("Harbor city opens a new ferry terminal", "The terminal adds three berths and a cafe."),
    ("Local bakery wins regional bread award", "Judges praised its rye loaf and its croissants."),
]
FUNDING = [
    (
        "Lumaframe raises $20 million Series A for AI video generation",
        "Lumaframe, a startup building AI video generation tools for marketers, said on Tuesday "
        "it has raised $20 million in a Series A round led by Northgate Ventures, with "
        "participation from Harbor Capital. The company will use the money to train its "
        "text-to-video model.",
    ),
    (
        "Clipwright closes $8 million seed round for its AI video editor",
        "Clipwright, which makes an AI video generation and editing app for creators, has closed "
        "an $8 million seed round led by Lakeside Partners. The startup plans to hire engineers "
        "for its video generation models.",
    ),
]


@dataclass
class Site:
    root: Path
    articles: list[tuple[str, str]]

    def publish(self, title: str, body: str) -> str:
        self.articles.append((title, body))
        number = len(self.articles)
        page = (
            f"<html><head><title>{title}</title></head><body><h1>{title}</h1>"
            f"<time>2026-11-20</time><article><p>{body}</p></article></body></html>"
        )
        (self.root / "news" / f"a{number}.html").write_text(page, encoding="utf-8")
        links = "".join(
            f'<li><a class="item" href="/news/a{n}.html">{t}</a></li>'
            for n, (t, _b) in reversed(list(enumerate(self.articles, 1)))
        )
        listing = f"<html><body><ul>{links}</ul></body></html>"
        tmp = self.root / "news" / "index.tmp"
        tmp.write_text(listing, encoding="utf-8")
        tmp.replace(self.root / "news" / "index.html")  # atomic: never a half-written listing
        return f"/news/a{number}.html"


@dataclass
class World:
    site: Site
    server: RunningServer
    receiver: WebhookReceiver
    database_url: str
    env: dict[str, str]

    def daemon(self, *extra: str) -> DaemonProcess:
        args = ["--stagger", "0.5", "--relay-interval", "0.5", "--shutdown-grace", "30", *extra]
        return DaemonProcess(args, self.env)

    def query(self, statement):  # type: ignore[no-untyped-def]
        engine = create_db_engine(self.database_url)
        try:
            with session_factory(engine)() as session:
                return list(session.scalars(statement))
        finally:
            engine.dispose()


@pytest.fixture
def world(tmp_path: Path, database_url: str) -> Iterator[World]:
    root = tmp_path / "site"
    (root / "news").mkdir(parents=True)
    site = Site(root, [])
    for title, body in ROUTINE:
        site.publish(title, body)
    with RunningServer(root) as server, WebhookReceiver(SECRET) as receiver:
        source = {
            "name": "e2e_site",
            "kind": "site",
            "language": "en",
            "timezone": "UTC",
            "every": f"{CADENCE_SECONDS}s",
            "obey_robots": False,
            "start_urls": [f"{server.base}/news/"],
            "listing": {"article_links": "a.item::attr(href)", "max_pages": 1},
            "article": {"title": "h1::text", "body": "article", "published": "time::text"},
        }
        env = write_watch_config(
            tmp_path,
            [source],
            database_url=database_url,
            webhook_url=receiver.url,
            secret_variable="E2E_WEBHOOK_SECRET",
            secret=SECRET,
            channel_name="e2e-hook",
            timeout="5s",
            deadline="10s",
            retry={"initial": "1s", "max_delay": "2s", "give_up_after": "5m"},
        )
        yield World(site, server, receiver, database_url, env)


def _runs(world: World) -> list[CrawlRun]:
    return world.query(select(CrawlRun).order_by(CrawlRun.id))


def test_new_funding_article_is_stored_flagged_and_alerted_within_two_cadences(
    world: World,
) -> None:
    daemon = world.daemon()
    try:
        # the daemon is running and has crawled the site once: two routine stories, no alert
        wait_for(lambda: [r for r in _runs(world) if r.status == "ok"], 180, "a first crawl")
        assert len(world.query(select(Article))) == 2

        added_at = datetime.now(UTC)
        started = time.monotonic()
        path = world.site.publish(*FUNDING[0])
        assert world.receiver.wait_for(1, 180), f"no alert; daemon log:\n{''.join(daemon.raw)}"
        elapsed = time.monotonic() - started

        [article] = world.query(select(Article).where(Article.url.endswith(path)))
        assert article.flag and article.company == "Lumaframe" and article.event_id
        [event] = world.query(select(FundingEvent))
        [delivery] = world.receiver.deliveries.values()
        assert delivery.webhook_id.startswith(f"fw-{event.id}-")
        assert world.receiver.rejected == [] and world.receiver.duplicates == 0

        # "within two cadences": stored by the crawl in flight when it appeared or by one of
        # the next two (each crawl runs back to back on a cadence of CADENCE_SECONDS)
        runs = _runs(world)
        fetched = as_utc(article.fetched_at)
        [picked_by] = [
            r
            for r in runs
            if as_utc(r.started_at) <= fetched <= as_utc(r.finished_at or datetime.now(UTC))
        ]
        after = [r for r in runs if as_utc(r.started_at) >= added_at]
        in_flight = [r for r in runs if as_utc(r.started_at) < added_at][-1:]
        assert picked_by in in_flight + after[:2]
        print(
            f"\nalert delivered {elapsed:.1f} s after the article appeared "
            f"(cadence {CADENCE_SECONDS} s; crawl run {picked_by.id})"
        )
        daemon.signal(signal.SIGTERM)
        assert daemon.finish(120) == 0
    finally:
        daemon.kill()


def _crawl_child(world: World) -> CrawlRun | None:
    running = [r for r in _runs(world) if r.status == "running" and r.pid]
    return running[-1] if running else None


def test_sigkill_mid_crawl_and_restart_loses_and_duplicates_nothing(world: World) -> None:
    for title, body in FUNDING:
        world.site.publish(title, body)
    for n in range(8):
        world.site.publish(f"Community garden report {n}", f"Volunteers planted {n + 3} beds.")
    expected = len(world.site.articles)
    # a slow crawl (one request at a time, 0.6 s apart) so the kill lands in the middle of it
    slow = (
        f"{sys.executable} -m fundwatch crawl {{source}} --run-id {{run_id}} "
        "-s DOWNLOAD_DELAY=0.6 -s CONCURRENT_REQUESTS_PER_DOMAIN=1 -s AUTOTHROTTLE_ENABLED=False"
    )
    daemon = world.daemon("--crawl-command", slow)
    try:
        wait_for(
            lambda: 0 < len(world.query(select(Article))) < expected and _crawl_child(world),
            180,
            "the crawl to be half way",
        )
        child = _crawl_child(world)
        assert child is not None and child.pid
        # kill -9 the daemon and its crawl at once, as a power cut or the OOM killer would
        daemon.process.send_signal(signal.SIGKILL)
        os.killpg(child.pid, signal.SIGKILL)
        daemon.finish(30)
    finally:
        daemon.kill()
    stored_before = len(world.query(select(Article)))
    assert 0 < stored_before < expected

    restarted = world.daemon("--crawl-command", slow)
    try:
        restarted.wait_event("orphans_closed")
        wait_for(lambda: len(world.query(select(Article))) >= expected, 240, "every article stored")
        wait_for(lambda: world.receiver.count >= 2, 120, "both alerts delivered")
        # let one more crawl and relay pass go by: nothing new may appear
        last = _runs(world)[-1].id
        wait_for(
            lambda: any(r.id > last and r.status != "running" for r in _runs(world)),
            120,
            "another full crawl",
        )
        restarted.signal(signal.SIGTERM)
        assert restarted.finish(120) == 0
    finally:
        restarted.kill()

    articles = world.query(select(Article))
    urls = [a.url for a in articles]
    assert len(urls) == len(set(urls)) == expected  # no duplicate, no lost article
    assert sum(a.flag for a in articles) == 2
    events = world.query(select(FundingEvent))
    assert len(events) == 2
    outbox = world.query(select(AlertOutbox))
    assert len(outbox) == 2 and {row.status for row in outbox} == {"sent"}
    assert world.receiver.count == 2 and world.receiver.duplicates == 0  # no duplicate alert
    statuses = [r.status for r in _runs(world)]
    assert "killed" in statuses and "running" not in statuses
