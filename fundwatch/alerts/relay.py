"""The outbox relay: claim due alert rows, deliver them, record every attempt.

Delivery is at-least-once: a row is marked only after the receiver answered, so a crash
between "accepted" and "marked" re-sends it with the same message id (`webhook-id`, e-mail
`Message-ID`) and receivers can drop the duplicate. Nothing here holds a database transaction
open while talking to the network.
"""

from __future__ import annotations

import logging
import random
import threading
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy.orm import Session, sessionmaker

from fundwatch.alerts.backoff import next_attempt_at
from fundwatch.alerts.delivery import Delivery
from fundwatch.alerts.mail import send_email
from fundwatch.alerts.payload import build_payload
from fundwatch.alerts.webhook import send_webhook
from fundwatch.configuration.alerts import EmailChannel, WebhookChannel
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

Channel = WebhookChannel | EmailChannel
LEASE_MARGIN_SECONDS = 30.0


@dataclass
class RelayStats:
    claimed: int = 0
    sent: int = 0
    retried: int = 0
    failed: int = 0
    disabled: int = 0
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
    if isinstance(channel, WebhookChannel):
        return channel.deadline + LEASE_MARGIN_SECONDS
    return channel.timeout * 6 + LEASE_MARGIN_SECONDS  # connect, ehlo, tls, auth, data, quit


