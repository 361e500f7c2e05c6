"""What the relay needs to know of a chat platform: how to build a request, whether it fits the
platform's size limit, how to read the answer, and the documented rate limits."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from fundwatch.alerts.chat_text import ChatMessage
from fundwatch.alerts.delivery import Delivery
from fundwatch.alerts.http_post import Answer, encode_json, http_status_delivery


@dataclass(frozen=True)
class Request:
    url: str
    body: Any
    label: str


@dataclass(frozen=True)
class Platform:
    name: str
    build: Callable[[Any, ChatMessage], Request]
    interpret: Callable[[Answer], Delivery]
    max_bytes: int
    # (messages, seconds) windows: at most that many messages per window per channel
    rate_limits: tuple[tuple[int, float], ...]
    max_links: int = 5

    def fits(self, request: Request) -> bool:
        body = request.body if isinstance(request.body, bytes) else encode_json(request.body)
        return len(body) <= self.max_bytes


def code_delivery(
    platform: str,
    code: int,
    message: str,
    *,
    rate_limited: frozenset[int],
    rate_window: float,
    gone: frozenset[int] = frozenset(),
    permanent: dict[int, str] | None = None,
    http_status: int | None = None,
) -> Delivery:
    """The outcome of a platform error code in an HTTP 200 answer: rate limits are retried
    after the documented window, a removed bot disables the channel, known request/config
    errors are permanent, and anything else (system busy, unknown codes) is retried."""
    detail = f"{platform} error {code}: {message[:200]}"
    if code in rate_limited:
        return Delivery("retry", http_status, detail, retry_after=rate_window)
    if code in gone:
        return Delivery("disabled", http_status, detail + " (the bot or its group is gone)")
    if permanent and code in permanent:
        return Delivery("failed", http_status, f"{detail}: {permanent[code]}")
    return Delivery("retry", http_status, detail)


def errcode_delivery(
    answer: Answer,
    platform: str,
    *,
    rate_limited: frozenset[int],
    rate_window: float,
    gone: frozenset[int],
    permanent: dict[int, str],
) -> Delivery:
    """Read an `{"errcode": N, "errmsg": "..."}` answer (DingTalk, WeCom): 0 is sent, other
    codes go through code_delivery; an answer without errcode is judged by its HTTP status."""
    data = answer.json if isinstance(answer.json, dict) else {}
    code = data.get("errcode")
    if isinstance(code, int):
        if code == 0:
            return Delivery("sent", answer.status)
        return code_delivery(
            platform,
            code,
            str(data.get("errmsg") or ""),
            rate_limited=rate_limited,
            rate_window=rate_window,
            gone=gone,
            permanent=permanent,
            http_status=answer.status,
        )
    return http_status_delivery(answer, platform) or Delivery(
        "retry", answer.status, f"{platform} answered without errcode: {answer.text[:100]}"
    )
