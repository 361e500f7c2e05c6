"""`fundwatch serve`: the web dashboard, JSON API and feeds of funding events.

Binds 127.0.0.1 by default. Retrying alerts and sending test alerts need FUNDWATCH_WEB_TOKEN
(sign in on /login, or send `Authorization: Bearer TOKEN`); set FUNDWATCH_WEB_READ_TOKEN too
to make reading need a token. See docs/web.md.
"""

from __future__ import annotations

import argparse
import signal
import sys


def register(subparsers: argparse._SubParsersAction) -> None:
    from fundwatch.web.config import DEFAULT_HOST, DEFAULT_PORT

    parser = subparsers.add_parser(
        "serve",
        help="run the web dashboard, JSON API and Atom/JSON feeds",
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument(
        "--host", default=DEFAULT_HOST, help=f"address to bind (default {DEFAULT_HOST})"
    )
    parser.add_argument(
        "--port", type=int, default=DEFAULT_PORT, help=f"port (default {DEFAULT_PORT})"
    )
    parser.add_argument(
        "--database-url", help="default: FUNDWATCH_DATABASE_URL, else sqlite:///fundwatch.db"
    )
    parser.add_argument("--access-log", action="store_true", help="log every request")
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from dataclasses import replace

    from fundwatch.configuration import load_settings
    from fundwatch.storage.engine import DatabaseError
    from fundwatch.web.config import READ_TOKEN_VARIABLE, TOKEN_VARIABLE, WebConfig, WebConfigError
    from fundwatch.web.server import is_loopback, serve

    settings = load_settings()
    if args.database_url:
        settings = replace(settings, database_url=args.database_url)
    try:
        config = WebConfig.from_environment(settings)
    except WebConfigError as exc:
        print(f"fundwatch serve: {exc}", file=sys.stderr)
        return 2
    if not is_loopback(args.host) and config.read_token is None and config.token is None:
        print(
            f"fundwatch serve: warning: {args.host} is reachable from other machines and no "
            f"token is set; anyone there can read the dashboard (set {READ_TOKEN_VARIABLE})",
            file=sys.stderr,
        )
    writes = (
        "retries and test alerts need the token"
        if config.token
        else (f"read-only (set {TOKEN_VARIABLE} to allow retries and test alerts)")
    )
    shown = "[::1]" if args.host == "::1" else args.host
    print(
        f"fundwatch dashboard on http://{shown}:{args.port}/ — {writes}; Ctrl-C stops", flush=True
    )
    # uvicorn shuts down gracefully on SIGINT/SIGTERM, then re-raises the signal to the handlers
    # found at start: both end here as a clean exit.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
    try:
        serve(config, args.host, args.port, log_level="info" if args.access_log else "warning")
    except DatabaseError as exc:
        print(f"fundwatch serve: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        pass
    return 0
