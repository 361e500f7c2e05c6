"""A second round of site structures the repository had not met, each configured by a catalog
entry written from the page source (tests/fixtures/sites/new_structures.yaml) and crawled end to
end on the fixture server (fixtures written by tests/fixtures/sites/make_round2.py):

- gbknews / big5news: pages in GBK and Big5 whose charset is only in `<meta http-equiv>` /
  `<meta charset>`, while the server's header names another (ISO-8859-1, gb2312);
- multipage: articles split over `N.html`, `N_2.html`, `N_3.html` joined by a 下一页 link;
- jslinks: a listing of `data-href` cards and `javascript:void(0)` anchors whose `onclick` holds
  the URL, next to javascript: buttons that name none;
- summary_atom / summary_rss: feeds of summaries whose links are relative (Atom `xml:base`, RSS
  root-relative paths): the article page gives the body;
- gz_sitemap: a sitemap index of gzipped child sitemaps, read back only `max_age` (30d);
- ampsite: a listing that links AMP pages whose `<link rel=canonical>` names the article URL.
"""

from __future__ import annotations

import json
import subprocess
import sys
from typing import Any

import pytest
from parsel import Selector

from fundwatch.crawler.article_pages import continues, first_article_page, next_article_page
from fundwatch.crawler.canonical_links import stated_canonical
from fundwatch.crawler.charsets import choose_encoding, page_text
from fundwatch.crawler.listings import link_in
from tests.crawler.test_yaml_only_sites import add, entry_of, preview
from tests.support.crawl_world import REPO, FixtureWorld

MOJIBAKE = ("\ufffd", "Ã", "Â", "Ö", "¿", "ì")


def crawl_ok(world: FixtureWorld, *names: str) -> dict[str, Any]:
    world.add_sources([entry_of(world, name) for name in names if not _known(world, name)])
    result = world.crawl(*names)
    assert result.returncode == 0, result.stdout + result.stderr[-3000:]
    for name in names:
        assert f"{name}: ok" in result.stdout, result.stdout + result.stderr[-3000:]
    assert "Traceback" not in result.stderr, result.stderr[-3000:]
    return {"stdout": result.stdout, "stderr": result.stderr}


def _known(world: FixtureWorld, name: str) -> bool:
    return f"name: {name}\n" in world.catalog.read_text("utf-8")


def stored(world: FixtureWorld, name: str) -> dict[str, Any]:
    return {a.url.split("/sites/", 1)[1]: a for a in world.articles(name)}


GBK_STORIES = {
    "gbknews/a/101.html": (
        "朱镕科技完成2亿元B轮融资，加码AI视频生成",
        "北京朱镕科技有限公司宣布完成2亿元人民币B轮融资，由赟石资本领投。\n"
        "本轮资金将用于视频生成模型的训练与商业化团队建设。",
    ),
    "gbknews/a/102.html": (
        "喆影互动获数千万元天使轮投资",
        "喆影互动是一家AI虚拟人直播服务商，成立于2024年。\n创始人表示“喆”字取双吉之意。",
    ),
    "gbknews/a/103.html": (
        "视频剪辑工具“剪影坊”发布新版本",
        "剪影坊新版支持一键生成竖屏短视频，并新增多语种字幕。",
    ),
}
BIG5_STORIES = {
    "big5news/a/201.html": (
        "碁石影音完成新臺幣三億元A輪募資",
        "碁石影音今日宣布完成新臺幣三億元A輪募資，由國發基金與多家創投參與。\n"
        "公司表示，資金將用於AI影片生成平台的研發。",
    ),
    "big5news/a/202.html": (
        "影片新創「裏山工作室」獲天使輪投資",
        "裏山工作室以AI動畫為主要產品，本輪投資金額未公開。",
    ),
    "big5news/a/203.html": (
        "銹鐵數位推出AI配音服務",
        "銹鐵數位宣布推出AI配音服務，支援華語、台語與客語。",
    ),
}


