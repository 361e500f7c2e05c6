"""Three sites of structures the repository had not met, each configured by a catalog entry
written from the page source as a new user would (tests/fixtures/sites/new_structures.yaml), and
crawled end to end on the fixture server:

- tests/fixtures/sites/portal: a `.php` portal whose listing links `article.php?id=N` relatively
  (some with a tracking `&from=list`), pages on by `<link rel="next" href="?page=2">` in the
  head, and writes its times as "3小时前", "昨天 14:30", "2天前", "2026年11月29日 星期日 10:20",
  "2026-11-26 星期四 09:05", "11月27日 16:40" (no year) — with no structured data at all;
- tests/fixtures/sites/apinews: an app shell whose listing is a JSON API (`api/list?page=N`,
  items with a relative or absolute `url`, a `headline` and epoch-second `published`), paged by
  counting `page` up until a page lists nothing (`format: json`);
- tests/fixtures/sites/twnews: a traditional-Chinese site paginated by path (`/list/2/`), its
  title inside `<h1><span>`, its site name after the title in `<title>`, its time only in
  `<meta property="article:published_time">` (with and without an offset; a misleading
  "更新時間" on the page), the body split into `div.paragraph` blocks between ad and
  related-story slots, and a `來源:中央社` / `（來源：中央社）` origin line.
"""

from __future__ import annotations

import json
import subprocess
import sys
from datetime import UTC, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import yaml

from tests.support.crawl_world import FIXTURES, REPO, FixtureWorld

SHANGHAI = ZoneInfo("Asia/Shanghai")
ENTRIES = FIXTURES / "sites" / "new_structures.yaml"  # the entries, as a user writes them


def entry_of(world: FixtureWorld, name: str) -> dict[str, Any]:
    text = ENTRIES.read_text("utf-8").replace("{{BASE}}", world.base)
    return next(e for e in yaml.safe_load(text)["sources"] if e["name"] == name)


def crawl_ok(world: FixtureWorld, name: str) -> dict[str, Any]:
    world.add_sources([entry_of(world, name)])
    result = world.crawl(name)
    assert result.returncode == 0, result.stdout + result.stderr[-3000:]
    assert f"{name}: ok" in result.stdout, result.stdout + result.stderr[-3000:]
    assert "extraction error" not in result.stderr, result.stderr[-3000:]
    assert "Traceback" not in result.stderr, result.stderr[-3000:]
    return {a.url.rsplit("/", 1)[1]: a for a in world.articles(name)}


def utc(article: Any) -> datetime:
    return article.published_at.replace(tzinfo=UTC)


def test_a_php_portal_with_query_links_rel_next_and_unusual_times(world: FixtureWorld) -> None:
    stored = crawl_ok(world, "portal")
    # three listing pages by <link rel=next>; each article once, under its canonical URL
    requested = world.requested()
    assert "/sites/portal/news.php?page=2" in requested
    assert "/sites/portal/news.php?page=3" in requested
    assert sorted(stored) == [f"article.php?id={n}" for n in range(3001, 3009)]
    assert not any("from=" in path for path in requested if "article.php" in path)

    xingmu = stored["article.php?id=3008"]
    assert xingmu.title == "星幕科技完成1.5亿元A轮融资，AI视频生成进入商用阶段"
    assert xingmu.body.split("\n")[0].startswith("星幕科技宣布完成1.5亿元人民币A轮融资")
    assert "热门推荐" not in xingmu.body and len(xingmu.body.split("\n")) == 3
    assert all(a.outlet == "127.0.0.1" for a in stored.values())

    def local(key: str) -> datetime:
        return utc(stored[key]).astimezone(SHANGHAI)

    def fetched(key: str) -> datetime:
        return stored[key].fetched_at.replace(tzinfo=UTC)

    # relative times, read against the fetch
    assert abs(utc(xingmu) - (fetched("article.php?id=3008") - timedelta(hours=3))) < timedelta(
        minutes=1
    )
    assert abs(
        utc(stored["article.php?id=3006"]) - (fetched("article.php?id=3006") - timedelta(days=2))
    ) < timedelta(minutes=1)
    yesterday = fetched("article.php?id=3007").astimezone(SHANGHAI).date() - timedelta(days=1)
    assert local("article.php?id=3007").replace(tzinfo=None) == datetime.combine(
        yesterday, datetime.min.time()
    ).replace(hour=14, minute=30)
    # a weekday between date and clock, and a date without its year
    expected = {
        "article.php?id=3005": datetime(2026, 11, 29, 10, 20),
        "article.php?id=3004": datetime(2026, 11, 28, 0, 0),
        "article.php?id=3002": datetime(2026, 11, 26, 9, 5),
        "article.php?id=3001": datetime(2026, 11, 25, 8, 30),
    }
    for key, when in expected.items():
        assert local(key).replace(tzinfo=None) == when, key
    year_of_fetch = fetched("article.php?id=3003").astimezone(SHANGHAI)
    no_year = local("article.php?id=3003")
    assert (no_year.month, no_year.day, no_year.hour, no_year.minute) == (11, 27, 16, 40)
    assert no_year <= year_of_fetch and no_year.year in (year_of_fetch.year, year_of_fetch.year - 1)


