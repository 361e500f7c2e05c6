"""SIGKILL at the worst moments: the relay runs in a subprocess against a real receiver."""

from __future__ import annotations

import email
import email.policy
import signal
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from alert_certs import SelfSignedCert
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from fundwatch.alerts.signing import verify
from fundwatch.storage.models import AlertOutbox
from harness.alert_receivers import Behaviour, SmtpSink, WebhookReceiver
from harness.platform_receivers import PlatformReceiver
from tests.support.alert_fixtures import SMTP_PASSWORD, WEBHOOK_SECRET, outbox_attempts
from tests.support.chat_fixtures import FEISHU_SECRET

WORKER = Path(__file__).with_name("relay_worker.py")


def _wait_for(condition: Callable[[], bool], what: str, limit: float = 30.0) -> None:
    end = time.monotonic() + limit
    while not condition():
        if time.monotonic() > end:
            pytest.fail(f"gave up waiting for {what}")
        time.sleep(0.05)


@pytest.fixture
def channels_file(tmp_path: Path, receiver: WebhookReceiver) -> Path:
    path = tmp_path / "alerts.yaml"
    path.write_text(
        f"- name: hook\n  type: webhook\n  url: '{receiver.url}'\n"
        "  secret: ${FW_WEBHOOK_SECRET}\n  deadline: 5s\n"
    )
    return path


@pytest.fixture
def spawn(
    database_url: str, channels_file: Path, secrets_env: dict[str, str], tmp_path: Path
) -> Iterator[Callable[..., subprocess.Popen[str]]]:
    processes: list[subprocess.Popen[str]] = []

    def start(mode: str, channels: Path = channels_file) -> subprocess.Popen[str]:
        log = open(tmp_path / f"worker-{len(processes)}.log", "w")  # noqa: SIM115
        process = subprocess.Popen(
            [sys.executable, str(WORKER), database_url, str(channels), mode],
            stdout=subprocess.PIPE,
            stderr=log,
            text=True,
            env=secrets_env,
        )
        processes.append(process)
        return process

    yield start
    for process in processes:
        if process.poll() is None:
            process.kill()
        process.wait(10)
    logs = "".join(p.read_text() for p in tmp_path.glob("worker-*.log"))
    assert "alert" in logs  # the workers did log
    secrets = (WEBHOOK_SECRET, WEBHOOK_SECRET.removeprefix("whsec_"), "t0ps3cr3t", SMTP_PASSWORD)
    for secret in secrets:
        assert secret not in logs


def _statuses(sessions: sessionmaker[Session]) -> list[str]:
    with sessions() as session:
        return list(session.scalars(select(AlertOutbox.status).order_by(AlertOutbox.id)))


def test_killed_after_commit_before_send_delivers_once_after_restart(
    sessions: sessionmaker[Session],
    receiver: WebhookReceiver,
    spawn: Callable[..., subprocess.Popen[str]],
) -> None:
    writer = spawn("enqueue")
    assert writer.wait(60) == -signal.SIGKILL
    assert _statuses(sessions) == ["pending"] and receiver.received == []
    relay = spawn("1")
    _wait_for(lambda: _statuses(sessions) == ["sent"], "the alert to be sent")
    time.sleep(0.5)  # a few more relay polls: nothing else may be sent
    relay.send_signal(signal.SIGKILL)
    assert len(receiver.received) == 1
    verify(WEBHOOK_SECRET, receiver.received[0].headers, receiver.received[0].body)


