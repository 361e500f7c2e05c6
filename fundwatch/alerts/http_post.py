"""One bounded HTTP POST for the chat channels: a total deadline per attempt, no redirects,
verified TLS, the URL (it holds the bot's credential) kept out of logs and errors."""

from __future__ import annotations

import asyncio
import json
import ssl
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx

from fundwatch.alerts.delivery import Delivery
from fundwatch.alerts.webhook import _REDACTOR, USER_AGENT, parse_retry_after

MAX_ANSWER_BYTES = 64_000


@dataclass(frozen=True)
class Answer:
    """What the platform said: HTTP status, headers, and the body as JSON (None if not JSON)."""

    status: int
    headers: httpx.Headers
    text: str
    json: Any

    @property
    def retry_after(self) -> float | None:
        return parse_retry_after(self.headers.get("retry-after"))


def encode_json(body: Any) -> bytes:
    return json.dumps(body, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


def _tls(ca_file: Path | None) -> ssl.SSLContext | bool:
    return ssl.create_default_context(cafile=str(ca_file)) if ca_file else True


async def _post(
    url: str, body: bytes, headers: dict[str, str], timeout: float, ca_file: Path | None
) -> Answer:
    async with httpx.AsyncClient(
        timeout=timeout, follow_redirects=False, verify=_tls(ca_file), trust_env=False
    ) as client:
        response = await client.post(url, content=body, headers=headers)
        text = response.text[:MAX_ANSWER_BYTES]
        try:
            parsed = json.loads(text) if text.strip() else None
        except ValueError:
            parsed = None
        return Answer(response.status_code, response.headers, text, parsed)


def post(
    url: str,
    body: Any,
    *,
    label: str,
    timeout: float = 10.0,
    deadline: float = 15.0,
    ca_file: Path | None = None,
    headers: dict[str, str] | None = None,
) -> tuple[Answer | None, Delivery | None, float]:
    """POST `body` (JSON-encoded unless bytes). Returns (answer, None, ms) when the platform
    answered, or (None, retry-Delivery, ms) when it could not be reached in time."""
    content = body if isinstance(body, bytes) else encode_json(body)
    _REDACTOR.urls[str(httpx.URL(url))] = f"<{label}>"
    sent_headers = {"content-type": "application/json; charset=utf-8", "user-agent": USER_AGENT}
    sent_headers.update(headers or {})
    started = time.monotonic()
    failure: Delivery | None = None
    answer: Answer | None = None
    try:
        answer = asyncio.run(
            asyncio.wait_for(_post(url, content, sent_headers, timeout, ca_file), deadline)
        )
    except TimeoutError:
        failure = Delivery("retry", None, f"no complete answer within the {deadline:g} s deadline")
    except httpx.TimeoutException as exc:
        failure = Delivery("retry", None, f"timeout: {type(exc).__name__}")
    except httpx.HTTPError as exc:
        text = (str(exc) or type(exc).__name__).split(" for url ")[0][:300]
        failure = Delivery("retry", None, f"{type(exc).__name__}: {text.replace(url, label)}")
    except (ssl.SSLError, OSError) as exc:
        failure = Delivery("retry", None, f"{type(exc).__name__}: {str(exc).replace(url, label)}")
    return answer, failure, (time.monotonic() - started) * 1000


def http_status_delivery(answer: Answer, platform: str) -> Delivery | None:
    """The outcome an HTTP status alone decides (None: 2xx, read the body)."""
    code = answer.status
    if 200 <= code < 300:
        return None
    detail = answer.text.strip().replace("\n", " ")[:200]
    if 300 <= code < 400:
        return Delivery("retry", code, f"HTTP {code} redirect (not followed): fix the URL")
    if code == 429:
        return Delivery("retry", code, f"{platform} rate limit (HTTP 429)", answer.retry_after)
    if code in (408, 425) or code >= 500:
        return Delivery("retry", code, f"{platform} HTTP {code}: {detail}", answer.retry_after)
    if code == 410:
        return Delivery("disabled", code, f"{platform} HTTP 410 Gone: the webhook was removed")
    return Delivery("failed", code, f"{platform} HTTP {code}: {detail}")
