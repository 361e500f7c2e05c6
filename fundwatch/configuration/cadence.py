"""Cadence values of catalog entries: `every: 15m` or `cron: "*/15 * * * *"`."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

from apscheduler.triggers.cron import CronTrigger

_DURATION = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*(s|sec|m|min|h|d)\s*$", re.IGNORECASE)
_UNIT_SECONDS = {"s": 1, "sec": 1, "m": 60, "min": 60, "h": 3600, "d": 86400}
# `every:` longer than a year is a typo, and far longer ones overflow the scheduler's dates
MAX_DURATION = timedelta(days=366)
# a cron expression must fire within this many years (`0 0 31 2 *` never does)
CRON_HORIZON_YEARS = 8


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
    if seconds > MAX_DURATION.total_seconds():
        raise ValueError(f"invalid duration {value!r}: at most {MAX_DURATION.days}d")
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
        trigger = CronTrigger.from_crontab(expression, timezone="UTC")
    except ValueError as exc:
        raise ValueError(f"invalid cron expression {expression!r}: {exc}") from None
    if not fires(trigger):
        raise ValueError(
            f"cron expression {expression!r} never fires (no such date within "
            f"{CRON_HORIZON_YEARS} years)"
        )
    return expression


def fires(trigger: CronTrigger) -> bool:
    """Does the trigger fire within CRON_HORIZON_YEARS of now? (APScheduler would search
    until year 9999 for `31 2`; we stop the search at the horizon.)"""
    now = datetime.now(UTC)
    limited = CronTrigger(
        year=f"{now.year}-{now.year + CRON_HORIZON_YEARS}",
        month=str(trigger.fields[1]),
        day=str(trigger.fields[2]),
        week=str(trigger.fields[3]),
        day_of_week=str(trigger.fields[4]),
        hour=str(trigger.fields[5]),
        minute=str(trigger.fields[6]),
        second=str(trigger.fields[7]),
        timezone=UTC,
    )
    return limited.get_next_fire_time(None, now) is not None
