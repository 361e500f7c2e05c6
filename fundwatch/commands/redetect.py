"""`fundwatch redetect`: run the current detector and keyword lists over stored articles and
show what changes.

Prints, per article, the flags gained or lost and the facts that change, then the events
created, merged, split, changed, joined or withdrawn, and a summary. With --dry-run nothing is
written; without it the new verdicts and events are stored in one transaction. An event that
existed is never announced again unless --realert is given; a new event (also one split off
another) is announced like any new event. See docs/events.md.
"""

from __future__ import annotations

import argparse
import sys
from collections import Counter
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any, TextIO

from fundwatch.arguments import since_date

if TYPE_CHECKING:
    from fundwatch.configuration import Settings
    from fundwatch.configuration.subscriptions import Route
    from fundwatch.storage.redetect import Plan
    from fundwatch.storage.regroup import EventChange

TITLE_WIDTH = 60


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "redetect",
        help="re-run the detector over stored articles and show (or apply) what changes",
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument(
        "--since",
        type=since_date,
        metavar="DATE",
        help="articles published (or fetched) on or after DATE",
    )
    parser.add_argument("--source", metavar="NAME", help="only articles from this source")
    parser.add_argument(
        "--dry-run", action="store_true", help="show what would change; write nothing"
    )
    parser.add_argument(
        "--realert",
        action="store_true",
        help="announce merged, split or materially changed events again (new revision)",
    )
    parser.set_defaults(func=run)


def _value(value: Any) -> str:
    if value is None or value == [] or value == "":
        return "-"
    if isinstance(value, int | float) and not isinstance(value, bool):
        return f"{value:,.0f}" if abs(value) >= 1000 else f"{value:g}"
    if isinstance(value, list | tuple):
        return ", ".join(map(str, value))
    return str(value)


def _short(title: str) -> str:
    title = " ".join(title.split())
    return title if len(title) <= TITLE_WIDTH else title[: TITLE_WIDTH - 1] + "…"


def describe_article(changes: Mapping[str, tuple[Any, Any]]) -> str:
    parts = []
    if "flag" in changes:
        parts.append("flag gained" if changes["flag"][1] else "flag lost")
    parts += [
        f"{name}: {_value(before)} → {_value(after)}"
        for name, (before, after) in changes.items()
        if name != "flag"
    ]
    return "; ".join(parts)


def describe_event(change: EventChange) -> str:
    name = f"event {change.event_id}" if change.event_id is not None else "new event"
    head = f"{change.company} {change.round or '(round unknown)'}"
    leads = f", led by {', '.join(change.leads)}" if change.leads else ""
    articles = (
        f", articles {', '.join(f'#{a}' for a in change.articles)}" if change.articles else ""
    )
    facts = "".join(
        f"; {field}: {_value(before)} → {_value(after)}"
        for field, (before, after) in change.facts.items()
    )
    origin = ""
    if change.kind == "merged":
        origin = f" (absorbs event {', '.join(map(str, change.from_events))})"
    elif change.kind == "split" and change.event_id is None:
        origin = f" (split off event {', '.join(map(str, change.from_events))})"
    elif change.kind == "split":
        origin = " (keeps part of its articles)"
    elif change.kind == "withdrawn":
        return f"  withdrawn  {name}: {head}: no article reports this round any more"
    return f"  {change.kind:<9}  {name}: {head}{leads}{articles}{origin}{facts}"


def summary(plan: Plan) -> str:
    counts: Counter[str] = Counter()
    for article in plan.articles:
        changes = article.changes()
        if "flag" in changes:
            counts["gained" if changes["flag"][1] else "lost"] += 1
        elif changes:
            counts["facts"] += 1
    kinds = Counter(c.kind for c in plan.regrouping.changes)
    events = ", ".join(
        f"{kinds[k]} {k}"
        for k in ("created", "merged", "split", "changed", "joined", "withdrawn")
        if kinds[k]
    )
    return (
        f"{plan.redetected} articles re-detected; flags: {counts['gained']} gained, "
        f"{counts['lost']} lost; other facts changed: {counts['facts']}; "
        f"events: {events or 'no change'}"
    )


def report(plan: Plan, out: TextIO) -> None:
    changed = [(a, a.changes()) for a in plan.articles]
    changed = [(a, c) for a, c in changed if c]
    if changed:
        print("articles:", file=out)
        for article, changes in changed:
            print(
                f"  #{article.id} {article.source} {_short(article.title)!r}: "
                f"{describe_article(changes)}",
                file=out,
            )
    if plan.regrouping.changes:
        print("events:", file=out)
        for change in plan.regrouping.changes:
            print(describe_event(change), file=out)
    print(summary(plan), file=out)


def _channels(settings: Settings) -> Sequence[Route]:
    from fundwatch.configuration.alerts import load_channels

    return tuple(load_channels(settings))


def run(args: argparse.Namespace) -> int:
    from fundwatch.context import AppContext
    from fundwatch.crawler.verdict import judge
    from fundwatch.detection import VocabError, load_detector
    from fundwatch.storage.redetect import (
        apply_plan,
        articles_to_redetect,
        lock_events,
        plan_redetect,
    )

    # re-detection changes stored rows only: a missing database (or one without fundwatch's
    # tables) is refused, never created, with or without --dry-run; checked before the
    # keyword lists are loaded
    app = AppContext(existing=True)
    app.sessions  # noqa: B018
    vocab = app.settings.detection_vocab
    try:
        detector = load_detector(vocab)
    except VocabError as exc:
        print(f"fundwatch redetect: {exc}", file=sys.stderr)
        return 2
    channels = () if args.dry_run else _channels(app.settings)
    with app.sessions() as session:
        detections = {}
        for article in articles_to_redetect(session, since=args.since, source=args.source):
            verdict = judge(detector, article.title, article.body, article.language)
            detections[article.id] = verdict.detection
    scope = ", ".join(
        part
        for part in (
            f"since {args.since:%Y-%m-%d %H:%M}" if args.since else "",
            f"source {args.source}" if args.source else "",
        )
        if part
    )
    scope = f" ({scope})" if scope else ""
    print(f"redetect: keyword lists in {vocab}; {len(detections)} articles{scope}")
    if not detections:
        print("nothing to re-detect")
        return 0
    if args.dry_run:
        with app.sessions() as session:
            plan = plan_redetect(session, detections)
            report(plan, sys.stdout)
        print("dry run: nothing written (run again without --dry-run to apply)")
        return 0
    with app.sessions.begin() as session:
        lock_events(session)
        plan = plan_redetect(session, detections)
        report(plan, sys.stdout)
        applied = apply_plan(session, plan, alert_channels=channels, realert=args.realert)
    print(
        f"applied: {applied.articles_updated} articles updated, {applied.events_created} events "
        f"created, {applied.events_updated} updated, {applied.events_withdrawn} withdrawn, "
        f"{applied.events_deleted} deleted; {applied.alerts_queued} alerts queued"
    )
    return 0
