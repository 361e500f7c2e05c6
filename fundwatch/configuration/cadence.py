"""Cadence values of catalog entries: `every: 15m` or `cron: "*/15 * * * *"`."""

from __future__ import annotations

import re
from datetime import timedelta

from apscheduler.triggers.cron import CronTrigger

_DURATION = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*(s|sec|m|min|h|d)\s*$", re.IGNORECASE)
_UNIT_SECONDS = {"s": 1, "sec": 1, "m": 60, "min": 60, "h": 3600, "d": 86400}


def parse_duration(value: str | int | float) -> timedelta:
    """Parse '30s', '15m', '2h', '1d' (or a bare number of seconds) into a timedelta."""
    if isinstance(value, bool):
        raise ValueError(f"invalid duration {value!r}")
    if isinstance(value, int | float):
        seconds = float(value)
    else:
        match = _DURATION.match(str(value))
        if not match:
            raise ValueError(
                f"invalid duration {value!r}: use a number and a unit, e.g. 15m, 2h, 1d"
            )
        seconds = float(match.group(1)) * _UNIT_SECONDS[match.group(2).lower()]
    if seconds <= 0:
        raise ValueError(f"invalid duration {value!r}: must be greater than zero")
    return timedelta(seconds=seconds)


def validate_cron(expression: str) -> str:
    """Check a five-field crontab expression; return it unchanged."""
    fields = expression.split()
    if len(fields) != 5:
        raise ValueError(
            f"invalid cron expression {expression!r}: expected 5 fields "
            "(minute hour day month weekday)"
        )
    try:
        CronTrigger.from_crontab(expression, timezone="UTC")
    except ValueError as exc:
        raise ValueError(f"invalid cron expression {expression!r}: {exc}") from None
    return expression
