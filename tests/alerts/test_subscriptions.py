"""Subscriptions: one crawl, several people. Filters and cadences per route, digests on a fake
clock, and update alerts only where asked for (SQLite and PostgreSQL)."""

from __future__ import annotations

import email
import email.policy
from collections.abc import Iterator
from datetime import datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy.orm import Session, sessionmaker

from fundwatch.alerts.relay import Relay
from fundwatch.configuration.alerts import AlertsConfigError
from fundwatch.storage import FundingEvent
from fundwatch.storage.outbox import enqueue_alerts
from fundwatch.storage.timeutil import as_utc
from harness.alert_receivers import SmtpSink
from harness.platform_receivers import PlatformReceiver
from tests.support.alert_fixtures import add_event, outbox_rows
from tests.support.chat_fixtures import FakeClock, setup_from

LONDON = ZoneInfo("Europe/London")


@pytest.fixture
def feishu() -> Iterator[PlatformReceiver]:
    receiver = PlatformReceiver("feishu").start()
    yield receiver
    receiver.stop()


@pytest.fixture
def wecom() -> Iterator[PlatformReceiver]:
    receiver = PlatformReceiver("wecom").start()
    yield receiver
    receiver.stop()


def _config(feishu_url: str, smtp_port: int) -> str:
    return f"""
channels:
  - {{name: deals, type: feishu, url: '{feishu_url}'}}
  - {{name: analyst-mail, type: email, host: 127.0.0.1, port: {smtp_port}, security: none,
      from: alerts@fundwatch.example, to: [analyst@example.com], timeout: 5s}}
subscriptions:
  - name: partner
    channels: deals
    filters: {{min_amount_usd: 10000000}}
    send_updates: true
  - name: analyst
    channels: [analyst-mail]
    filters: {{languages: [en]}}
    cadence: daily 08:30 Europe/London
"""


def _next_local(after: datetime, hour: int, minute: int) -> datetime:
    local = after.astimezone(LONDON)
    due = local.replace(hour=hour, minute=minute, second=0, microsecond=0)
    return due if due > local else (due + timedelta(days=1)).replace(hour=hour, minute=minute)


def test_one_crawl_serves_a_partner_at_once_and_an_analyst_daily(
    sessions: sessionmaker[Session], feishu: PlatformReceiver, tmp_path: Path
) -> None:
    with SmtpSink() as sink:
        setup = setup_from(tmp_path, _config(feishu.url, sink.port))
        routes = setup.routes
        assert [r.name for r in routes] == ["partner/deals", "analyst/analyst-mail"]
        add_event(sessions, routes, company="BigEn", amount_usd=60e6)
        add_event(
            sessions,
            routes,
            company="SmallZh",
            amount_usd=5e6,
            articles=[{"title": "小公司完成融资", "language": "zh-Hans"}],
        )
        add_event(sessions, routes, company="QuietEn", amount_usd=None)
        assert sorted(r.channel for r in outbox_rows(sessions)) == [
            "analyst/analyst-mail",
            "analyst/analyst-mail",
            "partner/deals",
        ]
        created = max(as_utc(r.created_at) for r in outbox_rows(sessions))
        clock = FakeClock(created + timedelta(seconds=1))
        relay = Relay(sessions, routes, clock=clock)
        assert relay.run_once().sent == 1  # the partner's round, at once
        (hit,) = feishu.accepted
        assert hit.body["card"]["header"]["title"]["content"].startswith("BigEn raised $60M")

        due = _next_local(created, 8, 30)
        clock.now = due - timedelta(minutes=1)
        assert relay.run_once().claimed == 0 and sink.handler.messages == []
        clock.now = due
        stats = relay.run_once()
        assert (stats.sent, stats.messages) == (2, 1)
        clock.advance(days=1)
        assert relay.run_once().claimed == 0
    (raw,) = sink.handler.messages
    message = email.message_from_bytes(raw, policy=email.policy.default)
    assert (
        message["Subject"]
        == "2 AI-video funding rounds: BigEn raised $60M (Series A, led by Benchmark); "
        "QuietEn raised an undisclosed amount (Series A, led by Benchmark)"
    )
    assert message["To"] == "analyst@example.com"
    assert [r.status for r in outbox_rows(sessions)] == ["sent"] * 3
    assert len(feishu.hits) == 1


