"""Chat channels: Feishu/Lark, DingTalk and WeCom group bots, Slack, Discord, Telegram, Teams,
and any Apprise URL. Each takes the URL (or token) the user copies from the app; the platform
base URL is part of it, so tests point a channel at a local receiver."""

from __future__ import annotations

import re
from typing import Literal

from pydantic import Field, SecretStr, field_validator

from fundwatch.configuration.alert_rules import ChannelBase, HttpChannelBase, Language

_HTTP_URL = re.compile(r"^https?://[^/\s]+")


def http_url(value: str) -> str:
    value = value.strip()
    if not _HTTP_URL.match(value):
        raise ValueError("must be an http:// or https:// URL")
    return value


def display_url(url: str) -> str:
    """Scheme and host only: the path and query of a bot URL are its credential."""
    match = re.match(r"^(https?://)(?:[^@/]*@)?([^/?#]+)", url)
    return "".join(match.groups()) + "/…" if match else "(url)"


class _ChatChannel(HttpChannelBase):
    url: str = Field(repr=False)
    language: Language = "auto"

    @field_validator("url")
    @classmethod
    def _url(cls, value: str) -> str:
        return http_url(value)

    @property
    def display_url(self) -> str:
        return display_url(self.url)


class FeishuChannel(_ChatChannel):
    """Feishu (飞书) / Lark custom bot. `secret`: the bot's signature-verification secret;
    `keyword`: put in every message when the bot uses keyword verification."""

    type: Literal["feishu", "lark"]
    secret: SecretStr | None = None
    format: Literal["card", "post"] = "card"
    keyword: str | None = None


class DingTalkChannel(_ChatChannel):
    """DingTalk (钉钉) custom robot. `secret`: the SEC… string of 加签 mode; `keyword`: for
    自定义关键词 mode, added to every message."""

    type: Literal["dingtalk"]
    secret: SecretStr | None = None
    keyword: str | None = None


class WeComChannel(_ChatChannel):
    """WeCom (企业微信) group robot (the webhook URL holds its key)."""

    type: Literal["wecom"]


class SlackChannel(_ChatChannel):
    """Slack incoming webhook."""

    type: Literal["slack"]


class DiscordChannel(_ChatChannel):
    """Discord channel webhook."""

    type: Literal["discord"]


class TeamsChannel(_ChatChannel):
    """Microsoft Teams incoming webhook or Workflows ("Post to a channel when a webhook request
    is received") URL; the message is an Adaptive Card."""

    type: Literal["teams"]


class TelegramChannel(HttpChannelBase):
    """Telegram Bot API `sendMessage` to one chat (group id like -1001234567890 or @channel)."""

    type: Literal["telegram"]
    bot_token: SecretStr
    chat_id: str = Field(min_length=1)
    api_base: str = "https://api.telegram.org"
    language: Language = "auto"
    silent: bool = False

    @field_validator("api_base")
    @classmethod
    def _base(cls, value: str) -> str:
        return http_url(value).rstrip("/")

    @property
    def display_url(self) -> str:
        return display_url(self.api_base)


class AppriseChannel(ChannelBase):
    """Any Apprise URL (https://github.com/caronc/apprise/wiki): the long tail of services.
    Needs the optional dependency: pip install 'fundwatch[apprise]'."""

    type: Literal["apprise"]
    url: str = Field(repr=False, min_length=3)
    language: Language = "auto"
    timeout: float = Field(default=30.0, gt=0)

    @field_validator("url")
    @classmethod
    def _url(cls, value: str) -> str:
        if "://" not in value:
            raise ValueError("must be an Apprise URL like tgram://token/chat or json://host/path")
        return value.strip()

    @property
    def display_url(self) -> str:
        return self.url.split("://", 1)[0] + "://…"


CHAT_CHANNEL_TYPES = (
    FeishuChannel,
    DingTalkChannel,
    WeComChannel,
    SlackChannel,
    DiscordChannel,
    TeamsChannel,
    TelegramChannel,
    AppriseChannel,
)
ChatChannel = (
    FeishuChannel
    | DingTalkChannel
    | WeComChannel
    | SlackChannel
    | DiscordChannel
    | TeamsChannel
    | TelegramChannel
    | AppriseChannel
)
