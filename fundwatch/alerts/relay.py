"""The outbox relay: claim due alert rows, deliver them, record every attempt.

Delivery is at-least-once: a row is marked only after the receiver answered, so a crash
between "accepted" and "marked" re-sends it with the same message id (`webhook-id`, e-mail
`Message-ID`) and receivers can drop the duplicate. Nothing here holds a database transaction
open while talking to the network.

Rows are keyed by route (a channel, or `subscription/channel`). Immediate routes send what is
due; several alerts due at once on a chat channel go out as one message (split to the
platform's size limit), and a platform's rate limit postpones rows in the outbox rather than
spending attempts. Digest routes (hourly, daily at a local time, every N) send one message (or
as few as the size limit allows) when the oldest waiting alert's digest is due.
"""

from __future__ import annotations

import logging
import random
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.orm import Session, sessionmaker

from fundwatch.alerts.backoff import next_attempt_at
from fundwatch.alerts.changes import snapshot
from fundwatch.alerts.delivery import Delivery
from fundwatch.alerts.dispatch import deliver, pack, rate_limits
from fundwatch.alerts.payload import build_payload
from fundwatch.alerts.rate_limit import SendWindows
from fundwatch.configuration.alerts import Channel, EmailChannel, Route, route_of
from fundwatch.storage.models import AlertOutbox
from fundwatch.storage.outbox import (
    claim_due,
    disabled_channels,
    fail_pending,
    pending_for_channel,
    record_attempt,
    set_channel_disabled,
)
from fundwatch.storage.timeutil import as_utc, utcnow

log = logging.getLogger(__name__)

LEASE_MARGIN_SECONDS = 30.0
DIGEST_BATCH_LIMIT = 500


@dataclass
class RelayStats:
    claimed: int = 0
    sent: int = 0
    retried: int = 0
    failed: int = 0
    disabled: int = 0
    postponed: int = 0
    messages: int = 0
    outcomes: list[tuple[str, str]] = field(default_factory=list)  # (message_id, outcome)


@dataclass(frozen=True)
class _Claimed:
    id: int
    event_id: int
    channel: str
    revision: int
    message_id: str
    attempts: int
    created_at: datetime

    @classmethod
    def of(cls, row: AlertOutbox, created_at: datetime) -> _Claimed:
        """A detached copy of a claimed outbox row; `created_at` starts its retry window."""
        return cls(
            row.id,
            row.event_id,
            row.channel,
            row.revision,
            row.message_id,
            row.attempts,
            created_at,
        )


def _lease_for(channel: Channel) -> float:
    if isinstance(channel, EmailChannel):
        return channel.timeout * 6 + LEASE_MARGIN_SECONDS  # connect, ehlo, tls, auth, data, quit
    return float(getattr(channel, "deadline", getattr(channel, "timeout", 30.0))) + (
        LEASE_MARGIN_SECONDS
    )


def _as_route(item: Route | Channel) -> Route:
    return item if isinstance(item, Route) else route_of(item)


