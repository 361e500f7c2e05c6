"""`fundwatch add` on a site that publishes a sitemap index naming a general sitemap and a Google
News sitemap (tests/fixtures/newsmap, served at the root of its own local server so its
robots.txt and /sitemap_index.xml are the site's own). The entry it prints is then crawled."""

from __future__ import annotations

import gzip
import re
import shutil
import subprocess
import sys
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
import yaml

from harness.server import RunningServer
from tests.crawler.test_add import entry_of
from tests.support.crawl_world import FIXTURES, REPO, FixtureWorld


@pytest.fixture
def newsroom(tmp_path: Path, sqlite_url: str) -> Iterator[FixtureWorld]:
    root = tmp_path / "www"
    shutil.copytree(FIXTURES / "newsmap", root)
    catalog = tmp_path / "catalog.yaml"
    catalog.write_text("sources: []\n", "utf-8")
    with RunningServer(root) as server:
        yield FixtureWorld(root, server, catalog, sqlite_url)


def add(world: FixtureWorld, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "fundwatch", "add", *args],
        cwd=REPO,
        env=world.env(),
        capture_output=True,
        text=True,
        timeout=180,
    )


def test_robots_names_an_index_whose_news_sitemap_is_chosen_and_crawled(
    newsroom: FixtureWorld,
) -> None:
    base = newsroom.base
    done = add(newsroom, f"{base}/", "--name", "newsroom")
    assert done.returncode == 0, done.stdout + done.stderr
    assert f"# sitemap: {base}/sitemap_index.xml\n" in done.stdout
    assert f"# sitemap: {base}/sitemaps/news.xml (Google News sitemap)\n" in done.stdout
    assert f"# sitemap: {base}/sitemaps/pages.xml\n" in done.stdout
    # preferred over the listing the home page also offers (and over the general sitemap)
    entry = entry_of(done.stdout)
    assert entry == {
        "name": "newsroom",
        "kind": "sitemap",
        "url": f"{base}/sitemaps/news.xml",
        "news_only": True,
        "every": "30m",
    }
    assert "title       Kelpmotion raises $8 million seed round for AI video dubbing" in done.stdout
    assert "published   2026-11-30T08:40:00+00:00" in done.stdout  # the preview of the entry
    paths = newsroom.requested()
    assert "/robots.txt" in paths and "/sitemap.xml" not in paths  # robots named the index

    newsroom.catalog.write_text(
        yaml.safe_dump({"sources": [entry]}, allow_unicode=True, sort_keys=False), "utf-8"
    )
    crawl = newsroom.crawl("newsroom")
    assert crawl.returncode == 0, crawl.stdout + crawl.stderr
    assert "newsroom: ok" in crawl.stdout, crawl.stdout
    stored = {a.url.removeprefix(base): a for a in newsroom.articles("newsroom")}
    assert sorted(stored) == [
        "/news/2026/11/framewell-pre-a.html",
        "/news/2026/11/kelpmotion-seed.html",
    ]
    kelp = stored["/news/2026/11/kelpmotion-seed.html"]
    assert kelp.title == "Kelpmotion raises $8 million seed round for AI video dubbing"
    assert kelp.published_at.replace(tzinfo=UTC) == datetime(2026, 11, 28, 2, 5, tzinfo=UTC)
    assert "Tidewater Ventures" in kelp.body


def test_without_robots_lines_the_usual_paths_are_tried(newsroom: FixtureWorld) -> None:
    (newsroom.root / "robots.txt").write_text("User-agent: *\nDisallow: /drafts/\n", "utf-8")
    done = add(newsroom, f"{newsroom.base}/news/", "--no-preview")
    assert done.returncode == 0, done.stdout + done.stderr
    entry = entry_of(done.stdout)
    assert (entry["kind"], entry["url"], entry["news_only"]) == (
        "sitemap",
        f"{newsroom.base}/sitemaps/news.xml",
        True,
    )
    paths = newsroom.requested()
    assert paths.index("/sitemap.xml") < paths.index("/sitemap_index.xml")


def test_a_general_sitemap_keeps_its_article_urls(newsroom: FixtureWorld) -> None:
    done = add(newsroom, f"{newsroom.base}/sitemaps/pages.xml", "--no-preview")
    assert done.returncode == 0, done.stdout + done.stderr
    entry = entry_of(done.stdout)
    assert entry["kind"] == "sitemap" and "news_only" not in entry
    pattern = re.compile(entry["url_pattern"])
    assert pattern.search(f"{newsroom.base}/news/2026/11/vidora-series-b.html")
    for page in ("/", "/about.html", "/news/"):
        assert not pattern.search(newsroom.base + page)
    assert "4 of 7 URLs match" in done.stdout


def test_an_index_without_a_news_sitemap_falls_back_to_the_listing_then_the_sitemap(
    newsroom: FixtureWorld,
) -> None:
    (newsroom.root / "sitemaps" / "news.xml").unlink()
    done = add(newsroom, f"{newsroom.base}/sitemap_index.xml", "--no-preview")
    assert done.returncode == 0, done.stdout + done.stderr
    entry = entry_of(done.stdout)  # given the index itself: its general sitemap
    assert (entry["kind"], entry["url"]) == ("sitemap", f"{newsroom.base}/sitemaps/pages.xml")
    assert "url_pattern" in entry
    done = add(newsroom, f"{newsroom.base}/", "--no-preview")
    assert done.returncode == 0, done.stdout + done.stderr
    assert entry_of(done.stdout)["kind"] == "site"  # a general sitemap is the last resort


def test_a_gzipped_news_sitemap_named_by_robots(newsroom: FixtureWorld) -> None:
    news = (newsroom.root / "sitemaps" / "news.xml").read_text("utf-8")
    packed = gzip.compress(news.replace("{{BASE}}", newsroom.base).encode("utf-8"))
    (newsroom.root / "sitemaps" / "news.xml.gz").write_bytes(packed)
    (newsroom.root / "robots.txt").write_text(
        "User-agent: *\nSitemap: /sitemaps/news.xml.gz\n", "utf-8"
    )
    done = add(newsroom, f"{newsroom.base}/", "--no-preview")
    assert done.returncode == 0, done.stdout + done.stderr
    entry = entry_of(done.stdout)
    assert (entry["kind"], entry["url"], entry["news_only"]) == (
        "sitemap",
        f"{newsroom.base}/sitemaps/news.xml.gz",
        True,
    )
    assert "2 articles with titles and publication times" in done.stdout
