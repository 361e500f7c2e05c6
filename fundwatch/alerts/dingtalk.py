"""DingTalk (钉钉) custom robot: one markdown message per alert or digest.

Docs (open.dingtalk.com, 自定义机器人): answers `{"errcode": 0, "errmsg": "ok"}`; a robot may
send 20 messages a minute, beyond that it is throttled for 10 minutes (errcode 130101). In 加签
mode the URL carries `timestamp` (milliseconds) and `sign` = urlencode(base64(HMAC-SHA256 keyed
with the secret over "<timestamp>\\n<secret>")), valid for one hour. In 自定义关键词 mode a
message must contain one of the robot's keywords (errcode 310000 otherwise): set `keyword:`.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import time
import urllib.parse

from fundwatch.alerts.chat_platform import Platform, Request, errcode_delivery
from fundwatch.alerts.chat_text import ChatMessage, markdown_lines, neutral
from fundwatch.alerts.delivery import Delivery
from fundwatch.alerts.http_post import Answer
from fundwatch.configuration.chat_channels import DingTalkChannel

MAX_BODY_BYTES = 18_000  # DingTalk rejects bodies of about 20 000 bytes; keep a margin
THROTTLE_SECONDS = 600.0
RATE_LIMITED = frozenset({130101, 410100})  # send too fast (20/min, then 10 min throttle)
GONE = frozenset({300001, 400013})  # token does not exist / the group was dissolved
PERMANENT = {
    310000: "security check failed: keyword missing (set `keyword:`), signature or clock "
    "(set `secret:`), or IP allow-list",
    300005: "token is not valid: copy the webhook URL again",
    40035: "invalid parameter",
    43004: "invalid content type",
}


def sign(secret: str, timestamp_ms: int) -> str:
    digest = hmac.new(secret.encode(), f"{timestamp_ms}\n{secret}".encode(), hashlib.sha256)
    return base64.b64encode(digest.digest()).decode("ascii")


def signed_url(url: str, secret: str, timestamp_ms: int | None = None) -> str:
    timestamp_ms = int(time.time() * 1000) if timestamp_ms is None else timestamp_ms
    query = urllib.parse.urlencode({"timestamp": timestamp_ms, "sign": sign(secret, timestamp_ms)})
    return f"{url}{'&' if '?' in url else '?'}{query}"


def build(channel: DingTalkChannel, message: ChatMessage) -> Request:
    text = markdown_lines(message, headline="### {}")
    footer = "fundwatch" + (f" · {neutral(channel.keyword)}" if channel.keyword else "")
    body = {
        "msgtype": "markdown",
        "markdown": {"title": message.title[:60], "text": f"{text}\n\n> {footer}"},
        "at": {"isAtAll": False},
    }
    url = channel.url
    if channel.secret is not None:
        url = signed_url(url, channel.secret.get_secret_value())
    return Request(url, body, f"dingtalk robot of channel {channel.name}")


def interpret(answer: Answer) -> Delivery:
    return errcode_delivery(
        answer,
        "DingTalk",
        rate_limited=RATE_LIMITED,
        rate_window=THROTTLE_SECONDS,
        gone=GONE,
        permanent=PERMANENT,
    )


PLATFORM = Platform("dingtalk", build, interpret, MAX_BODY_BYTES, ((20, 60.0),))
