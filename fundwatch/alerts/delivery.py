"""The outcome of one delivery attempt, as the relay records it."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

Outcome = Literal["sent", "retry", "failed", "disabled"]


@dataclass(frozen=True)
class Delivery:
    """`retry`: try again on the schedule; `failed`: permanent; `disabled`: the endpoint is
    gone (410) and its channel is switched off."""

    outcome: Outcome
    status_code: int | None = None
    error: str | None = None
    retry_after: float | None = None
    duration_ms: float | None = None
    answer: str | None = None  # the platform's own words (chat channels), for `test-alert`
