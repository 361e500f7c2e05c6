"""WeCom (企业微信) group robot: one markdown message per alert or digest.

Docs (developer.work.weixin.qq.com, 群机器人配置说明): answers `{"errcode": 0, "errmsg": "ok"}`;
a robot may send 20 messages a minute (errcode 45009 beyond); markdown content is at most 4096
bytes of UTF-8. The webhook URL's `key` is the credential.
"""

from __future__ import annotations

from fundwatch.alerts.chat_platform import Platform, Request, errcode_delivery
from fundwatch.alerts.chat_text import ChatMessage, markdown_lines
from fundwatch.alerts.delivery import Delivery
from fundwatch.alerts.http_post import Answer
from fundwatch.configuration.chat_channels import WeComChannel

MAX_CONTENT_BYTES = 4096
RATE_LIMITED = frozenset({45009})
GONE = frozenset({93000})  # invalid webhook url: the robot was removed
PERMANENT = {
    40008: "invalid message type",
    40058: "invalid parameter (content too long?)",
    44004: "empty content",
    93017: "the robot's IP allow-list does not include this machine",
}


def build(channel: WeComChannel, message: ChatMessage) -> Request:
    content = markdown_lines(message, headline="### {}") + "\n> fundwatch"
    body = {"msgtype": "markdown", "markdown": {"content": content}}
    return Request(channel.url, body, f"wecom robot of channel {channel.name}")


def fits(request: Request) -> bool:
    return len(request.body["markdown"]["content"].encode("utf-8")) <= MAX_CONTENT_BYTES


def interpret(answer: Answer) -> Delivery:
    return errcode_delivery(
        answer,
        "WeCom",
        rate_limited=RATE_LIMITED,
        rate_window=60.0,
        gone=GONE,
        permanent=PERMANENT,
    )


class _WeComPlatform(Platform):
    def fits(self, request: Request) -> bool:
        return fits(request)


PLATFORM = _WeComPlatform("wecom", build, interpret, MAX_CONTENT_BYTES + 200, ((20, 60.0),))