class Relay:
    """Deliver pending outbox rows of `channels`; `run_once` for one pass, `run_forever` in a
    daemon thread. Call `wake()` after committing new rows to deliver them without waiting
    for the next poll."""

    def __init__(
        self,
        sessions: sessionmaker[Session],
        channels: Sequence[Channel],
        *,
        batch_size: int = 20,
        lease_seconds: float | None = None,
        rng: random.Random | None = None,
    ) -> None:
        self.sessions = sessions
        self.channels = {channel.name: channel for channel in channels if channel.enabled}
        self.batch_size = batch_size
        self.lease_seconds = lease_seconds or max(
            (_lease_for(c) for c in self.channels.values()), default=LEASE_MARGIN_SECONDS
        )
        self.rng = rng or random.Random()
        self._wake = threading.Event()

    def wake(self) -> None:
        self._wake.set()

    # -- passes ------------------------------------------------------------------------------

    def run_once(self) -> RelayStats:
        """Deliver what is due now: single alerts first, then any digest that is due."""
        stats = RelayStats()
        with self.sessions.begin() as session:
            off = disabled_channels(session)
        immediate = [
            name
            for name, channel in self.channels.items()
            if name not in off and not _digest_seconds(channel)
        ]
        while True:
            with self.sessions.begin() as session:
                rows = [
                    _Claimed.of(r, as_utc(r.created_at) or utcnow())
                    for r in claim_due(
                        session, immediate, lease_seconds=self.lease_seconds, limit=self.batch_size
                    )
                ]
            if not rows:
                break
            stats.claimed += len(rows)
            for row in rows:
                if row.channel in off:
                    continue
                delivery = self._deliver_one(row)
                self._record([row], delivery, stats)
                if delivery.outcome == "disabled":
                    off[row.channel] = delivery.error
            if len(rows) < self.batch_size:
                break
        for name, channel in self.channels.items():
            if name not in off and _digest_seconds(channel):
                self._digest(channel, stats)  # type: ignore[arg-type]
        return stats

    def run_forever(self, stop_event: threading.Event, poll_interval: float = 0.2) -> None:
        """Poll every `poll_interval` seconds (or on `wake()`) until `stop_event` is set.

        Database or delivery errors are logged and the loop goes on; rows stay in the outbox.
        """
        log.info("alert relay started for channels: %s", ", ".join(self.channels) or "(none)")
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

    # -- one delivery --------------------------------------------------------------------------

    def _payload(self, event_id: int, revision: int) -> dict[str, Any] | None:
        with self.sessions.begin() as session:
            return build_payload(session, event_id, revision=revision)

    def _deliver_one(self, row: _Claimed) -> Delivery:
        channel = self.channels[row.channel]
        payload = self._payload(row.event_id, row.revision)
        if payload is None:
            return Delivery("failed", None, f"funding event {row.event_id} no longer exists")
        if isinstance(channel, WebhookChannel):
            return send_webhook(channel, row.message_id, payload)
        return send_email(channel, row.message_id, [payload])

    def _record(self, rows: list[_Claimed], delivery: Delivery, stats: RelayStats) -> None:
        now = utcnow()
        channel = self.channels[rows[0].channel]
        with self.sessions.begin() as session:
            for row in rows:
                retry_at = None
                if delivery.outcome == "retry":
                    retry_at = next_attempt_at(
                        attempt=row.attempts + 1,
                        created_at=row.created_at,
                        now=now,
                        schedule=channel.retry,
                        retry_after=delivery.retry_after,
                        rng=self.rng,
                    )
                record_attempt(
                    session,
                    row.id,
                    delivery.outcome,
                    status_code=delivery.status_code,
                    error=delivery.error,
                    duration_ms=delivery.duration_ms,
                    next_attempt_at=retry_at,
                    now=now,
                )
                outcome = delivery.outcome
                if outcome == "retry" and retry_at is None:
                    outcome = "failed"
                stats.outcomes.append((row.message_id, outcome))
                if outcome == "sent":
                    stats.sent += 1
                elif outcome == "retry":
                    stats.retried += 1
                elif outcome == "disabled":
                    stats.disabled += 1
                else:
                    stats.failed += 1
                log_level = logging.INFO if outcome in ("sent", "retry") else logging.WARNING
                log.log(
                    log_level,
                    "alert %s via %s: %s%s%s",
                    row.message_id,
                    row.channel,
                    outcome,
                    f" ({delivery.error})" if delivery.error else "",
                    f", next try at {retry_at:%Y-%m-%d %H:%M:%S}Z" if retry_at else "",
                )
            if delivery.outcome == "disabled":
                set_channel_disabled(session, channel.name, True, delivery.error)
                dropped = fail_pending(session, channel.name, f"channel disabled: {delivery.error}")
                log.warning(
                    "alert channel %s disabled (%s); %d pending alert(s) dropped; re-enable with "
                    "`fundwatch alerts --enable %s` once the endpoint is fixed",
                    channel.name,
                    delivery.error,
                    dropped,
                    channel.name,
                )

    # -- digests -------------------------------------------------------------------------------

    def _digest(self, channel: EmailChannel, stats: RelayStats) -> None:
        """One e-mail for all pending rows of a digest channel once the oldest has waited a
        full period. The batch is stamped on its rows so a retry re-sends the same batch with
        the same Message-ID."""
        period = _digest_seconds(channel) or 0.0
        now = utcnow()
        with self.sessions.begin() as session:
            rows = pending_for_channel(session, channel.name)
            if not rows:
                return
            stamped = [r for r in rows if (r.payload or {}).get("digest")]
            if stamped:
                key = stamped[0].payload["digest"]
                batch = [r for r in stamped if r.payload["digest"] == key]
                if any((as_utc(r.next_attempt_at) or now) > now for r in batch):
                    return
            else:
                oldest = min(as_utc(r.created_at) or now for r in rows)
                if now - oldest < timedelta(seconds=period):
                    return
                batch = rows[:200]
                key = f"fw-digest-{batch[0].id}-{batch[-1].id}-{channel.name}"
            for row in batch:
                row.payload = {**(row.payload or {}), "digest": key}
                row.next_attempt_at = now + timedelta(seconds=self.lease_seconds)
            # the retry window of a digest starts when the digest is due
            claimed = [
                _Claimed.of(r, (as_utc(r.created_at) or now) + timedelta(seconds=period))
                for r in batch
            ]
        stats.claimed += len(claimed)
        payloads = [p for r in claimed if (p := self._payload(r.event_id, r.revision))]
        if not payloads:
            delivery = Delivery("failed", None, "none of the digest's funding events exist")
        else:
            delivery = send_email(channel, key, payloads)
        self._record(claimed, delivery, stats)


def _digest_seconds(channel: Channel) -> float | None:
    return channel.digest_seconds if isinstance(channel, EmailChannel) else None
