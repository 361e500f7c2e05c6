"""Wall-clock steps: after the clock steps back, interval jobs would wait the step out."""

from __future__ import annotations

import time
from collections.abc import Mapping
from datetime import datetime, timedelta
from typing import Any

from fundwatch.configuration import Catalog
from fundwatch.scheduler.jobs import cadence_of

CLOCK_STEP_SECONDS = 60.0


class ClockWatch:
    """Notices steps of the wall clock against the monotonic clock between calls of `step()`."""

    def __init__(self) -> None:
        self._offset = time.time() - time.monotonic()

    def step(self) -> float:
        """Seconds the wall clock moved relative to the monotonic clock since the last call."""
        offset = time.time() - time.monotonic()
        step = offset - self._offset
        self._offset = offset
        return step


def pull_in_far_runs(jobs: Mapping[str, Any], catalog: Catalog, now: datetime) -> list[str]:
    """Move any interval job whose next run lies further ahead than one cadence (plus jitter)
    to one interval from `now`; return the names of the jobs moved."""
    moved = []
    for name, job in jobs.items():
        if name not in catalog or job.next_run_time is None:
            continue
        source = catalog.get(name)
        limit = cadence_of(source, around=now) + timedelta(seconds=source.jitter_seconds)
        if source.interval is not None and job.next_run_time - now > limit:
            job.modify(next_run_time=now + source.interval)
            moved.append(name)
    return moved
