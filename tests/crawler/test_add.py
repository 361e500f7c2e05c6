"""`fundwatch add URL` on local sites of three structures: the seed-shaped site, a
WordPress-like site (feed named in <link rel=alternate>) and a feed-only source."""

from __future__ import annotations

import re
import subprocess
import sys

import yaml

from tests.support.crawl_world import REPO, FixtureWorld


def add(world: FixtureWorld, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "fundwatch", "add", *args],
        cwd=REPO,
        env=world.env(),
        capture_output=True,
        text=True,
        timeout=180,
    )


def entry_of(output: str) -> dict:
    text = output.split("\n\n")[0] if "\nsources:" not in output else output
    start = text.index("sources:")
    block = []
    for line in text[start:].splitlines():
        if block and line and not line.startswith((" ", "-", "sources:")):
            break
        block.append(line)
    [entry] = yaml.safe_load("\n".join(block))["sources"]
    return entry


def test_add_a_wordpress_like_site(world: FixtureWorld) -> None:
    done = add(world, f"{world.base}/sites/wordpress/", "--name", "frame_ledger")
    assert done.returncode == 0, done.stdout + done.stderr
    assert f"# feed: {world.base}/sites/wordpress/feed.xml" in done.stdout
    entry = entry_of(done.stdout)
    assert entry["name"] == "frame_ledger" and entry["kind"] == "site"
    pattern = re.compile(entry["listing"]["article_url_pattern"])
    assert pattern.search(f"{world.base}/sites/wordpress/2024/03/kinoloop-seed/")
    assert not pattern.search(f"{world.base}/sites/wordpress/category/funding/")
    assert entry["listing"]["next_page"] == "a.next::attr(href)"
    assert entry["article"] == {"title": "h1::text", "body": "div.entry-content"}
    # the preview of the inferred entry follows it
    assert "title       LumenReel raises $12 million Series A for AI video ads" in done.stdout
    assert "published   2024-03-21T13:15:00+00:00  [json-ld datePublished]" in done.stdout


def test_add_the_seed_shaped_site_finds_its_date_element(world: FixtureWorld) -> None:
    done = add(world, f"{world.base}/sites/seedsite/dsch/", "--no-preview")
    assert done.returncode == 0, done.stdout + done.stderr
    entry = entry_of(done.stdout)
    assert entry["name"].startswith("site_127")
    assert entry["article"]["published"] == "span.time::text"
    assert entry["article"]["title"] == "h1::text"
    assert re.search(entry["listing"]["article_url_pattern"], "/sites/seedsite/10002.html")


def test_add_a_feed_url(world: FixtureWorld) -> None:
    done = add(world, f"{world.base}/feeds/rss.xml", "--no-preview")
    assert done.returncode == 0, done.stdout + done.stderr
    entry = entry_of(done.stdout)
    assert entry["kind"] == "feed" and entry["url"] == f"{world.base}/feeds/rss.xml"


def test_add_a_page_without_articles_says_so(world: FixtureWorld) -> None:
    done = add(world, f"{world.base}/sites/plain/lumora-series-a.html", "--no-preview")
    assert done.returncode == 1
    assert "no listing, feed or sitemap found" in done.stderr


def test_add_a_site_of_numbered_pages_h2_titles_and_section_blocks(world: FixtureWorld) -> None:
    done = add(world, f"{world.base}/sites/paged/list/", "--no-preview")
    assert done.returncode == 0, done.stdout + done.stderr
    entry = entry_of(done.stdout)
    # a pager of numbers only (1 2 3 with ?page=N): the link after the current page's marker
    assert entry["listing"]["next_page"] == "div.pg > span.cur + a::attr(href)"
    # the headline is an h2; the body is every <section> block, not the ad slots between them
    assert entry["article"]["title"] == "h2.art-title::text"
    assert entry["article"]["body"] == "div.art section.para"
    # relative times ("3小时前"); pages that state <time datetime> take that instead
    assert entry["article"]["published"] == "span.ago::text"
    assert re.search(entry["listing"]["article_url_pattern"], "/sites/paged/p/50101/")
