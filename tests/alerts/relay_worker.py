"""Subprocess for the crash tests: `relay_worker.py DB_URL CHANNELS_FILE LEASE_SECONDS` runs the
relay until killed; `relay_worker.py DB_URL CHANNELS_FILE enqueue` commits one funding event with
its outbox rows and then SIGKILLs itself before anything is sent."""

from __future__ import annotations

import logging
import os
import signal
import sys
import threading
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))  # the repository: tests.support

from fundwatch.alerts.relay import Relay
from fundwatch.configuration.alerts import load_channels_file
from fundwatch.storage import create_db_engine, session_factory
from tests.support.alert_fixtures import add_event


def main() -> None:
    database_url, channels_file, mode = sys.argv[1:4]
    logging.basicConfig(level=logging.DEBUG, stream=sys.stderr)
    channels = load_channels_file(Path(channels_file))
    sessions = session_factory(create_db_engine(database_url))
    if mode == "enqueue":
        event_id = add_event(sessions, channels, company="Crashco")
        print(f"committed {event_id}", flush=True)
        os.kill(os.getpid(), signal.SIGKILL)
    relay = Relay(sessions, channels, lease_seconds=float(mode))
    print("ready", flush=True)
    relay.run_forever(threading.Event(), poll_interval=0.1)


if __name__ == "__main__":
    main()
