"""Fixtures of the frontier fault tests: a publishing news site and its harness."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from harness.fault_world import Harness
from harness.news_site import NewsSite


@pytest.fixture
def harness(tmp_path: Path, database_url: str) -> Iterator[Harness]:
    with NewsSite(page_size=5) as site:
        harness = Harness(site, tmp_path, database_url)
        harness.write_alerts()
        yield harness
