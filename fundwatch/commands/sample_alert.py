"""`fundwatch test-alert CHANNEL`: send a sample alert (or an event's) now, bypassing the outbox.

The module is not named test_*.py: test runners would collect it as a test file.
"""

from __future__ import annotations

import argparse
import sys
import time


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "test-alert", help="send a sample alert to one channel and report the result"
    )
    parser.add_argument("channel", help="channel name from the alerts file")
    parser.add_argument(
        "--event", type=int, help="use this stored funding event (default: a sample event)"
    )
    parser.add_argument(
        "--language",
        choices=("en", "zh-Hans", "zh-Hant"),
        default="en",
        help="language of the sample event's article (channels with language: auto follow it)",
    )
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from fundwatch.alerts.dispatch import deliver
    from fundwatch.alerts.payload import build_payload, sample_payload
    from fundwatch.configuration.alerts import load_setup, route_of
    from fundwatch.context import AppContext

    app = AppContext(existing=True)
    if app.settings.alerts is None:
        print(
            "fundwatch: no alerts file configured: set FUNDWATCH_ALERTS or 'alerts:' in "
            "fundwatch.yaml (see docs/alert-channels.md)",
            file=sys.stderr,
        )
        return 2
    setup = load_setup(app.settings)
    routes = {channel.name: route_of(channel) for channel in setup.channels}
    routes.update({route.name: route for route in setup.routes})
    route = routes.get(args.channel)
    if route is None:
        print(
            f"fundwatch: no channel {args.channel!r} in {app.settings.alerts}; "
            f"known: {', '.join(routes) or '(none)'}",
            file=sys.stderr,
        )
        return 2
    if args.event is not None:
        with app.sessions() as session:
            payload = build_payload(session, args.event)
        if payload is None:
            print(f"fundwatch: no funding event {args.event}", file=sys.stderr)
            return 2
    else:
        payload = sample_payload(args.language)
    message_id = f"fw-test-{int(time.time())}-{route.channel.name}"
    delivery = deliver(route.channel, route.language, message_id, [payload])
    detail = f" ({delivery.error})" if delivery.error else ""
    code = f" {delivery.status_code}" if delivery.status_code else ""
    print(f"{route.name}: {delivery.outcome}{code}{detail} in {delivery.duration_ms or 0:.0f} ms")
    if delivery.answer:
        print(f"{route.channel.type} answered: {delivery.answer}")
    return 0 if delivery.outcome == "sent" else 1
