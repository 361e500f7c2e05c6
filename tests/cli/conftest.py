"""Fixtures of the CLI tests: the alert receivers and secrets that `fundwatch alerts` and
`fundwatch test-alert` are tested against (shared with tests/alerts)."""

from __future__ import annotations

from tests.support.alert_fixtures import receiver, secrets_env

__all__ = ["receiver", "secrets_env"]
