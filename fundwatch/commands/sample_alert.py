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
    parser.set_defaults(func=run)


def _sample_payload() -> dict:
    from fundwatch.storage.timeutil import utcnow

    now = utcnow().isoformat().replace("+00:00", "Z")
    return {
        "type": "funding_event.test",
        "timestamp": now,
        "data": {
            "event_id": 0,
            "revision": 0,
            "company": "Example Video AI",
            "company_key": "example-video-ai",
            "round": "A",
            "amount": 60_000_000.0,
            "currency": "USD",
            "amount_usd": 60_000_000.0,
            "amount_approximate": False,
            "valuation_usd": None,
            "investors": ["Example Capital", "Sample Ventures"],
            "lead_investors": ["Example Capital"],
            "first_seen": now,
            "announced": None,
            "articles_total": 1,
            "articles": [
                {
                    "title": "This is a fundwatch test alert",
                    "url": "https://example.com/fundwatch-test",
                    "source": "fundwatch",
                    "published": now,
                    "language": "en",
                }
            ],
        },
    }


def run(args: argparse.Namespace) -> int:
    from fundwatch.alerts.mail import send_email
    from fundwatch.alerts.payload import build_payload
    from fundwatch.alerts.webhook import send_webhook
    from fundwatch.configuration.alerts import WebhookChannel, load_channels
    from fundwatch.context import AppContext

    app = AppContext(existing=True)
    if app.settings.alerts is None:
        print(
            "fundwatch: no alerts file configured: set FUNDWATCH_ALERTS or 'alerts:' in "
            "fundwatch.yaml (see README 'Alert channels')",
            file=sys.stderr,
        )
        return 2
    channels = {channel.name: channel for channel in load_channels(app.settings)}
    channel = channels.get(args.channel)
    if channel is None:
        print(
            f"fundwatch: no channel {args.channel!r} in {app.settings.alerts}; "
            f"known: {', '.join(channels) or '(none)'}",
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
        payload = _sample_payload()
    message_id = f"fw-test-{int(time.time())}-{channel.name}"
    if isinstance(channel, WebhookChannel):
        delivery = send_webhook(channel, message_id, payload)
    else:
        delivery = send_email(channel, message_id, [payload])
    detail = f" ({delivery.error})" if delivery.error else ""
    code = f" {delivery.status_code}" if delivery.status_code else ""
    print(f"{channel.name}: {delivery.outcome}{code}{detail} in {delivery.duration_ms or 0:.0f} ms")
    return 0 if delivery.outcome == "sent" else 1