def test_gbk_and_big5_pages_whose_header_names_another_charset(world: FixtureWorld) -> None:
    crawl_ok(world, "gbknews", "big5news")
    for name, expected in (("gbknews", GBK_STORIES), ("big5news", BIG5_STORIES)):
        articles = stored(world, name)
        assert sorted(articles) == sorted(expected), name
        for key, (title, body) in expected.items():
            assert articles[key].title == title, key  # the stored text, character for character
            assert articles[key].body == body, key
            assert not any(mark in articles[key].title + articles[key].body for mark in MOJIBAKE)
    # the preview reads the pages as the crawl does
    shown = preview(world, "big5news", "-n", "1", "--format", "json")
    assert shown.returncode == 0, shown.stdout + shown.stderr
    article = json.loads(shown.stdout)["articles"][0]
    assert article["fields"]["title"] == "碁石影音完成新臺幣三億元A輪募資"


def test_which_charset_a_page_is_read_in() -> None:
    gbk = "<meta charset=gb2312><h1>朱镕科技完成融资</h1>".encode("gbk")
    big5 = '<meta charset="big5"><h1>碁石影音完成募資</h1>'.encode("cp950")
    # a blanket header naming another charset that the bytes also decode under: the <meta>
    assert choose_encoding(gbk, "iso-8859-1", "gb2312") == "gb18030"
    assert choose_encoding(big5, "gb2312", "big5") == "big5hkscs"
    assert page_text(big5, "text/html; charset=gb2312").endswith("碁石影音完成募資</h1>")
    # a UTF-8 page with a stale <meta charset=gbk> stays UTF-8 (F-19's meta-conflict)
    utf8 = "<meta charset=gbk><h1>视界引擎</h1>".encode()
    assert choose_encoding(utf8, "utf-8", "gbk") == "utf-8"
    assert choose_encoding(utf8, "gbk", "gbk") == "utf-8"  # valid UTF-8 text decides
    # nothing declared: UTF-8 if it decodes, else GB18030
    assert choose_encoding("<h1>朱镕</h1>".encode("gbk"), None, None) == "gb18030"
    # a right header and a wrong <meta>: the decoding without unlikely characters
    assert choose_encoding(gbk, "gbk", "big5") == "gb18030"
    assert choose_encoding(big5, "big5", "gbk") == "big5hkscs"
    latin = "<meta charset=gbk><p>Zoëtrope Genève déjàvu Crème brûlée</p>".encode("latin-1")
    assert latin.decode("gbk").endswith("Zo雝rope Gen鑦e d閖鄓u Cr鑝e br鹟閑</p>")  # decodes
    assert choose_encoding(latin, "iso-8859-1", "gbk") == "cp1252"


MULTI_301 = (
    "云帧科技宣布完成3亿元C轮融资，由红杉中国领投，老股东继续跟投。\n"
    "本轮融资后，云帧科技估值超过20亿元。\n"
    "云帧科技成立于2021年，主要产品为面向广告主的AI视频生成平台。\n"
    "公司称平台月活跃客户已超过5000家。\n"
    "创始人表示，新一轮资金将投向多模态大模型研发与海外市场。"
)


def test_an_article_split_over_pages_is_stored_once_whole(world: FixtureWorld) -> None:
    crawl_ok(world, "multipage")
    articles = stored(world, "multipage")
    assert sorted(articles) == [f"multipage/news/{n}.html" for n in (301, 302, 303)]
    assert articles["multipage/news/301.html"].body == MULTI_301
    assert articles["multipage/news/303.html"].body == (
        "数字人公司“言之”获1亿元Pre-B轮融资。\n言之的数字人已用于电商直播与企业培训场景。"
    )
    assert articles["multipage/news/302.html"].body.startswith("短剧平台“快映”完成")
    requested = world.requested()
    for page in ("301_2", "301_3", "303_2"):
        assert requested.count(f"/sites/multipage/news/{page}.html") == 1, page
    # a second crawl fetches no page again
    world.server.clear_log()
    again = world.crawl("multipage")
    assert "multipage: ok" in again.stdout
    assert not [path for path in world.requested() if "/news/" in path]
    # the preview joins the pages too
    shown = preview(world, "multipage", "-n", "1", "--format", "json")
    article = json.loads(shown.stdout)["articles"][0]
    assert article["fields"]["body"] == MULTI_301
    assert "3 pages joined" in article["rules"]["body"]


