"""A watched news site (tests/support/news_site.py), a catalog and alert channels pointing at
it, real crawls in subprocesses, and the checks every fault test ends with: every published
article stored exactly once, one alert per funding round."""

from __future__ import annotations

import os
import subprocess
import sys
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml
from sqlalchemy import func, select

from fundwatch.storage import create_db_engine, session_factory
from fundwatch.storage.models import AlertOutbox, Article, CrawlRun, FrontierEntry, ListingWalk
from harness.news_site import NewsSite

REPO = Path(__file__).resolve().parents[1]
# quick crawls: no politeness delay, one Scrapy retry, frontier retries due at the next run
CRAWL_SETTINGS = {
    "DOWNLOAD_DELAY": 0,
    "AUTOTHROTTLE_ENABLED": False,
    "RETRY_TIMES": 1,
    "FUNDWATCH_FRONTIER_RETRY_BASE": 0,
}
SECRET_VARIABLE = "FW_TEST_WEBHOOK_SECRET"
SECRET = "whsec_" + "QUJDREVGR0hJSktMTU5PUFFSU1RVVldY"


@dataclass
class Harness:
    site: NewsSite
    root: Path
    database_url: str
    entries: list[dict[str, Any]] = field(default_factory=list)

    @property
    def catalog(self) -> Path:
        return self.root / "sources.yaml"

    @property
    def alerts(self) -> Path:
        return self.root / "alerts.yaml"

    def write_catalog(self, *entries: dict[str, Any]) -> None:
        self.entries = list(entries)
        self.catalog.write_text(yaml.safe_dump({"sources": self.entries}, sort_keys=False))

    def write_alerts(self, secret_variable: str = SECRET_VARIABLE) -> None:
        """One webhook channel (to a closed port: alerts stay in the outbox, counted there)."""
        channel = {
            "name": "hook",
            "type": "webhook",
            "url": "http://127.0.0.1:9/hook",
            "secret": "${" + secret_variable + "}",
        }
        self.alerts.write_text(yaml.safe_dump({"channels": [channel]}, sort_keys=False))

    def env(self, **extra: str) -> dict[str, str]:
        env = dict(os.environ)
        env.update(
            FUNDWATCH_SEEDS=str(self.catalog),
            FUNDWATCH_DATABASE_URL=self.database_url,
            FUNDWATCH_ALERTS=str(self.alerts),
            PYTHONPATH=str(REPO),
            TMPDIR=str(self.tmpdir),
        )
        env[SECRET_VARIABLE] = SECRET
        env.update(extra)
        return env

    @property
    def tmpdir(self) -> Path:
        path = self.root / "tmp"
        path.mkdir(exist_ok=True)
        return path

    def crawl_command(self, name: str = "news", **settings: Any) -> list[str]:
        command = [sys.executable, "-m", "fundwatch", "crawl", name]
        for key, value in {**CRAWL_SETTINGS, **settings}.items():
            command += ["-s", f"{key}={value}"]
        return command

    def crawl(self, name: str = "news", timeout: float = 180, **settings: Any) -> str:
        done = subprocess.run(
            self.crawl_command(name, **settings),
            cwd=REPO,
            env=self.env(),
            capture_output=True,
            text=True,
            timeout=timeout,
        )
        assert done.returncode in (0, 1), done.stderr[-3000:]
        return done.stdout + done.stderr

    def start_crawl(self, name: str = "news", **settings: Any) -> subprocess.Popen[bytes]:
        return subprocess.Popen(
            self.crawl_command(name, **settings),
            cwd=REPO,
            env=self.env(),
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            start_new_session=True,
        )

    # -- the database ---------------------------------------------------------------------------
    def _query(self, query: Any) -> list[Any]:
        engine = create_db_engine(self.database_url)
        try:
            with session_factory(engine)() as session:
                return list(session.execute(query))
        finally:
            engine.dispose()

    def stored(self) -> Counter[str]:
        return Counter(row[0] for row in self._query(select(Article.url)))

    def runs(self) -> list[CrawlRun]:
        return [row[0] for row in self._query(select(CrawlRun).order_by(CrawlRun.id))]

    def frontier(self) -> list[FrontierEntry]:
        return [row[0] for row in self._query(select(FrontierEntry))]

    def walks(self) -> list[ListingWalk]:
        return [row[0] for row in self._query(select(ListingWalk))]

    def alerts_per_event(self) -> Counter[int]:
        rows = self._query(
            select(AlertOutbox.event_id, func.count()).group_by(AlertOutbox.event_id)
        )
        return Counter({event_id: count for event_id, count in rows})

    def flagged_events(self) -> set[int]:
        rows = self._query(select(Article.event_id).where(Article.event_id.is_not(None)))
        return {row[0] for row in rows}

    def processes_left(self) -> list[int]:
        """Processes running with this harness's database in their environment (a crawl, its
        article writer, a daemon), other than this one: none may outlive a run."""
        marker = f"FUNDWATCH_DATABASE_URL={self.database_url}".encode()
        found = []
        for entry in os.listdir("/proc"):
            if entry.isdigit() and int(entry) != os.getpid():
                try:
                    with open(f"/proc/{entry}/environ", "rb") as handle:
                        if marker in handle.read().split(b"\0"):
                            found.append(int(entry))
                except OSError:
                    continue
        return found

    def missing(self) -> set[str]:
        return self.site.urls() - set(self.stored())

    def assert_every_article_once(self) -> None:
        stored = self.stored()
        published = self.site.urls()
        assert published - set(stored) == set(), f"lost: {sorted(published - set(stored))}"
        assert [url for url, n in stored.items() if n > 1] == []
        assert set(stored) <= published
        # one alert per funding round: every article is its own round
        per_event = self.alerts_per_event()
        assert len(self.flagged_events()) == len(published)
        assert set(per_event) == self.flagged_events()
        assert set(per_event.values()) == {1}
        assert [e for e in self.frontier() if e.state == "pending"] == []
