"""Microsoft Teams: an Adaptive Card POSTed to an incoming webhook or a Workflows (Power
Automate) webhook URL. Workflows answer 202 Accepted; the older connectors answer 200 `1`, or 200
with an error text when Teams throttled the message (read as a retry). Cards up to 28 KB;
Teams throttles at about 4 requests a second per webhook (HTTP 429)."""

from __future__ import annotations

from typing import Any

from fundwatch.alerts.chat_platform import Platform, Request
from fundwatch.alerts.chat_text import ChatMessage, link_target, neutral
from fundwatch.alerts.delivery import Delivery
from fundwatch.alerts.http_post import Answer, http_status_delivery
from fundwatch.configuration.chat_channels import TeamsChannel

MAX_BODY_BYTES = 27_000


def _blocks(message: ChatMessage) -> list[dict[str, Any]]:
    body: list[dict[str, Any]] = [
        {
            "type": "TextBlock",
            "text": neutral(message.title),
            "weight": "Bolder",
            "size": "Medium",
            "wrap": True,
        }
    ]
    for block in message.events:
        if not message.single:
            body.append(
                {
                    "type": "TextBlock",
                    "text": neutral(block.headline),
                    "weight": "Bolder",
                    "wrap": True,
                    "separator": True,
                }
            )
        body += [
            {"type": "TextBlock", "text": f"- {neutral(c)}", "wrap": True} for c in block.changes
        ]
        if block.facts:
            body.append(
                {
                    "type": "FactSet",
                    "facts": [
                        {"title": neutral(name), "value": neutral(value)}
                        for name, value in block.facts
                    ],
                }
            )
        links = [
            f"- [{neutral(link.title)}]({link_target(link.url)})"
            + (f" ({neutral(link.outlet)})" if link.outlet else "")
            for link in block.links
            if link.url
        ]
        if links:
            body.append({"type": "TextBlock", "text": "\n".join(links), "wrap": True})
    return body


def build(channel: TeamsChannel, message: ChatMessage) -> Request:
    card = {
        "$schema": "http://adaptivecards.io/schemas/adaptive-card.json",
        "type": "AdaptiveCard",
        "version": "1.4",
        "body": _blocks(message),
        "msteams": {"width": "Full"},
    }
    body = {
        "type": "message",
        "attachments": [
            {"contentType": "application/vnd.microsoft.card.adaptive", "content": card}
        ],
    }
    return Request(channel.url, body, f"teams webhook of channel {channel.name}")


def interpret(answer: Answer) -> Delivery:
    text = answer.text.strip()
    if 200 <= answer.status < 300:
        if "429" in text or "throttl" in text.casefold():
            return Delivery("retry", answer.status, f"Teams: {text[:200]}", retry_after=60.0)
        if text and text != "1" and "error" in text.casefold():
            return Delivery("failed", answer.status, f"Teams: {text[:200]}")
        return Delivery("sent", answer.status)
    return http_status_delivery(answer, "Teams") or Delivery("failed", answer.status)


PLATFORM = Platform("teams", build, interpret, MAX_BODY_BYTES, ((4, 1.0),))
