"""`fundwatch alerts`: the alert outbox (pending, failed, sent) and channel switches."""

from __future__ import annotations

import argparse
import sys

from fundwatch.tables import FORMATS, render

HEADERS = (
    "id",
    "event",
    "company",
    "channel",
    "rev",
    "status",
    "attempts",
    "next_attempt",
    "sent_at",
    "last_error",
)


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "alerts", help="list alert deliveries (outbox) and re-enable channels"
    )
    which = parser.add_mutually_exclusive_group()
    which.add_argument("--pending", action="store_true", help="only alerts not yet delivered")
    which.add_argument("--failed", action="store_true", help="only alerts given up on")
    which.add_argument("--sent", action="store_true", help="only delivered alerts")
    parser.add_argument("--limit", type=int, default=100, help="rows to show (default 100)")
    parser.add_argument("--format", choices=FORMATS, default="table")
    parser.add_argument(
        "--enable", metavar="CHANNEL", help="re-enable a channel disabled after HTTP 410"
    )
    parser.add_argument(
        "--retry", metavar="ID", type=int, action="append", help="queue a failed alert again"
    )
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from sqlalchemy import select, update

    from fundwatch.context import AppContext
    from fundwatch.storage.models import AlertOutbox
    from fundwatch.storage.outbox import disabled_channels, list_alerts, set_channel_disabled
    from fundwatch.storage.timeutil import utcnow

    app = AppContext(existing=True)
    if args.enable:
        with app.sessions.begin() as session:
            set_channel_disabled(session, args.enable, False, None)
        print(f"channel {args.enable} enabled; new alerts for it will be delivered")
        return 0
    if args.retry:
        with app.sessions.begin() as session:
            found = dict(
                session.execute(
                    select(AlertOutbox.id, AlertOutbox.status).where(AlertOutbox.id.in_(args.retry))
                ).all()
            )
            for alert_id in dict.fromkeys(args.retry):
                if alert_id not in found:
                    print(f"fundwatch alerts: no alert {alert_id}", file=sys.stderr)
                elif found[alert_id] != "failed":
                    print(
                        f"fundwatch alerts: alert {alert_id} is {found[alert_id]}, not failed; "
                        "only failed alerts are queued again",
                        file=sys.stderr,
                    )
            changed = session.execute(
                update(AlertOutbox)
                .where(AlertOutbox.id.in_(args.retry), AlertOutbox.status == "failed")
                .values(status="pending", next_attempt_at=utcnow(), created_at=utcnow())
            ).rowcount
        print(f"{changed} failed alert(s) queued again")
        return 0 if changed else 1
    status = (
        "pending" if args.pending else "failed" if args.failed else "sent" if args.sent else None
    )
    with app.sessions() as session:
        rows = list_alerts(session, status=status, limit=args.limit)
        off = disabled_channels(session)
    table = [
        (
            row.id,
            row.event_id,
            event.company if event else None,
            row.channel,
            row.revision,
            row.status,
            row.attempts,
            row.next_attempt_at if row.status == "pending" else None,
            row.sent_at,
            (row.last_error or "")[:80] or None,
        )
        for row, event in rows
    ]
    print(render(HEADERS, table, args.format))
    for name, reason in off.items():
        print(
            f"channel {name} is disabled ({reason}); fix the endpoint, then "
            f"`fundwatch alerts --enable {name}`",
            file=sys.stderr,
        )
    return 0
