"""Discord channel webhook: one embed per funding event (discord.com/developers/docs).

POSTed with `?wait=true`, so Discord answers 200 with the message. Limits: 10 embeds, 6000
characters over all embeds, a description at most 4096; 429 answers carry `retry_after`
(seconds) in the JSON body; 404 code 10015 / 401 code 50027 mean the webhook is gone. Mentions
are never parsed (`allowed_mentions`), so crawled text cannot ping anyone.
"""

from __future__ import annotations

import re
from typing import Any

from fundwatch.alerts.chat_platform import Platform, Request
from fundwatch.alerts.chat_text import ChatMessage
from fundwatch.alerts.delivery import Delivery
from fundwatch.alerts.http_post import Answer, http_status_delivery
from fundwatch.configuration.chat_channels import DiscordChannel

MAX_EMBEDS = 10
MAX_EMBED_CHARACTERS = 5800
GONE_CODES = frozenset({10015, 50027})
_MARKDOWN = re.compile(r"([\\*_~`|>\[\]()#-])")


def escape(text: str) -> str:
    return _MARKDOWN.sub(r"\\\1", text)


def _embed(message: ChatMessage, index: int) -> dict[str, Any]:
    block = message.events[index]
    colon = ": " if message.lang == "en" else "："
    lines = [f"• {escape(change)}" for change in block.changes]
    lines += [f"**{escape(name)}**{colon}{escape(value)}" for name, value in block.facts]
    for link in block.links:
        title = escape(link.title)
        where = f" ({escape(link.outlet)})" if link.outlet else ""
        lines.append(f"• [{title}](<{link.url}>){where}" if link.url else f"• {title}{where}")
    embed: dict[str, Any] = {
        "title": block.headline[:256],
        "description": "\n".join(lines)[:4096],
        "color": 0xE67E22 if block.is_update else 0x3498DB,
    }
    if block.links and block.links[0].url:
        embed["url"] = block.links[0].url
    return embed


def build(channel: DiscordChannel, message: ChatMessage) -> Request:
    body = {
        "username": "fundwatch",
        "content": message.title[:2000] if not message.single else "",
        "embeds": [_embed(message, i) for i in range(len(message.events))],
        "allowed_mentions": {"parse": []},
    }
    url = channel.url + ("&" if "?" in channel.url else "?") + "wait=true"
    return Request(url, body, f"discord webhook of channel {channel.name}")


class _DiscordPlatform(Platform):
    def fits(self, request: Request) -> bool:
        embeds = request.body["embeds"]
        size = sum(len(e["title"]) + len(e["description"]) for e in embeds)
        return len(embeds) <= MAX_EMBEDS and size <= MAX_EMBED_CHARACTERS


def interpret(answer: Answer) -> Delivery:
    data = answer.json if isinstance(answer.json, dict) else {}
    if 200 <= answer.status < 300:
        return Delivery("sent", answer.status)
    if answer.status == 429:
        retry_after = data.get("retry_after")
        wait = float(retry_after) if isinstance(retry_after, int | float) else answer.retry_after
        scope = "global" if data.get("global") else "webhook"
        return Delivery("retry", 429, f"Discord rate limit ({scope})", retry_after=wait)
    if data.get("code") in GONE_CODES:
        return Delivery("disabled", answer.status, f"Discord {data.get('message')}")
    return http_status_delivery(answer, "Discord") or Delivery("failed", answer.status)


PLATFORM = _DiscordPlatform("discord", build, interpret, 60_000, ((5, 2.0), (30, 60.0)), 3)
