"""Webhook delivery through the relay against a real local HTTP receiver (SQLite and PostgreSQL)."""

from __future__ import annotations

import json
import logging
import threading
from datetime import timedelta
from pathlib import Path

import pytest
from alert_certs import SelfSignedCert
from sqlalchemy import update
from sqlalchemy.orm import Session, sessionmaker

from fundwatch.alerts.relay import Relay
from fundwatch.alerts.signing import verify
from fundwatch.configuration.alerts import WebhookChannel, load_channels_file
from fundwatch.storage.models import AlertOutbox
from fundwatch.storage.outbox import disabled_channels
from fundwatch.storage.timeutil import as_utc, utcnow
from harness.alert_receivers import Behaviour, WebhookReceiver
from tests.support.alert_fixtures import (
    WEBHOOK_SECRET,
    add_event,
    make_due,
    outbox_attempts,
    outbox_rows,
)


def _channel(tmp_path: Path, url: str, extra: str = "") -> WebhookChannel:
    path = tmp_path / "alerts.yaml"
    path.write_text(
        f"- name: hook\n  type: webhook\n  url: '{url}'\n  secret: ${{FW_WEBHOOK_SECRET}}\n"
        f"  timeout: 2s\n  deadline: 2s\n{extra}"
    )
    (channel,) = load_channels_file(path, {"FW_WEBHOOK_SECRET": WEBHOOK_SECRET})
    assert isinstance(channel, WebhookChannel)
    return channel


def test_delivers_a_signed_payload_once(
    sessions: sessionmaker[Session], receiver: WebhookReceiver, tmp_path: Path
) -> None:
    channel = _channel(tmp_path, receiver.url)
    event_id = add_event(
        sessions,
        [channel],
        articles=[
            {"title": "HeyGen <b>raises</b> $60M", "language": "en", "source": "wire"},
            {"title": "HeyGen 完成6000万美元A轮融资", "language": "zh-Hans", "source": "36kr"},
        ],
    )
    relay = Relay(sessions, [channel])
    stats = relay.run_once()
    assert (stats.sent, stats.claimed) == (1, 1)
    assert relay.run_once().claimed == 0
    (hit,) = receiver.received
    verify(WEBHOOK_SECRET, hit.headers, hit.body)
    assert hit.headers["webhook-id"] == f"fw-{event_id}-0-hook"
    data = json.loads(hit.body)["data"]
    assert data["company"] == "HeyGen" and data["round"] == "A" and data["amount_usd"] == 60e6
    assert data["lead_investors"] == ["Benchmark"] and "Conviction" in data["investors"]
    titles = [a["title"] for a in data["articles"]]
    assert titles == ["HeyGen raises $60M", "HeyGen 完成6000万美元A轮融资"]
    assert {a["language"] for a in data["articles"]} == {"en", "zh-Hans"}
    (row,) = outbox_rows(sessions)
    assert row.status == "sent" and row.attempts == 1 and row.sent_at is not None


def test_server_errors_are_retried_with_the_same_id_and_a_fresh_signature(
    sessions: sessionmaker[Session], receiver: WebhookReceiver, tmp_path: Path
) -> None:
    channel = _channel(tmp_path, receiver.url)
    add_event(sessions, [channel])
    receiver.plan(
        Behaviour(500), Behaviour(302, {"location": f"http://127.0.0.1:{receiver.port}/x"})
    )
    relay = Relay(sessions, [channel])
    assert relay.run_once().retried == 1
    (row,) = outbox_rows(sessions)
    assert row.status == "pending" and row.attempts == 1 and "HTTP 500" in (row.last_error or "")
    delay = (as_utc(row.next_attempt_at) - utcnow()).total_seconds()
    assert 15 < delay < 40  # first backoff step: 30 s ± 20 % jitter
    make_due(sessions)
    assert relay.run_once().retried == 1  # 302 is a failure and is not followed
    assert "redirect" in (outbox_rows(sessions)[0].last_error or "")
    make_due(sessions)
    assert relay.run_once().sent == 1
    assert len(receiver.received) == 3 and all(
        r.path.startswith("/hook") for r in receiver.received
    )
    assert len(set(receiver.ids())) == 1
    assert (
        len({r.headers["webhook-signature"] for r in receiver.received}) == 3
        or len({r.headers["webhook-timestamp"] for r in receiver.received}) < 3
    )
    for hit in receiver.received:
        verify(WEBHOOK_SECRET, hit.headers, hit.body)
    outcomes = [(a.outcome, a.status_code) for a in outbox_attempts(sessions)]
    assert outcomes == [("retry", 500), ("retry", 302), ("sent", 200)]


def test_429_honours_retry_after(
    sessions: sessionmaker[Session], receiver: WebhookReceiver, tmp_path: Path
) -> None:
    channel = _channel(tmp_path, receiver.url)
    add_event(sessions, [channel])
    receiver.plan(Behaviour(429, {"retry-after": "7200"}))
    Relay(sessions, [channel]).run_once()
    (row,) = outbox_rows(sessions)
    delay = (as_utc(row.next_attempt_at) - utcnow()).total_seconds()
    assert 7100 < delay <= 7200


