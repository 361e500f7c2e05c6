"""`fundwatch check`: validate settings, the source catalog and the detector vocabulary."""

from __future__ import annotations

import argparse
import sys

from fundwatch.configuration import load_catalog, load_settings
from fundwatch.configuration.alerts import load_channels
from fundwatch.configuration.errors import ConfigError


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "check", help="validate settings, the catalog, alert channels and keyword lists"
    )
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    problems: list[str] = []
    try:
        settings = load_settings()
    except ConfigError as exc:
        print(f"settings: {exc}", file=sys.stderr)
        return 1
    try:
        catalog = load_catalog(settings.seeds)
    except ConfigError as exc:
        problems.extend(str(exc).splitlines())
        catalog = None
    channels = []
    try:
        channels = load_channels(settings)
    except ConfigError as exc:
        problems.extend(str(exc).splitlines())
    try:
        from fundwatch import detection

        detection.load_detector(settings.detection_vocab)
    except detection.VocabError as exc:
        problems.append(f"detector vocabulary: {exc}")
    database, problem = _database_status(settings.database_url)
    if problem:
        problems.append(problem)
    if problems:
        for problem in problems:
            print(problem, file=sys.stderr)
        print(f"{len(problems)} problem(s) found", file=sys.stderr)
        return 1
    assert catalog is not None
    print(
        f"ok: {len(catalog)} sources in {settings.seeds}, {len(channels)} alert channel(s), "
        f"keyword lists in {settings.detection_vocab}; {database}"
    )
    return 0


def _database_status(url: str) -> tuple[str, str | None]:
    """(what the database is, a problem or None): connects, never creates anything."""
    from pathlib import Path

    from sqlalchemy.engine import make_url
    from sqlalchemy.exc import DBAPIError

    from fundwatch.storage.engine import (
        DatabaseError,
        create_db_engine,
        current_revision,
        display_url,
        head_revision,
        normalize_url,
        unreachable,
    )

    try:
        parsed = make_url(normalize_url(url))
    except Exception as exc:
        return "", f"database: invalid URL {url!r}: {exc}"
    if parsed.get_backend_name() == "sqlite" and parsed.database not in (None, "", ":memory:"):
        path = Path(parsed.database).expanduser().resolve()
        if not path.is_file():
            if not path.parent.is_dir():
                return "", f"database: folder {path.parent} does not exist (for {path})"
            return f"database {path} will be created by the first crawl", None
    try:
        engine = create_db_engine(url, migrate=False)
    except DatabaseError as exc:
        return "", f"database: {exc}"
    try:
        current = current_revision(engine)
    except DBAPIError as exc:
        return "", f"database: {unreachable(engine, exc)}"
    finally:
        engine.dispose()
    head = head_revision()
    where = display_url(engine)
    if current == head:
        return f"database {where} at schema revision {current}", None
    if current is None:
        return f"database {where} reachable; fundwatch's tables will be created on first use", None
    return f"database {where} at revision {current}, will be migrated to {head}", None
