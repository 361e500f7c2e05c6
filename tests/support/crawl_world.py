"""A fixture world for crawler tests: the fixture server on 127.0.0.1 serving a copy of
tests/fixtures, a catalog pointing at it, and a helper that runs a real crawl in a subprocess."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml
from sqlalchemy import select

from fundwatch.storage import Article, CrawlRun, create_db_engine, session_factory
from harness.server import RunningServer

REPO = Path(__file__).resolve().parents[2]
FIXTURES = REPO / "tests" / "fixtures"


@dataclass
class CrawlResult:
    returncode: int
    stdout: str
    stderr: str


@dataclass
class FixtureWorld:
    root: Path
    server: RunningServer
    catalog: Path
    database_url: str

    @property
    def base(self) -> str:
        return self.server.base

    def env(self, **extra: str) -> dict[str, str]:
        env = dict(os.environ)
        env.update(
            FUNDWATCH_SEEDS=str(self.catalog),
            FUNDWATCH_DATABASE_URL=self.database_url,
            PYTHONPATH=str(REPO),
        )
        env.update(extra)
        return env

    def crawl(self, *args: str, timeout: float = 120, **settings: Any) -> CrawlResult:
        """`fundwatch crawl ARGS` in a subprocess (the Twisted reactor cannot restart)."""
        command = [sys.executable, "-m", "fundwatch", "crawl", *args]
        for name, value in {"DOWNLOAD_DELAY": 0, "AUTOTHROTTLE_ENABLED": False, **settings}.items():
            command += ["-s", f"{name}={value}"]
        done = subprocess.run(
            command,
            cwd=REPO,
            env=self.env(),
            capture_output=True,
            text=True,
            timeout=timeout,
        )
        return CrawlResult(done.returncode, done.stdout, done.stderr)

    def articles(self, source: str | None = None) -> list[Article]:
        engine = create_db_engine(self.database_url)
        try:
            with session_factory(engine)() as session:
                query = select(Article).order_by(Article.id)
                if source:
                    query = query.where(Article.source == source)
                return list(session.scalars(query))
        finally:
            engine.dispose()

    def runs(self) -> list[CrawlRun]:
        engine = create_db_engine(self.database_url)
        try:
            with session_factory(engine)() as session:
                return list(session.scalars(select(CrawlRun).order_by(CrawlRun.id)))
        finally:
            engine.dispose()

    def requested(self) -> list[str]:
        return self.server.paths()

    def add_sources(self, entries: list[dict[str, Any]]) -> None:
        """Append catalog entries (e.g. sources on another fixture server)."""
        catalog = yaml.safe_load(self.catalog.read_text("utf-8"))
        catalog["sources"].extend(entries)
        self.catalog.write_text(
            yaml.safe_dump(catalog, allow_unicode=True, sort_keys=False), "utf-8"
        )


def write_catalog(path: Path, base: str) -> None:
    seed = yaml.safe_load((REPO / "seeds" / "sources" / "jinhanchuan.yaml").read_text("utf-8"))
    seedsite = dict(seed["sources"][0])
    seedsite.update(
        name="seedsite",
        start_urls=[f"{base}/sites/seedsite/{slug}/" for slug in ("dsch", "kuajing", "news")],
    )
    fixture = (FIXTURES / "sites" / "catalog.yaml").read_text("utf-8").replace("{{BASE}}", base)
    sources = [seedsite, *yaml.safe_load(fixture)["sources"]]
    path.write_text(
        yaml.safe_dump({"sources": sources}, allow_unicode=True, sort_keys=False), "utf-8"
    )


def make_world(tmp_path: Path, database_url: str) -> Iterator[FixtureWorld]:
    root = tmp_path / "www"
    for folder in ("sites", "feeds", "sitemaps"):
        shutil.copytree(FIXTURES / folder, root / folder)
    shutil.copy(FIXTURES / "sites" / "robots.txt", root / "robots.txt")
    with RunningServer(root) as server:
        catalog = tmp_path / "catalog.yaml"
        write_catalog(catalog, server.base)
        yield FixtureWorld(root, server, catalog, database_url)
