"""Case-insensitive substring conditions, including inside JSON lists of names.

JSON columns are stored ASCII-escaped (`\\u7ea2...`), so a LIKE over their text would miss CJK
names; each dialect's JSON table function compares the decoded elements instead.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import ColumnElement, exists, func, literal_column, select, true
from sqlalchemy.sql.elements import ColumnClause


def like_pattern(value: str) -> str:
    escaped = value.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped.lower()}%"


def contains(column: Any, value: str) -> ColumnElement[bool]:
    return func.lower(column).like(like_pattern(value), escape="\\")


def json_list_contains(dialect: str, column: ColumnClause[Any], value: str) -> ColumnElement[bool]:
    """Some element of the JSON list in `column` contains `value` (case-insensitive)."""
    if dialect == "postgresql":
        elements = func.json_array_elements_text(column).table_valued("value").alias("names")
    else:
        elements = func.json_each(column).table_valued("value").alias("names")
    element = literal_column("names.value")
    return exists(select(true()).select_from(elements).where(contains(element, value)))