STORIES = {  # id: (headline, published in New York) as the API lists them
    "7706": ("Klipforge raises $40M Series B to scale AI video ads", "2026-12-01T09:30"),
    "7705": ("Lumenreel lands $8M seed for AI dubbing", "2026-11-30T16:05"),
    "7704": ("Storyloop acquires animation studio Pixelmoth", "2026-11-29T11:00"),
    "7703": ("Framefield raises $120M to build a video foundation model", "2026-11-27T08:15"),
    "7702": ("Reelmint opens waitlist for text-to-video editor", "2026-11-25T14:45"),
}


def test_a_listing_served_by_a_json_api(world: FixtureWorld) -> None:
    stored = crawl_ok(world, "apinews")
    requested = world.requested()
    pages = [path for path in requested if "/api/list" in path]
    assert pages == [f"/sites/apinews/api/list?page={n}" for n in (1, 2, 3, 4)]  # 4 is empty
    assert sorted(stored) == sorted(STORIES)
    new_york = ZoneInfo("America/New_York")
    for key, (headline, when) in STORIES.items():
        article = stored[key]
        assert article.title == headline
        # the page states no time: the API's epoch seconds are the publication time
        assert utc(article) == datetime.fromisoformat(when).replace(tzinfo=new_york), key
        assert "Subscribe" not in article.body and article.outlet == "127.0.0.1"
    assert stored["7706"].body.startswith("Klipforge, a startup that turns product pages")
    assert stored["7706"].body.endswith("a sales team in Europe.")

    # preview shows the listing's time with its rule, and says what a JSON listing lacks
    shown = preview(world, "apinews", "-n", "1", "--format", "json")
    assert shown.returncode == 0, shown.stdout + shown.stderr
    report = json.loads(shown.stdout)
    article = report["articles"][0]
    assert article["rules"]["published"] == "listing"
    assert article["fields"]["published"].startswith("2026-12-01T14:30:00")


def test_a_json_listing_configured_as_html_says_so(world: FixtureWorld) -> None:
    """The first entry a user writes for an API listing: no crash, and the reason."""
    entry = entry_of(world, "apinews")
    entry["name"] = "apinews_html"
    entry["listing"] = {"article_url_pattern": "/sites/apinews/story/"}
    world.add_sources([entry])
    shown = preview(world, "apinews_html")
    assert "Traceback" not in shown.stderr, shown.stderr
    assert "is JSON, not HTML: give the listing `format: json`" in shown.stdout
    result = world.crawl("apinews_html")
    assert "Traceback" not in result.stderr and "is JSON, not HTML" in result.stderr


TWNEWS_STORIES = {  # id: (title, published, outlet)
    "202612010042.aspx": (
        "影音新創「幀語」獲千萬美元A輪融資 搶攻AI短影音",
        "2026-12-01T14:30:00+08:00",
        "中央社",
    ),
    "202611300118.aspx": (
        "生成式影片平台「映界」完成B輪募資",
        "2026-11-30T09:15:00+08:00",
        "中央社",
    ),
    "202611290077.aspx": (
        "AI動畫工作室「光點」獲天使輪投資",
        "2026-11-29T18:40:00+08:00",
        "中央社",
    ),
    "202611280031.aspx": (
        "本報專訪：AI影音工具如何改變剪輯產業",
        "2026-11-28T10:00:00+08:00",
        "127.0.0.1",
    ),
    "202611270065.aspx": (
        "數位人直播公司「星語」完成Pre-B輪融資",
        "2026-11-27T16:20:00+08:00",
        "中央社",
    ),
}


