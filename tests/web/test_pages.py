"""The dashboard's pages over a real server and database: what a reader sees, filters, paging."""

from __future__ import annotations

import re

import pytest

from tests.web.conftest import client
from tests.web.seed import IMG_TITLE, SCRIPT_TITLE, Seeded

pytestmark = pytest.mark.timeout(120)


def company_links(html: str) -> list[str]:
    return re.findall(
        r'<td data-label="Company" class="company">\s*<a href="/events/\d+">([^<]*)</a>', html
    )


def test_events_newest_first_with_amounts_investors_and_languages(
    dashboard: tuple[str, Seeded],
) -> None:
    base, _ = dashboard
    with client(base) as http:
        response = http.get("/")
    assert response.status_code == 200
    html = response.text
    assert company_links(html) == [
        "Lumora",
        "数影智能",
        "&lt;script&gt;alert(&#39;company&#39;)&lt;/script&gt;",
    ]
    assert "3 rounds" in html
    assert "CNY 200M" in html and "$27.5M" in html, "amount as reported and in USD"
    assert "≈$5M" in html, "a vague amount is marked approximate"
    assert "北岬资本" in html and "Tidewater Partners" in html
    assert '<span class="lang">中文</span>' in html and '<span class="lang">EN</span>' in html


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ({"q": "lumora"}, ["Lumora"]),
        ({"q": "数影"}, ["数影智能"]),
        ({"q": "2亿元B轮"}, ["数影智能"]),  # a title word
        ({"investor": "北辰"}, ["数影智能"]),
        ({"investor": "tidewater"}, ["Lumora"]),
        ({"round": "b"}, ["数影智能"]),
        ({"lang": "zh"}, ["Lumora", "数影智能"]),
        ({"source": "site_zh"}, ["Lumora", "数影智能"]),
        ({"min_usd": "20m"}, ["Lumora", "数影智能"]),
        ({"min_usd": "28m", "max_usd": "1b"}, ["Lumora"]),
        ({"since": "2026-03-02", "until": "2026-03-02"}, ["数影智能"]),
        ({"q": "100%_"}, []),
    ],
)
def test_event_filters(
    dashboard: tuple[str, Seeded], query: dict[str, str], expected: list[str]
) -> None:
    base, _ = dashboard
    with client(base) as http:
        html = http.get("/", params=query).text
    assert company_links(html) == expected
    if not expected:
        assert "No funding events match these filters" in html


def test_bad_filter_values_are_reported_not_fatal(dashboard: tuple[str, Seeded]) -> None:
    base, _ = dashboard
    with client(base) as http:
        page = http.get("/", params={"since": "yesterday", "min_usd": "lots"})
        api = http.get("/api/events", params={"since": "yesterday"})
    assert page.status_code == 200
    assert "since: &#39;yesterday&#39; is not a date" in page.text
    assert "min_usd: &#39;lots&#39; is not an amount" in page.text
    assert len(company_links(page.text)) == 3
    assert api.status_code == 400 and "not a date" in api.text


def test_keyset_pages_cover_every_event_once(dashboard: tuple[str, Seeded]) -> None:
    base, _ = dashboard
    seen: list[str] = []
    after = None
    with client(base) as http:
        for _ in range(5):
            body = http.get(
                "/api/events", params={"limit": 1, **({"after": after} if after else {})}
            ).json()
            seen += [item["company"] for item in body["items"]]
            assert body["total"] == 3
            after = body["next"]
            if after is None:
                break
        page_two = http.get(
            "/", params={"after": http.get("/api/events", params={"limit": 1}).json()["next"]}
        )
    assert seen == ["Lumora", "数影智能", "<script>alert('company')</script>"]
    assert "« First page" in page_two.text


def test_event_page_timeline_copies_and_deliveries(dashboard: tuple[str, Seeded]) -> None:
    base, seeded = dashboard
    with client(base) as http:
        lumora = http.get(f"/events/{seeded.events['lumora']}").text
        shuying = http.get(f"/events/{seeded.events['shuying']}").text
        missing = http.get("/events/999999")
    titles = re.findall(r'<a class="title" href="/stories/\d+">([^<]*)</a>', lumora)
    assert titles == [
        "Lumora raises $30 million Series A for AI video",
        "视频生成公司Lumora获3000万美元A轮融资",
    ]
    assert lumora.count("badge-copy") == 1, "the Chinese copy is marked"
    assert "team-webhook" in lumora and "badge-sent" in lumora
    assert "HTTP 503 from the receiver" in shuying and "badge-failed" in shuying
    assert "/alerts/" in shuying and ">Retry</button>" in shuying
    assert missing.status_code == 404 and "no funding event 999999" in missing.text.lower()


def test_stories_show_verdicts_and_matched_terms(dashboard: tuple[str, Seeded]) -> None:
    base, seeded = dashboard
    with client(base) as http:
        every = http.get("/stories").text
        unflagged = http.get("/stories", params={"verdict": "not-flagged"}).text
        copies = http.get("/stories", params={"verdict": "copies"}).text
        story = http.get(f"/stories/{seeded.articles['unflagged']}").text
    assert every.count('href="/stories/') == 6
    assert "Why AI video still costs" in unflagged and "Lumora raises" not in unflagged
    assert "视频生成公司Lumora" in copies and "Lumora raises" not in copies
    assert "not flagged" in story and "ai_video:ai video" in story
    assert "✗ reports a funding round" in story


def test_sources_page_lists_the_catalog(dashboard: tuple[str, Seeded]) -> None:
    base, _ = dashboard
    with client(base) as http:
        html = http.get("/sources").text
    assert "Sources" in html and "never run" in html


def test_alerts_page_summarises_each_channel(dashboard: tuple[str, Seeded]) -> None:
    base, seeded = dashboard
    with client(base) as http:
        html = http.get("/alerts").text
        failed_only = http.get("/alerts", params={"status": "failed"}).text
    assert "1 sent · 0 pending" in html
    assert f'id="alert-{seeded.failed_alert}"' in failed_only
    assert f'id="alert-{seeded.sent_alert}"' not in failed_only


def test_crawled_markup_renders_as_text(dashboard: tuple[str, Seeded]) -> None:
    base, seeded = dashboard
    with client(base) as http:
        pages = [
            http.get("/").text,
            http.get(f"/events/{seeded.events['hostile']}").text,
            http.get("/stories").text,
            http.get(f"/stories/{seeded.articles['script']}").text,
            http.get(f"/stories/{seeded.articles['img']}").text,
        ]
    for html in pages:
        assert "<script>alert" not in html
        assert "<img src=x" not in html
        assert 'href="javascript:' not in html
    assert "&lt;script&gt;alert(&#39;xss&#39;)&lt;/script&gt;" in pages[1]
    assert "&#34;&gt;&lt;img src=x onerror=alert(1)&gt;" in pages[1]
    assert "&lt;b&gt;not bold&lt;/b&gt;" in pages[3]
    assert SCRIPT_TITLE not in pages[3] and IMG_TITLE not in pages[4]


def test_empty_database_explains_what_to_do(database_url: str) -> None:
    from fundwatch.web.server import BackgroundServer
    from tests.web.conftest import web_config

    with BackgroundServer(web_config(database_url)) as server, client(server.url) as http:
        events = http.get("/").text
        stories = http.get("/stories").text
        alerts = http.get("/alerts").text
    assert "No funding events yet" in events and "fundwatch demo --serve" in events
    assert "No stories stored yet" in stories
    assert "No alerts sent yet" in alerts
    assert "read-only" in events, "without a token the dashboard says it is read-only"
