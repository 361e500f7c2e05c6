"""`fundwatch preview` on local sites of three structures (seed shape, WordPress-like, feed
only) and a second site shape: fields, the rule behind each, warnings, nothing stored."""

from __future__ import annotations

import subprocess
import sys

from tests.support.crawl_world import REPO, FixtureWorld


def preview(world: FixtureWorld, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "fundwatch", "preview", *args],
        cwd=REPO,
        env=world.env(),
        capture_output=True,
        text=True,
        timeout=120,
    )


def wordpress_entry(world: FixtureWorld, name: str = "framewp", **article: str) -> dict:
    return {
        "name": name,
        "kind": "site",
        "language": "en",
        "timezone": "America/New_York",
        "every": "1h",
        "start_urls": [f"{world.base}/sites/wordpress/"],
        "listing": {
            "article_links": "h2.entry-title a::attr(href)",
            "next_page": "a.next::attr(href)",
        },
        "article": {
            "title": "h1.entry-title::text",
            "published": "time.entry-date::attr(datetime)",
            "body": "div.entry-content > p",
            "author": "span.author a::text",
            **article,
        },
    }


def test_preview_of_the_seed_shaped_site(world: FixtureWorld) -> None:
    done = preview(world, "seedsite", "-n", "2")
    assert done.returncode == 0, done.stdout + done.stderr
    out = done.stdout
    assert "article links: " in out and "/sites/seedsite/" in out
    assert out.count("    title ") == 2 and "[selector " in out
    assert "published   2024-" in out and "+00:00" in out
    assert world.articles() == []  # stores nothing


def test_preview_of_a_wordpress_like_site(world: FixtureWorld) -> None:
    world.add_sources([wordpress_entry(world)])
    done = preview(world, "framewp")
    assert done.returncode == 0, done.stdout + done.stderr
    out = done.stdout
    assert "article links: 3" in out
    assert "next page: " + world.base + "/sites/wordpress/page/2/" in out
    assert "title       LumenReel raises $12 million Series A for AI video ads" in out
    assert "published   2024-03-21T13:15:00+00:00" in out
    assert "Share this" not in out
    assert "warning" not in out


def test_preview_reports_a_wrong_selector(world: FixtureWorld) -> None:
    world.add_sources([wordpress_entry(world, "framewp_bad", title="h1.headline::text")])
    done = preview(world, "framewp_bad")
    assert done.returncode == 1
    assert "warning: title selector 'h1.headline::text' matched nothing" in done.stdout
    assert "a crawl would be unhealthy: template: title missing on 3/3 pages" in done.stdout


def test_preview_of_a_feed_only_source_and_given_urls(world: FixtureWorld) -> None:
    done = preview(world, "fixture_rss", "-n", "2")
    assert "article links: " in done.stdout, done.stdout + done.stderr
    assert "[generic" in done.stdout or "[json-ld" in done.stdout or "[meta" in done.stdout
    url = f"{world.base}/sites/twsite/story/a3001.html"
    given = preview(world, "twsite", url)
    assert given.returncode == 0, given.stdout + given.stderr
    assert "title       " in given.stdout and "[selector h1.headline::text]" in given.stdout
    assert "published   2024-03-07T06:30:00+00:00" in given.stdout  # 14:30 in Taipei


def test_preview_of_an_unknown_source_is_one_line(world: FixtureWorld) -> None:
    done = preview(world, "nope")
    assert done.returncode == 2 and done.stderr.count("\n") == 1
