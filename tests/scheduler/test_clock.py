"""Wall-clock steps: far-off interval runs are pulled back within one cadence (real
APScheduler jobs on a paused scheduler)."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from apscheduler.schedulers.background import BackgroundScheduler

from fundwatch.configuration import Catalog
from fundwatch.configuration.sources import _SOURCE_ADAPTER
from fundwatch.scheduler.clock import ClockWatch, pull_in_far_runs

NOW = datetime(2025, 3, 20, 12, 0, tzinfo=UTC)


def _source(name: str, **fields: object):  # type: ignore[no-untyped-def]
    entry = {"name": name, "kind": "feed", "url": f"https://example.org/{name}.xml"}
    entry.update(fields)
    return _SOURCE_ADAPTER.validate_python(entry)


@pytest.fixture
def scheduler() -> Iterator[BackgroundScheduler]:
    scheduler = BackgroundScheduler(timezone=UTC)
    scheduler.start(paused=True)
    yield scheduler
    scheduler.shutdown(wait=False)


def _noop() -> None:
    pass


def test_only_interval_runs_beyond_one_cadence_are_pulled_in(
    scheduler: BackgroundScheduler,
) -> None:
    sources = [
        _source("far", every="15m", jitter="1m"),
        _source("near", every="15m", jitter="1m"),
        _source("cron", cron="0 * * * *", jitter="1m"),
    ]
    catalog = Catalog([(Path("sources.yaml"), s) for s in sources])
    runs = {
        "far": NOW + timedelta(hours=2),  # the clock stepped back two hours
        "near": NOW + timedelta(minutes=16),  # within cadence + jitter
        "cron": NOW + timedelta(hours=3),  # cron runs are never moved
        "gone": NOW + timedelta(hours=5),  # no longer in the catalog
    }
    for name, at in runs.items():
        scheduler.add_job(_noop, "interval", minutes=15, id=name, next_run_time=at)
    jobs = {job.id: job for job in scheduler.get_jobs()}

    assert pull_in_far_runs(jobs, catalog, NOW) == ["far"]

    after = {job.id: job.next_run_time for job in scheduler.get_jobs()}
    assert after["far"] == NOW + timedelta(minutes=15)
    assert after["near"] == runs["near"]
    assert after["cron"] == runs["cron"]
    assert after["gone"] == runs["gone"]


def test_clock_watch_reports_no_step_on_a_steady_clock() -> None:
    watch = ClockWatch()
    assert abs(watch.step()) < 1.0
    assert abs(watch.step()) < 1.0
