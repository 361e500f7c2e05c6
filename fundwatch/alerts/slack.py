"""Slack incoming webhook: mrkdwn text (api.slack.com/messaging/webhooks).

Slack answers 200 `ok`, or an HTTP error with a text code: 400 invalid_payload, 403
action_prohibited, 404 channel_not_found / no_service (the webhook was revoked), 410
channel_is_archived, 429 with Retry-After. About one message a second per webhook.
"""

from __future__ import annotations

from fundwatch.alerts.chat_platform import Platform, Request
from fundwatch.alerts.chat_text import ChatMessage
from fundwatch.alerts.delivery import Delivery
from fundwatch.alerts.http_post import Answer, http_status_delivery
from fundwatch.configuration.chat_channels import SlackChannel

MAX_BODY_BYTES = 12_000  # Slack truncates text over 40 000 characters; keep messages readable
GONE_CODES = ("no_service", "channel_is_archived", "team_disabled", "invalid_token")


def slack_text(text: str) -> str:
    """Plain text in mrkdwn: the three characters Slack asks to escape, and link separators."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("|", "¦")


def mrkdwn(message: ChatMessage) -> str:
    colon = ": " if message.lang == "en" else "："
    parts = []
    for block in message.events:
        lines = [f"*{slack_text(block.headline)}*"]
        lines += [f"• {slack_text(change)}" for change in block.changes]
        lines += [f"{slack_text(name)}{colon}{slack_text(value)}" for name, value in block.facts]
        for link in block.links:
            title = slack_text(link.title).replace("*", "∗")
            where = f" ({slack_text(link.outlet)})" if link.outlet else ""
            lines.append(f"• <{link.url}|{title}>{where}" if link.url else f"• {title}{where}")
        parts.append("\n".join(lines))
    head = f"*{slack_text(message.title)}*\n\n" if not message.single else ""
    return head + "\n\n".join(parts)


def build(channel: SlackChannel, message: ChatMessage) -> Request:
    body = {"text": mrkdwn(message), "mrkdwn": True, "unfurl_links": False}
    return Request(channel.url, body, f"slack webhook of channel {channel.name}")


def interpret(answer: Answer) -> Delivery:
    text = answer.text.strip()
    if 200 <= answer.status < 300:
        return Delivery("sent", answer.status)
    if answer.status in (403, 404, 410) and text in GONE_CODES:
        return Delivery("disabled", answer.status, f"Slack {answer.status} {text}")
    return http_status_delivery(answer, "Slack") or Delivery("failed", answer.status, text)


PLATFORM = Platform("slack", build, interpret, MAX_BODY_BYTES, ((1, 1.0),))
