"""The web dashboard, JSON API and feeds of `fundwatch serve` (read the same tables as the CLI)."""

from fundwatch.web.app import create_app
from fundwatch.web.config import WebConfig

__all__ = ["WebConfig", "create_app"]