def test_an_article_next_page_selector_in_the_entry(world: FixtureWorld) -> None:
    entry = entry_of(world, "multipage")
    entry["name"] = "multipage_named"
    entry["article"]["next_page"] = "xpath://div[@class='pages']/a[.='下一页']/@href"
    world.add_sources([entry])
    crawl_ok(world, "multipage_named")
    assert stored(world, "multipage_named")["multipage/news/301.html"].body == MULTI_301


def test_a_later_page_linked_directly_is_read_from_its_first_page(world: FixtureWorld) -> None:
    """hot.html links 301.html and its page 2 (301_2.html), and 303's page 2 without page 1:
    each article is stored once, whole, under its first page's URL."""
    entry = entry_of(world, "multipage")
    entry["name"] = "multipage_hot"
    entry["start_urls"] = [f"{world.base}/sites/multipage/hot.html"]
    world.add_sources([entry])
    crawl_ok(world, "multipage_hot")
    articles = stored(world, "multipage_hot")
    assert sorted(articles) == ["multipage/news/301.html", "multipage/news/303.html"]
    assert articles["multipage/news/301.html"].body == MULTI_301
    assert articles["multipage/news/303.html"].body.endswith(
        "言之的数字人已用于电商直播与企业培训场景。"
    )
    assert world.requested().count("/sites/multipage/news/303.html") == 1  # read from 303_2
    # a second crawl fetches nothing again: the later pages are known as stored under page 1
    world.server.clear_log()
    again = crawl_ok(world, "multipage_hot")
    assert "multipage_hot: ok" in again["stdout"]
    assert not [path for path in world.requested() if "/news/" in path]


def test_first_page_detection_needs_a_later_url_that_links_page_one() -> None:
    pager = '<a href="123.html">1</a><span>2</span><a href="125.html">下一篇</a>'
    page = Selector(text=f'<body><div class="pages">{pager}</div></body>')
    assert first_article_page(page, "http://a.cn/news/123_2.html") == "http://a.cn/news/123.html"
    assert first_article_page(page, "http://a.cn/news/123.html") is None  # page 1 itself
    assert first_article_page(page, "http://a.cn/news/124_2.html") is None  # no link to 124
    query = Selector(text='<a href="a.php?id=7&page=1">1</a><a href="a.php?id=8">8</a>')
    assert first_article_page(query, "http://a.cn/a.php?id=7&page=2") == (
        "http://a.cn/a.php?id=7&page=1"
    )
    assert first_article_page(query, "http://a.cn/a.php?id=9&page=2") is None


def test_next_page_detection_follows_only_continuations() -> None:
    assert continues("http://a.cn/news/123.html", "http://a.cn/news/123_2.html")
    assert continues("http://a.cn/news/123_2.html", "http://a.cn/news/123_3.html")
    assert continues("http://a.cn/a.php?id=7", "http://a.cn/a.php?id=7&page=2")
    assert not continues("http://a.cn/news/123.html", "http://a.cn/news/124.html")
    assert not continues("http://a.cn/news/123_3.html", "http://a.cn/news/123_2.html")
    assert not continues("http://a.cn/news/123.html", "http://b.cn/news/123_2.html")
    page = Selector(
        text='<body><a href="124.html">下一篇</a><a href="/list_2.html">下一页</a>'
        '<a href="123_2.html">下一页</a></body>'
    )
    assert next_article_page(page, "http://a.cn/news/123.html") == "http://a.cn/news/123_2.html"
    assert (
        next_article_page(Selector(text='<a href="124.html">下一页</a>'), "http://a.cn/123.html")
        is None
    )


def test_listing_links_in_data_attributes_and_onclick(world: FixtureWorld) -> None:
    result = crawl_ok(world, "jslinks")
    articles = stored(world, "jslinks")
    assert sorted(articles) == [f"jslinks/a/{n}.html" for n in (5, 6, 7, 8)]
    assert articles["jslinks/a/7.html"].title == "AI短片工具“一帧”完成种子轮融资"
    requested = world.requested()
    assert not [p for p in requested if "location" in p or "showLogin" in p or "window" in p]
    # the onclick that names no URL: one warning for the page, no failed fetch
    assert result["stderr"].count("JavaScript that names no URL (showLogin())") == 1
    assert "failed_pages" not in result["stdout"]


