"""A feed of 10 000 entries with duplicate and missing guids and odd dates (FAULTS.md F-25):
each run stores at most max_articles (200) new entries, keyed by link, else guid, else a hash
of the text; two runs store 400 different articles and no entry twice."""

from __future__ import annotations

from collections import Counter
from xml.sax.saxutils import escape

from tests.support.crawl_world import FixtureWorld

ODD = [
    # the same guid three times, no link: one article
    *[("", "dup-guid", f"Same guid, copy {n}", "Tue, 19 Mar 2024 08:00:00 GMT") for n in range(3)],
    # the same link under two guids: one article
    ("{{BASE}}/articles/shared.html", "g-a", "Shared link A", "not a date"),
    ("{{BASE}}/articles/shared.html", "g-b", "Shared link B", ""),
    # neither link nor guid, identical text twice: one article (content hash)
    ("", "", "No key at all", "Fri, 01 Jan 2999 00:00:00 GMT"),
    ("", "", "No key at all", "31/02/2024"),
    ("", "", "No key, other text", None),
]


def _feed(count: int, channel: str) -> str:
    items = []
    for link, guid, title, date in ODD + [
        (f"{{{{BASE}}}}/articles/{n}.html", f"g-{n}", f"Entry {n}", "Mon, 18 Mar 2024 10:00:00 GMT")
        for n in range(count)
    ]:
        parts = [
            f"<title>{escape(title)}</title>",
            f"<description>About {escape(title)}</description>",
        ]
        if link:
            parts.append(f"<link>{link}</link>")
        if guid:
            parts.append(f'<guid isPermaLink="false">{guid}</guid>')
        if date is not None:
            parts.append(f"<pubDate>{escape(date)}</pubDate>")
        items.append("<item>" + "".join(parts) + "</item>")
    return (
        f'<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>{channel}'
        "</title>\n" + "\n".join(items) + "\n</channel></rss>\n"
    )


def test_ten_thousand_entries_twice_no_duplicates(world: FixtureWorld) -> None:
    feed = world.root / "feeds" / "big.xml"
    feed.write_text(_feed(10_000, "first"), "utf-8")
    first = world.crawl("fixture_big_feed")
    assert first.returncode == 0, first.stderr[-3000:]
    feed.write_text(_feed(10_000, "second"), "utf-8")  # changed: no 304
    second = world.crawl("fixture_big_feed")
    assert second.returncode == 0, second.stderr[-3000:]

    runs = world.runs()
    assert [(run.status, run.new) for run in runs] == [("ok", 200), ("ok", 200)]
    articles = world.articles("fixture_big_feed")
    urls = Counter(article.url for article in articles)
    assert len(articles) == 400 and max(urls.values()) == 1
    titles = Counter(article.title for article in articles)
    assert titles["No key at all"] == 1 and titles["No key, other text"] == 1
    assert sum(titles[f"Same guid, copy {n}"] for n in range(3)) == 1
    assert titles["Shared link A"] + titles["Shared link B"] == 1
    # 4 keys from the odd entries, then Entry 0..195 in the first run, 196..395 in the second
    assert titles["Entry 0"] == titles["Entry 395"] == 1 and titles["Entry 396"] == 0
