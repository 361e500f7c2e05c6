"""Real crawls of the seed-shaped fixture site and of the YAML-only second site."""

from __future__ import annotations

import json
import re
from pathlib import Path
from urllib.parse import urlsplit

from sqlalchemy import select

from fundwatch.storage import CrawlRun, UrlState, create_db_engine, session_factory
from fundwatch.storage.canonical import canonicalize_url
from tests.support.crawl_world import FIXTURES, REPO, FixtureWorld

NEW_ARTICLE_BODY = (
    '<div class="article-content">\n'
    "<p>专注AI短剧制作的视频平台云帧科技宣布完成1.2亿元人民币B轮融资，由澄江资本领投。</p>"
    "<p>云帧科技用自研的视频生成模型把小说文本改编成分镜和短剧片段，目前每月产出上千集内容。</p>"
    "<p>创始人表示，新资金主要投入算力采购和海外发行团队建设。</p>\n"
)


def expected_pages(folder: Path) -> dict[str, dict[str, object]]:
    """fundus-style: `<page>.expected.json` next to a fixture page holds its extraction."""
    return {
        path.name.removesuffix(".expected.json") + ".html": json.loads(path.read_text("utf-8"))
        for path in folder.glob("*.expected.json")
    }


def check_expected(world: FixtureWorld, folder: str, source: str) -> None:
    stored = {article.url: article for article in world.articles()}
    expectations = expected_pages(FIXTURES / "sites" / folder)
    assert expectations
    for page, expected in expectations.items():
        url = canonicalize_url(f"{world.base}/sites/{folder}/{page}")
        article = stored[url]
        assert article.source == source
        assert article.title == expected["title"]
        assert article.body == expected["body"]
        assert article.author == expected["author"]
        assert article.breadcrumb == expected["breadcrumb"]
        assert article.origin_url == expected["origin_url"]
        assert article.published_at is not None
        published = article.published_at.replace(tzinfo=None).isoformat()
        assert published == str(expected["published_at"]).removesuffix("+00:00")


def test_seed_site_crawl_stores_every_article_and_recrawl_fetches_only_new_ones(
    world: FixtureWorld,
) -> None:
    result = world.crawl("seedsite")
    assert result.returncode == 0, result.stderr[-3000:]
    summary = re.search(
        r"seedsite: partial \(run (\d+)\) pages=(\d+) new=(\d+) .*errors=(\d+)", result.stdout
    )
    assert summary, result.stdout

    articles = world.articles("seedsite")
    assert len(articles) == 53  # 54 article pages (one in GBK) minus the broken one
    urls = {article.url for article in articles}
    assert canonicalize_url(f"{world.base}/sites/seedsite/10051.html") not in urls
    check_expected(world, "seedsite", "seedsite")  # includes the GBK page without a charset
    for article in articles:
        assert "欢迎分享" not in article.body and "原文地址" not in article.body
        assert article.breadcrumb and article.breadcrumb.startswith("首页 > ")
        assert article.published_at is not None
    flagged = {article.url.rsplit("/", 1)[-1] for article in articles if article.flag}
    assert {"10001.html", "10002.html", "10006.html", "10050.html"} <= flagged
    assert not flagged & {"10003.html", "10004.html", "10005.html"}  # hard negatives

    log = world.server.requests()
    paths = [entry["path"] for entry in log]
    assert "/robots.txt" in paths
    assert not any("/private/" in path for path in paths)  # disallowed by robots.txt
    assert all(entry["headers"]["user-agent"].startswith("fundwatch/0.1") for entry in log)
    assert "/sites/seedsite/news/page/2/" in paths  # pagination followed

    runs = world.runs()
    # the broken article page and the fixture's failing pages: partial, pending in the frontier
    assert [(run.source, run.status) for run in runs] == [("seedsite", "partial")]
    run = runs[0]
    assert run.id == int(summary[1])
    assert run.new + run.duplicates == 53
    assert run.errors == 3  # the broken page, the missing page, the robots-forbidden page
    assert run.pages >= 60 and run.finished_at is not None
    engine = create_db_engine(world.database_url)
    with session_factory(engine)() as session:
        states = list(session.scalars(select(UrlState)))
    engine.dispose()
    assert len(states) >= 9  # every listing page fetched has its state
    # validators are kept for the listings whose walk completed (every link in the frontier):
    # the three category listings' first pages, which the next crawl asks with If-None-Match
    validated = {state.url.split("/sites/seedsite/", 1)[1] for state in states if state.etag}
    assert {"news/", "kuajing/", "dsch/"} <= validated

    # An article appears on the news listing; everything else is unchanged.
    page = world.root / "sites" / "seedsite"
    template = (page / "10001.html").read_text("utf-8")
    old_body = template[
        template.index('<div class="article-content">') : template.index("</div></div>")
    ]
    (page / "10100.html").write_text(
        template.replace(old_body, NEW_ARTICLE_BODY).replace(
            "AI视频生成公司星幕智能完成5000万元A轮融资", "AI短剧视频平台云帧科技完成1.2亿元B轮融资"
        ),
        "utf-8",
    )
    listing = page / "news" / "index.html"
    listing.write_text(
        listing.read_text("utf-8").replace(
            '<ul class="article-list">\n',
            '<ul class="article-list">\n<li><a href="/sites/seedsite/10100.html">新文章</a></li>\n',
        ),
        "utf-8",
    )
    stored_paths = {urlsplit(article.url).path for article in world.articles("seedsite")}
    world.server.clear_log()
    again = world.crawl("seedsite")
    assert again.returncode == 0, again.stderr[-3000:]
    log = world.server.requests()
    fetched_articles = [e["path"] for e in log if re.search(r"/\d+\.html$", e["path"])]
    # the new article, and the first run's failures that wait in the frontier; no stored one
    assert "/sites/seedsite/10100.html" in fetched_articles
    assert not set(fetched_articles) & stored_paths, "a stored article was fetched again"
    assert len(fetched_articles) == len(set(fetched_articles))
    by_path = {entry["path"]: entry for entry in log}
    for category in ("dsch", "kuajing"):
        entry = by_path[f"/sites/seedsite/{category}/"]
        assert entry["status"] == 304 and "if-none-match" in entry["headers"]
    assert by_path["/sites/seedsite/news/"]["status"] == 200
    # page 1 brought a new article, so page 2 is checked (only a walk's entry page keeps
    # validators); it has nothing unseen after a completed walk, so the listing ends there
    assert by_path["/sites/seedsite/news/page/2/"]["status"] in (200, 304)
    assert "/sites/seedsite/news/page/3/" not in by_path
    runs = world.runs()
    # the broken page fails again, so the run stays partial; the new story is stored, flagged
    assert runs[-1].status in ("ok", "partial") and runs[-1].new == 1 and runs[-1].flagged == 1
    assert len(world.articles("seedsite")) == 54


