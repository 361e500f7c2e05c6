"""Render rows as an aligned text table, JSON Lines or CSV (for list commands).

Times: JSON and CSV carry ISO 8601 with the UTC offset; a table shows them in the display
zone (FUNDWATCH_TIMEZONE, else the machine's) and says which in the column header.
"""

from __future__ import annotations

import csv
import io
import json
import os
import unicodedata
from collections.abc import Sequence
from datetime import UTC, datetime, tzinfo
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

FORMATS = ("table", "json", "csv")


def display_zone() -> tzinfo:
    """The zone tables show times in: FUNDWATCH_TIMEZONE (an IANA name), else the machine's."""
    name = os.environ.get("FUNDWATCH_TIMEZONE", "").strip()
    if name:
        try:
            return ZoneInfo(name)
        except (ZoneInfoNotFoundError, ValueError):
            raise SystemExit(f"FUNDWATCH_TIMEZONE: unknown time zone {name!r}") from None
    return datetime.now().astimezone().tzinfo or UTC


def zone_label(zone: tzinfo) -> str:
    key = getattr(zone, "key", None)
    if key:
        return key
    offset = datetime.now(zone).strftime("%z")
    return f"UTC{offset[:3]}:{offset[3:]}" if offset else "UTC"


def _aware(value: datetime) -> datetime:
    """Stored times are UTC; SQLite gives them back naive."""
    return value.replace(tzinfo=UTC) if value.tzinfo is None else value


def _cell(value: Any, zone: tzinfo | None = None) -> str:
    if value is None:
        return "-"
    if isinstance(value, datetime):
        return _aware(value).astimezone(zone or UTC).strftime("%Y-%m-%d %H:%M")
    if isinstance(value, float):
        return f"{value:,.0f}" if abs(value) >= 1000 else f"{value:g}"
    if isinstance(value, list | tuple):
        return ", ".join(str(item) for item in value) or "-"
    return str(value)


def display_width(text: str) -> int:
    """Terminal columns: CJK wide characters take two."""
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def _fit(text: str, width: int) -> str:
    if display_width(text) <= width:
        return text
    out, used = [], 0
    for ch in text:
        w = display_width(ch)
        if used + w > width - 1:
            break
        out.append(ch)
        used += w
    return "".join(out) + "…"


def render_table(headers: Sequence[str], rows: Sequence[Sequence[Any]], max_width: int = 40) -> str:
    zone = display_zone()
    timed = {i for row in rows for i, v in enumerate(row) if isinstance(v, datetime)}
    label = zone_label(zone)
    headers = [f"{h} ({label})" if i in timed else h for i, h in enumerate(headers)]
    cells = [[_fit(_cell(v, zone).replace("\n", " "), max_width) for v in row] for row in rows]
    widths = [display_width(h) for h in headers]
    for row in cells:
        widths = [max(w, display_width(c)) for w, c in zip(widths, row, strict=True)]

    def line(values: Sequence[str]) -> str:
        return "  ".join(
            v + " " * (w - display_width(v)) for v, w in zip(values, widths, strict=True)
        ).rstrip()

    out = [line(list(headers)), line(["-" * w for w in widths])]
    out.extend(line(row) for row in cells)
    return "\n".join(out)


def _jsonable(value: Any) -> Any:
    if isinstance(value, datetime):
        return _aware(value).isoformat()
    return value


def render(headers: Sequence[str], rows: Sequence[Sequence[Any]], fmt: str) -> str:
    if fmt == "json":
        return "\n".join(
            json.dumps(
                {h: _jsonable(v) for h, v in zip(headers, row, strict=True)}, ensure_ascii=False
            )
            for row in rows
        )
    if fmt == "csv":
        buffer = io.StringIO()
        writer = csv.writer(buffer)
        writer.writerow(headers)
        for row in rows:
            writer.writerow(
                [
                    v
                    if isinstance(v, int | float)
                    else _jsonable(v)
                    if isinstance(v, datetime)
                    else _cell(v)
                    for v in row
                ]
            )
        return buffer.getvalue().rstrip("\n")
    return render_table(headers, rows)