def test_a_traditional_chinese_site_with_split_body_and_meta_time(world: FixtureWorld) -> None:
    stored = crawl_ok(world, "twnews")
    requested = world.requested()
    assert "/sites/twnews/list/2/" in requested and "/sites/twnews/list/3/" in requested
    assert sorted(stored) == sorted(TWNEWS_STORIES)
    for key, (title, when, outlet) in TWNEWS_STORIES.items():
        article = stored[key]
        assert article.title == title, key  # the h1's span, without "| 科技 | 臺灣視訊報"
        assert utc(article) == datetime.fromisoformat(when), key  # not the 更新時間 line
        assert article.outlet == outlet, key
        assert "廣告" not in article.body and "延伸閱讀" not in article.body
        assert "編輯：" not in article.body and "分享" not in article.body
    lines = stored["202612010042.aspx"].body.split("\n")
    assert lines[0].startswith("（中央社記者林小雯台北1日電）AI影音新創公司幀語科技")
    assert lines[2] == "公司表示，新資金將用於擴充研發團隊與布局東南亞市場。"  # 3 blocks, in order


def preview(world: FixtureWorld, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "fundwatch", "preview", *args],
        cwd=REPO,
        env=world.env(),
        capture_output=True,
        text=True,
        timeout=120,
    )


def add(world: FixtureWorld, url: str, name: str) -> dict[str, Any]:
    done = subprocess.run(
        [sys.executable, "-m", "fundwatch", "add", url, "--name", name, "--no-preview"],
        cwd=REPO,
        env=world.env(),
        capture_output=True,
        text=True,
        timeout=180,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    yaml_text = done.stdout[done.stdout.index("sources:") :]
    [entry] = yaml.safe_load(yaml_text)["sources"]
    return entry


def test_add_on_an_app_shell_points_at_its_api(world: FixtureWorld) -> None:
    done = subprocess.run(
        [sys.executable, "-m", "fundwatch", "add", f"{world.base}/sites/apinews/"],
        cwd=REPO,
        env=world.env(),
        capture_output=True,
        text=True,
        timeout=180,
    )
    assert done.returncode == 1 and "no listing, feed or sitemap found" in done.stderr
    assert "filled in by JavaScript" in done.stdout and "format: json" in done.stdout


def test_add_infers_entries_that_crawl_the_three_sites(world: FixtureWorld) -> None:
    """`fundwatch add` on the portal's listing, the API's first page and the traditional-Chinese
    listing: each inferred entry, pasted as it is, stores what the hand-written one does."""
    portal = add(world, f"{world.base}/sites/portal/news.php", "portal_added")
    assert portal["listing"]["next_page"] == "link[rel=next]::attr(href)"
    assert (portal["language"], portal["timezone"]) == ("zh-Hans", "Asia/Shanghai")
    api = add(world, f"{world.base}/sites/apinews/api/list?page=1", "api_added")
    assert api["listing"] == {
        "format": "json",
        "items": "data.items",
        "item_url": "url",
        "item_title": "headline",
        "item_published": "published",
        "page_param": "page",
    }
    # the body element below the h1, not the <main> that holds headline and newsletter too
    assert api["article"] == {"title": "h1::text", "body": "div.story-text"}
    api["timezone"] = "America/New_York"  # a JSON API names no zone; epoch times need none
    tw = add(world, f"{world.base}/sites/twnews/list/", "tw_added")
    assert (tw["language"], tw["timezone"]) == ("zh-Hant", "Asia/Taipei")
    world.add_sources([portal, api, tw])
    for entry, count in ((portal, 8), (api, 5), (tw, 5)):
        name = str(entry["name"])
        result = world.crawl(name)
        assert f"{name}: ok" in result.stdout, result.stdout + result.stderr[-3000:]
        stored = world.articles(name)
        assert len(stored) == count, (name, [a.url for a in stored])
        assert all(a.title and a.body and a.published_at for a in stored), name
    by_url = {a.url.rsplit("/", 1)[1]: a for a in world.articles("tw_added")}
    for key, (title, when, outlet) in TWNEWS_STORIES.items():
        assert by_url[key].title == title and by_url[key].outlet == outlet
        assert utc(by_url[key]) == datetime.fromisoformat(when), key
    for article in world.articles("api_added"):
        headline, when = STORIES[article.url.rsplit("/", 1)[1]]
        assert article.title == headline
        new_york = ZoneInfo("America/New_York")
        assert utc(article) == datetime.fromisoformat(when).replace(tzinfo=new_york)
