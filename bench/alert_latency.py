"""Time from the commit of a new funding event (+ its outbox row) to webhook delivery.

A relay polls in its own thread (as in the daemon, every --poll seconds; the writer does not
call `wake()`, as the crawler runs in another process), a local HTTP receiver on 127.0.0.1
records when each webhook-id arrives. Prints median / p95 / max over --events events.

    python bench/alert_latency.py [--events 50] [--poll 0.2] [--database-url URL]
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import tempfile
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from fundwatch.alerts.relay import Relay
from fundwatch.configuration.alerts import WebhookChannel
from fundwatch.storage import Article, FundingEvent, create_db_engine, session_factory
from fundwatch.storage.outbox import enqueue_alerts

SECRET = "whsec_" + "QmVuY2htYXJrIHNlY3JldCBvZiAzMiBieXRlcyEhIQ=="


def start_receiver() -> tuple[ThreadingHTTPServer, dict[str, float]]:
    arrivals: dict[str, float] = {}

    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, *args: Any) -> None:
            pass

        def do_POST(self) -> None:
            self.rfile.read(int(self.headers.get("content-length") or 0))
            arrivals.setdefault(self.headers["webhook-id"], time.perf_counter())
            self.send_response(204)
            self.send_header("content-length", "0")
            self.end_headers()

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, arrivals


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--events", type=int, default=50)
    parser.add_argument("--poll", type=float, default=0.2, help="relay poll interval, seconds")
    parser.add_argument("--database-url", help="default: a temporary SQLite file")
    args = parser.parse_args()

    folder = tempfile.mkdtemp(prefix="fw-bench-")
    url = args.database_url or f"sqlite:///{folder}/bench.db"
    sessions = session_factory(create_db_engine(url))
    server, arrivals = start_receiver()
    channel = WebhookChannel.model_validate(
        {
            "name": "bench",
            "type": "webhook",
            "url": f"http://127.0.0.1:{server.server_address[1]}/hook",
            "secret": SECRET,
        }
    )
    relay = Relay(session_factory(create_db_engine(url)), [channel])
    stop = threading.Event()
    worker = threading.Thread(target=relay.run_forever, args=(stop, args.poll), daemon=True)
    worker.start()

    committed: dict[str, float] = {}
    for index in range(args.events):
        with sessions.begin() as session:
            event = FundingEvent(
                company_key=f"bench-{index}",
                company=f"Bench {index}",
                round="A",
                amount_usd=1e7,
                investors=["X"],
                lead_investors=["X"],
            )
            session.add(event)
            session.flush()
            session.add(
                Article(
                    url_key=f"bench-{index}-{time.time_ns()}",
                    url=f"https://news.example.com/{index}",
                    source="bench",
                    title=f"Bench {index} raises $10M",
                    language="en",
                    event_id=event.id,
                )
            )
            enqueue_alerts(session, event, [channel])
            event_id = event.id
        committed[f"fw-{event_id}-0-bench"] = time.perf_counter()
        time.sleep(random.uniform(0.05, 0.4))

    deadline = time.monotonic() + 30
    while len(arrivals) < len(committed) and time.monotonic() < deadline:
        time.sleep(0.05)
    stop.set()
    relay.wake()
    server.shutdown()

    latencies = sorted(
        (arrivals[mid] - at) * 1000 for mid, at in committed.items() if mid in arrivals
    )
    missing = len(committed) - len(latencies)
    backend = url.split(":", 1)[0]
    print(f"alert latency, commit -> webhook received ({backend}, poll {args.poll:g} s)")
    print(f"events: {len(committed)}, delivered: {len(latencies)}, missing: {missing}")
    if latencies:
        p95 = latencies[min(len(latencies) - 1, round(0.95 * len(latencies)) - 1)]
        print(
            f"median {statistics.median(latencies):.0f} ms, p95 {p95:.0f} ms, "
            f"max {latencies[-1]:.0f} ms"
        )


if __name__ == "__main__":
    main()
