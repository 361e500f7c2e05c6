"""What the web app needs: settings (database, catalog, alerts file), tokens, page size."""

from __future__ import annotations

import os
from dataclasses import dataclass, field

from fundwatch.configuration import Settings, load_settings

DEFAULT_HOST = "127.0.0.1"
DEFAULT_PORT = 8800
TOKEN_VARIABLE = "FUNDWATCH_WEB_TOKEN"
READ_TOKEN_VARIABLE = "FUNDWATCH_WEB_READ_TOKEN"
MIN_TOKEN_LENGTH = 16


class WebConfigError(ValueError):
    """A token or setting of the web app is unusable."""


@dataclass
class WebConfig:
    settings: Settings = field(default_factory=load_settings)
    # Needed for anything that changes state (retry, test alert). None: read-only dashboard.
    token: str | None = None
    # When set, reading needs this token (or the write token) too.
    read_token: str | None = None
    page_size: int = 50
    # Environment for the secrets the alerts file references (None: this process's).
    environ: dict[str, str] | None = None

    def __post_init__(self) -> None:
        for name, value in ((TOKEN_VARIABLE, self.token), (READ_TOKEN_VARIABLE, self.read_token)):
            if value is not None and len(value) < MIN_TOKEN_LENGTH:
                raise WebConfigError(
                    f"{name} is {len(value)} characters long; use at least {MIN_TOKEN_LENGTH} "
                    "(e.g. `python -c 'import secrets; print(secrets.token_urlsafe(24))'`)"
                )

    @classmethod
    def from_environment(cls, settings: Settings | None = None) -> WebConfig:
        return cls(
            settings=settings or load_settings(),
            token=os.environ.get(TOKEN_VARIABLE) or None,
            read_token=os.environ.get(READ_TOKEN_VARIABLE) or None,
        )
