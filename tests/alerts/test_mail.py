"""E-mail delivery through the relay against a real aiosmtpd server with STARTTLS and AUTH."""

from __future__ import annotations

import email
import email.policy
import logging
from datetime import timedelta
from pathlib import Path

import pytest
from alert_certs import SelfSignedCert
from sqlalchemy import update
from sqlalchemy.orm import Session, sessionmaker

from fundwatch.alerts.relay import Relay
from fundwatch.configuration.alerts import EmailChannel, load_channels_file
from fundwatch.storage.models import AlertOutbox
from fundwatch.storage.timeutil import utcnow
from harness.alert_receivers import SmtpSink
from tests.support.alert_fixtures import (
    SMTP_PASSWORD,
    add_event,
    make_due,
    outbox_attempts,
    outbox_rows,
)


def _channel(tmp_path: Path, port: int, extra: str = "", ca: Path | None = None) -> EmailChannel:
    path = tmp_path / "alerts.yaml"
    lines = [
        "- name: mail",
        "  type: email",
        "  host: 127.0.0.1",
        f"  port: {port}",
        "  username: alerts",
        "  password: ${FW_SMTP_PASSWORD}",
        "  from: alerts@fundwatch.example",
        "  to: [team@example.com]",
        "  timeout: 2s",
    ]
    if ca is not None:
        lines.append(f"  ca_file: {ca}")
    path.write_text("\n".join(lines) + "\n" + extra)
    (channel,) = load_channels_file(path, {"FW_SMTP_PASSWORD": SMTP_PASSWORD})
    assert isinstance(channel, EmailChannel)
    return channel


def _sink(cert: SelfSignedCert) -> SmtpSink:
    return SmtpSink(tls=cert.server_context(), user="alerts", password=SMTP_PASSWORD)


def test_sends_over_starttls_with_auth(
    sessions: sessionmaker[Session],
    test_cert: SelfSignedCert,
    tmp_path: Path,
    caplog: pytest.LogCaptureFixture,
) -> None:
    caplog.set_level(logging.DEBUG)
    with _sink(test_cert) as sink:
        channel = _channel(tmp_path, sink.port, ca=test_cert.cert_file)
        event_id = add_event(
            sessions,
            [channel],
            articles=[{"title": "HeyGen <script>x()</script>raises $60M", "url": "javascript:x"}],
        )
        assert Relay(sessions, [channel]).run_once().sent == 1
    (raw,) = sink.handler.messages
    message = email.message_from_bytes(raw, policy=email.policy.default)
    assert message["Subject"] == "HeyGen raised $60M (Series A, led by Benchmark)"
    assert message["Message-ID"] == f"<fw-{event_id}-0-mail@fundwatch.example>"
    assert sink.handler.auth_seen and all(tls for _, tls in sink.handler.auth_seen)
    html = message.get_body(("html",)).get_content()
    assert "<script>" not in html and "javascript:" not in html
    assert "HeyGen raises $60M" in message.get_body(("plain",)).get_content()
    assert SMTP_PASSWORD not in caplog.text


def test_transient_replies_are_retried_with_the_same_message_id_and_550_is_permanent(
    sessions: sessionmaker[Session], test_cert: SelfSignedCert, tmp_path: Path
) -> None:
    with _sink(test_cert) as sink:
        channel = _channel(tmp_path, sink.port, ca=test_cert.cert_file)
        add_event(sessions, [channel])
        sink.handler.replies = ["421 try later", "450 mailbox busy", "451 local error", "hang"]
        relay = Relay(sessions, [channel])
        for _ in range(4):
            assert relay.run_once().retried == 1
            make_due(sessions)
        assert relay.run_once().sent == 1
        add_event(sessions, [channel], company="Other")
        sink.handler.replies = ["550 no such user"]
        assert relay.run_once().failed == 1
    attempts = outbox_attempts(sessions)
    assert [a.status_code for a in attempts] == [421, 450, 451, None, 250, 550]
    assert "timed out" in (attempts[3].error or "")
    assert [r.status for r in outbox_rows(sessions)] == ["sent", "failed"]
    (raw,) = [m for m in sink.handler.messages if b"HeyGen" in m]
    assert len(sink.handler.messages) == 1  # the hang never reached 250 here
    message = email.message_from_bytes(raw, policy=email.policy.default)
    assert message["Message-ID"] == "<fw-1-0-mail@fundwatch.example>"


def test_no_starttls_offered_means_no_credentials_are_sent(
    sessions: sessionmaker[Session], tmp_path: Path
) -> None:
    with SmtpSink(user="alerts", password=SMTP_PASSWORD) as sink:  # no TLS at all
        channel = _channel(tmp_path, sink.port)
        add_event(sessions, [channel])
        assert Relay(sessions, [channel]).run_once().retried == 1
    assert sink.handler.auth_seen == [] and sink.handler.messages == []
    assert "did not offer STARTTLS" in (outbox_rows(sessions)[0].last_error or "")


def test_untrusted_certificate_is_refused(
    sessions: sessionmaker[Session], test_cert: SelfSignedCert, tmp_path: Path
) -> None:
    with _sink(test_cert) as sink:
        channel = _channel(tmp_path, sink.port)  # no ca_file: the self-signed cert is untrusted
        add_event(sessions, [channel])
        assert Relay(sessions, [channel]).run_once().retried == 1
    assert sink.handler.auth_seen == [] and sink.handler.messages == []
    assert "certificate" in (outbox_rows(sessions)[0].last_error or "")


def test_daily_digest_sends_one_message_for_several_events(
    sessions: sessionmaker[Session], test_cert: SelfSignedCert, tmp_path: Path
) -> None:
    with _sink(test_cert) as sink:
        channel = _channel(tmp_path, sink.port, "  digest: daily\n", ca=test_cert.cert_file)
        for name in ("Alpha", "Beta", "Gamma"):
            add_event(sessions, [channel], company=name)
        relay = Relay(sessions, [channel])
        assert relay.run_once().claimed == 0  # not a day old yet
        with sessions.begin() as session:
            session.execute(update(AlertOutbox).values(created_at=utcnow() - timedelta(days=1)))
        sink.handler.replies = ["450 busy"]
        assert relay.run_once().retried == 3
        add_event(sessions, [channel], company="Delta")  # arrives after the batch was formed
        make_due(sessions)
        assert relay.run_once().sent == 3
    (raw,) = sink.handler.messages
    message = email.message_from_bytes(raw, policy=email.policy.default)
    assert message["Subject"].startswith("3 AI-video funding rounds: Alpha raised $60M")
    assert message["Message-ID"] == "<fw-digest-1-3-mail@fundwatch.example>"
    assert [r.status for r in outbox_rows(sessions)] == ["sent", "sent", "sent", "pending"]
