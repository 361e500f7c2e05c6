"""The alert relay inside the daemon: a thread polling the outbox, and a final flush at exit.

The relay itself (`alerts.relay.Relay`) delivers due outbox rows; this module only runs it,
restarts its loop after an unexpected error, and flushes due alerts once at shutdown.
"""

from __future__ import annotations

import logging
import threading
from typing import TYPE_CHECKING

from sqlalchemy.orm import Session, sessionmaker

from fundwatch.configuration import Settings
from fundwatch.scheduler.logs import event

if TYPE_CHECKING:
    from fundwatch.alerts.relay import Relay

RESTART_DELAY_SECONDS = 10.0


def build_relay(settings: Settings, sessions: sessionmaker[Session]) -> Relay:
    """The relay over the configured channels."""
    from fundwatch.alerts.relay import Relay
    from fundwatch.configuration.alerts import load_channels

    return Relay(sessions, load_channels(settings))


class RelayThread:
    """Runs `relay.run_forever(stop_event, poll_interval)` in a daemon thread."""

    def __init__(self, relay: Relay, *, poll_interval: float) -> None:
        self._relay = relay
        self._interval = poll_interval
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._loop, name="alert-relay", daemon=True)

    def start(self) -> None:
        self._thread.start()

    def _loop(self) -> None:
        while not self._stop.is_set():
            try:
                self._relay.run_forever(self._stop, self._interval)
            except Exception:
                logging.getLogger("scheduler").exception(
                    "alert relay loop failed; restarting it in %.0f s",
                    RESTART_DELAY_SECONDS,
                    extra={"event": "relay_error"},
                )
                self._stop.wait(RESTART_DELAY_SECONDS)

    def stop(self, timeout: float = 30.0) -> None:
        self._stop.set()
        self._thread.join(timeout)


def flush(relay: Relay | None) -> None:
    """Deliver what is due now (at shutdown and after `daemon --once`)."""
    if relay is None:
        return
    try:
        result = relay.run_once()
    except Exception:
        logging.getLogger("scheduler").exception(
            "flushing due alerts failed; they stay in the outbox for the next start",
            extra={"event": "relay_error"},
        )
        return
    event(
        "relay_flush",
        "flushed due alerts",
        sent=result.sent,
        retried=result.retried,
        failed=result.failed,
    )
