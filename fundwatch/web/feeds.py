"""Atom 1.0 and JSON Feed 1.1 of funding events, and the CSV export: same filters as the page."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterable, Iterator
from datetime import UTC, datetime
from xml.etree import ElementTree as ET

from fundwatch.web.formatting import iso, money
from fundwatch.web.presenters import event_record, headline
from fundwatch.web.queries import EventRow

ATOM = "http://www.w3.org/2005/Atom"
FEED_TITLE = "fundwatch: AI-video funding events"


def _summary(row: EventRow) -> str:
    event = row.event
    lines = [headline(row)]
    if event.amount_usd is not None and (event.currency or "").upper() != "USD":
        lines.append(f"About {money(event.amount_usd)} in USD.")
    if event.lead_investors:
        lines.append("Led by " + ", ".join(event.lead_investors) + ".")
    others = [i for i in event.investors or [] if i not in (event.lead_investors or [])]
    if others:
        lines.append("With " + ", ".join(others) + ".")
    lines.append(f"Reported by {len(row.outlets)} outlet(s): {', '.join(row.outlets)}.")
    return " ".join(lines)


def _updated(rows: list[EventRow]) -> str:
    times = [iso(r.event.last_seen_at) for r in rows]
    return max(times) if times else iso(datetime.now(UTC))


def atom_feed(rows: list[EventRow], *, base_url: str, self_url: str) -> bytes:
    ET.register_namespace("", ATOM)
    feed = ET.Element(f"{{{ATOM}}}feed")
    ET.SubElement(feed, f"{{{ATOM}}}id").text = self_url
    ET.SubElement(feed, f"{{{ATOM}}}title").text = FEED_TITLE
    ET.SubElement(feed, f"{{{ATOM}}}updated").text = _updated(rows)
    ET.SubElement(feed, f"{{{ATOM}}}link", rel="self", href=self_url)
    ET.SubElement(feed, f"{{{ATOM}}}link", rel="alternate", href=base_url + "/")
    ET.SubElement(feed, f"{{{ATOM}}}generator").text = "fundwatch"
    for row in rows:
        event = row.event
        entry = ET.SubElement(feed, f"{{{ATOM}}}entry")
        ET.SubElement(entry, f"{{{ATOM}}}id").text = f"{base_url}/events/{event.id}"
        ET.SubElement(entry, f"{{{ATOM}}}title").text = headline(row)
        ET.SubElement(
            entry, f"{{{ATOM}}}link", rel="alternate", href=f"{base_url}/events/{event.id}"
        )
        ET.SubElement(entry, f"{{{ATOM}}}published").text = iso(event.first_seen_at)
        ET.SubElement(entry, f"{{{ATOM}}}updated").text = iso(event.last_seen_at)
        author = ET.SubElement(entry, f"{{{ATOM}}}author")
        ET.SubElement(author, f"{{{ATOM}}}name").text = ", ".join(row.outlets) or "fundwatch"
        if event.round:
            ET.SubElement(entry, f"{{{ATOM}}}category", term=event.round)
        ET.SubElement(entry, f"{{{ATOM}}}summary", type="text").text = _summary(row)
    return b'<?xml version="1.0" encoding="utf-8"?>\n' + ET.tostring(feed, encoding="utf-8")


def json_feed(rows: list[EventRow], *, base_url: str, self_url: str) -> bytes:
    items = []
    for row in rows:
        event = row.event
        items.append(
            {
                "id": f"{base_url}/events/{event.id}",
                "url": f"{base_url}/events/{event.id}",
                "title": headline(row),
                "content_text": _summary(row),
                "date_published": iso(event.first_seen_at),
                "date_modified": iso(event.last_seen_at),
                "tags": [t for t in (event.round, *row.languages) if t],
                "_fundwatch": event_record(row),
            }
        )
    feed = {
        "version": "https://jsonfeed.org/version/1.1",
        "title": FEED_TITLE,
        "home_page_url": base_url + "/",
        "feed_url": self_url,
        "items": items,
    }
    return json.dumps(feed, ensure_ascii=False, indent=1).encode("utf-8")


CSV_COLUMNS = (
    "id",
    "company",
    "aliases",
    "round",
    "amount",
    "currency",
    "amount_usd",
    "amount_approximate",
    "valuation_usd",
    "lead_investors",
    "investors",
    "outlets",
    "article_count",
    "languages",
    "first_seen_at",
    "url",
)
CSV_ROWS_PER_CHUNK = 500  # each chunk is one hop to the worker thread: not one per row
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def _cell(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, list):
        value = "; ".join(str(v) for v in value)
    text = str(value)
    # A crawled name starting with '=' must not run as a spreadsheet formula.
    if text.startswith(_FORMULA_START) and not isinstance(value, int | float):
        return "'" + text
    return text


def csv_lines(rows: Iterable[EventRow], *, base_url: str) -> Iterator[str]:
    buffer = io.StringIO()
    writer = csv.writer(buffer)

    def flush() -> str:
        text = buffer.getvalue()
        buffer.seek(0)
        buffer.truncate()
        return text

    buffer.write("\ufeff")  # spreadsheets read UTF-8 (CJK names) only with the BOM
    writer.writerow(CSV_COLUMNS)
    yield flush()
    for number, row in enumerate(rows, 1):
        record = event_record(row)
        record["url"] = f"{base_url}/events/{row.event.id}"
        writer.writerow([_cell(record[column]) for column in CSV_COLUMNS])
        if number % CSV_ROWS_PER_CHUNK == 0:
            yield flush()
    yield flush()
