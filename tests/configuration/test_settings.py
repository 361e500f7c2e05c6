from __future__ import annotations

import os
from pathlib import Path

import pytest

from fundwatch.configuration import ConfigError, load_settings
from fundwatch.configuration.settings import DEFAULT_DATABASE_URL, DEFAULT_SEEDS


def test_defaults_without_environment(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    settings = load_settings({})
    assert settings.database_url == DEFAULT_DATABASE_URL
    assert settings.seeds == DEFAULT_SEEDS
    assert settings.max_concurrent_crawls == (os.cpu_count() or 1) + 1


def test_environment_overrides_config_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "fundwatch.yaml").write_text(
        "database_url: sqlite:///from_file.db\nseeds: my_seeds\nmax_concurrent_crawls: 3\n"
    )
    settings = load_settings({"FUNDWATCH_DATABASE_URL": "postgresql+psycopg://h/db"})
    assert settings.database_url == "postgresql+psycopg://h/db"
    assert settings.seeds == tmp_path / "my_seeds"
    assert settings.max_concurrent_crawls == 3


def test_bad_values_are_reported_with_their_origin(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    with pytest.raises(ConfigError, match="FUNDWATCH_MAX_CONCURRENT_CRAWLS"):
        load_settings({"FUNDWATCH_MAX_CONCURRENT_CRAWLS": "many"})
    (tmp_path / "fundwatch.yaml").write_text("databse_url: x\n")
    with pytest.raises(ConfigError, match="unknown setting"):
        load_settings({})
