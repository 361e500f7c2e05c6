"""The outbox as the relay uses it: enqueue rules, claiming with a lease, recording attempts."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from fundwatch.configuration.alerts import load_channels_file
from fundwatch.storage.models import AlertAttempt, AlertOutbox, FundingEvent
from fundwatch.storage.outbox import claim_due, enqueue_alerts, record_attempt
from tests.support.alert_fixtures import add_event


def _channels(tmp_path: Path) -> list:
    path = tmp_path / "alerts.yaml"
    path.write_text(
        "- {name: news, type: webhook, url: 'http://127.0.0.1:9/a'}\n"
        "- {name: updates, type: webhook, url: 'http://127.0.0.1:9/b', send_updates: true}\n"
        "- {name: big, type: webhook, url: 'http://127.0.0.1:9/c', "
        "filters: {min_amount_usd: 100000000}}\n"
    )
    return load_channels_file(path, {})


def test_enqueue_follows_filters_and_send_updates(
    sessions: sessionmaker[Session], tmp_path: Path
) -> None:
    channels = _channels(tmp_path)
    event_id = add_event(sessions, channels)  # $60M: not for 'big'
    with sessions.begin() as session:
        event = session.get(FundingEvent, event_id)
        assert enqueue_alerts(session, event, channels) == 0  # idempotent
        assert enqueue_alerts(session, event, channels, revision=1) == 1  # only 'updates'
    with sessions() as session:
        rows = session.execute(select(AlertOutbox.channel, AlertOutbox.revision)).all()
    assert sorted(rows) == [("news", 0), ("updates", 0), ("updates", 1)]


def test_a_channel_that_accepts_an_event_only_after_a_change_gets_its_first_alert(
    sessions: sessionmaker[Session], tmp_path: Path
) -> None:
    channels = _channels(tmp_path)
    event_id = add_event(sessions, channels, amount_usd=None)  # amount not known yet
    with sessions.begin() as session:
        event = session.get(FundingEvent, event_id)
        event.amount_usd = 150e6
        event.revision = 1
        assert enqueue_alerts(session, event, channels, revision=1) == 2  # updates + big
        event.lead_investors = ["Sequoia"]
        event.revision = 2
        assert enqueue_alerts(session, event, channels, revision=2) == 1  # updates only
    with sessions() as session:
        rows = session.execute(select(AlertOutbox.channel, AlertOutbox.revision)).all()
    assert sorted(rows) == [
        ("big", 1),
        ("news", 0),
        ("updates", 0),
        ("updates", 1),
        ("updates", 2),
    ]


def test_claimed_rows_are_leased_and_attempts_recorded(
    sessions: sessionmaker[Session], tmp_path: Path
) -> None:
    channels = _channels(tmp_path)
    for name in ("A", "B", "C"):
        add_event(sessions, channels[:1], company=name)
    with sessions.begin() as session:
        first = [row.id for row in claim_due(session, ["news"], lease_seconds=60, limit=2)]
    with sessions.begin() as session:
        second = [row.id for row in claim_due(session, ["news"], lease_seconds=60)]
        assert claim_due(session, ["other"], lease_seconds=60) == []
    assert len(first) == 2 and len(second) == 1 and not set(first) & set(second)
    with sessions.begin() as session:
        assert record_attempt(session, first[0], "sent", status_code=200)
        assert not record_attempt(session, first[0], "retry")  # already sent: left alone
        assert record_attempt(session, first[1], "retry", error="HTTP 500")  # no next: failed
    with sessions() as session:
        statuses = dict(session.execute(select(AlertOutbox.id, AlertOutbox.status)).all())
        attempts = session.scalars(select(AlertAttempt.outcome)).all()
    assert statuses == {first[0]: "sent", first[1]: "failed", second[0]: "pending"}
    assert sorted(attempts) == ["retry", "retry", "sent"]


@pytest.mark.postgres
def test_concurrent_claims_skip_locked_rows(postgres_url: str, tmp_path: Path) -> None:
    from fundwatch.storage import create_db_engine, session_factory

    sessions = session_factory(create_db_engine(postgres_url))
    channels = _channels(tmp_path)
    for index in range(4):
        add_event(sessions, channels[:1], company=f"Co{index}")
    with sessions.begin() as one:
        held = [row.id for row in claim_due(one, ["news"], lease_seconds=60, limit=2)]
        with sessions.begin() as two:  # does not wait for `one`: its rows are skipped
            other = [row.id for row in claim_due(two, ["news"], lease_seconds=60)]
    assert len(held) == 2 and len(other) == 2 and not set(held) & set(other)
