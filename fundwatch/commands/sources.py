"""`fundwatch sources`: the catalog with each source's cadence, health and last run."""

from __future__ import annotations

import argparse
import sys
from typing import TYPE_CHECKING

from fundwatch.tables import FORMATS, render

if TYPE_CHECKING:
    from fundwatch.context import AppContext


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser("sources", help="list sources with status and last run")
    parser.add_argument("--format", choices=FORMATS, default="table")
    parser.add_argument(
        "--enable",
        metavar="NAME",
        help="re-enable a source that was disabled (its feed answered 410 Gone); "
        "a running daemon picks it up on SIGHUP",
    )
    parser.set_defaults(func=run)


HEADERS = (
    "name",
    "kind",
    "lang",
    "cadence",
    "last_run",
    "status",
    "new",
    "failures",
    "next_run",
    "last_error",
)


def run(args: argparse.Namespace) -> int:
    from fundwatch.context import AppContext
    from fundwatch.storage.engine import NoDatabase
    from fundwatch.storage.runs import latest_runs, source_states

    app = AppContext(existing=True)
    catalog = app.catalog
    if args.enable:
        return enable(app, args.enable)
    try:
        with app.sessions() as session:
            runs = latest_runs(session)
            states = source_states(session)
    except NoDatabase as exc:  # configured but never crawled: the catalog is still worth seeing
        print(f"fundwatch: {exc}", file=sys.stderr)
        runs, states = {}, {}
    rows = []
    for source in catalog:
        last = runs.get(source.name)
        state = states.get(source.name)
        status = "disabled" if (not source.enabled or (state and state.disabled)) else None
        health = getattr(state, "health", None)  # template / quiet problem (storage/health.py)
        if health and not status:
            status = f"unhealthy: {health.split(':', 1)[0]}"
        rows.append(
            (
                source.name,
                source.kind,
                source.language,
                source.cadence_label,
                last.started_at if last else None,
                status or (state.status if state else (last.status if last else "never run")),
                last.new if last else None,
                state.consecutive_failures if state else 0,
                state.next_run_at if state else None,
                (health or (state.last_error if state else None) or "")[:160] or None,
            )
        )
    print(render(HEADERS, rows, args.format))
    return 0


def enable(app: AppContext, name: str) -> int:
    from fundwatch.storage.runs import enable_source

    try:
        app.catalog.get(name)
    except KeyError as exc:
        print(f"fundwatch sources: {exc.args[0]}", file=sys.stderr)
        return 2
    with app.sessions.begin() as session:
        enable_source(session, name)
    print(f"{name}: enabled; it runs on its cadence again (send SIGHUP to a running daemon)")
    return 0