def test_javascript_hrefs_selected_as_links_say_where_the_url_is(world: FixtureWorld) -> None:
    entry = entry_of(world, "jslinks")
    entry["name"] = "jslinks_href"
    entry["listing"]["article_links"] = "ul.more a::attr(href)"  # javascript:void(0) only
    world.add_sources([entry])
    shown = preview(world, "jslinks_href")
    assert "Traceback" not in shown.stderr
    assert "3 link(s)" in shown.stdout and "::attr(onclick)" in shown.stdout
    result = world.crawl("jslinks_href")
    assert "Traceback" not in result.stderr and "::attr(onclick)" in result.stderr
    assert not world.articles("jslinks_href")
    assert not [p for p in world.requested() if "javascript" in p]


def test_link_values_that_are_script() -> None:
    assert link_in("javascript:void(0)") is None and link_in("showLogin()") is None
    assert link_in("location.href='/a/7.html'") == "/a/7.html"
    assert link_in("window.open('/a/8.html', '_blank')") == "/a/8.html"
    assert link_in('javascript:goto("news/9.html")') == "news/9.html"
    assert link_in("window.location='detail.php?id=4';return false;") == "detail.php?id=4"
    assert link_in("/a/5.html") == "/a/5.html" and link_in("a.html?x=1") == "a.html?x=1"
    assert link_in("https://en.wikipedia.org/wiki/Foo_(bar)") == (
        "https://en.wikipedia.org/wiki/Foo_(bar)"
    )


FEED_BODIES = {
    "feedsite/stories/1.html": "The company plans to hire engineers in Berlin and Toronto.",
    "feedsite/stories/2.html": "Moviq says revenue tripled over the past year.",
    "feedsite/stories/3.html": "The product is free during a beta period that runs until March.",
}


@pytest.mark.parametrize("name", ["summary_atom", "summary_rss"])
def test_a_feed_of_summaries_with_relative_links(world: FixtureWorld, name: str) -> None:
    crawl_ok(world, name)
    articles = stored(world, name)
    assert sorted(articles) == sorted(FEED_BODIES)  # xml:base / the feed's URL resolve them
    for key, last_line in FEED_BODIES.items():
        body = articles[key].body
        assert body.endswith(last_line), key  # the page's body, not the feed's summary
        assert "…" not in body and "Related" not in body
        assert body.split("\n")[0] != articles[key].title  # the page's headline is no body line
    assert articles["feedsite/stories/2.html"].title == "Moviq closes $30M Series B for AI editing"


def test_a_gzipped_sitemap_index_read_back_max_age(world: FixtureWorld) -> None:
    world.add_sources([entry_of(world, "ampsite")])  # the site's template reads the pages
    crawl_ok(world, "gz_sitemap")
    articles = stored(world, "gz_sitemap")
    # 57 is 90 days old, 58 sits in a child sitemap of 400 days ago that is not fetched
    assert sorted(articles) == ["ampsite/news/55.html", "ampsite/news/56.html"]
    requested = world.requested()
    assert "/sitemaps/gzsite/sitemap-news-1.xml.gz" in requested
    assert "/sitemaps/gzsite/sitemap-news-0.xml.gz" not in requested
    assert not [p for p in requested if "/news/57" in p or "/news/58" in p]
    # the page's time, not <lastmod> (when the page last changed)
    assert articles["ampsite/news/55.html"].published_at.isoformat() == "2026-11-30T03:00:00"
    shown = preview(world, "gz_sitemap", "-n", "0", "--format", "json")
    assert [link.split("/sites/")[1] for link in json.loads(shown.stdout)["links"]] == [
        "ampsite/news/55.html",
        "ampsite/news/56.html",
    ]


