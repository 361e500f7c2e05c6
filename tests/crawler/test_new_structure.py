"""A site of a structure the repository had not met, configured by a catalog entry only (no code):
tests/fixtures/sites/paged — a listing paginated with `?page=N` and a numbered pager (no "next"
link), URLs without a file name, relative times on the page ("3小时前", "昨天 20:40", "2天前")
with the exact time only in `<time datetime>` (no JSON-LD, no meta tags), the title in an `<h2>`
and each article split into `<section>` blocks between ad and related-story slots."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import yaml

from tests.support.crawl_world import FixtureWorld

ENTRY = """
name: pagedsite
kind: site
description: 镜头快讯 (fixture), written as a user would from the page source
language: zh-Hans
timezone: Asia/Shanghai
every: 30m
start_urls: ["{base}/sites/paged/list/"]
listing:
  article_links: "ul.flow a.t::attr(href)"
  article_url_pattern: '/sites/paged/p/\\d+/$'
  next_page: "div.pg span.cur + a::attr(href)"
  max_pages: 5
article:
  title: "h2.art-title::text"
  published: "div.info span.ago::text"
  body: "div.art section.para"
"""

STATED = {  # <time datetime> of each story, Asia/Shanghai
    50108: "2026-11-30T11:10:00+08:00",
    50107: "2026-11-29T20:40:00+08:00",
    50106: "2026-11-29T09:00:00+08:00",
    50105: "2026-11-28T16:30:00+08:00",
    50104: "2026-11-28T10:00:00+08:00",
    50103: "2026-11-27T18:05:00+08:00",
    50102: "2026-11-27T09:30:00+08:00",
    50101: "2026-11-26T13:15:00+08:00",
}


def test_a_new_structure_is_crawled_end_to_end_from_yaml_only(world: FixtureWorld) -> None:
    world.add_sources([yaml.safe_load(ENTRY.format(base=world.base))])
    result = world.crawl("pagedsite")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "pagedsite: ok" in result.stdout, result.stdout + result.stderr[-3000:]
    assert "extraction error" not in result.stderr, result.stderr[-3000:]

    # the numbered pager was walked to its end: page 1, ?page=2, ?page=3
    requested = world.requested()
    assert "/sites/paged/list/?page=2" in requested and "/sites/paged/list/?page=3" in requested
    stored = {int(a.url.rstrip("/").rsplit("/", 1)[1]): a for a in world.articles("pagedsite")}
    assert sorted(stored) == list(range(50101, 50110))

    jingjie = stored[50109]
    assert jingjie.title == "镜界智能完成2亿元B轮融资，加码AI视频生成模型"
    # every <section> block, in order; the ad and related-story slots between them are not
    paragraphs = jingjie.body.split("\n")
    assert paragraphs[0].startswith("镜界智能今日宣布完成2亿元人民币B轮融资")
    assert paragraphs[-1] == "据介绍，该平台上线一年来已服务超过三千家品牌客户。"
    assert len(paragraphs) == 4
    assert "一键生成" not in jingjie.body and "相关阅读" not in jingjie.body

    # the page states its time exactly in <time datetime>: that beats the selector's relative text
    for story, stated in STATED.items():
        published = stored[story].published_at.replace(tzinfo=UTC)
        assert published == datetime.fromisoformat(stated), (story, published)
    # a page that states nothing but "3小时前" is read against the time it was fetched
    fetched = jingjie.fetched_at.replace(tzinfo=UTC)
    assert abs(jingjie.published_at.replace(tzinfo=UTC) - (fetched - timedelta(hours=3))) < (
        timedelta(minutes=2)
    )
    assert all(a.outlet == "127.0.0.1" for a in stored.values())