class Relay:
    """Deliver pending outbox rows of `routes` (channels are their own route); `run_once` for
    one pass, `run_forever` in a daemon thread. Call `wake()` after committing new rows to
    deliver them without waiting for the next poll. `clock` (UTC now) is injectable."""

    def __init__(
        self,
        sessions: sessionmaker[Session],
        routes: Sequence[Route | Channel],
        *,
        batch_size: int = 20,
        lease_seconds: float | None = None,
        rng: random.Random | None = None,
        clock: Callable[[], datetime] = utcnow,
    ) -> None:
        self.sessions = sessions
        resolved = [_as_route(item) for item in routes]
        self.routes = {r.name: r for r in resolved if r.enabled and r.channel.enabled}
        self.batch_size = batch_size
        self.lease_seconds = lease_seconds or max(
            (_lease_for(r.channel) for r in self.routes.values()), default=LEASE_MARGIN_SECONDS
        )
        self.rng = rng or random.Random()
        self.clock = clock
        self.windows: dict[str, SendWindows] = {}
        self._wake = threading.Event()

    @property
    def channels(self) -> dict[str, Route]:
        """Routes by name (kept for callers of the single-channel era)."""
        return self.routes

    def wake(self) -> None:
        self._wake.set()

    # -- passes ------------------------------------------------------------------------------

    def run_once(self) -> RelayStats:
        """Deliver what is due now: immediate alerts first, then any digest that is due."""
        stats = RelayStats()
        with self.sessions.begin() as session:
            off = disabled_channels(session)
        immediate = [
            name
            for name, route in self.routes.items()
            if route.channel.name not in off and not route.cadence.is_digest
        ]
        while immediate:
            now = self.clock()
            with self.sessions.begin() as session:
                rows = [
                    _Claimed.of(r, as_utc(r.created_at) or now)
                    for r in claim_due(
                        session,
                        immediate,
                        lease_seconds=self.lease_seconds,
                        limit=self.batch_size,
                        now=now,
                    )
                ]
            if not rows:
                break
            stats.claimed += len(rows)
            by_route: dict[str, list[_Claimed]] = {}
            for row in rows:
                by_route.setdefault(row.channel, []).append(row)
            for name, group in by_route.items():
                route = self.routes[name]
                if route.channel.name not in off:
                    self._send_rows(route, group, stats, off, key=None)
            if len(rows) < self.batch_size:
                break
        for route in self.routes.values():
            if route.channel.name not in off and route.cadence.is_digest:
                self._digest(route, stats, off)
        return stats

    def run_forever(self, stop_event: threading.Event, poll_interval: float = 0.2) -> None:
        """Poll every `poll_interval` seconds (or on `wake()`) until `stop_event` is set.

        Database or delivery errors are logged and the loop goes on; rows stay in the outbox.
        """
        log.info("alert relay started for: %s", ", ".join(self.routes) or "(none)")
        while not stop_event.is_set():
            try:
                stats = self.run_once()
            except Exception:
                log.exception("alert relay pass failed; trying again in %.1f s", poll_interval * 10)
                stop_event.wait(poll_interval * 10)
                continue
            if stats.claimed >= self.batch_size:
                continue
            self._sleep(stop_event, poll_interval)
        log.info("alert relay stopped")

    def _sleep(self, stop_event: threading.Event, seconds: float) -> None:
        """Wait until `wake()`, `stop_event` or `seconds`, whichever comes first."""
        end = time.monotonic() + seconds
        while not stop_event.is_set():
            remaining = end - time.monotonic()
            if remaining <= 0 or self._wake.wait(min(remaining, 0.25)):
                break
        self._wake.clear()

    # -- sending -------------------------------------------------------------------------------

    def _payload(self, row: _Claimed) -> dict[str, Any] | None:
        """The event as it is now; an update carries `previous`, the facts this route was
        last sent, so the message can say what changed."""
        with self.sessions.begin() as session:
            payload = build_payload(session, row.event_id, revision=row.revision)
            if payload is not None and row.revision:
                told, facts = _previous_facts(session, row)
                if told:
                    payload["previous"] = facts
                else:  # this route never heard of the event: it is news here
                    payload["type"] = "funding_event.created"
            return payload

    def _send_rows(
        self,
        route: Route,
        rows: list[_Claimed],
        stats: RelayStats,
        off: dict[str, str | None],
        key: str | None,
    ) -> None:
        """Send `rows` of one route in as few messages as the channel allows."""
        present: list[tuple[_Claimed, dict[str, Any]]] = []
        for row in rows:
            payload = self._payload(row)
            if payload is None:
                gone = Delivery("failed", None, f"funding event {row.event_id} no longer exists")
                self._record(route, [row], gone, stats)
            else:
                present.append((row, payload))
        payloads = [p for _, p in present]
        groups = pack(route.channel, route.language, payloads, digest=key is not None)
        windows = self.windows.setdefault(
            route.channel.name, SendWindows(rate_limits(route.channel))
        )
        for number, indexes in enumerate(groups):
            batch = [present[i][0] for i in indexes]
            if route.channel.name in off:
                return
            now = self.clock()
            wait = windows.wait(now.timestamp())
            if wait > 0:
                later = [present[i][0] for g in groups[number:] for i in g]
                self._postpone(later, now + timedelta(seconds=wait), stats)
                return
            windows.note(now.timestamp())
            message_id = key or (
                batch[0].message_id
                if len(batch) == 1
                else f"fw-batch-{batch[0].id}-{batch[-1].id}-{route.name}"
            )
            if key and len(groups) > 1:
                message_id = f"{key}-part{number + 1}"
            delivery = deliver(
                route.channel, route.language, message_id, [payloads[i] for i in indexes]
            )
            stats.messages += 1
            self._record(route, batch, delivery, stats, [payloads[i] for i in indexes])
            if delivery.outcome == "disabled":
                off[route.channel.name] = delivery.error

    def _postpone(self, rows: list[_Claimed], until: datetime, stats: RelayStats) -> None:
        """Hold rows back for a rate-limit window without counting an attempt."""
        with self.sessions.begin() as session:
            session.execute(
                update(AlertOutbox)
                .where(AlertOutbox.id.in_([r.id for r in rows]), AlertOutbox.status == "pending")
                .values(next_attempt_at=until)
            )
        stats.postponed += len(rows)

    def _record(
        self,
        route: Route,
        rows: list[_Claimed],
        delivery: Delivery,
        stats: RelayStats,
        payloads: list[dict[str, Any]] | None = None,
    ) -> None:
        now = self.clock()
        with self.sessions.begin() as session:
            for index, row in enumerate(rows):
                retry_at = None
                if delivery.outcome == "retry":
                    retry_at = next_attempt_at(
                        attempt=row.attempts + 1,
                        created_at=row.created_at,
                        now=now,
                        schedule=route.retry,
                        retry_after=delivery.retry_after,
                        rng=self.rng,
                    )
                changed = record_attempt(
                    session,
                    row.id,
                    delivery.outcome,
                    status_code=delivery.status_code,
                    error=delivery.error,
                    duration_ms=delivery.duration_ms,
                    next_attempt_at=retry_at,
                    now=now,
                )
                if changed and delivery.outcome == "sent" and payloads:
                    _remember_facts(session, row.id, payloads[index]["data"])
                outcome = delivery.outcome
                if outcome == "retry" and retry_at is None:
                    outcome = "failed"
                _count(stats, row.message_id, outcome)
                log.log(
                    logging.INFO if outcome in ("sent", "retry") else logging.WARNING,
                    "alert %s via %s: %s%s%s",
                    row.message_id,
                    row.channel,
                    outcome,
                    f" ({delivery.error})" if delivery.error else "",
                    f", next try at {retry_at:%Y-%m-%d %H:%M:%S}Z" if retry_at else "",
                )
            if delivery.outcome == "disabled":
                self._disable(session, route.channel, delivery.error)

    def _disable(self, session: Session, channel: Channel, reason: str | None) -> None:
        set_channel_disabled(session, channel.name, True, reason)
        dropped = 0
        for route in self.routes.values():
            if route.channel.name == channel.name:
                dropped += fail_pending(session, route.name, f"channel disabled: {reason}")
        log.warning(
            "alert channel %s disabled (%s); %d pending alert(s) dropped; re-enable with "
            "`fundwatch alerts --enable %s` once the endpoint is fixed",
            channel.name,
            reason,
            dropped,
            channel.name,
        )

    # -- digests -------------------------------------------------------------------------------

    def _digest(self, route: Route, stats: RelayStats, off: dict[str, str | None]) -> None:
        """Send a route's digest once it is due. A formed batch is stamped on its rows, so a
        retry re-sends the same batch with the same message id."""
        now = self.clock()
        with self.sessions.begin() as session:
            rows = pending_for_channel(session, route.name)[:DIGEST_BATCH_LIMIT]
            if not rows:
                return
            stamped = [r for r in rows if (r.payload or {}).get("digest")]
            if stamped:
                key = stamped[0].payload["digest"]
                batch = [r for r in stamped if r.payload["digest"] == key]
                if any((as_utc(r.next_attempt_at) or now) > now for r in batch):
                    return
            else:
                batch = rows
                key = f"fw-digest-{batch[0].id}-{batch[-1].id}-{route.name}"
            oldest = min(as_utc(r.created_at) or now for r in batch)
            due = route.cadence.due_at(oldest)
            if now < due:
                return
            for row in batch:
                row.payload = {**(row.payload or {}), "digest": key}
                row.next_attempt_at = now + timedelta(seconds=self.lease_seconds)
            # the retry window of a digest starts when the digest is due
            claimed = [_Claimed.of(r, due) for r in batch]
        stats.claimed += len(claimed)
        self._send_rows(route, claimed, stats, off, key=key)


def _count(stats: RelayStats, message_id: str, outcome: str) -> None:
    stats.outcomes.append((message_id, outcome))
    if outcome == "sent":
        stats.sent += 1
    elif outcome == "retry":
        stats.retried += 1
    elif outcome == "disabled":
        stats.disabled += 1
    else:
        stats.failed += 1


def _remember_facts(session: Session, outbox_id: int, data: dict[str, Any]) -> None:
    """Keep the facts a route was told, to describe the next update against them."""
    row = session.get(AlertOutbox, outbox_id)
    if row is not None:
        row.payload = {**(row.payload or {}), "facts": snapshot(data)}


def _previous_facts(session: Session, row: _Claimed) -> tuple[bool, dict[str, Any] | None]:
    """Whether this route was sent the event before, and the facts it was sent last."""
    statement = (
        select(AlertOutbox.payload)
        .where(
            AlertOutbox.event_id == row.event_id,
            AlertOutbox.channel == row.channel,
            AlertOutbox.revision < row.revision,
            AlertOutbox.status == "sent",
        )
        .order_by(AlertOutbox.revision.desc())
        .limit(1)
    )
    payloads = list(session.scalars(statement))
    if not payloads:
        return False, None
    return True, (payloads[0] or {}).get("facts")
