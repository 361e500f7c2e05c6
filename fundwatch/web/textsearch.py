"""Case-insensitive substring conditions, including inside JSON lists of names."""

from __future__ import annotations

import json
from typing import Any

from sqlalchemy import ColumnElement, Text, cast, func
from sqlalchemy.sql.elements import ColumnClause


def like_pattern(value: str) -> str:
    escaped = value.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped.lower()}%"


def contains(column: Any, value: str) -> ColumnElement[bool]:
    return func.lower(column).like(like_pattern(value), escape="\\")


def json_text_contains(column: ColumnClause[Any], value: str) -> ColumnElement[bool]:
    """Some name in the JSON list in `column` contains `value` (case-insensitive for ASCII).

    Compares with the stored JSON text, escaped the way it was stored (`\\u5317` for 北): one
    string scan per row instead of unpacking the list; quotes in `value` are escaped too, so a
    match never spans two names.
    """
    escaped = json.dumps(value.lower())[1:-1]
    return func.lower(cast(column, Text)).like(like_pattern(escaped), escape="\\")
