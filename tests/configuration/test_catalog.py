from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from fundwatch.configuration import CatalogError, FeedSource, SiteSource, load_catalog

REPO_ROOT = Path(__file__).resolve().parents[2]

GOOD_SITE = """
- name: demo_site
  kind: site
  language: zh-Hant
  timezone: Asia/Taipei
  every: 15m
  start_urls: [http://127.0.0.1:8000/news/]
  listing: {article_links: "ul.list a::attr(href)", next_page: "a.next::attr(href)", max_pages: 3}
  article: {title: "h1::text", body: ".content", strip: ["歡迎分享"]}
"""


def write(tmp_path: Path, text: str, name: str = "sources.yaml") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def problems_for(tmp_path: Path, text: str) -> list[str]:
    path = write(tmp_path, text)
    with pytest.raises(CatalogError) as caught:
        load_catalog(path)
    return caught.value.problems


def test_the_shipped_catalog_is_valid_and_real() -> None:
    catalog = load_catalog(REPO_ROOT / "seeds")
    seed = catalog.get("jinhanchuan")
    assert isinstance(seed, SiteSource)
    assert seed.domains == ["www.jinhanchuan.com"]
    others = [s for s in catalog if s.name != "jinhanchuan"]
    assert len(others) >= 8
    languages = {s.language.split("-")[0] for s in others}
    assert {"en", "zh"} <= languages


def test_a_valid_site_entry_loads_with_its_cadence(tmp_path: Path) -> None:
    catalog = load_catalog(write(tmp_path, GOOD_SITE))
    source = catalog.get("demo_site")
    assert isinstance(source, SiteSource)
    assert source.interval is not None and source.interval.total_seconds() == 900
    assert source.listing.max_pages == 3
    assert source.article.strip == ["歡迎分享"]


def test_a_json_listing_entry_loads(tmp_path: Path) -> None:
    text = (
        "- name: api_site\n  kind: site\n  start_urls: ['https://e.com/api/list?page=1']\n"
        "  listing: {format: json, items: data.list, item_url: link, item_title: title,\n"
        "            item_published: meta.ctime, page_param: page}\n"
    )
    source = load_catalog(write(tmp_path, text)).get("api_site")
    assert isinstance(source, SiteSource)
    listing = source.listing
    assert (listing.format, listing.items, listing.item_url) == ("json", "data.list", "link")
    assert (listing.item_published, listing.page_param) == ("meta.ctime", "page")


def test_cron_cadence(tmp_path: Path) -> None:
    text = "- {name: f, kind: feed, url: 'https://e.com/rss', cron: '*/10 * * * *'}\n"
    source = load_catalog(write(tmp_path, text)).get("f")
    assert isinstance(source, FeedSource)
    assert source.interval is None and source.cadence_label == "cron */10 * * * *"


@pytest.mark.parametrize(
    ("entry", "field", "words"),
    [
        (
            "{name: a, kind: feed, url: 'https://e.com/rss', every: 15x}",
            "every",
            "invalid duration",
        ),
        ("{name: a, kind: feed, url: 'ftp://e.com/rss'}", "url", "not an http(s) URL"),
        ("{name: a, kind: blog, url: 'https://e.com'}", "kind", "site, feed, sitemap"),
        ("{name: a, kind: feed, url: 'https://e.com/r', cron: '* * *'}", "cron", "5 fields"),
        (
            "{name: a, kind: feed, url: 'https://e.com/r', timezone: Mars/Base}",
            "timezone",
            "time zone",
        ),
        ("{name: A B, kind: feed, url: 'https://e.com/r'}", "name", "pattern"),
        ("{name: a, kind: feed, url: 'https://e.com/r', evrey: 5m}", "evrey", "unknown field"),
        ("{name: a, kind: feed}", "url", "Field required"),
        (
            "{name: a, kind: site, start_urls: ['https://e.com/'], "
            "listing: {article_links: 'a[[['}}",
            "listing.article_links",
            "invalid selector",
        ),
        (
            "{name: a, kind: site, start_urls: ['https://e.com/'], listing: {max_pages: 2}}",
            "listing",
            "article_links",
        ),
        (
            "{name: a, kind: site, start_urls: ['https://e.com/'], "
            "listing: {article_url_pattern: '(unclosed'}}",
            "listing.article_url_pattern",
            "regular expression",
        ),
        # a JSON listing (format: json): dotted paths, not selectors
        (
            "{name: a, kind: site, start_urls: ['https://e.com/api'], "
            "listing: {format: json, items: data.items, article_links: 'a::attr(href)'}}",
            "listing.article_links",
            "a json listing has no selectors",
        ),
        (
            "{name: a, kind: site, start_urls: ['https://e.com/api'], "
            "listing: {format: json, items: data.items}}",
            "listing",
            "needs item_url",
        ),
        (
            "{name: a, kind: site, start_urls: ['https://e.com/api'], "
            "listing: {format: json, items: 'data..items', item_url: url}}",
            "listing.items",
            "invalid dotted path",
        ),
        (
            "{name: a, kind: site, start_urls: ['https://e.com/api'], "
            "listing: {format: json, item_url: url, next_page: 'a.next::attr(href)'}}",
            "listing.next_page",
            "invalid dotted path",
        ),
        (
            "{name: a, kind: site, start_urls: ['https://e.com/'], "
            "listing: {article_links: 'a::attr(href)', item_url: url}}",
            "listing.item_url",
            "only with format: json",
        ),
        (
            "{name: a, kind: site, start_urls: ['https://e.com/'], "
            "listing: {format: xml, article_links: 'a::attr(href)'}}",
            "listing.format",
            "'html' or 'json'",
        ),
        (
            "{name: a, kind: site, start_urls: ['https://e.com/'], "
            "listing: {article_links: 'a::attr(href)', page_param: 'page no'}}",
            "listing.page_param",
            "invalid query parameter name",
        ),
        (
            "{name: a, kind: site, start_urls: ['https://e.com/'], listing: "
            "{article_links: 'a::attr(href)', page_param: page, next_page: 'a.next::attr(href)'}}",
            "listing",
            "either next_page or page_param",
        ),
    ],
)
def test_a_broken_entry_names_file_entry_and_field(
    tmp_path: Path, entry: str, field: str, words: str
) -> None:
    problems = problems_for(tmp_path, f"- {entry}\n")
    assert len(problems) == 1
    message = problems[0]
    assert str(tmp_path / "sources.yaml") in message
    assert "entry 1" in message
    assert f"field '{field}'" in message
    assert words in message


