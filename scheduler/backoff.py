"""How long a failing source waits before its next try.

After the n-th consecutive failure a source waits `cadence * 2**(n-1)`, at most BACKOFF_CAP (6 h;
never less than the cadence itself): after one failure it simply keeps its next slot, from the
second on the wait doubles. One success resets it: the source returns to its cadence.
"""

from __future__ import annotations

from datetime import timedelta

BACKOFF_CAP = timedelta(hours=6)


def failure_delay(
    consecutive_failures: int, cadence: timedelta, cap: timedelta = BACKOFF_CAP
) -> timedelta:
    """The wait after `consecutive_failures` failures in a row (0 means: the plain cadence)."""
    if consecutive_failures <= 0:
        return cadence
    limit = max(cap, cadence)
    exponent = min(consecutive_failures - 1, 30)
    return min(cadence * (2**exponent), limit)
