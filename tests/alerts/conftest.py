"""Fixtures for alert tests: a database with funding events, webhook and SMTP receivers."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from alert_certs import SelfSignedCert, make_cert
from sqlalchemy.orm import Session, sessionmaker

from fundwatch.storage import create_db_engine, session_factory
from tests.support.alert_fixtures import receiver, secrets_env

__all__ = ["receiver", "secrets_env"]  # fixtures shared with tests/cli


@pytest.fixture
def sessions(database_url: str) -> Iterator[sessionmaker[Session]]:
    engine = create_db_engine(database_url)
    yield session_factory(engine)
    engine.dispose()


@pytest.fixture(scope="session")
def test_cert(tmp_path_factory: pytest.TempPathFactory) -> SelfSignedCert:
    return make_cert(tmp_path_factory.mktemp("certs"))
