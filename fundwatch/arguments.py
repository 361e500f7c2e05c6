"""argparse value types shared by the listing commands (`stories`, `events`)."""

from __future__ import annotations

import argparse
from datetime import UTC, datetime


def since_date(value: str) -> datetime:
    """argparse type: an ISO date or date-time; naive values are taken as UTC."""
    try:
        parsed = datetime.fromisoformat(value)
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"invalid date {value!r}: use YYYY-MM-DD or YYYY-MM-DDTHH:MM (UTC unless an offset "
            "is given)"
        ) from None
    return parsed.replace(tzinfo=UTC) if parsed.tzinfo is None else parsed.astimezone(UTC)


def positive_int(value: str) -> int:
    """argparse type: a whole number >= 1."""
    try:
        number = int(value)
    except ValueError:
        number = 0
    if number < 1:
        raise argparse.ArgumentTypeError(f"invalid count {value!r}: use a whole number >= 1")
    return number
