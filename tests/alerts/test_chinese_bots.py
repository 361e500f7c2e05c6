"""Feishu/Lark, DingTalk and WeCom group bots through the relay against local stand-ins that
answer like the platforms (SQLite and PostgreSQL)."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy.orm import Session, sessionmaker

from fundwatch.alerts.relay import Relay
from fundwatch.storage.outbox import disabled_channels
from fundwatch.storage.timeutil import as_utc, utcnow
from harness.platform_receivers import PlatformReceiver, Reply
from tests.support.alert_fixtures import add_event, make_due, outbox_attempts, outbox_rows
from tests.support.chat_fixtures import (
    DINGTALK_SECRET,
    FEISHU_SECRET,
    FakeClock,
    channel_yaml,
    setup_from,
)

ZH_ARTICLE = {"title": "HeyGen完成6000万美元A轮融资", "language": "zh-Hans", "source": "36kr"}


@pytest.fixture
def platform(request: pytest.FixtureRequest) -> Iterator[PlatformReceiver]:
    kind, options = request.param if isinstance(request.param, tuple) else (request.param, {})
    receiver = PlatformReceiver(kind, **options).start()
    yield receiver
    receiver.release.set()
    receiver.stop()


def _relay(sessions: sessionmaker[Session], tmp_path: Path, text: str, **kw: object) -> Relay:
    return Relay(sessions, setup_from(tmp_path, text).routes, **kw)  # type: ignore[arg-type]


@pytest.mark.parametrize("platform", [("feishu", {"secret": FEISHU_SECRET})], indirect=True)
def test_feishu_signed_card_in_chinese_for_a_chinese_event(
    sessions: sessionmaker[Session], platform: PlatformReceiver, tmp_path: Path
) -> None:
    relay = _relay(
        sessions, tmp_path, channel_yaml("feishu", platform.url, "  secret: ${FW_FEISHU_SECRET}\n")
    )
    add_event(sessions, list(relay.routes.values()), articles=[ZH_ARTICLE])
    assert relay.run_once().sent == 1
    (hit,) = platform.accepted
    card = hit.body["card"]
    assert hit.body["msg_type"] == "interactive"
    assert card["header"]["title"]["content"] == "HeyGen完成6000万美元A轮融资，Benchmark领投"
    content = card["elements"][0]["text"]["content"]
    assert "**轮次**：A轮" in content and "**领投方**：Benchmark" in content
    assert "](https://news.example.com/" in content
    (row,) = outbox_rows(sessions)
    assert row.status == "sent" and row.attempts == 1


@pytest.mark.parametrize("platform", [("feishu", {"secret": "another-secret"})], indirect=True)
def test_feishu_rejected_signature_fails_permanently_with_the_platform_reason(
    sessions: sessionmaker[Session], platform: PlatformReceiver, tmp_path: Path
) -> None:
    relay = _relay(
        sessions, tmp_path, channel_yaml("feishu", platform.url, "  secret: ${FW_FEISHU_SECRET}\n")
    )
    add_event(sessions, list(relay.routes.values()))
    assert relay.run_once().failed == 1
    (attempt,) = outbox_attempts(sessions)
    assert attempt.outcome == "failed" and attempt.status_code == 200
    assert "Feishu error 19021" in (attempt.error or "") and "clock" in (attempt.error or "")
    assert platform.accepted == []


@pytest.mark.parametrize("platform", ["feishu"], indirect=True)
def test_feishu_rate_limit_code_is_retried_after_a_minute_then_sent_once(
    sessions: sessionmaker[Session], platform: PlatformReceiver, tmp_path: Path
) -> None:
    relay = _relay(sessions, tmp_path, channel_yaml("feishu", platform.url, "  format: post\n"))
    add_event(sessions, list(relay.routes.values()))
    platform.plan("rate", "busy")
    assert relay.run_once().retried == 1
    (row,) = outbox_rows(sessions)
    assert "11232" in (row.last_error or "")
    delay = as_utc(row.next_attempt_at) - as_utc(outbox_attempts(sessions)[0].attempted_at)
    assert timedelta(seconds=59) <= delay <= timedelta(seconds=61)
    make_due(sessions)
    assert relay.run_once().retried == 1  # "system busy": retried on the backoff schedule
    make_due(sessions)
    assert relay.run_once().sent == 1
    make_due(sessions)
    assert relay.run_once().claimed == 0
    (hit,) = platform.accepted
    post = hit.body["content"]["post"]["en_us"]
    assert post["title"] == "HeyGen raised $60M (Series A, led by Benchmark)"
    texts = [item.get("text") for row_ in post["content"] for item in row_]
    assert "Lead investors: Benchmark" in texts
    assert [a.outcome for a in outbox_attempts(sessions)] == ["retry", "retry", "sent"]


@pytest.mark.parametrize("platform", ["feishu"], indirect=True)
def test_feishu_removed_bot_disables_the_channel(
    sessions: sessionmaker[Session], platform: PlatformReceiver, tmp_path: Path
) -> None:
    relay = _relay(sessions, tmp_path, channel_yaml("feishu", platform.url), batch_size=1)
    routes = list(relay.routes.values())
    add_event(sessions, routes, company="One")
    add_event(sessions, routes, company="Two")
    platform.plan("gone")
    assert relay.run_once().disabled == 1
    assert [r.status for r in outbox_rows(sessions)] == ["failed", "failed"]
    with sessions() as session:
        assert "19001" in (disabled_channels(session)["feishu"] or "")
    assert len(platform.hits) == 1


@pytest.mark.parametrize(
    "platform", [("dingtalk", {"secret": DINGTALK_SECRET, "keyword": "融资"})], indirect=True
)
def test_dingtalk_signed_markdown_with_keyword(
    sessions: sessionmaker[Session], platform: PlatformReceiver, tmp_path: Path
) -> None:
    relay = _relay(
        sessions,
        tmp_path,
        channel_yaml("dingtalk", platform.url, "  secret: ${FW_DINGTALK_SECRET}\n")
        + channel_yaml(
            "dingtalk", platform.url, "  secret: ${FW_DINGTALK_SECRET}\n  keyword: 融资\n", "kw"
        ),
    )
    add_event(
        sessions, list(relay.routes.values()), articles=[{"title": "Story", "language": "en"}]
    )
    stats = relay.run_once()
    assert (stats.sent, stats.failed) == (1, 1)  # English text lacks the keyword 融资
    failed = next(r for r in outbox_rows(sessions) if r.status == "failed")
    assert failed.channel == "dingtalk" and "310000" in (failed.last_error or "")
    (hit,) = platform.accepted
    assert hit.query["access_token"] == "ding-token-secret" and hit.query["sign"]
    markdown = hit.body["markdown"]
    assert hit.body["msgtype"] == "markdown" and hit.body["at"] == {"isAtAll": False}
    assert markdown["text"].startswith("### HeyGen raised $60M (Series A, led by Benchmark)")
    assert markdown["text"].rstrip().endswith("fundwatch · 融资")


@pytest.mark.parametrize("platform", [("dingtalk", {"per_minute": 20})], indirect=True)
def test_dingtalk_throttle_waits_the_documented_ten_minutes(
    sessions: sessionmaker[Session], platform: PlatformReceiver, tmp_path: Path
) -> None:
    relay = _relay(sessions, tmp_path, channel_yaml("dingtalk", platform.url))
    add_event(sessions, list(relay.routes.values()))
    platform.plan("rate")
    assert relay.run_once().retried == 1
    (row,) = outbox_rows(sessions)
    (attempt,) = outbox_attempts(sessions)
    delay = as_utc(row.next_attempt_at) - as_utc(attempt.attempted_at)
    assert timedelta(seconds=599) <= delay <= timedelta(seconds=601)
    assert "130101" in (row.last_error or "")


@pytest.mark.parametrize("platform", [("wecom", {"per_minute": 20})], indirect=True)
def test_wecom_splits_a_burst_into_messages_under_4096_bytes(
    sessions: sessionmaker[Session], platform: PlatformReceiver, tmp_path: Path
) -> None:
    relay = _relay(sessions, tmp_path, channel_yaml("wecom", platform.url, "  language: zh-Hans\n"))
    routes = list(relay.routes.values())
    names = [f"公司{i:02d}视频生成科技有限公司" for i in range(30)]
    for name in names:
        add_event(sessions, routes, company=name, articles=[{"title": f"{name}完成融资" * 3}])
    stats = relay.run_once()
    assert stats.sent == 30 and stats.failed == stats.retried == 0
    assert 2 <= len(platform.accepted) == stats.messages < 30
    contents = [hit.body["markdown"]["content"] for hit in platform.accepted]
    assert all(len(c.encode()) <= 4096 for c in contents)
    for name in names:  # every event in exactly one message
        assert sum(f"**{name}完成" in c or f"### {name}完成" in c for c in contents) == 1
    assert contents[0].startswith("**公司00")


@pytest.mark.parametrize("platform", ["wecom"], indirect=True)
def test_wecom_invalid_webhook_disables_and_busy_retries(
    sessions: sessionmaker[Session], platform: PlatformReceiver, tmp_path: Path
) -> None:
    relay = _relay(sessions, tmp_path, channel_yaml("wecom", platform.url))
    add_event(sessions, list(relay.routes.values()))
    platform.plan("busy", "gone")
    assert relay.run_once().retried == 1
    make_due(sessions)
    assert relay.run_once().disabled == 1
    assert outbox_rows(sessions)[0].status == "failed"
    assert [a.status_code for a in outbox_attempts(sessions)] == [200, 200]


@pytest.mark.parametrize("platform", ["feishu"], indirect=True)
def test_the_relay_keeps_under_the_platform_rate_limit(
    sessions: sessionmaker[Session], platform: PlatformReceiver, tmp_path: Path
) -> None:
    clock = FakeClock(utcnow() + timedelta(minutes=10))  # every row queued below is due
    relay = _relay(sessions, tmp_path, channel_yaml("feishu", platform.url), clock=clock)
    routes = list(relay.routes.values())
    for second in range(7):  # one event per pass: Feishu allows 5 messages a second
        add_event(sessions, routes, company=f"Co{second}")
        relay.run_once()
    assert len(platform.hits) == 5
    held = [r for r in outbox_rows(sessions) if r.status == "pending"]
    assert len(held) == 2 and all(r.attempts == 0 for r in held)  # no attempt spent
    clock.advance(seconds=1.5)
    stats = relay.run_once()
    assert stats.sent == 2 and stats.messages == 1  # the two waiting go out together
    assert len(platform.hits) == 6


@pytest.mark.parametrize("platform", ["feishu"], indirect=True)
def test_feishu_gateway_reset_header_sets_the_wait(
    sessions: sessionmaker[Session], platform: PlatformReceiver, tmp_path: Path
) -> None:
    relay = _relay(sessions, tmp_path, channel_yaml("feishu", platform.url))
    add_event(sessions, list(relay.routes.values()))
    limited = {"code": 11232, "msg": "frequency limited", "data": {}}
    platform.plan(Reply(400, limited, {"x-ogw-ratelimit-reset": "17"}))
    assert relay.run_once().retried == 1
    (row,) = outbox_rows(sessions)
    delay = as_utc(row.next_attempt_at) - as_utc(outbox_attempts(sessions)[0].attempted_at)
    assert timedelta(seconds=16) <= delay <= timedelta(seconds=18)
    assert outbox_attempts(sessions)[0].status_code == 400


@pytest.mark.parametrize("platform", ["feishu"], indirect=True)
def test_alerts_due_together_are_grouped_by_language(
    sessions: sessionmaker[Session], platform: PlatformReceiver, tmp_path: Path
) -> None:
    relay = _relay(sessions, tmp_path, channel_yaml("feishu", platform.url))
    routes = list(relay.routes.values())
    add_event(sessions, routes, company="生数科技", articles=[ZH_ARTICLE])
    add_event(sessions, routes, company="爱诗科技", articles=[ZH_ARTICLE])
    add_event(sessions, routes, company="Runway")
    stats = relay.run_once()
    assert (stats.sent, stats.messages) == (3, 2)
    first, second = (hit.body["card"] for hit in platform.accepted)
    assert first["header"]["title"]["content"] == "AI视频融资汇总：2起"
    assert "**生数科技完成6000万美元A轮融资" in first["elements"][0]["text"]["content"]
    assert second["header"]["title"]["content"].startswith("Runway raised $60M")
