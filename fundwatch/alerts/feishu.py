"""Feishu (飞书) / Lark custom bot: an interactive card (or rich-text post) per message.

Docs (open.feishu.cn, 自定义机器人使用指南): answers `{"code": 0, "msg": "success"}`; a bot
allows 100 messages a minute and 5 a second, a request body at most 20 KB. With signature
verification the body carries `timestamp` (seconds) and `sign` = base64(HMAC-SHA256 keyed with
"<timestamp>\\n<secret>" over an empty message); Feishu accepts it for one hour.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import time
from typing import Any

from fundwatch.alerts.chat_platform import Platform, Request, code_delivery
from fundwatch.alerts.chat_text import ChatMessage, markdown_lines
from fundwatch.alerts.delivery import Delivery
from fundwatch.alerts.http_post import Answer, http_status_delivery
from fundwatch.configuration.chat_channels import FeishuChannel

MAX_BODY_BYTES = 20_000
RATE_LIMITED = frozenset({11232, 230020})  # frequency limited (tenant, per chat)
GONE = frozenset({19001})  # the webhook's token is invalid: the bot was removed
PERMANENT = {
    19021: "signature rejected: check `secret` and this machine's clock (1 hour tolerance)",
    19022: "the bot's IP allow-list does not include this machine",
    19024: "the bot requires a keyword: set `keyword:` on the channel",
    9499: "bad request (body larger than 20 KB or malformed)",
    19036: "message too large",
}


def sign(secret: str, timestamp: int) -> str:
    key = f"{timestamp}\n{secret}".encode()
    return base64.b64encode(hmac.new(key, b"", hashlib.sha256).digest()).decode("ascii")


def _footer(channel: FeishuChannel) -> str:
    return "fundwatch" + (f" · {channel.keyword}" if channel.keyword else "")


def _card(channel: FeishuChannel, message: ChatMessage) -> dict[str, Any]:
    return {
        "config": {"wide_screen_mode": True},
        "header": {
            "title": {"tag": "plain_text", "content": message.title},
            "template": "orange" if any(e.is_update for e in message.events) else "blue",
        },
        "elements": [
            {
                "tag": "div",
                "text": {"tag": "lark_md", "content": markdown_lines(message, headline=None)},
            },
            {"tag": "note", "elements": [{"tag": "plain_text", "content": _footer(channel)}]},
        ],
    }


def _post(channel: FeishuChannel, message: ChatMessage) -> dict[str, Any]:
    """Rich text: every crawled string is a `text` element, so nothing in it is markup."""
    colon = ": " if message.lang == "en" else "："
    rows: list[list[dict[str, Any]]] = []
    for block in message.events:
        if not message.single:
            rows.append([{"tag": "text", "text": block.headline, "style": ["bold"]}])
        rows += [[{"tag": "text", "text": f"• {change}"}] for change in block.changes]
        rows += [[{"tag": "text", "text": f"{name}{colon}{value}"}] for name, value in block.facts]
        for link in block.links:
            item: list[dict[str, Any]] = [{"tag": "text", "text": "• "}]
            if link.url:
                item.append({"tag": "a", "text": link.title, "href": link.url})
            else:
                item.append({"tag": "text", "text": link.title})
            if link.outlet:
                item.append({"tag": "text", "text": f" ({link.outlet})"})
            rows.append(item)
    rows.append([{"tag": "text", "text": _footer(channel)}])
    locale = "en_us" if message.lang == "en" else "zh_cn"
    return {"post": {locale: {"title": message.title, "content": rows}}}


def build(channel: FeishuChannel, message: ChatMessage) -> Request:
    body: dict[str, Any] = {}
    if channel.secret is not None:
        timestamp = int(time.time())
        body["timestamp"] = str(timestamp)
        body["sign"] = sign(channel.secret.get_secret_value(), timestamp)
    if channel.format == "post":
        body.update(msg_type="post", content=_post(channel, message))
    else:
        body.update(msg_type="interactive", card=_card(channel, message))
    return Request(channel.url, body, f"feishu bot of channel {channel.name}")


def _reset_seconds(answer: Answer) -> float | None:
    """Feishu's gateway says when its window resets in `x-ogw-ratelimit-reset` (seconds)."""
    value = answer.headers.get("x-ogw-ratelimit-reset", "").strip()
    return float(value) if value.isdigit() and int(value) > 0 else None


def interpret(answer: Answer) -> Delivery:
    """Feishu answers business errors in the body, with HTTP 200 or 400."""
    data = answer.json if isinstance(answer.json, dict) else {}
    code = data.get("code", data.get("StatusCode"))
    if isinstance(code, int):
        if code == 0:
            return Delivery("sent", answer.status)
        message = str(data.get("msg") or data.get("StatusMessage") or "")
        return code_delivery(
            "Feishu",
            code,
            message,
            rate_limited=RATE_LIMITED,
            rate_window=_reset_seconds(answer) or answer.retry_after or 60.0,
            gone=GONE,
            permanent=PERMANENT,
            http_status=answer.status,
        )
    return http_status_delivery(answer, "Feishu") or Delivery(
        "retry", answer.status, f"Feishu answered without a result code: {answer.text[:100]}"
    )


PLATFORM = Platform("feishu", build, interpret, MAX_BODY_BYTES, ((5, 1.0), (100, 60.0)))
