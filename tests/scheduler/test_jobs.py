"""Triggers, backoff and first run times (pure functions over real APScheduler triggers)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from fundwatch.configuration.sources import _SOURCE_ADAPTER
from fundwatch.scheduler.backoff import BACKOFF_CAP, failure_delay
from fundwatch.scheduler.jobs import due_at, first_runs, misfire_grace, trigger_for
from fundwatch.storage.models import SourceState

NOW = datetime(2025, 3, 20, 12, 0, tzinfo=UTC)


def source(name: str, **fields: object):  # type: ignore[no-untyped-def]
    entry = {"name": name, "kind": "feed", "url": f"https://example.org/{name}.xml"}
    entry.update(fields)
    return _SOURCE_ADAPTER.validate_python(entry)


def state(name: str, last: datetime | None, failures: int = 0) -> SourceState:
    return SourceState(name=name, last_run_at=last, consecutive_failures=failures, disabled=False)


def test_failure_delay_doubles_up_to_the_cap_and_resets() -> None:
    cadence = timedelta(minutes=15)
    delays = [failure_delay(n, cadence) for n in range(0, 8)]
    assert delays[:5] == [cadence, cadence, cadence * 2, cadence * 4, cadence * 8]
    assert failure_delay(30, cadence) == BACKOFF_CAP
    assert failure_delay(1000, cadence) == BACKOFF_CAP
    # a source slower than the cap is never run more often than its cadence
    assert failure_delay(5, timedelta(hours=12)) == timedelta(hours=12)


def test_interval_trigger_follows_every() -> None:
    trigger = trigger_for(source("a", every="15m", jitter="1s"))
    first = NOW
    assert trigger.get_next_fire_time(first, first) - first <= timedelta(minutes=15, seconds=1)
    assert trigger.get_next_fire_time(first, first) - first >= timedelta(minutes=15)


def test_interval_jitter_does_not_accumulate() -> None:
    # APScheduler 3.x adds each fire's jitter to the next fire's base: 100 runs `every: 1m`
    # with 6 s of jitter would end ~5 min late; on the grid they end within one jitter
    trigger = trigger_for(source("a", every="1m", jitter="6s"))
    fire = NOW
    gaps = []
    for _ in range(100):
        following = trigger.get_next_fire_time(fire, fire)
        gaps.append((following - fire).total_seconds())
        fire = following
    assert fire - NOW <= timedelta(minutes=100, seconds=6)
    assert fire - NOW >= timedelta(minutes=100)
    assert max(gaps) <= 66 and min(gaps) >= 54
    # a run moved off the grid (a backoff) returns to the next grid point after it
    moved = fire + timedelta(seconds=150)
    back = trigger.get_next_fire_time(moved, moved)
    assert timedelta(0) < back - moved <= timedelta(seconds=66)
    assert ((back - NOW).total_seconds() % 60) <= 6


def test_cron_trigger_uses_the_source_time_zone_across_dst() -> None:
    # 02:30 does not exist in New York on 2025-03-09; 01:30 happens twice on 2025-11-02
    daily = trigger_for(source("ny", cron="30 1 * * *", timezone="America/New_York", jitter="1s"))
    daily.jitter = None
    fires = []
    previous = None
    now = datetime(2025, 10, 31, tzinfo=UTC)
    for _ in range(4):
        previous = daily.get_next_fire_time(previous, previous or now)
        fires.append(previous)
    local = [f.astimezone(ZoneInfo("America/New_York")) for f in fires]
    assert [d.day for d in local] == [31, 1, 2, 3]  # once a day, not twice on Nov 2
    assert all((d.hour, d.minute) == (1, 30) for d in local)
    utc = [f.astimezone(UTC) for f in fires]
    gaps = {utc[i + 1] - utc[i] for i in range(3)}
    assert gaps == {timedelta(hours=24), timedelta(hours=25)}


def test_crontab_weekdays_count_from_sunday() -> None:
    weekdays = trigger_for(source("wk", cron="0 9 * * 1-5", timezone="Asia/Shanghai", jitter="1s"))
    weekdays.jitter = None
    saturday = datetime(2025, 3, 22, 0, 0, tzinfo=ZoneInfo("Asia/Shanghai"))
    fire = weekdays.get_next_fire_time(None, saturday)
    assert fire.astimezone(ZoneInfo("Asia/Shanghai")).strftime("%a %H:%M") == "Mon 09:00"
    sunday_only = trigger_for(source("su", cron="0 9 * * 0", timezone="UTC", jitter="1s"))
    sunday_only.jitter = None
    assert sunday_only.get_next_fire_time(None, NOW).strftime("%a") == "Sun"


def test_misfire_grace_is_the_cadence_within_bounds() -> None:
    assert misfire_grace(source("a", every="1s"), around=NOW) == 30
    assert misfire_grace(source("b", every="10m"), around=NOW) == 600
    assert misfire_grace(source("c", every="1d"), around=NOW) == 3600
    assert misfire_grace(source("d", cron="*/5 * * * *"), around=NOW) == 300


def test_due_at_resumes_from_the_last_run_and_backs_off_failures() -> None:
    hourly = source("h", every="1h")
    assert due_at(hourly, None, now=NOW) is None
    last = NOW - timedelta(minutes=20)
    assert due_at(hourly, state("h", last), now=NOW) == last + timedelta(hours=1)
    assert due_at(hourly, state("h", last, failures=3), now=NOW) == last + timedelta(hours=4)
    # one failure keeps the next slot; backoff starts with the second
    assert due_at(hourly, state("h", last, failures=1), now=NOW) == last + timedelta(hours=1)
    cron = source("c", cron="0 * * * *")
    assert due_at(cron, state("c", NOW - timedelta(minutes=5), failures=1), now=NOW) == NOW
    assert due_at(cron, state("c", NOW - timedelta(minutes=90)), now=NOW) == NOW - timedelta(
        minutes=60
    )


def test_overdue_sources_are_staggered_most_overdue_first() -> None:
    sources = [source(n, every="1h") for n in ("fresh", "late", "later", "never")]
    states = {
        "fresh": state("fresh", NOW - timedelta(minutes=10)),
        "late": state("late", NOW - timedelta(hours=2)),
        "later": state("later", NOW - timedelta(hours=5)),
    }
    plans = {p.name: p for p in first_runs(sources, states, now=NOW, stagger=timedelta(seconds=7))}
    assert plans["fresh"].at == NOW + timedelta(minutes=50) and not plans["fresh"].overdue
    assert plans["never"].at == NOW  # never run: first in line
    assert plans["later"].at == NOW + timedelta(seconds=7)
    assert plans["late"].at == NOW + timedelta(seconds=14)


def test_wildcard_hour_cron_keeps_its_cadence_through_the_repeated_hour() -> None:
    half_hourly = trigger_for(source("hh", cron="*/30 * * * *", timezone="America/New_York"))
    half_hourly.jitter = None
    previous, fires = None, []
    start = datetime(2025, 11, 2, 4, 50, tzinfo=UTC)  # 00:50 EDT
    for _ in range(5):
        previous = half_hourly.get_next_fire_time(previous, previous or start)
        fires.append(previous.astimezone(UTC))
    assert {fires[i + 1] - fires[i] for i in range(4)} == {timedelta(minutes=30)}
