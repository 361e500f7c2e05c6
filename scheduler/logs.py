"""Structured logs: one JSON object per line on stderr.

Every crawl produces one line with `"event": "crawl"` and its figures (source, run id, status,
pages, new, duplicates, flagged, errors, duration). Other lines carry an `event` name too
(`daemon_start`, `scheduled`, `reload`, `operator_alert`, ...), so the stream can be filtered with
`jq 'select(.event == "crawl")'`.
"""

from __future__ import annotations

import json
import logging
import sys
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any, TextIO

if TYPE_CHECKING:
    from fundwatch.storage.crawl_outcome import CrawlOutcome

log = logging.getLogger("scheduler")

_STANDARD_ATTRS = frozenset(
    logging.LogRecord("", 0, "", 0, "", None, None).__dict__.keys() | {"message", "asctime"}
)


def _plain(value: Any) -> Any:
    if isinstance(value, datetime):
        return value.isoformat()
    if isinstance(value, str | int | float | bool) or value is None:
        return value
    if isinstance(value, list | tuple):
        return [_plain(item) for item in value]
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    return str(value)


class JsonFormatter(logging.Formatter):
    """Render a log record as one JSON line; `extra=` fields become top-level keys."""

    def format(self, record: logging.LogRecord) -> str:
        line: dict[str, Any] = {
            "ts": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname.lower(),
            "logger": record.name,
            "msg": record.getMessage(),
        }
        for key, value in record.__dict__.items():
            if key not in _STANDARD_ATTRS and not key.startswith("_"):
                line[key] = _plain(value)
        if record.exc_info:
            line["exception"] = self.formatException(record.exc_info)
        return json.dumps(line, ensure_ascii=False)


def configure_json_logging(level: str = "INFO", stream: TextIO | None = None) -> None:
    """Send every log record of the process to `stream` (stderr) as JSON lines."""
    handler = logging.StreamHandler(stream or sys.stderr)
    handler.setFormatter(JsonFormatter())
    root = logging.getLogger()
    for existing in list(root.handlers):
        root.removeHandler(existing)
    root.addHandler(handler)
    root.setLevel(level)
    # APScheduler logs every job start/finish at INFO; keep its warnings and errors only.
    logging.getLogger("apscheduler").setLevel(logging.WARNING)
    logging.getLogger("alembic").setLevel(logging.WARNING)


def event(name: str, message: str, /, *, level: int = logging.INFO, **fields: Any) -> None:
    """Log one structured line: `event` names what happened, `fields` are its figures."""
    log.log(level, message, extra={"event": name, **fields})


def log_crawl(outcome: CrawlOutcome) -> None:
    """The one structured line per crawl."""
    event(
        "crawl",
        f"crawl {outcome.source} run {outcome.run_id}: {outcome.status}",
        level=logging.INFO if outcome.ok else logging.WARNING,
        **outcome.figures(),
    )
