"""Any Apprise URL as a channel (optional dependency `apprise`).

Apprise answers a boolean only: True is recorded as sent; False (the service refused, timed
out, or was unreachable; Apprise does not say which) is retried on the channel's schedule until
`give_up_after`. There is no Retry-After, no 410 detection and no idempotency key, so a
service that failed permanently is retried for the whole window.
"""

from __future__ import annotations

import logging

from fundwatch.alerts.chat_text import ChatMessage, markdown_lines
from fundwatch.alerts.delivery import Delivery
from fundwatch.configuration.chat_channels import AppriseChannel

MAX_BODY_CHARACTERS = 4000


def body_of(message: ChatMessage) -> str:
    return markdown_lines(message, headline=None)


def fits(message: ChatMessage) -> bool:
    return len(body_of(message)) <= MAX_BODY_CHARACTERS


def send(channel: AppriseChannel, message: ChatMessage) -> Delivery:
    try:
        import apprise
    except ImportError:
        return Delivery(
            "retry",
            None,
            "the apprise package is not installed: pip install 'fundwatch[apprise]' "
            "(alerts wait in the outbox until then)",
        )
    logging.getLogger("apprise").setLevel(logging.CRITICAL)  # its log lines carry the URL
    notifier = apprise.Apprise()
    if not notifier.add(channel.url):
        return Delivery(
            "failed", None, f"Apprise does not understand the URL {channel.display_url}"
        )
    ok = notifier.notify(
        title=message.title, body=body_of(message), body_format=apprise.NotifyFormat.MARKDOWN
    )
    if ok:
        return Delivery("sent")
    return Delivery("retry", None, f"Apprise reported a failure for {channel.display_url}")
