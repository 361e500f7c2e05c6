"""Helpers for the chat-channel tests: a fake clock and channel files from YAML text."""

from __future__ import annotations

from datetime import datetime, timedelta
from pathlib import Path

from fundwatch.configuration.alerts import AlertSetup, load_alerts_file
from fundwatch.storage.timeutil import utcnow

FEISHU_SECRET = "feishu-signing-secret-4f2a"
DINGTALK_SECRET = "SECdingtalk0signing0secret0e9b1"
BOT_TOKEN = "123456:telegram-bot-token"
ENV = {
    "FW_FEISHU_SECRET": FEISHU_SECRET,
    "FW_DINGTALK_SECRET": DINGTALK_SECRET,
    "FW_BOT_TOKEN": BOT_TOKEN,
}


class FakeClock:
    """The relay's idea of now: starts at the real now, moves only when told."""

    def __init__(self, start: datetime | None = None) -> None:
        self.now = start or utcnow()

    def __call__(self) -> datetime:
        return self.now

    def advance(self, **delta: float) -> None:
        self.now += timedelta(**delta)


def setup_from(tmp_path: Path, text: str) -> AlertSetup:
    path = tmp_path / "alerts.yaml"
    path.write_text(text, encoding="utf-8")
    return load_alerts_file(path, ENV)


def channel_yaml(kind: str, url: str, extra: str = "", name: str | None = None) -> str:
    """One channel entry (list form) pointing at a local receiver."""
    if kind == "telegram":
        where = (
            f"  api_base: '{url}'\n  bot_token: ${{FW_BOT_TOKEN}}\n  chat_id: '-1001234567890'\n"
        )
    else:
        where = f"  url: '{url}'\n"
    return f"- name: {name or kind}\n  type: {kind}\n{where}  deadline: 5s\n{extra}"