def test_every_broken_entry_is_reported_not_just_the_first(tmp_path: Path) -> None:
    text = (
        "- {name: ok, kind: feed, url: 'https://e.com/rss'}\n"
        "- {name: bad1, kind: feed, url: 'https://e.com/rss', every: soon}\n"
        "- {name: bad2, kind: sitemap}\n"
    )
    problems = problems_for(tmp_path, text)
    assert any("entry 2 'bad1'" in p and "'every'" in p for p in problems)
    assert any("entry 3 'bad2'" in p and "'url'" in p for p in problems)


def test_duplicate_names_across_files(tmp_path: Path) -> None:
    write(tmp_path, "- {name: same, kind: feed, url: 'https://a.com/rss'}\n", "a.yaml")
    write(tmp_path, "- {name: same, kind: feed, url: 'https://b.com/rss'}\n", "b.yaml")
    with pytest.raises(CatalogError) as caught:
        load_catalog(tmp_path)
    assert "duplicate name, already defined in" in str(caught.value)
    assert "b.yaml" in str(caught.value)


def test_invalid_yaml_names_the_line(tmp_path: Path) -> None:
    problems = problems_for(tmp_path, "- name: a\n  kind: [feed\n  url: x\n")
    assert "not valid YAML" in problems[0]
    assert "line" in problems[0]


def test_check_command_exit_codes(tmp_path: Path) -> None:
    env = dict(os.environ, FUNDWATCH_SEEDS=str(write(tmp_path, GOOD_SITE)))
    ok = subprocess.run(
        [sys.executable, "-m", "fundwatch", "check"], env=env, capture_output=True, text=True
    )
    assert ok.returncode == 0, ok.stderr
    assert "1 sources" in ok.stdout
    bad = write(tmp_path, "- {name: a, kind: feed, url: 'https://e.com/r', every: 0m}\n", "b.yaml")
    env["FUNDWATCH_SEEDS"] = str(bad)
    failed = subprocess.run(
        [sys.executable, "-m", "fundwatch", "check"], env=env, capture_output=True, text=True
    )
    assert failed.returncode == 1
    assert "b.yaml: entry 1 'a': field 'every'" in failed.stderr


def test_sources_command_lists_the_catalog(tmp_path: Path) -> None:
    env = dict(
        os.environ,
        FUNDWATCH_SEEDS=str(write(tmp_path, GOOD_SITE)),
        FUNDWATCH_DATABASE_URL=f"sqlite:///{tmp_path / 'db.sqlite'}",
    )
    result = subprocess.run(
        [sys.executable, "-m", "fundwatch", "sources"], env=env, capture_output=True, text=True
    )
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[0].split()[:4] == ["name", "kind", "lang", "cadence"]
    assert "demo_site" in lines[2] and "every 15m" in lines[2] and "never run" in lines[2]


def test_check_command_reports_a_broken_alerts_file(tmp_path: Path) -> None:
    alerts = write(tmp_path, "- {name: hook, type: webhook, url: 'not a url'}\n", "alerts.yaml")
    env = dict(
        os.environ,
        FUNDWATCH_SEEDS=str(write(tmp_path, GOOD_SITE)),
        FUNDWATCH_ALERTS=str(alerts),
    )
    result = subprocess.run(
        [sys.executable, "-m", "fundwatch", "check"], env=env, capture_output=True, text=True
    )
    assert result.returncode == 1
    assert "alerts.yaml: channel 1 'hook': field 'url'" in result.stderr
