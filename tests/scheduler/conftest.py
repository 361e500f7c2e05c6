"""Fixtures for scheduler tests (helpers live in scheduler_helpers.py)."""

from __future__ import annotations

from pathlib import Path

import pytest


@pytest.fixture
def control(tmp_path: Path) -> Path:
    folder = tmp_path / "control"
    folder.mkdir()
    return folder
