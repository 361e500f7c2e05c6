"""The JSON API, the Atom and JSON feeds and the CSV export, with the page's filters."""

from __future__ import annotations

import csv
import io

import feedparser
import pytest

from tests.web.conftest import client
from tests.web.seed import FORMULA_INVESTOR, Seeded

pytestmark = pytest.mark.timeout(120)

EVENT_FIELDS = {
    "id", "company", "company_key", "aliases", "round", "amount", "currency", "amount_usd",
    "amount_approximate", "valuation_usd", "lead_investors", "investors", "outlets",
    "article_count", "languages", "first_seen_at", "last_seen_at", "announced_at", "revision",
}  # fmt: skip


def test_api_events_have_the_documented_fields(dashboard: tuple[str, Seeded]) -> None:
    base, seeded = dashboard
    with client(base) as http:
        listing = http.get("/api/events").json()
        detail = http.get(f"/api/events/{seeded.events['lumora']}").json()
        schema = http.get("/api/openapi.json").json()
    first = listing["items"][0]
    assert set(first) == EVENT_FIELDS
    assert first["company"] == "Lumora" and first["amount_usd"] == 30e6
    assert first["languages"] == ["en", "zh"] and first["first_seen_at"].endswith("Z")
    assert set(schema["components"]["schemas"]["Event"]["properties"]) == EVENT_FIELDS
    assert (
        "/api/events/{event_id}" in schema["paths"]
        and "/api/alerts/{alert_id}/retry" in schema["paths"]
    )
    assert [a["duplicate_of"] is not None for a in detail["articles"]] == [False, True]
    assert (
        detail["alerts"][0]["status"] == "sent"
        and detail["alerts"][0]["history"][0]["status_code"] == 200
    )


def test_api_stories_alerts_sources(dashboard: tuple[str, Seeded]) -> None:
    base, seeded = dashboard
    with client(base) as http:
        stories = http.get("/api/stories", params={"verdict": "flagged", "lang": "zh"}).json()
        alerts = http.get("/api/alerts", params={"status": "failed"}).json()
        story = http.get(f"/api/stories/{seeded.articles['unflagged']}").json()
        sources = http.get("/api/sources").json()
        missing = http.get("/api/stories/999999")
    assert {s["title"] for s in stories["items"]} == {
        "视频生成公司Lumora获3000万美元A轮融资",
        "数字人视频公司数影智能完成2亿元B轮融资",
    }
    assert [a["id"] for a in alerts["items"]] == [seeded.failed_alert]
    assert alerts["items"][0]["attempts"] == 8 and alerts["items"][0]["last_error"]
    assert story["flagged"] is False and story["matched"] == ["ai_video:ai video"]
    assert sources and {"name", "status", "next_run_at", "backoff_until"} <= set(sources[0])
    assert missing.status_code == 404


def test_atom_and_json_feeds_follow_the_filters(dashboard: tuple[str, Seeded]) -> None:
    base, seeded = dashboard
    with client(base) as http:
        atom = http.get("/feeds/events.atom", params={"lang": "zh"})
        feed = http.get("/feeds/events.json", params={"min_usd": "28m"}).json()
        everything = feedparser.parse(http.get("/feeds/events.atom").content)
    assert atom.headers["content-type"].startswith("application/atom+xml")
    parsed = feedparser.parse(atom.content)
    assert not parsed.bozo, parsed.get("bozo_exception")
    assert [e.title for e in parsed.entries] == [
        "Lumora raises $30M (A)",
        "数影智能 raises CNY 200M (B)",
    ]
    assert parsed.entries[0].link == f"{base}/events/{seeded.events['lumora']}"
    assert "北岬资本" in parsed.entries[0].summary
    assert feed["version"] == "https://jsonfeed.org/version/1.1"
    assert [item["_fundwatch"]["company"] for item in feed["items"]] == ["Lumora"]
    # markup in a crawled company name stays text in the feed
    hostile = [e for e in everything.entries if "script" in e.title]
    assert hostile and hostile[0].title.startswith("<script>alert('company')</script>")


def test_csv_export_of_the_current_filter(dashboard: tuple[str, Seeded]) -> None:
    base, _ = dashboard
    with client(base) as http:
        filtered = http.get("/events.csv", params={"lang": "zh"})
        everything = http.get("/events.csv")
    assert filtered.headers["content-disposition"].startswith("attachment")
    rows = list(csv.DictReader(io.StringIO(filtered.content.decode("utf-8-sig"))))
    assert [r["company"] for r in rows] == ["Lumora", "数影智能"]
    assert rows[1]["amount"] == "200000000.0" and rows[1]["currency"] == "CNY"
    assert rows[0]["investors"] == "北岬资本; Tidewater Partners"
    all_rows = list(csv.DictReader(io.StringIO(everything.content.decode("utf-8-sig"))))
    hostile = all_rows[-1]
    assert hostile["investors"] == "'" + FORMULA_INVESTOR, "a formula is neutralised"
    assert hostile["amount_approximate"] == "True"
