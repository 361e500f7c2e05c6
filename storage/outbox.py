"""The alert outbox: rows written in the same transaction as the funding event they announce.

Channels are duck-typed (storage imports nothing else of ours): anything with a `name` and an
`accepts(event)` method.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, Protocol

from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import Session

from storage.models import AlertOutbox, FundingEvent
from storage.timeutil import utcnow


class AlertChannelSpec(Protocol):
    name: str

    def accepts(self, event: FundingEvent) -> bool: ...


def message_id(event_id: int, channel: str, revision: int) -> str:
    """Stable id of one alert: the same across retries (webhook-id, email Message-ID)."""
    return f"fw-{event_id}-{revision}-{channel}"


def enqueue_alerts(
    session: Session,
    event: FundingEvent,
    channels: Sequence[AlertChannelSpec],
    *,
    revision: int = 0,
    payload: dict[str, Any] | None = None,
) -> int:
    """Write one pending alert per accepting channel; an existing row is left alone.

    Returns how many rows were new.
    """
    dialect = session.get_bind().dialect.name
    insert = pg_insert if dialect == "postgresql" else sqlite_insert
    created = 0
    for channel in channels:
        if not channel.accepts(event):
            continue
        statement = (
            insert(AlertOutbox)
            .values(
                event_id=event.id,
                channel=channel.name,
                revision=revision,
                message_id=message_id(event.id, channel.name, revision),
                payload=payload or {},
                status="pending",
                attempts=0,
                next_attempt_at=utcnow(),
                created_at=utcnow(),
            )
            .on_conflict_do_nothing()
            .returning(AlertOutbox.id)
        )
        if session.execute(statement).scalar_one_or_none() is not None:
            created += 1
    return created