def test_410_disables_the_channel_and_other_4xx_fail_permanently(
    sessions: sessionmaker[Session], receiver: WebhookReceiver, tmp_path: Path
) -> None:
    channel = _channel(tmp_path, receiver.url)
    add_event(sessions, [channel], company="One")
    receiver.plan(Behaviour(404))
    relay = Relay(sessions, [channel], batch_size=1)
    assert relay.run_once().failed == 1
    add_event(sessions, [channel], company="Two")
    add_event(sessions, [channel], company="Three")
    receiver.plan(Behaviour(410))
    stats = relay.run_once()
    assert stats.disabled == 1
    assert [r.status for r in outbox_rows(sessions)] == ["failed", "failed", "failed"]
    with sessions() as session:
        assert "410" in (disabled_channels(session)["hook"] or "")
    add_event(sessions, [channel], company="Four")
    assert relay.run_once().claimed == 0
    assert len(receiver.received) == 2


def test_slow_drip_is_cut_at_the_total_deadline(
    sessions: sessionmaker[Session], receiver: WebhookReceiver, tmp_path: Path
) -> None:
    channel = _channel(tmp_path, receiver.url)
    add_event(sessions, [channel])
    receiver.plan(Behaviour(drip=True))  # 60 bytes, one every 0.5 s: 30 s without a deadline
    assert Relay(sessions, [channel]).run_once().retried == 1
    (attempt,) = outbox_attempts(sessions)
    assert "deadline" in (attempt.error or "")
    assert attempt.duration_ms is not None and attempt.duration_ms < 10_000


def test_receiver_down_then_up_delivers_exactly_once(
    sessions: sessionmaker[Session], receiver: WebhookReceiver, tmp_path: Path
) -> None:
    channel = _channel(tmp_path, receiver.url)
    add_event(sessions, [channel])
    receiver.stop()
    relay = Relay(sessions, [channel])
    for _ in range(3):
        assert relay.run_once().retried == 1
        make_due(sessions)
    receiver.start()
    assert relay.run_once().sent == 1
    make_due(sessions)
    assert relay.run_once().claimed == 0
    assert len(receiver.received) == 1
    assert [a.outcome for a in outbox_attempts(sessions)] == ["retry"] * 3 + ["sent"]


def test_retries_end_after_the_retry_window(
    sessions: sessionmaker[Session], receiver: WebhookReceiver, tmp_path: Path
) -> None:
    channel = _channel(tmp_path, receiver.url)
    add_event(sessions, [channel])
    with sessions.begin() as session:
        session.execute(update(AlertOutbox).values(created_at=utcnow() - timedelta(hours=25)))
    receiver.plan(Behaviour(503))
    assert Relay(sessions, [channel]).run_once().failed == 1
    assert outbox_rows(sessions)[0].status == "failed"


def test_untrusted_certificate_is_refused_and_a_configured_ca_is_used(
    sessions: sessionmaker[Session], test_cert: SelfSignedCert, tmp_path: Path
) -> None:
    server = WebhookReceiver(tls=test_cert.server_context())
    server.start()
    try:
        channel = _channel(tmp_path, server.url)
        add_event(sessions, [channel])
        assert Relay(sessions, [channel]).run_once().retried == 1
        assert "CERTIFICATE_VERIFY_FAILED" in (outbox_rows(sessions)[0].last_error or "")
        assert server.received == []
        trusted = _channel(tmp_path, server.url, f"  ca_file: {test_cert.cert_file}\n")
        make_due(sessions)
        assert Relay(sessions, [trusted]).run_once().sent == 1
        assert len(server.received) == 1
    finally:
        server.stop()


def test_no_secret_reaches_the_logs(
    sessions: sessionmaker[Session],
    receiver: WebhookReceiver,
    tmp_path: Path,
    caplog: pytest.LogCaptureFixture,
) -> None:
    caplog.set_level(logging.DEBUG)
    channel = _channel(tmp_path, receiver.url)
    add_event(sessions, [channel])
    receiver.plan(Behaviour(500), Behaviour(410))
    relay = Relay(sessions, [channel])
    relay.run_once()
    make_due(sessions)
    relay.run_once()
    text = caplog.text
    assert "fw-1-0-hook" in text or "hook" in text
    for secret in (WEBHOOK_SECRET, WEBHOOK_SECRET.removeprefix("whsec_"), "t0ps3cr3t-in-url"):
        assert secret not in text


def test_slack_format_posts_a_text_message(
    sessions: sessionmaker[Session], receiver: WebhookReceiver, tmp_path: Path
) -> None:
    channel = _channel(tmp_path, receiver.url, "  format: slack\n")
    add_event(sessions, [channel], articles=[{"title": "HeyGen <i>funding</i> | news"}])
    assert Relay(sessions, [channel]).run_once().sent == 1
    body = json.loads(receiver.received[0].body)
    assert list(body) == ["text"]
    assert body["text"].startswith("HeyGen raised $60M (Series A, led by Benchmark)")
    assert "<https://news.example.com/" in body["text"] and "<i>" not in body["text"]


def test_run_forever_delivers_on_wake_and_stops(
    sessions: sessionmaker[Session], receiver: WebhookReceiver, tmp_path: Path
) -> None:
    channel = _channel(tmp_path, receiver.url)
    relay = Relay(sessions, [channel])
    stop = threading.Event()
    worker = threading.Thread(target=relay.run_forever, args=(stop, 30.0), daemon=True)
    worker.start()
    add_event(sessions, [channel])
    relay.wake()  # without it the next poll would be 30 s away
    assert receiver.got_request.wait(20)
    stop.set()  # noticed within a fraction of a second, no wake() needed
    worker.join(20)
    assert not worker.is_alive()
    assert len(receiver.received) == 1
