"""Fixtures of the web tests: a seeded database on SQLite and PostgreSQL, and the dashboard
running in a real uvicorn server on 127.0.0.1."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace

import httpx
import pytest

from fundwatch.configuration import load_settings
from fundwatch.storage import create_db_engine, session_factory
from fundwatch.web.config import WebConfig
from fundwatch.web.server import BackgroundServer
from tests.web.seed import Seeded, seed

WRITE_TOKEN = "write-token-0123456789"
READ_TOKEN = "read-token-0123456789ab"


@pytest.fixture
def seeded(database_url: str) -> tuple[str, Seeded]:
    engine = create_db_engine(database_url)
    with session_factory(engine).begin() as session:
        found = seed(session)
    engine.dispose()
    return database_url, found


def web_config(database_url: str, **tokens: str | None) -> WebConfig:
    settings = replace(load_settings({}), database_url=database_url)
    return WebConfig(settings=settings, **tokens)


@pytest.fixture
def dashboard(seeded: tuple[str, Seeded]) -> Iterator[tuple[str, Seeded]]:
    """The dashboard with a write token, over the seeded database: (base URL, seeded ids)."""
    database_url, found = seeded
    with BackgroundServer(web_config(database_url, token=WRITE_TOKEN)) as server:
        yield server.url, found


def client(base_url: str, **options: object) -> httpx.Client:
    return httpx.Client(base_url=base_url, trust_env=False, timeout=30, **options)  # type: ignore[arg-type]