def test_second_site_is_configured_by_yaml_only(world: FixtureWorld) -> None:
    code = "\n".join(path.read_text("utf-8") for path in (REPO / "crawler").rglob("*.py"))
    # the site's own selectors live in its catalog entry only (a "pubdate" <meta> name is generic)
    assert "twsite" not in code and "story-body" not in code and ".pubdate" not in code

    result = world.crawl("twsite")
    assert result.returncode == 0, result.stderr[-3000:]
    assert "twsite: ok" in result.stdout
    articles = world.articles("twsite")
    assert len(articles) == 8  # two listings, one with a second page
    assert "/sites/twsite/finance/p2.html" in world.requested()
    check_expected(world, "twsite/story", "twsite")
    for article in articles:
        assert article.language == "zh-Hant"
        assert "本文經授權轉載" not in article.body
        assert article.breadcrumb in ("首頁 > 財經", "首頁 > 科技")
    aisphere = next(a for a in articles if a.url.endswith("a3001.html"))
    assert aisphere.flag and aisphere.company_key == "aisphere"  # same key as 爱诗科技


def test_scrapy_list_and_scrapy_crawl_work_from_the_repository_root(world: FixtureWorld) -> None:
    import subprocess
    import sys

    env = world.env()
    listed = subprocess.run(
        [sys.executable, "-m", "scrapy", "list"],
        cwd=REPO,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert listed.returncode == 0, listed.stderr
    names = listed.stdout.split()
    assert {"seedsite", "twsite", "fixture_rss", "fixture_news_sitemap"} <= set(names)

    crawled = subprocess.run(
        [sys.executable, "-m", "scrapy", "crawl", "fixture_atom", "-s", "LOG_LEVEL=WARNING"],
        cwd=REPO,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert crawled.returncode == 0, crawled.stderr[-3000:]
    assert re.search(r"fixture_atom: ok \(run \d+\) pages=\d+ new=2", crawled.stdout)
    runs = world.runs()
    assert [(run.source, run.status, run.new) for run in runs] == [("fixture_atom", "ok", 2)]
    assert isinstance(runs[0], CrawlRun)
