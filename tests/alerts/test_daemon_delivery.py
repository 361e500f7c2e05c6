"""A real daemon crawls a publishing site and delivers to a webhook receiver that refuses
connections, answers 5xx, hangs past the deadline, and holds a delivery while the daemon is
SIGKILLed (sent, not recorded): once the receiver recovers, every funding round arrives under
exactly one `webhook-id`; a request repeated by the at-least-once relay carries that same id."""

from __future__ import annotations

import signal
from collections import defaultdict
from pathlib import Path

import pytest
import yaml
from sqlalchemy import select

from fundwatch.alerts.signing import verify
from fundwatch.storage.models import AlertOutbox
from harness.alert_receivers import Behaviour, WebhookReceiver
from harness.fault_world import SECRET, SECRET_VARIABLE, Harness
from harness.news_site import NewsSite
from tests.scheduler.scheduler_helpers import DaemonProcess, wait_for

pytestmark = pytest.mark.timeout(600)


def _outbox(harness: Harness) -> list[AlertOutbox]:
    return [row[0] for row in harness._query(select(AlertOutbox).order_by(AlertOutbox.id))]


def test_receiver_outage_and_a_daemon_kill_mid_send_deliver_each_round_once(
    database_url: str, tmp_path: Path
) -> None:
    receiver = WebhookReceiver()  # not started: connection refused
    with NewsSite(page_size=5) as site:
        harness = Harness(site, tmp_path, database_url)
        channel = {
            "name": "hook",
            "type": "webhook",
            "url": receiver.url,
            "secret": "${" + SECRET_VARIABLE + "}",
            "timeout": "1s",
            "deadline": "2s",
            "retry": {"initial": "1s", "factor": 2, "max_delay": "2s", "jitter": 0},
        }
        harness.alerts.write_text(yaml.safe_dump({"channels": [channel]}))
        harness.write_catalog(site.entry())
        site.publish(4)
        command = " ".join([*harness.crawl_command("{source}"), "--run-id", "{run_id}"])
        args = ["--crawl-command", command, "--stagger", "0.2", "--kill-grace", "2"]
        env = harness.env(FUNDWATCH_CRAWL_DEADLINE="120", FUNDWATCH_LOG_LEVEL="INFO")
        daemon = DaemonProcess(args, env)
        try:
            wait_for(
                lambda: (
                    len(_outbox(harness)) == 4
                    and all(row.attempts >= 1 for row in _outbox(harness))
                ),
                180,
                "a refused attempt of every alert",
            )
            # back, but failing: 5xx, a hang past the deadline, then one delivery held while
            # the daemon is killed (the receiver has it; the outbox does not know)
            receiver.plan(Behaviour(500), Behaviour(502), Behaviour(hold=True), Behaviour(503))
            receiver.plan(*[Behaviour(hold=True)] * 3)
            receiver.start()
            wait_for(lambda: len(receiver.received) >= 5, 60, "the failing answers")
            daemon.kill()
            receiver.release.set()
            assert any(row.status == "pending" for row in _outbox(harness))
            daemon = DaemonProcess(args, env)
            wait_for(
                lambda: all(row.status == "sent" for row in _outbox(harness)),
                180,
                "every alert sent",
            )
            daemon.signal(signal.SIGTERM)
            assert daemon.finish(120) == 0
        finally:
            daemon.kill()
            receiver.stop()
        harness.assert_every_article_once()

    rows = _outbox(harness)
    ids_of: dict[int, set[str]] = defaultdict(set)
    for hit in receiver.received:
        verify(SECRET, hit.headers, hit.body)  # each attempt freshly signed
        event_id = int(hit.headers["webhook-id"].split("-")[1])
        ids_of[event_id].add(hit.headers["webhook-id"])
    assert {row.event_id for row in rows} == harness.flagged_events() == set(ids_of)
    assert {event: len(ids) for event, ids in ids_of.items()} == dict.fromkeys(ids_of, 1)
    assert {row.message_id for row in rows} == set().union(*ids_of.values())
    assert len(receiver.received) > len(rows)  # the failed attempts, and a held one re-sent
