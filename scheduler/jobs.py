"""Triggers and first run times of the per-source jobs.

A source's trigger comes from its cadence: `every:` -> IntervalTrigger, `cron:` -> a crontab
CronTrigger in the source's time zone (DST changes neither skip nor repeat a run: a fixed-hour
schedule is not repeated when clocks fall back). Both carry the source's jitter.

The first run after a (re)start resumes from the database: a source is due at its last run time
plus its cadence (or its failure backoff); sources that are already overdue, or were never run,
are started soon but staggered, most overdue first, rather than all at once.
"""

from __future__ import annotations

import random
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from math import floor
from typing import Any
from zoneinfo import ZoneInfo

from apscheduler.triggers.base import BaseTrigger
from apscheduler.triggers.cron import CronTrigger
from apscheduler.triggers.interval import IntervalTrigger

from fundwatch.configuration.sources import FeedSource, SitemapSource, SiteSource
from fundwatch.scheduler.backoff import failure_delay
from fundwatch.storage.models import SourceState
from fundwatch.storage.timeutil import as_utc

AnySource = SiteSource | FeedSource | SitemapSource

MIN_MISFIRE_GRACE = timedelta(seconds=30)
MAX_MISFIRE_GRACE = timedelta(hours=1)


def schedule_key(source: AnySource) -> tuple[str | None, str | None, str | None, str]:
    """The fields that change a source's schedule (a reload reschedules when they differ)."""
    return (source.every, source.cron, source.jitter, source.timezone)


def trigger_for(source: AnySource, *, start: datetime | None = None) -> BaseTrigger:
    jitter = source.jitter_seconds or None
    if source.cron:
        return cron_trigger(source.cron, source.timezone, jitter=jitter)
    interval = source.interval
    assert interval is not None
    return GridIntervalTrigger(
        seconds=interval.total_seconds(), start_date=start, timezone="UTC", jitter=jitter
    )


class GridIntervalTrigger(IntervalTrigger):
    """IntervalTrigger whose jitter does not accumulate.

    APScheduler 3.x computes the next fire time from the previous one *with* its jitter, so a
    source `every: 1m` with 6 s of jitter runs every 63 s on average and drifts ever later; gaps
    of up to interval + jitter follow each other. Here every fire time is a point of a grid
    `anchor + k * interval` plus that fire's own jitter (the anchor is the first fire time the
    scheduler reports, i.e. the planned first run): the mean period is the interval, and a gap
    is at most interval + jitter. A run moved off the grid (backoff, clock step) goes back to
    the next grid point after it.
    """

    _anchor: float | None = None

    def get_next_fire_time(
        self, previous_fire_time: datetime | None, now: datetime
    ) -> datetime | None:
        length = self.interval_length
        if previous_fire_time is None or not self.jitter or self.jitter >= length:
            return super().get_next_fire_time(previous_fire_time, now)
        if self._anchor is None:
            self._anchor = previous_fire_time.timestamp()
        steps = floor((previous_fire_time.timestamp() - self._anchor) / length) + 1
        fire = self._anchor + steps * length + random.uniform(0, self.jitter)
        if self.end_date and fire > self.end_date.timestamp():
            return None
        return datetime.fromtimestamp(fire, tz=self.timezone)


_WEEKDAY_NAMES = ("sun", "mon", "tue", "wed", "thu", "fri", "sat", "sun")


def _weekday_token(token: str) -> str:
    """One crontab weekday token (0 or 7 = Sunday) in APScheduler names; a range that starts
    on Sunday is split, since APScheduler's week starts on Monday."""
    token, _, step = token.partition("/")
    suffix = f"/{step}" if step else ""
    if "-" in token:
        first, last = token.split("-", 1)
        if first.isdigit() and last.isdigit():
            a, b = int(first) % 7, int(last)
            if a == 0 and b >= 1:
                b_name = _WEEKDAY_NAMES[b]
                rest = "sun" if b_name == "sun" else f"mon-{b_name}"
                return f"sun,{rest}" if rest != "sun" else "mon-sun"
            return f"{_WEEKDAY_NAMES[a]}-{_WEEKDAY_NAMES[b]}{suffix}"
        return token + suffix
    if token.isdigit():
        return _WEEKDAY_NAMES[int(token)] + suffix
    return token + suffix


def crontab_weekdays(field: str) -> str:
    """Translate a crontab day-of-week field (0 = Sunday) for APScheduler 3.x (0 = Monday)."""
    if not any(ch.isdigit() for ch in field.split("/")[0]):
        return field
    return ",".join(_weekday_token(token) for token in field.split(","))


