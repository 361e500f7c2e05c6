"""Webhook delivery with httpx: Standard Webhooks headers, a total deadline per attempt, and
HTTP statuses mapped to retry / permanent failure / channel disabled."""

from __future__ import annotations

import asyncio
import email.utils
import logging
import ssl
import time
from datetime import UTC, datetime
from typing import Any

import httpx

from fundwatch.alerts.delivery import Delivery
from fundwatch.alerts.payload import encode
from fundwatch.alerts.render import headline, plain_text
from fundwatch.alerts.signing import signed_headers
from fundwatch.configuration.alerts import WebhookChannel

USER_AGENT = "fundwatch-alerts/0.1"


class _RedactWebhookUrls(logging.Filter):
    """httpx logs every request URL at INFO; a webhook URL can carry a token (Slack, query
    strings), so the URLs of alert channels are replaced by their host in those records."""

    def __init__(self) -> None:
        super().__init__()
        self.urls: dict[str, str] = {}

    def filter(self, record: logging.LogRecord) -> bool:
        if isinstance(record.args, tuple) and self.urls:
            record.args = tuple(self.urls.get(str(arg), arg) for arg in record.args)
        return True


_REDACTOR = _RedactWebhookUrls()
logging.getLogger("httpx").addFilter(_REDACTOR)
RETRYABLE_4XX = frozenset({408, 425, 429})


def parse_retry_after(value: str | None, now: float | None = None) -> float | None:
    """Retry-After as seconds (delta-seconds or an HTTP date); None if absent or unreadable."""
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    current = datetime.fromtimestamp(time.time() if now is None else now, UTC)
    return max((when - current).total_seconds(), 0.0)


def slack_body(payload: dict[str, Any]) -> dict[str, Any]:
    """A Slack incoming-webhook message (plain text, links in Slack's <url|title> form)."""
    data = payload["data"]
    lines = [headline(data)]
    if data.get("investors"):
        lines.append("Investors: " + ", ".join(data["investors"][:10]))
    for article in data.get("articles", [])[:5]:
        title = plain_text(article["title"], 150).replace("|", "¦").replace(">", "›")
        title = title.replace("<", "‹").replace("&", "＆")
        lines.append(
            f"• <{article['url']}|{title}> ({article['source']})"
            if article["url"]
            else f"• {title}"
        )
    return {"text": "\n".join(lines)}


def classify(response: httpx.Response) -> Delivery:
    code = response.status_code
    if 200 <= code < 300:
        return Delivery("sent", code)
    if 300 <= code < 400:
        return Delivery("retry", code, f"HTTP {code} redirect (not followed): fix the URL")
    if code == 410:
        return Delivery("disabled", code, "HTTP 410 Gone: the endpoint was removed")
    if code in RETRYABLE_4XX:
        retry_after = parse_retry_after(response.headers.get("retry-after"))
        return Delivery("retry", code, f"HTTP {code}", retry_after=retry_after)
    if 400 <= code < 500:
        return Delivery("failed", code, f"HTTP {code}: the receiver rejected the alert")
    return Delivery("retry", code, f"HTTP {code}")


def _tls(channel: WebhookChannel) -> ssl.SSLContext | bool:
    if channel.ca_file is None:
        return True
    return ssl.create_default_context(cafile=str(channel.ca_file))


async def _post(channel: WebhookChannel, message_id: str, body: bytes) -> Delivery:
    secret = channel.secret.get_secret_value() if channel.secret else None
    headers = {
        "content-type": "application/json",
        "user-agent": USER_AGENT,
        **signed_headers(secret, message_id, body),
    }
    async with httpx.AsyncClient(
        timeout=channel.timeout, follow_redirects=False, verify=_tls(channel), trust_env=False
    ) as client:
        response = await client.post(channel.url, content=body, headers=headers)
        return classify(response)


def send_webhook(channel: WebhookChannel, message_id: str, payload: dict[str, Any]) -> Delivery:
    """POST one alert; every attempt has a fresh timestamp and signature and the same id.

    The whole attempt (connect, TLS, send, response) is bounded by `channel.deadline`; httpx's
    `timeout` alone would let a slow-drip receiver hold the relay for much longer.
    """
    body = encode(slack_body(payload) if channel.format == "slack" else payload)
    _REDACTOR.urls[str(httpx.URL(channel.url))] = f"<webhook of channel {channel.name}>"
    started = time.monotonic()
    try:
        result = asyncio.run(asyncio.wait_for(_post(channel, message_id, body), channel.deadline))
    except TimeoutError:
        result = Delivery(
            "retry", None, f"no complete answer within the {channel.deadline:g} s deadline"
        )
    except httpx.TimeoutException as exc:
        result = Delivery("retry", None, f"timeout: {type(exc).__name__}")
    except httpx.HTTPError as exc:
        result = Delivery("retry", None, f"{type(exc).__name__}: {_describe(exc)}")
    except (ssl.SSLError, OSError) as exc:
        result = Delivery("retry", None, f"{type(exc).__name__}: {exc}")
    elapsed = (time.monotonic() - started) * 1000
    return Delivery(result.outcome, result.status_code, result.error, result.retry_after, elapsed)


def _describe(exc: httpx.HTTPError) -> str:
    """The error text without the request URL (it may carry a token)."""
    text = str(exc) or type(exc).__name__
    return text.split(" for url ")[0][:300]
