"""Telegram Bot API `sendMessage` (core.telegram.org/bots/api) with HTML formatting.

Answers `{"ok": true, ...}` or `{"ok": false, "error_code": N, "description": "...",
"parameters": {"retry_after": S, "migrate_to_chat_id": ID}}`. Text is at most 4096 characters;
a bot may send about one message a second to a chat and 20 a minute to a group.
"""

from __future__ import annotations

import html

from fundwatch.alerts.chat_platform import Platform, Request
from fundwatch.alerts.chat_text import ChatMessage
from fundwatch.alerts.delivery import Delivery
from fundwatch.alerts.http_post import Answer, http_status_delivery
from fundwatch.configuration.chat_channels import TelegramChannel

MAX_TEXT_CHARACTERS = 4096


def _text(value: str) -> str:
    return html.escape(value, quote=False)


def html_text(message: ChatMessage) -> str:
    colon = ": " if message.lang == "en" else "："
    parts = []
    for block in message.events:
        lines = [f"<b>{_text(block.headline)}</b>"]
        lines += [f"• {_text(change)}" for change in block.changes]
        lines += [f"{_text(name)}{colon}{_text(value)}" for name, value in block.facts]
        for link in block.links:
            title = _text(link.title)
            where = f" ({_text(link.outlet)})" if link.outlet else ""
            anchor = (
                f'<a href="{html.escape(link.url, quote=True)}">{title}</a>' if link.url else title
            )
            lines.append(f"• {anchor}{where}")
        parts.append("\n".join(lines))
    head = f"<b>{_text(message.title)}</b>\n\n" if not message.single else ""
    return head + "\n\n".join(parts)


def build(channel: TelegramChannel, message: ChatMessage) -> Request:
    token = channel.bot_token.get_secret_value()
    body = {
        "chat_id": channel.chat_id,
        "text": html_text(message),
        "parse_mode": "HTML",
        "link_preview_options": {"is_disabled": True},
        "disable_notification": channel.silent,
    }
    return Request(
        f"{channel.api_base}/bot{token}/sendMessage",
        body,
        f"telegram bot of channel {channel.name}",
    )


class _TelegramPlatform(Platform):
    def fits(self, request: Request) -> bool:
        return len(request.body["text"]) <= MAX_TEXT_CHARACTERS


def interpret(answer: Answer) -> Delivery:
    data = answer.json if isinstance(answer.json, dict) else {}
    if data.get("ok") is True:
        return Delivery("sent", answer.status)
    description = str(data.get("description") or answer.text[:200])
    parameters = data.get("parameters") or {}
    code = data.get("error_code", answer.status)
    if code == 429:
        wait = parameters.get("retry_after")
        wait = float(wait) if isinstance(wait, int | float) else answer.retry_after
        return Delivery("retry", 429, f"Telegram: {description}", retry_after=wait)
    if "migrate_to_chat_id" in parameters:
        return Delivery(
            "failed",
            answer.status,
            f"Telegram: the group became a supergroup; set chat_id: "
            f"{parameters['migrate_to_chat_id']}",
        )
    if code == 403:
        return Delivery("disabled", 403, f"Telegram: {description} (the bot cannot post there)")
    if code == 401:
        return Delivery("failed", 401, "Telegram: unauthorized; check bot_token")
    status = http_status_delivery(answer, "Telegram")
    if status is not None:
        return Delivery(
            status.outcome, status.status_code, f"Telegram: {description}", status.retry_after
        )
    return Delivery("retry", answer.status, f"Telegram: {description}")


PLATFORM = _TelegramPlatform("telegram", build, interpret, 60_000, ((1, 1.0), (20, 60.0)))
