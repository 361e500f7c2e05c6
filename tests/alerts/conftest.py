"""Fixtures for alert tests: a database with funding events, webhook and SMTP receivers."""

from __future__ import annotations

import os
from collections.abc import Iterator

import pytest
from alert_certs import SelfSignedCert, make_cert
from alert_fixtures import SMTP_PASSWORD, WEBHOOK_SECRET
from alert_receivers import WebhookReceiver
from sqlalchemy.orm import Session, sessionmaker

from fundwatch.storage import create_db_engine, session_factory


@pytest.fixture
def sessions(database_url: str) -> Iterator[sessionmaker[Session]]:
    engine = create_db_engine(database_url)
    yield session_factory(engine)
    engine.dispose()


@pytest.fixture(scope="session")
def test_cert(tmp_path_factory: pytest.TempPathFactory) -> SelfSignedCert:
    return make_cert(tmp_path_factory.mktemp("certs"))


@pytest.fixture
def receiver() -> Iterator[WebhookReceiver]:
    server = WebhookReceiver()
    server.start()
    yield server
    server.release.set()
    server.stop()


@pytest.fixture
def secrets_env(monkeypatch: pytest.MonkeyPatch) -> dict[str, str]:
    monkeypatch.setenv("FW_WEBHOOK_SECRET", WEBHOOK_SECRET)
    monkeypatch.setenv("FW_SMTP_PASSWORD", SMTP_PASSWORD)
    return dict(os.environ)
