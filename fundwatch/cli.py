"""The `fundwatch` console script."""

from __future__ import annotations

import argparse
import importlib
import logging
import os
import pkgutil
import re
import sys

from sqlalchemy.exc import DBAPIError

from fundwatch import __version__, commands
from fundwatch.configuration.errors import ConfigError
from fundwatch.storage.engine import DatabaseError, connection_problem

DATABASE_URL_HELP = "database to use (default: FUNDWATCH_DATABASE_URL, else sqlite:///fundwatch.db)"


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="fundwatch",
        description="Watch Chinese and English news for AI-video funding stories.",
    )
    parser.add_argument("--version", action="version", version=f"fundwatch {__version__}")
    parser.add_argument("-v", "--verbose", action="store_true", help="log debug messages")
    parser.add_argument("--database-url", help=DATABASE_URL_HELP)
    subparsers = parser.add_subparsers(dest="command", metavar="COMMAND")
    for module_info in sorted(pkgutil.iter_modules(commands.__path__), key=lambda m: m.name):
        module = importlib.import_module(f"{commands.__name__}.{module_info.name}")
        register = getattr(module, "register", None)
        if register is not None:
            register(subparsers)
    for action in subparsers._choices_actions:
        subparser = subparsers.choices[action.dest]
        subparser.description = plain_text(subparser.description or action.help or "")
    for subparser in _leaf_parsers(subparsers):
        if "--database-url" not in subparser._option_string_actions:
            subparser.add_argument(
                "--database-url", default=argparse.SUPPRESS, help=DATABASE_URL_HELP
            )
    return parser


def plain_text(docstring: str) -> str:
    """A module docstring as --help text: no reST/Markdown literals, no `fundwatch X:` lead."""
    text = re.sub(r"^`fundwatch [^`]*`:\s*", "", docstring.strip())
    text = text.replace("``", "").replace("`", "")
    return text[:1].upper() + text[1:]


def _leaf_parsers(subparsers: argparse._SubParsersAction) -> list[argparse.ArgumentParser]:
    """Every sub-command's parser, nested ones (`db upgrade`) included."""
    leaves = []
    for subparser in dict.fromkeys(subparsers.choices.values()):
        nested = [a for a in subparser._actions if isinstance(a, argparse._SubParsersAction)]
        if nested:
            for action in nested:
                leaves.extend(_leaf_parsers(action))
        else:
            leaves.append(subparser)
    return leaves


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if not getattr(args, "func", None):
        parser.print_help()
        return 2
    if getattr(args, "database_url", None):
        # The environment carries it to every child process (crawls, writers) too.
        os.environ["FUNDWATCH_DATABASE_URL"] = args.database_url
    logging.basicConfig(
        level=logging.DEBUG if args.verbose else logging.WARNING,
        format="%(asctime)s %(levelname)s %(name)s: %(message)s",
    )
    try:
        return int(args.func(args) or 0)
    except ConfigError as exc:
        print(f"fundwatch: configuration error:\n{exc}", file=sys.stderr)
        return 2
    except DatabaseError as exc:
        print(f"fundwatch: {exc}", file=sys.stderr)
        return 1
    except DBAPIError as exc:  # a database that failed after the engine was set up
        print(f"fundwatch: database error: {connection_problem(exc)}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        return 0


if __name__ == "__main__":
    sys.exit(main())
