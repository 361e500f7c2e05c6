"""`fundwatch alerts` and `fundwatch test-alert` as a user runs them."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from fundwatch.alerts.relay import Relay
from fundwatch.alerts.signing import verify
from fundwatch.configuration.alerts import load_channels_file
from fundwatch.storage import create_db_engine, session_factory
from harness.alert_receivers import Behaviour, WebhookReceiver
from harness.platform_receivers import PlatformReceiver
from tests.support.alert_fixtures import WEBHOOK_SECRET, add_event
from tests.support.chat_fixtures import FEISHU_SECRET


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


def test_test_alert_reports_the_platforms_own_answer(
    tmp_path: Path, sqlite_url: str, secrets_env: dict[str, str]
) -> None:
    feishu = PlatformReceiver("feishu", secret=FEISHU_SECRET).start()
    try:
        channels = tmp_path / "chat.yaml"
        channels.write_text(
            f"channels:\n  - {{name: deals, type: feishu, url: '{feishu.url}', "
            "secret: '${FW_FEISHU_SECRET}', language: auto}\n"
            "subscriptions:\n  - {name: partner, channels: [deals]}\n"
        )
        env = {
            **secrets_env,
            "FUNDWATCH_DATABASE_URL": sqlite_url,
            "FUNDWATCH_ALERTS": str(channels),
            "FUNDWATCH_CONFIG": "",
            "FW_FEISHU_SECRET": FEISHU_SECRET,
        }
        ok = _fundwatch(env, "test-alert", "partner/deals", "--language", "zh-Hans")
        assert ok.returncode == 0, ok.stderr
        first, answer = ok.stdout.splitlines()
        assert first.startswith("partner/deals: sent 200")
        assert answer.startswith('feishu answered: {"code": 0, "msg": "success"')
        title = feishu.accepted[0].body["card"]["header"]["title"]["content"]
        assert title.startswith("[fundwatch 测试消息] Example Video AI完成6000万美元A轮融资")

        env["FW_FEISHU_SECRET"] = "not-the-bots-secret"
        bad = _fundwatch(env, "test-alert", "deals")
        assert bad.returncode == 1
        assert "deals: failed 200 (Feishu error 19021" in bad.stdout
        assert '"code": 19021' in bad.stdout
        assert "hook-token-secret" not in bad.stdout + bad.stderr
        assert "not-the-bots-secret" not in bad.stdout + bad.stderr
    finally:
        feishu.stop()
