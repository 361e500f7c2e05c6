"""`fundwatch db upgrade` / `fundwatch db current`: schema migrations."""

from __future__ import annotations

import argparse

from fundwatch.configuration import load_settings
from fundwatch.storage import create_db_engine, upgrade_database
from fundwatch.storage.engine import current_revision, head_revision


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser("db", help="database schema migrations")
    actions = parser.add_subparsers(dest="db_action", metavar="ACTION", required=True)
    upgrade = actions.add_parser("upgrade", help="apply migrations (default: to the newest)")
    upgrade.add_argument("revision", nargs="?", default="head")
    upgrade.set_defaults(func=run_upgrade)
    current = actions.add_parser("current", help="show the schema revision")
    current.set_defaults(func=run_current)


def run_upgrade(args: argparse.Namespace) -> int:
    engine = create_db_engine(load_settings().database_url, migrate=False)
    revision = upgrade_database(engine, args.revision)
    print(f"database at revision {revision} ({engine.url.render_as_string(hide_password=True)})")
    return 0


def run_current(args: argparse.Namespace) -> int:
    engine = create_db_engine(load_settings().database_url, migrate=False)
    print(f"current: {current_revision(engine) or 'empty'}; newest: {head_revision()}")
    return 0
