"""Searching text the same way everywhere: the typed text is found anywhere in a column,
case-insensitively (SQLite's lower() is taught Unicode in the app factory), and its own
% and _ are taken literally, not as wildcards."""

import sqlalchemy as sa

ESCAPE = "\\"


def like(text: str) -> str:
    """A LIKE pattern matching the text anywhere, its own % and _ taken literally."""
    escaped = text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


def contains(column, text: str):
    """`column` contains `text`, case-insensitively."""
    return column.ilike(like(text), escape=ESCAPE)


def contains_any(text: str, *columns):
    """Any of `columns` contains `text`, case-insensitively."""
    return sa.or_(*(contains(column, text) for column in columns))
