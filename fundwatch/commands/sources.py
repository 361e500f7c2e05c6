"""`fundwatch sources`: the catalog with each source's cadence, health and last run."""

from __future__ import annotations

import argparse
import sys
from typing import TYPE_CHECKING

from fundwatch.tables import FORMATS, render

if TYPE_CHECKING:
    from fundwatch.configuration import Catalog
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
    parser.add_argument(
        "--requeue",
        metavar="NAME",
        help="make the URLs the crawl frontier gave up on for this source pending again "
        "(its next run fetches them)",
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
    "pending",
    "given_up",
    "last_run_detail",
    "last_error",
)


def run(args: argparse.Namespace) -> int:
    from fundwatch.configuration.sources import load_catalog_leniently
    from fundwatch.context import AppContext
    from fundwatch.storage.engine import NoDatabase
    from fundwatch.storage.frontier import counts_by_source
    from fundwatch.storage.runs import latest_runs, source_states

    app = AppContext(existing=True)
    catalog, problems = load_catalog_leniently(app.settings.seeds)
    if args.enable:
        return enable(app, catalog, args.enable)
    if args.requeue:
        return requeue(app, catalog, args.requeue)
    try:
        with app.sessions() as session:
            runs = latest_runs(session)
            states = source_states(session)
            frontier = counts_by_source(session)
    except NoDatabase as exc:  # configured but never crawled: the catalog is still worth seeing
        print(f"fundwatch: {exc}", file=sys.stderr)
        runs, states, frontier = {}, {}, {}
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
                frontier.get(source.name, {}).get("pending", 0),
                frontier.get(source.name, {}).get("given_up", 0),
                run_detail(last),
                (health or (state.last_error if state else None) or "")[:160] or None,
            )
        )
    for problem in problems:
        rows.append(
            (
                problem.name or "?",
                "?",
                None,
                None,
                None,
                "invalid",
                None,
                0,
                None,
                0,
                0,
                None,
                problem.message.removeprefix(f"{problem.file}: ")[:160],
            )
        )
    print(render(HEADERS, rows, args.format))
    if problems:
        print(
            f"{len(problems)} catalog entr{'y is' if len(problems) == 1 else 'ies are'} invalid "
            "and not crawled (run `fundwatch check`)",
            file=sys.stderr,
        )
    return 0


def run_detail(run: object | None) -> str | None:
    """`partial: 2 failed pages, 1 not stored, 3 pending` for a run that was not clean."""
    if run is None:
        return None
    failed = getattr(run, "failed_pages", 0) or 0
    not_stored = getattr(run, "not_stored", 0) or 0
    pending = getattr(run, "pending", 0) or 0
    if not (failed or not_stored or pending):
        return None
    reasons = getattr(run, "reasons", None) or []
    text = f"{failed} failed pages, {not_stored} not stored, {pending} pending"
    return f"{text}; first: {reasons[0]}"[:160] if reasons else text


def requeue(app: AppContext, catalog: Catalog, name: str) -> int:
    from fundwatch.storage.frontier import requeue as requeue_urls

    try:
        catalog.get(name)
    except KeyError as exc:
        print(f"fundwatch sources: {exc.args[0]}", file=sys.stderr)
        return 2
    with app.sessions.begin() as session:
        count = requeue_urls(session, name)
    print(f"{name}: {count} given-up URL(s) pending again; the next run fetches them")
    return 0


def enable(app: AppContext, catalog: Catalog, name: str) -> int:
    from fundwatch.storage.runs import enable_source

    try:
        catalog.get(name)
    except KeyError as exc:
        print(f"fundwatch sources: {exc.args[0]}", file=sys.stderr)
        return 2
    with app.sessions.begin() as session:
        enable_source(session, name)
    print(f"{name}: enabled; it runs on its cadence again (send SIGHUP to a running daemon)")
    return 0
