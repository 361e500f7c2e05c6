"""When to try a failed alert again: exponential backoff with jitter, bounded in total time."""

from __future__ import annotations

import random
from datetime import datetime, timedelta

from fundwatch.configuration.alerts import RetrySchedule

MAX_RETRY_AFTER_SECONDS = 24 * 3600.0


def retry_delay(attempt: int, schedule: RetrySchedule, rng: random.Random | None = None) -> float:
    """Seconds to wait after failed attempt number `attempt` (1-based)."""
    rng = rng or random.Random()
    base = schedule.initial * schedule.factor ** max(attempt - 1, 0)
    base = min(base, schedule.max_delay)
    spread = base * schedule.jitter
    return max(1.0, base + rng.uniform(-spread, spread))


def next_attempt_at(
    *,
    attempt: int,
    created_at: datetime,
    now: datetime,
    schedule: RetrySchedule,
    retry_after: float | None = None,
    rng: random.Random | None = None,
) -> datetime | None:
    """When to try again, or None when the row has been retried for `give_up_after`."""
    if (now - created_at).total_seconds() >= schedule.give_up_after:
        return None
    if retry_after is not None:
        delay = min(max(retry_after, 1.0), MAX_RETRY_AFTER_SECONDS)
    else:
        delay = retry_delay(attempt, schedule, rng)
    return now + timedelta(seconds=delay)
