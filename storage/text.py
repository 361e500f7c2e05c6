"""Text cleaning so that SQLite and PostgreSQL store exactly the same string."""

from __future__ import annotations

import re

_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_SURROGATE = re.compile("[\ud800-\udfff]")


def clean_text(value: str | bytes | None, limit: int | None = None) -> str:
    """Drop NUL and other C0 controls (PostgreSQL rejects NUL), replace invalid UTF-8 and lone
    surrogates with U+FFFD, and cut to `limit` characters."""
    if value is None:
        return ""
    if isinstance(value, bytes):
        value = value.decode("utf-8", errors="replace")
    value = _SURROGATE.sub("\ufffd", value)
    value = _CONTROL.sub("", value)
    if limit is not None and len(value) > limit:
        value = value[:limit]
    return value


def clean_optional(value: str | bytes | None, limit: int | None = None) -> str | None:
    return None if value is None else clean_text(value, limit)
