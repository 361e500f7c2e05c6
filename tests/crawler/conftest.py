"""Crawler test fixtures (see tests/support/crawl_world.py)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.support.crawl_world import FixtureWorld, make_world


@pytest.fixture
def world(tmp_path: Path, sqlite_url: str) -> Iterator[FixtureWorld]:
    yield from make_world(tmp_path, sqlite_url)