def test_amp_pages_are_stored_under_their_canonical_url(world: FixtureWorld) -> None:
    crawl_ok(world, "ampsite")
    articles = stored(world, "ampsite")
    assert sorted(articles) == [f"ampsite/news/{n}.html" for n in (55, 56, 57)]
    assert articles["ampsite/news/55.html"].title == "镜界科技完成1亿元A轮融资"
    assert "广告" not in articles["ampsite/news/55.html"].body
    # a re-crawl does not fetch the AMP URLs again; a sitemap naming the article URLs stores
    # nothing twice
    world.server.clear_log()
    crawl_ok(world, "ampsite", "gz_sitemap")
    requested = world.requested()
    assert not [p for p in requested if "/amp/" in p or "/news/55" in p or "/news/56" in p]
    assert len([a for a in world.articles() if "/news/55.html" in a.url]) == 1
    shown = preview(world, "ampsite", "-n", "1", "--format", "json")
    article = json.loads(shown.stdout)["articles"][0]
    assert article["url"].endswith("/amp/55.html")
    assert article["fields"]["url"].endswith("/sites/ampsite/news/55.html")


def test_which_canonical_links_are_used() -> None:
    def canonical(href: str, url: str = "https://m.example.com/news/55.html") -> str | None:
        page = Selector(text=f'<head><link rel="canonical" href="{href}"></head>')
        return stated_canonical(page, url, ["https://www.example.com/news/"])

    assert canonical("https://www.example.com/news/55.html") == (
        "https://www.example.com/news/55.html"
    )
    assert canonical("/news/55.html", "https://m.example.com/amp/55.html") == (
        "https://m.example.com/news/55.html"
    )
    assert canonical("https://other.com/news/55.html") is None  # a repost's original
    assert canonical("https://www.example.com/") is None  # a template's home page
    assert canonical("https://www.example.com/news/") is None  # the listing
    assert canonical("https://m.example.com/news/55.html") is None  # itself


def test_check_names_the_new_fields_with_file_entry_and_field(world: FixtureWorld) -> None:
    catalog = world.catalog.read_text("utf-8")
    bad = [
        {"name": "bad_age", "kind": "sitemap", "url": "http://x.cn/s.xml", "max_age": "30x"},
        {"name": "bad_regex", "kind": "sitemap", "url": "http://x.cn/s.xml", "url_pattern": "(a"},
        {
            "name": "bad_pages",
            "kind": "site",
            "start_urls": ["http://x.cn/"],
            "listing": {"article_links": "a::attr(href)"},
            "article": {"next_page": "div.pages a[::attr(href)"},
        },
    ]
    world.add_sources(bad)
    done = subprocess.run(
        [sys.executable, "-m", "fundwatch", "check"],
        cwd=REPO,
        env=world.env(),
        capture_output=True,
        text=True,
        timeout=120,
    )
    out = done.stdout + done.stderr
    assert done.returncode != 0
    assert "'bad_age': field 'max_age': invalid duration '30x'" in out, out
    assert "'bad_pages': field 'article.next_page': invalid selector" in out, out
    assert "'bad_regex': field 'url_pattern': invalid regular expression '(a'" in out, out
    world.catalog.write_text(catalog, "utf-8")


def test_add_infers_entries_for_the_round2_sites(world: FixtureWorld) -> None:
    """`fundwatch add` on the listings: the charset, the data-href / onclick links and the AMP
    links; each inferred entry, as it is, stores what the hand-written one does."""
    gbk = add(world, f"{world.base}/sites/gbknews/list.html", "gbk_added")
    js = add(world, f"{world.base}/sites/jslinks/list.html", "js_added")
    assert js["listing"]["article_links"] == (
        "[data-href]::attr(data-href), [onclick]::attr(onclick)"
    )
    amp = add(world, f"{world.base}/sites/ampsite/list.html", "amp_added")
    world.add_sources([gbk, js, amp])
    for name, count in (("gbk_added", 3), ("js_added", 4), ("amp_added", 3)):
        result = world.crawl(name)
        assert f"{name}: ok" in result.stdout, result.stdout + result.stderr[-3000:]
        assert len(world.articles(name)) == count, name
    for article in world.articles("gbk_added"):
        title, body = GBK_STORIES[article.url.split("/sites/", 1)[1]]
        assert (article.title, article.body) == (title, body)
    assert all("/news/" in a.url for a in world.articles("amp_added"))  # canonical URLs