def test_hourly_digest_to_a_chinese_group_at_the_top_of_the_hour(
    sessions: sessionmaker[Session], wecom: PlatformReceiver, tmp_path: Path
) -> None:
    setup = setup_from(
        tmp_path,
        f"- {{name: cn, type: wecom, url: '{wecom.url}', cadence: hourly, language: zh-Hans}}\n",
    )
    for name in ("甲", "乙", "丙"):
        add_event(sessions, setup.routes, company=f"{name}科技")
    created = max(as_utc(r.created_at) for r in outbox_rows(sessions))
    top = created.replace(minute=0, second=0, microsecond=0) + timedelta(hours=1)
    clock = FakeClock(top - timedelta(seconds=1))
    relay = Relay(sessions, setup.routes, clock=clock)
    assert relay.run_once().claimed == 0
    clock.now = top
    assert relay.run_once().sent == 3
    (hit,) = wecom.accepted
    content = hit.body["markdown"]["content"]
    assert content.count("完成6000万美元A轮融资") == 3
    assert content.index("甲科技") < content.index("乙科技") < content.index("丙科技")


def test_update_alerts_once_per_revision_only_where_asked(
    sessions: sessionmaker[Session], feishu: PlatformReceiver, tmp_path: Path
) -> None:
    setup = setup_from(
        tmp_path,
        f"""
channels:
  - {{name: deals, type: feishu, url: '{feishu.url}'}}
  - {{name: quiet, type: feishu, url: '{feishu.url}'}}
subscriptions:
  - {{name: partner, channels: [deals], send_updates: true}}
  - {{name: newsonly, channels: [quiet]}}
""",
    )
    routes = setup.routes
    event_id = add_event(sessions, routes, amount_usd=60e6)
    relay = Relay(sessions, routes)
    assert relay.run_once().sent == 2
    with sessions.begin() as session:  # what storage/events.py does on a material change
        event = session.get(FundingEvent, event_id)
        assert event is not None
        event.amount_usd = event.amount = 80e6
        event.lead_investors = ["Benchmark", "Sequoia"]
        event.investors = [*event.investors, "Sequoia"]
        event.revision = 1
        wanting = [r for r in routes if r.send_updates]
        assert enqueue_alerts(session, event, wanting, revision=1) == 1
        assert enqueue_alerts(session, event, wanting, revision=1) == 0  # once per revision
    relay.clock = lambda: as_utc(outbox_rows(sessions)[-1].created_at) + timedelta(seconds=5)
    assert relay.run_once().sent == 1
    update = feishu.accepted[-1].body["card"]
    assert update["header"]["title"]["content"].startswith("Update: HeyGen raised $80M")
    assert update["header"]["template"] == "orange"
    text = update["elements"][0]["text"]["content"]
    assert "- Amount: $60M → $80M" in text and "- new lead investor: Sequoia" in text
    assert "**Round**" not in text  # concise: only what changed and the newest report
    assert [r.channel for r in outbox_rows(sessions)] == [
        "partner/deals",
        "newsonly/quiet",
        "partner/deals",
    ]


def test_subscription_errors_name_file_entry_and_field(tmp_path: Path) -> None:
    text = """
channels:
  - {name: deals, type: feishu, url: 'https://open.feishu.cn/open-apis/bot/v2/hook/x'}
subscriptions:
  - {name: partner, channels: [dealz]}
  - {name: night, channels: [deals], cadence: daily 25:00 Mars/Base}
  - {name: loud, channels: [deals], cadence: sometimes}
"""
    with pytest.raises(AlertsConfigError) as error:
        setup_from(tmp_path, text)
    problems = error.value.problems
    assert any("subscription 'partner'" in p and "no channel named 'dealz'" in p for p in problems)
    assert any("subscription 2 'night'" in p and "cadence" in p for p in problems)
    assert any(
        "subscription 3 'loud'" in p and "invalid cadence 'sometimes'" in p for p in problems
    )
    assert all(str(tmp_path / "alerts.yaml") in p for p in problems)


def test_a_round_that_passes_the_filter_only_later_is_announced_as_news(
    sessions: sessionmaker[Session], feishu: PlatformReceiver, tmp_path: Path
) -> None:
    setup = setup_from(
        tmp_path,
        f"- {{name: deals, type: feishu, url: '{feishu.url}', "
        "filters: {min_amount_usd: 10000000}}\n",
    )
    event_id = add_event(sessions, setup.routes, amount_usd=None)
    assert outbox_rows(sessions) == []
    with sessions.begin() as session:
        event = session.get(FundingEvent, event_id)
        assert event is not None
        event.amount_usd = event.amount = 50e6
        event.revision = 1
        assert enqueue_alerts(session, event, setup.routes, revision=1) == 1
    assert Relay(sessions, setup.routes).run_once().sent == 1
    title = feishu.accepted[0].body["card"]["header"]["title"]["content"]
    assert title == "HeyGen raised $50M (Series A, led by Benchmark)"
