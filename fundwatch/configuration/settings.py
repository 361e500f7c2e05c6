"""Runtime settings: environment variables override an optional YAML config file."""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any

import yaml

from fundwatch.configuration.errors import ConfigError

DEFAULT_SEEDS = Path(str(resources.files("fundwatch.seeds")))
DEFAULT_DATABASE_URL = "sqlite:///fundwatch.db"
CONFIG_FILE_NAMES = ("fundwatch.yaml", "fundwatch.yml")

_ENV_KEYS = {
    "database_url": "FUNDWATCH_DATABASE_URL",
    "seeds": "FUNDWATCH_SEEDS",
    "alerts": "FUNDWATCH_ALERTS",
    "log_level": "FUNDWATCH_LOG_LEVEL",
    "max_concurrent_crawls": "FUNDWATCH_MAX_CONCURRENT_CRAWLS",
    "crawl_deadline": "FUNDWATCH_CRAWL_DEADLINE",
    "executor": "FUNDWATCH_EXECUTOR",
    "broker_url": "FUNDWATCH_BROKER_URL",
}
EXECUTORS = ("process", "fork", "workers")


def default_concurrent_crawls() -> int:
    """One crawl per core plus one: a crawl process waits on the network part of its time
    (3 on 2 cores measured +25 % polls per minute over 2, bench/capacity.py)."""
    return (os.cpu_count() or 1) + 1


@dataclass(frozen=True)
class Settings:
    database_url: str = DEFAULT_DATABASE_URL
    seeds: Path = DEFAULT_SEEDS
    alerts: Path | None = None
    log_level: str = "INFO"
    max_concurrent_crawls: int = field(default_factory=default_concurrent_crawls)
    crawl_deadline: int = 900
    executor: str = "process"  # "fork" or "workers" (docs/capacity.md)
    broker_url: str | None = None
    config_file: Path | None = None

    @property
    def detection_vocab(self) -> Path:
        """Keyword lists and company aliases for the detector."""
        folder = self.seeds if self.seeds.is_dir() else self.seeds.parent
        candidate = folder / "detection"
        return candidate if candidate.is_dir() else DEFAULT_SEEDS / "detection"


def _find_config_file(environ: dict[str, str]) -> Path | None:
    explicit = environ.get("FUNDWATCH_CONFIG")
    if explicit:
        path = Path(explicit)
        if not path.is_file():
            raise ConfigError(f"FUNDWATCH_CONFIG points to {path}, which is not a file")
        return path
    for name in CONFIG_FILE_NAMES:
        path = Path.cwd() / name
        if path.is_file():
            return path
    return None


def _read_config_file(path: Path) -> dict[str, Any]:
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    except yaml.YAMLError as exc:
        raise ConfigError(f"{path}: not valid YAML: {exc}") from exc
    if not isinstance(data, dict):
        raise ConfigError(f"{path}: expected a mapping of settings at the top level")
    unknown = sorted(set(data) - set(_ENV_KEYS))
    if unknown:
        raise ConfigError(
            f"{path}: unknown setting(s) {', '.join(unknown)}; known: {', '.join(_ENV_KEYS)}"
        )
    return data


def _as_int(name: str, value: Any, origin: str) -> int:
    try:
        number = int(value)
    except (TypeError, ValueError):
        raise ConfigError(f"{origin}: {name} must be a whole number, got {value!r}") from None
    if number < 1:
        raise ConfigError(f"{origin}: {name} must be at least 1, got {number}")
    return number


def load_settings(environ: dict[str, str] | None = None) -> Settings:
    """Build settings from the config file (if any) and then the environment."""
    env = dict(os.environ if environ is None else environ)
    config_file = _find_config_file(env)
    values: dict[str, Any] = {}
    origins: dict[str, str] = {}
    if config_file is not None:
        for key, value in _read_config_file(config_file).items():
            values[key] = value
            origins[key] = str(config_file)
    for key, env_name in _ENV_KEYS.items():
        if env.get(env_name):
            values[key] = env[env_name]
            origins[key] = env_name

    base_dir = config_file.parent if config_file is not None else Path.cwd()

    def path_value(key: str) -> Path | None:
        if key not in values:
            return None
        path = Path(str(values[key])).expanduser()
        return path if path.is_absolute() else base_dir / path

    return Settings(
        database_url=str(values.get("database_url", DEFAULT_DATABASE_URL)),
        seeds=path_value("seeds") or DEFAULT_SEEDS,
        alerts=path_value("alerts"),
        log_level=str(values.get("log_level", "INFO")).upper(),
        max_concurrent_crawls=_as_int(
            "max_concurrent_crawls",
            values.get("max_concurrent_crawls", default_concurrent_crawls()),
            origins.get("max_concurrent_crawls", "default"),
        ),
        crawl_deadline=_as_int(
            "crawl_deadline",
            values.get("crawl_deadline", 900),
            origins.get("crawl_deadline", "default"),
        ),
        executor=_as_choice("executor", values, origins, EXECUTORS),
        broker_url=str(values["broker_url"]) if values.get("broker_url") else None,
        config_file=config_file,
    )


def _as_choice(
    key: str, values: dict[str, Any], origins: dict[str, str], choices: tuple[str, ...]
) -> str:
    value = str(values.get(key, choices[0])).strip().lower()
    if value not in choices:
        raise ConfigError(
            f"{origins.get(key, key)}: {key} must be one of {', '.join(choices)}, got {value!r}"
        )
    return value