def test_killed_after_the_receiver_accepted_resends_with_the_same_id(
    sessions: sessionmaker[Session],
    receiver: WebhookReceiver,
    spawn: Callable[..., subprocess.Popen[str]],
) -> None:
    receiver.plan(Behaviour(hold=True))  # take the request, answer only when released
    writer = spawn("enqueue")
    assert writer.wait(60) == -signal.SIGKILL
    first = spawn("1")  # lease 1 s: the row is due again 1 s after a crash
    _wait_for(receiver.got_request.is_set, "the first delivery")
    first.send_signal(signal.SIGKILL)
    first.wait(10)
    receiver.release.set()
    assert _statuses(sessions) == ["pending"]
    second = spawn("1")
    _wait_for(lambda: _statuses(sessions) == ["sent"], "the re-sent alert")
    second.send_signal(signal.SIGKILL)
    ids = receiver.ids()
    assert len(ids) == 2 and ids[0] == ids[1] == "fw-1-0-hook"
    for hit in receiver.received:
        verify(WEBHOOK_SECRET, hit.headers, hit.body)


def test_killed_after_smtp_accepted_resends_with_the_same_message_id(
    sessions: sessionmaker[Session],
    spawn: Callable[..., subprocess.Popen[str]],
    test_cert: SelfSignedCert,
    tmp_path: Path,
) -> None:
    with SmtpSink(tls=test_cert.server_context(), user="alerts", password=SMTP_PASSWORD) as sink:
        channels = tmp_path / "mail.yaml"
        channels.write_text(
            f"- {{name: mail, type: email, host: 127.0.0.1, port: {sink.port}, "
            "username: alerts, password: '${FW_SMTP_PASSWORD}', from: alerts@fundwatch.example, "
            f"to: [team@example.com], timeout: 5s, ca_file: '{test_cert.cert_file}'}}\n"
        )
        sink.handler.replies = ["accept-hang"]
        assert spawn("enqueue", channels).wait(60) == -signal.SIGKILL
        first = spawn("1", channels)
        _wait_for(sink.handler.accepted.is_set, "the SMTP server to accept the message")
        first.send_signal(signal.SIGKILL)
        first.wait(10)
        assert _statuses(sessions) == ["pending"]
        second = spawn("1", channels)
        _wait_for(lambda: _statuses(sessions) == ["sent"], "the re-sent e-mail")
        second.send_signal(signal.SIGKILL)
    ids = [
        email.message_from_bytes(raw, policy=email.policy.default)["Message-ID"]
        for raw in sink.handler.messages
    ]
    assert ids == ["<fw-1-0-mail@fundwatch.example>"] * 2


def test_feishu_outage_and_a_relay_kill_9_still_deliver_exactly_once(
    sessions: sessionmaker[Session],
    spawn: Callable[..., subprocess.Popen[str]],
    secrets_env: dict[str, str],
    tmp_path: Path,
) -> None:
    feishu = PlatformReceiver("feishu", secret=FEISHU_SECRET)  # not started: the outage
    secrets_env["FW_FEISHU_SECRET"] = FEISHU_SECRET
    channels = tmp_path / "feishu.yaml"
    channels.write_text(
        f"- name: deals\n  type: feishu\n  url: '{feishu.url}'\n  secret: ${{FW_FEISHU_SECRET}}\n"
        "  deadline: 3s\n  retry: {initial: 1s, jitter: 0}\n"
    )
    assert spawn("enqueue", channels).wait(60) == -signal.SIGKILL
    first = spawn("1", channels)
    _wait_for(lambda: len(outbox_attempts(sessions)) >= 2, "two failed attempts")
    first.send_signal(signal.SIGKILL)
    first.wait(10)
    assert _statuses(sessions) == ["pending"]
    feishu.start()
    try:
        second = spawn("1", channels)
        _wait_for(lambda: _statuses(sessions) == ["sent"], "the alert after the outage")
        time.sleep(0.5)  # more relay polls: nothing else may be sent
        second.send_signal(signal.SIGKILL)
    finally:
        feishu.stop()
    assert len(feishu.hits) == len(feishu.accepted) == 1
    assert feishu.accepted[0].body["card"]["header"]["title"]["content"].startswith("Crashco")
    logs = "".join(p.read_text() for p in tmp_path.glob("worker-*.log"))
    assert FEISHU_SECRET not in logs and "hook-token-secret" not in logs
