"""What the dashboard may change: queue a failed alert again, send a test alert."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import update
from sqlalchemy.orm import Session, sessionmaker

from fundwatch.storage.models import AlertOutbox
from fundwatch.storage.timeutil import utcnow
from fundwatch.web.config import WebConfig


class ActionError(Exception):
    """The action cannot be done; the message says why and what to do."""


def retry_alert(sessions: sessionmaker[Session], alert_id: int) -> None:
    """Queue a failed delivery again; the relay of the running daemon sends it."""
    with sessions.begin() as session:
        alert = session.get(AlertOutbox, alert_id)
        if alert is None:
            raise ActionError(f"there is no alert delivery {alert_id}")
        if alert.status != "failed":
            raise ActionError(
                f"alert delivery {alert_id} is {alert.status}; only failed deliveries are retried"
            )
        session.execute(
            update(AlertOutbox)
            .where(AlertOutbox.id == alert_id, AlertOutbox.status == "failed")
            .values(status="pending", next_attempt_at=utcnow(), created_at=utcnow())
        )


def configured_channels(config: WebConfig) -> list[str]:
    from fundwatch.configuration.alerts import load_channels

    return [channel.name for channel in load_channels(config.settings, config.environ)]


@dataclass
class TestResult:
    channel: str
    outcome: str
    status_code: int | None
    error: str | None
    duration_ms: float | None

    @property
    def ok(self) -> bool:
        return self.outcome == "sent"

    def describe(self) -> str:
        code = f" (HTTP {self.status_code})" if self.status_code else ""
        error = f": {self.error}" if self.error else ""
        return f"test alert to {self.channel}: {self.outcome}{code}{error}"


def send_test_alert(config: WebConfig, channel_name: str) -> TestResult:
    """Send the sample alert of `fundwatch test-alert` to one channel, bypassing the outbox."""
    import uuid

    from fundwatch.alerts.dispatch import deliver
    from fundwatch.alerts.payload import sample_payload
    from fundwatch.configuration.alerts import load_channels

    if config.settings.alerts is None:
        raise ActionError("no alerts file configured: set FUNDWATCH_ALERTS and restart")
    routes = {r.name: r for r in load_channels(config.settings, config.environ)}
    route = routes.get(channel_name)
    if route is None:
        raise ActionError(f"no channel {channel_name!r}; known: {', '.join(routes) or 'none'}")
    # unique per send: two tests in the same second are two deliveries, not one retried
    message_id = f"fw-test-{uuid.uuid4().hex[:16]}-{route.channel.name}"
    delivery = deliver(route.channel, route.language, message_id, [sample_payload()])
    return TestResult(
        route.name, delivery.outcome, delivery.status_code, delivery.error, delivery.duration_ms
    )
