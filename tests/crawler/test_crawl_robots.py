"""robots.txt policy (FAULTS.md F-18; crawler/middlewares/robots.py): a 5xx or an unreachable
robots.txt disallows the host (RFC 9309), garbage allows everything, a 10 MB file is parsed
up to 512 KiB. One fixture server per robots.txt behaviour, all crawled in one process."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from contextlib import ExitStack
from pathlib import Path

import pytest

from harness.server import RunningServer
from tests.support.crawl_world import FIXTURES, FixtureWorld

MODES = {"fixture_robots_500": "status/500", "fixture_robots_wait": "wait"}
MODES |= {"fixture_robots_garbage": "garbage", "fixture_robots_big": "big"}


@pytest.fixture
def robots_servers(tmp_path: Path) -> Iterator[dict[str, RunningServer]]:
    root = tmp_path / "robots-www"
    shutil.copytree(FIXTURES / "sites" / "robots", root / "sites" / "robots")
    with ExitStack() as stack:
        yield {
            name: stack.enter_context(RunningServer(root, robots=mode))
            for name, mode in MODES.items()
        }


def test_robots_txt_policy(world: FixtureWorld, robots_servers: dict[str, RunningServer]) -> None:
    world.add_sources(
        [
            {
                "name": name,
                "kind": "site",
                "language": "en",
                "every": "1h",
                "start_urls": [f"{server.base}/sites/robots/"],
                "listing": {"article_links": "ul.links a::attr(href)"},
                "article": {"title": "h1::text", "body": "div.body"},
            }
            for name, server in robots_servers.items()
        ]
    )
    result = world.crawl(*MODES, DOWNLOAD_TIMEOUT=2)
    assert result.returncode == 1, result.stderr[-3000:]  # two sources are refused whole
    runs = {run.source: run for run in world.runs()}

    def fetched(name: str) -> list[str]:
        return [path for path in robots_servers[name].paths() if path != "/robots.txt"]

    # 500 (after two retries) and no answer at all: the host is disallowed, only robots.txt
    # was asked, and the run says why
    for name, why in (("fixture_robots_500", "answered 500"), ("fixture_robots_wait", "")):
        assert robots_servers[name].paths().count("/robots.txt") == 3
        assert fetched(name) == []
        assert runs[name].status == "error"
        assert "robots.txt " in (runs[name].message or "") and why in (runs[name].message or "")
    assert "could not be fetched" in (runs["fixture_robots_wait"].message or "")

    # garbage: no rules, everything allowed
    garbage_run = runs["fixture_robots_garbage"]
    assert garbage_run.status == "ok"
    # the big server serves the same pages; the two sources crawl concurrently, so which one
    # stores a page first (new) and which finds it stored (duplicate) varies
    assert garbage_run.new + garbage_run.duplicates == 3
    # 10 MB: the rule at the top holds, the one after 600 KiB is beyond the parsing limit
    big = fetched("fixture_robots_big")
    assert "/sites/robots/a1.html" in big and "/sites/robots/late-rule/a2.html" in big
    assert "/sites/robots/early-rule/a3.html" not in big
    big_run = runs["fixture_robots_big"]  # same pages as the garbage server's: duplicates
    # early-rule/a3 is forbidden here: a failed page (partial) unless the garbage source
    # stored it first, when this source never asks for it
    assert big_run.status in ("ok", "partial") and big_run.new + big_run.duplicates == 2
    assert garbage_run.new + big_run.new == 3, "three distinct pages, each stored once"
    assert "bytes: only the first" in result.stderr  # and the rest is ignored