class WallClockCronTrigger(CronTrigger):
    """CronTrigger that fires a fixed-hour schedule once per local wall time.

    When clocks fall back, APScheduler 3.x fires `30 1 * * *` at 01:30 EDT and again at 01:30 EST.
    Like cron, we skip the repeat for schedules with a fixed hour; schedules whose hour is `*`
    (e.g. `*/15 * * * *`) keep running through the repeated hour, as real time passes.
    """

    def __init__(self, *args: Any, once_per_wall_time: bool = True, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.once_per_wall_time = once_per_wall_time

    def get_next_fire_time(
        self, previous_fire_time: datetime | None, now: datetime
    ) -> datetime | None:
        candidate = super().get_next_fire_time(previous_fire_time, now)
        if not self.once_per_wall_time:
            return candidate
        for _ in range(4):
            if candidate is None:
                return None
            local = candidate.astimezone(self.timezone)
            if not local.fold:
                return candidate
            # the second pass through a repeated hour: continue after it ends
            repeat = (local.replace(fold=0).utcoffset() or timedelta()) - (
                local.utcoffset() or timedelta()
            )
            candidate = super().get_next_fire_time(None, candidate + repeat)
        return candidate


def cron_trigger(expression: str, timezone: str, *, jitter: int | None = None) -> CronTrigger:
    """A CronTrigger from a standard five-field crontab line, in `timezone` (IANA)."""
    minute, hour, day, month, day_of_week = expression.split()
    return WallClockCronTrigger(
        minute=minute,
        hour=hour,
        day=day,
        month=month,
        day_of_week=crontab_weekdays(day_of_week),
        timezone=ZoneInfo(timezone),
        jitter=jitter,
        once_per_wall_time="*" not in hour,
    )


def cadence_of(source: AnySource, *, around: datetime) -> timedelta:
    """The source's period: its interval, or the gap between two cron fire times after `around`."""
    interval = source.interval
    if interval is not None:
        return interval
    trigger = cron_trigger(source.cron or "0 * * * *", source.timezone)
    first = trigger.get_next_fire_time(None, around)
    second = trigger.get_next_fire_time(first, first) if first else None
    if first is None or second is None:
        return timedelta(hours=1)
    return second - first


def misfire_grace(source: AnySource, *, around: datetime) -> int:
    """Seconds a run may start late (busy pool, suspended host) and still run: its cadence,
    within [30 s, 1 h]; later than that it is skipped and the next slot is taken (coalesced)."""
    grace = min(max(cadence_of(source, around=around), MIN_MISFIRE_GRACE), MAX_MISFIRE_GRACE)
    return int(grace.total_seconds())


def due_at(source: AnySource, state: SourceState | None, *, now: datetime) -> datetime | None:
    """When the source is next due according to the database; None if it never ran."""
    if state is None or state.last_run_at is None:
        return None
    last = as_utc(state.last_run_at)
    if source.cron:
        trigger = cron_trigger(source.cron, source.timezone)
        due = trigger.get_next_fire_time(None, last + timedelta(seconds=1))
        due = due or now
    else:
        due = last + (source.interval or timedelta(hours=1))
    if state.consecutive_failures > 1:  # one failure: just the next slot
        delay = failure_delay(state.consecutive_failures, cadence_of(source, around=now))
        due = max(due, last + delay)
    if state.backoff_until is not None:
        due = max(due, as_utc(state.backoff_until))
    return due


@dataclass(frozen=True)
class FirstRun:
    name: str
    at: datetime
    overdue: bool


def first_runs(
    sources: Iterable[AnySource],
    states: Mapping[str, SourceState],
    *,
    now: datetime,
    stagger: timedelta,
    offset: int = 0,
) -> list[FirstRun]:
    """First run time of each source: due ones keep their time; overdue (and never-run) ones
    start at now, now + stagger, now + 2*stagger, ... most overdue first."""
    planned: list[FirstRun] = []
    overdue: list[tuple[datetime, str]] = []
    for source in sources:
        due = due_at(source, states.get(source.name), now=now)
        if due is None or due <= now:
            overdue.append((due or datetime.min.replace(tzinfo=now.tzinfo), source.name))
        else:
            planned.append(FirstRun(source.name, due, overdue=False))
    for index, (_due, name) in enumerate(sorted(overdue)):
        planned.append(FirstRun(name, now + stagger * (index + offset), overdue=True))
    return planned
