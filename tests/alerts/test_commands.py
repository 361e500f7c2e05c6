"""`fundwatch alerts` and `fundwatch test-alert` as a user runs them."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from alert_fixtures import WEBHOOK_SECRET, add_event
from alert_receivers import Behaviour, WebhookReceiver

from fundwatch.alerts.relay import Relay
from fundwatch.alerts.signing import verify
from fundwatch.configuration.alerts import load_channels_file
from fundwatch.storage import create_db_engine, session_factory


def _fundwatch(env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "fundwatch", *args],
        capture_output=True,
        text=True,
        env=env,
        timeout=60,
    )


def _setup(tmp_path: Path, sqlite_url: str, url: str, secrets_env: dict[str, str]) -> dict:
    channels = tmp_path / "alerts.yaml"
    channels.write_text(
        f"- name: hook\n  type: webhook\n  url: '{url}'\n  secret: ${{FW_WEBHOOK_SECRET}}\n"
    )
    return {
        **secrets_env,
        "FUNDWATCH_DATABASE_URL": sqlite_url,
        "FUNDWATCH_ALERTS": str(channels),
        "FUNDWATCH_CONFIG": "",
    }


def test_alerts_lists_pending_failed_and_reenables(
    tmp_path: Path, sqlite_url: str, receiver: WebhookReceiver, secrets_env: dict[str, str]
) -> None:
    env = _setup(tmp_path, sqlite_url, receiver.url, secrets_env)
    channels = load_channels_file(Path(env["FUNDWATCH_ALERTS"]), env)
    sessions = session_factory(create_db_engine(sqlite_url))
    add_event(sessions, channels, company="Gone Co")
    receiver.plan(Behaviour(410))
    Relay(sessions, channels).run_once()
    add_event(sessions, channels, company="Waiting Co")

    pending = _fundwatch(env, "alerts", "--pending", "--format", "json")
    assert pending.returncode == 0, pending.stderr
    rows = [json.loads(line) for line in pending.stdout.splitlines()]
    assert [(r["company"], r["status"]) for r in rows] == [("Waiting Co", "pending")]
    assert "channel hook is disabled" in pending.stderr and "--enable hook" in pending.stderr

    failed = _fundwatch(env, "alerts", "--failed")
    assert "Gone Co" in failed.stdout and "410" in failed.stdout

    assert _fundwatch(env, "alerts", "--enable", "hook").returncode == 0
    assert _fundwatch(env, "alerts", "--retry", "1").returncode == 0
    assert Relay(sessions, channels).run_once().sent == 2
    listing = _fundwatch(env, "alerts", "--sent", "--format", "csv")
    assert len(listing.stdout.splitlines()) == 3 and "disabled" not in listing.stderr


def test_test_alert_sends_a_signed_sample(
    tmp_path: Path, sqlite_url: str, receiver: WebhookReceiver, secrets_env: dict[str, str]
) -> None:
    env = _setup(tmp_path, sqlite_url, receiver.url, secrets_env)
    result = _fundwatch(env, "test-alert", "hook")
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("hook: sent 200")
    (hit,) = receiver.received
    verify(WEBHOOK_SECRET, hit.headers, hit.body)
    assert WEBHOOK_SECRET not in result.stdout + result.stderr

    receiver.plan(Behaviour(500))
    assert _fundwatch(env, "test-alert", "hook").returncode == 1
    unknown = _fundwatch(env, "test-alert", "nope")
    assert unknown.returncode == 2 and "known: hook" in unknown.stderr
