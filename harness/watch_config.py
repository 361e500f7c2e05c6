"""The files and environment a `fundwatch` process under test needs to watch some sources and
post alerts to one local webhook: a catalog, a channels file whose secret is read from an
environment variable (as a user writes it), and the FUNDWATCH_* variables pointing at both."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import yaml


def write_watch_config(
    folder: Path,
    sources: list[dict[str, Any]],
    *,
    database_url: str,
    webhook_url: str,
    secret_variable: str,
    secret: str,
    channel_name: str = "hook",
    crawl_deadline: str = "120",
    **channel_options: Any,
) -> dict[str, str]:
    """Write `folder`/catalog.yaml and `folder`/alerts.yaml; return the environment for a
    `fundwatch` subprocess (this process's environment plus the FUNDWATCH_* variables)."""
    catalog = folder / "catalog.yaml"
    catalog.write_text(yaml.safe_dump({"sources": sources}, sort_keys=False), "utf-8")
    channel = {
        "name": channel_name,
        "type": "webhook",
        "url": webhook_url,
        "secret": "${" + secret_variable + "}",
        **channel_options,
    }
    alerts = folder / "alerts.yaml"
    alerts.write_text(yaml.safe_dump({"channels": [channel]}, sort_keys=False), "utf-8")
    return dict(
        os.environ,
        FUNDWATCH_DATABASE_URL=database_url,
        FUNDWATCH_SEEDS=str(catalog),
        FUNDWATCH_ALERTS=str(alerts),
        FUNDWATCH_CRAWL_DEADLINE=crawl_deadline,
        **{secret_variable: secret},
    )
