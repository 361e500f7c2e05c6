from __future__ import annotations

from pathlib import Path
from types import SimpleNamespace

import pytest

from fundwatch.configuration.alerts import (
    AlertsConfigError,
    load_channels,
    load_channels_file,
    load_setup,
)
from fundwatch.configuration.settings import Settings
from tests.support.alert_fixtures import SMTP_PASSWORD, WEBHOOK_SECRET

GOOD = """
channels:
  - name: ops-hook
    type: webhook
    url: https://hooks.example.com/fundwatch
    secret: ${FW_WEBHOOK_SECRET}
    deadline: 10s
    send_updates: true
    filters: {min_amount_usd: 10000000, rounds: [A, B], languages: [zh]}
    retry: {initial: 1m, give_up_after: 2d}
  - name: team-mail
    type: email
    host: smtp.example.com
    port: 587
    username: alerts
    password: ${FW_SMTP_PASSWORD}
    from: alerts@example.com
    to: [team@example.com]
    digest: daily
"""


def test_channels_load_with_secrets_from_the_environment(tmp_path: Path) -> None:
    path = tmp_path / "alerts.yaml"
    path.write_text(GOOD)
    env = {"FW_WEBHOOK_SECRET": WEBHOOK_SECRET, "FW_SMTP_PASSWORD": SMTP_PASSWORD}
    hook, mail = load_setup(Settings(alerts=path), env).channels
    assert hook.secret is not None and hook.secret.get_secret_value() == WEBHOOK_SECRET
    assert hook.deadline == 10 and hook.retry.initial == 60 and hook.retry.give_up_after == 172800
    assert hook.send_updates and not mail.send_updates
    assert mail.password is not None and mail.password.get_secret_value() == SMTP_PASSWORD
    assert mail.digest_seconds == 86400
    shown = repr(hook) + str(hook) + repr(mail) + str(mail)
    assert WEBHOOK_SECRET not in shown and SMTP_PASSWORD not in shown
    assert "hooks.example.com" not in repr(hook)
    assert mail.cadence.describe() == "every 86400s"  # the older `digest: daily`
    assert [r.name for r in load_channels(Settings(alerts=path), env)] == ["ops-hook", "team-mail"]
    assert load_channels(Settings(alerts=None), env) == []


def test_default_retry_schedule_spans_at_least_a_day(tmp_path: Path) -> None:
    path = tmp_path / "alerts.yaml"
    path.write_text("- {name: h, type: webhook, url: 'http://127.0.0.1:1/x'}\n")
    (hook,) = load_channels_file(path, {})
    assert hook.retry.give_up_after >= 24 * 3600
    assert hook.retry.factor > 1 and hook.retry.jitter > 0


@pytest.mark.parametrize(
    ("entry", "expected"),
    [
        ("secret: whsec_literal", "field 'secret': write secrets as an environment reference"),
        ("secret: ${FW_NOPE}", "field 'secret': environment variable FW_NOPE is not set"),
        ("url: ftp://x", "field 'url': must be an http:// or https:// URL"),
        ("format: teams", "field 'format'"),
        ("deadlin: 5s", "field 'deadlin': unknown field"),
    ],
)
def test_errors_name_file_channel_and_field(tmp_path: Path, entry: str, expected: str) -> None:
    path = tmp_path / "alerts.yaml"
    base = "- name: ops-hook\n  type: webhook\n  url: https://h.example/x\n"
    if entry.startswith("url:"):
        base = "- name: ops-hook\n  type: webhook\n"
    path.write_text(base + "  " + entry + "\n")
    with pytest.raises(AlertsConfigError) as caught:
        load_channels_file(path, {})
    message = str(caught.value)
    assert f"{path}: channel 1 'ops-hook': {expected}" in message
    assert "whsec_literal" not in message


def test_email_refuses_credentials_without_tls(tmp_path: Path) -> None:
    path = tmp_path / "alerts.yaml"
    path.write_text(
        "- {name: m, type: email, host: h, security: none, username: u, "
        "password: '${P}', from: a@b.example, to: c@d.example}\n"
    )
    with pytest.raises(AlertsConfigError, match="credentials are only sent over TLS"):
        load_channels_file(path, {"P": "pw"})


def test_filters(tmp_path: Path) -> None:
    path = tmp_path / "alerts.yaml"
    path.write_text(
        "- name: big\n  type: webhook\n  url: https://h.example/x\n"
        "  filters: {min_amount_usd: 10000000, rounds: [A, B], languages: [zh]}\n"
    )
    (channel,) = load_channels_file(path, {})

    def event(**fields: object) -> SimpleNamespace:
        base = {"amount_usd": 60e6, "round": "A", "languages": ["zh-Hans"], "company": "X"}
        return SimpleNamespace(**{**base, **fields})

    assert channel.accepts(event())
    assert not channel.accepts(event(amount_usd=5e6))
    assert not channel.accepts(event(amount_usd=None))
    assert not channel.accepts(event(round="seed"))
    assert not channel.accepts(event(languages=["en"]))
