"""The alert outbox: rows written in the same transaction as the funding event they announce.

Channels are duck-typed (storage imports nothing else of ours): anything with a `name` and an
`accepts(event)` method.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta
from typing import Any, Protocol

from sqlalchemy import select, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import Session

from fundwatch.storage.models import AlertAttempt, AlertChannelState, AlertOutbox, FundingEvent
from fundwatch.storage.timeutil import utcnow


class AlertChannelSpec(Protocol):
    name: str
    send_updates: bool

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

    Revision 0 announces a new event; a later revision (the event's facts changed materially)
    goes to channels with `send_updates` set, and to a channel that accepts the event only now
    (a round first seen without an amount passes a minimum-amount filter once the amount is
    known) as its first alert of the event. Returns how many rows were new.
    """
    dialect = session.get_bind().dialect.name
    insert = pg_insert if dialect == "postgresql" else sqlite_insert
    created = 0
    for channel in channels:
        if not channel.accepts(event):
            continue
        quiet = revision and not getattr(channel, "send_updates", False)
        if quiet and _has_row(session, event.id, channel.name):
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


def _has_row(session: Session, event_id: int, channel: str) -> bool:
    statement = select(AlertOutbox.id).where(
        AlertOutbox.event_id == event_id, AlertOutbox.channel == channel
    )
    return session.scalars(statement.limit(1)).first() is not None


# --- relay side: claiming due rows and recording attempts -------------------------------------


def claim_due(
    session: Session,
    channels: Sequence[str],
    *,
    lease_seconds: float,
    limit: int = 50,
    now: datetime | None = None,
) -> list[AlertOutbox]:
    """Take up to `limit` due pending rows of `channels` for one delivery attempt each.

    A claimed row's `next_attempt_at` moves `lease_seconds` ahead, so no other relay takes it
    while it is being sent; if this process dies mid-send the row is simply due again after
    the lease (and re-sent with the same message id). On PostgreSQL the rows are picked with
    FOR UPDATE SKIP LOCKED so concurrent relays never wait on each other; SQLite serializes
    writers (BEGIN IMMEDIATE). Call inside a transaction and commit before sending.
    """
    if not channels:
        return []
    now = now or utcnow()
    statement = (
        select(AlertOutbox)
        .where(
            AlertOutbox.status == "pending",
            AlertOutbox.next_attempt_at <= now,
            AlertOutbox.channel.in_(list(channels)),
        )
        .order_by(AlertOutbox.next_attempt_at, AlertOutbox.id)
        .limit(limit)
    )
    if session.get_bind().dialect.name == "postgresql":
        statement = statement.with_for_update(skip_locked=True)
    rows = list(session.scalars(statement))
    lease_until = now + timedelta(seconds=lease_seconds)
    for row in rows:
        row.next_attempt_at = lease_until
    session.flush()
    return rows


def pending_for_channel(session: Session, channel: str) -> list[AlertOutbox]:
    """Every pending row of one channel (digest e-mails gather them), oldest first."""
    statement = (
        select(AlertOutbox)
        .where(AlertOutbox.status == "pending", AlertOutbox.channel == channel)
        .order_by(AlertOutbox.created_at, AlertOutbox.id)
    )
    if session.get_bind().dialect.name == "postgresql":
        statement = statement.with_for_update(skip_locked=True)
    return list(session.scalars(statement))


def record_attempt(
    session: Session,
    outbox_id: int,
    outcome: str,
    *,
    status_code: int | None = None,
    error: str | None = None,
    duration_ms: float | None = None,
    next_attempt_at: datetime | None = None,
    now: datetime | None = None,
) -> bool:
    """Store one attempt and move the row on: `sent`, `retry` (pending again at
    `next_attempt_at`; None means the retry window is over, so `failed`) or `failed`.

    Only a pending row changes (a row another relay already finished is left alone); returns
    whether it did.
    """
    now = now or utcnow()
    values: dict[str, Any] = {"attempts": AlertOutbox.attempts + 1, "last_error": error}
    if outcome == "sent":
        values.update(status="sent", sent_at=now)
    elif outcome == "retry" and next_attempt_at is not None:
        values.update(status="pending", next_attempt_at=next_attempt_at)
    else:
        values.update(status="failed")
    result = session.execute(
        update(AlertOutbox)
        .where(AlertOutbox.id == outbox_id, AlertOutbox.status == "pending")
        .values(**values)
    )
    session.add(
        AlertAttempt(
            outbox_id=outbox_id,
            attempted_at=now,
            outcome=outcome,
            status_code=status_code,
            error=error,
            duration_ms=duration_ms,
        )
    )
    return bool(result.rowcount)


def fail_pending(session: Session, channel: str, reason: str) -> int:
    """Mark every pending row of `channel` failed (its endpoint is gone)."""
    result = session.execute(
        update(AlertOutbox)
        .where(AlertOutbox.channel == channel, AlertOutbox.status == "pending")
        .values(status="failed", last_error=reason)
    )
    return int(result.rowcount or 0)


def set_channel_disabled(
    session: Session, channel: str, disabled: bool, reason: str | None
) -> None:
    state = session.get(AlertChannelState, channel)
    if state is None:
        state = AlertChannelState(name=channel)
        session.add(state)
    state.disabled = disabled
    state.reason = reason
    state.changed_at = utcnow()


def disabled_channels(session: Session) -> dict[str, str | None]:
    rows = session.scalars(select(AlertChannelState).where(AlertChannelState.disabled.is_(True)))
    return {row.name: row.reason for row in rows}


def list_alerts(
    session: Session, *, status: str | None = None, limit: int = 100
) -> list[tuple[AlertOutbox, FundingEvent | None]]:
    """Outbox rows, newest first, with their event (for `fundwatch alerts`)."""
    statement = (
        select(AlertOutbox, FundingEvent)
        .outerjoin(FundingEvent, FundingEvent.id == AlertOutbox.event_id)
        .order_by(AlertOutbox.id.desc())
        .limit(limit)
    )
    if status is not None:
        statement = statement.where(AlertOutbox.status == status)
    return [(row, event) for row, event in session.execute(statement)]
