"""Text cleaning so that SQLite and PostgreSQL store exactly the same string."""

from __future__ import annotations

import re
import unicodedata

# Characters whose NFKC form is their full compatibility decomposition and plain ASCII: the
# full-width forms, the ideographic space, the ellipsis. Chinese text is full of them (，：！（）),
# and one of them sends unicodedata.normalize down its slow path over the whole string (about
# 100 ns a character). Replacing them first by their decomposition gives the same NFKC (which
# decomposes each character on its own before composing) and usually passes the quick check.
_COMPAT_ASCII = {
    code: unicodedata.normalize("NFKD", chr(code))
    for code in (*range(0xFF01, 0xFF5F), 0x3000, 0x2026)
    if unicodedata.normalize("NFKD", chr(code)).isascii()
}
_COMPAT_RUNS = re.compile("[" + "".join(map(chr, sorted(_COMPAT_ASCII))) + "]+")


def _decompose_run(run: re.Match[str]) -> str:
    return run.group().translate(_COMPAT_ASCII)


def nfkc(text: str) -> str:
    """unicodedata.normalize("NFKC", text), faster on text with full-width punctuation."""
    return unicodedata.normalize("NFKC", _COMPAT_RUNS.sub(_decompose_run, text))


def fold(text: str) -> str:
    """The matching form: NFKC (width, compatibility characters) and case folded."""
    return nfkc(text).casefold()


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
