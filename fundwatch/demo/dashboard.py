"""The web dashboard over the demo's database, catalog and alert channel (`demo --serve`)."""

from __future__ import annotations

import socket
from dataclasses import replace
from pathlib import Path

from fundwatch.configuration import load_settings
from fundwatch.web.config import WebConfig
from fundwatch.web.server import DEFAULT_HOST, DEFAULT_PORT, BackgroundServer


def _port(wanted: int) -> int:
    """`wanted`, else the usual dashboard port when it is free, else 0 (any free port)."""
    if wanted:
        return wanted
    with socket.socket() as probe:
        try:
            probe.bind((DEFAULT_HOST, DEFAULT_PORT))
        except OSError:
            return 0
    return DEFAULT_PORT


def demo_dashboard(
    database_url: str, seeds: Path, alerts: Path, environ: dict[str, str], port: int = 0
) -> BackgroundServer:
    settings = replace(load_settings(), database_url=database_url, seeds=seeds, alerts=alerts)
    config = WebConfig.from_environment(settings)
    config.environ = environ
    return BackgroundServer(config, DEFAULT_HOST, _port(port))
