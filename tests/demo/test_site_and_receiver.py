"""The demo site serves the seed-site shape (checked with the jinhanchuan template's own
selectors), the feed lists the wire articles, and the receiver checks signatures."""

from __future__ import annotations

import json
import re
import time

import feedparser
import httpx
import pytest
from parsel import Selector

from fundwatch.alerts.signing import signed_headers
from fundwatch.configuration import load_catalog
from fundwatch.configuration.settings import DEFAULT_SEEDS
from fundwatch.demo.catalog import demo_catalog, write_demo_seeds
from fundwatch.demo.content import FEED_PATH, load_content
from fundwatch.demo.receiver import WebhookReceiver
from fundwatch.demo.site import DemoSite

pytestmark = pytest.mark.timeout(60)


def _select(selector: Selector, query: str) -> list[str]:
    if query.startswith("xpath:"):
        return selector.xpath(query.removeprefix("xpath:")).getall()
    return selector.css(query).getall()


def test_pages_match_the_seed_site_template() -> None:
    template = load_catalog(DEFAULT_SEEDS / "sources" / "jinhanchuan.yaml").get("jinhanchuan")
    content = load_content()
    with DemoSite(content) as site, httpx.Client(base_url=site.base_url) as client:
        listing = Selector(text=client.get("/dsch/").text)
        assert [t.strip() for t in _select(listing, template.article.breadcrumb)] == [
            "首页",
            "电商出海",
        ]
        links = _select(listing, template.listing.article_links)
        assert links and all(re.search(template.listing.article_url_pattern, u) for u in links)
        next_page = _select(listing, template.listing.next_page)
        assert next_page == ["/dsch/page/2/"]
        last = Selector(text=client.get(next_page[0]).text)
        assert _select(last, template.listing.next_page) == []

        page = client.get(links[0])
        assert page.status_code == 200
        article = Selector(text=page.text)
        assert _select(article, template.article.title)[0].strip()
        assert re.fullmatch(
            r"\d{4}-\d{2}-\d{2} \d{2}:\d{2}", _select(article, template.article.published)[0]
        )
        assert _select(article, template.article.author)[0].strip()
        body = " ".join(
            Selector(text=b).xpath("string()").get()
            for b in _select(article, template.article.body)
        )
        assert "原文地址" in body and "欢迎分享,转载请注明来源" in body
        assert "原文地址" in " ".join(_select(article, template.article.source_link))

        etag = page.headers["etag"]
        assert client.get(links[0], headers={"If-None-Match": etag}).status_code == 304
        assert client.get("/99999.html").status_code == 404
        assert client.get("/robots.txt").text.startswith("User-agent: *")


def test_feed_lists_every_wire_article_and_links_resolve() -> None:
    content = load_content()
    with DemoSite(content) as site, httpx.Client() as client:
        parsed = feedparser.parse(client.get(site.base_url + FEED_PATH).content)
        assert not parsed.bozo
        assert len(parsed.entries) == len(content.feed_articles)
        for entry in parsed.entries:
            assert client.get(entry.link).status_code == 200


def test_demo_catalog_validates_and_uses_the_template_selectors(tmp_path) -> None:  # type: ignore[no-untyped-def]
    content = load_content()
    seeds = write_demo_seeds(tmp_path / "seeds", content, "http://127.0.0.1:8123")
    catalog = load_catalog(seeds)
    template = load_catalog(DEFAULT_SEEDS / "sources" / "jinhanchuan.yaml").get("jinhanchuan")
    site = catalog.get(demo_catalog(content, "http://x")["sources"][0]["name"])
    assert site.listing == template.listing and site.article == template.article
    assert {source.kind for source in catalog} == {"site", "feed"}


def test_receiver_accepts_signed_deliveries_once_and_rejects_forgeries() -> None:
    secret = "whsec_" + "MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"
    body = json.dumps({"event": {"company": "Lumora"}}).encode()
    with WebhookReceiver(secret) as receiver, httpx.Client() as client:
        good = signed_headers(secret, "msg_1", body)
        assert client.post(receiver.url, content=body, headers=good).status_code == 204
        assert client.post(receiver.url, content=body, headers=good).status_code == 204
        forged = signed_headers("whsec_" + "A" * 32, "msg_2", body)
        assert client.post(receiver.url, content=body, headers=forged).status_code == 401
        stale = signed_headers(secret, "msg_3", body, timestamp=int(time.time()) - 3600)
        assert client.post(receiver.url, content=body, headers=stale).status_code == 401
        assert receiver.count == 1 and receiver.duplicates == 1 and len(receiver.rejected) == 2
        assert receiver.wait_for(1, timeout=0.1)
        assert not receiver.wait_for(2, timeout=0.1)
