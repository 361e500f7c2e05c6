"""Local stand-ins for the chat platforms, written from their public docs: each answers like the
platform (HTTP 200 with an error code in the body for Feishu/DingTalk/WeCom, Slack's text codes,
Discord's and Telegram's JSON), checks signatures and keywords, enforces the documented size
and rate limits, and can be told to fail (`plan`). Listens on 127.0.0.1 only."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import threading
import time
import urllib.parse
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

from harness.alert_receivers import free_port


@dataclass
class Hit:
    path: str
    query: dict[str, str]
    headers: dict[str, str]
    body: Any
    raw: bytes


@dataclass
class Reply:
    status: int = 200
    body: Any = None
    headers: dict[str, str] = field(default_factory=dict)


OK = {
    "feishu": Reply(200, {"code": 0, "msg": "success", "data": {}}),
    "dingtalk": Reply(200, {"errcode": 0, "errmsg": "ok"}),
    "wecom": Reply(200, {"errcode": 0, "errmsg": "ok"}),
    "slack": Reply(200, "ok"),
    "discord": Reply(200, {"id": "1", "type": 0}),
    "telegram": Reply(200, {"ok": True, "result": {"message_id": 1}}),
    "teams": Reply(202, ""),
    "json": Reply(200, ""),
}
# the platform's documented answer to too many messages
RATE_LIMITED = {
    "feishu": Reply(200, {"code": 11232, "msg": "frequency limited", "data": {}}),
    "dingtalk": Reply(
        200, {"errcode": 130101, "errmsg": "send too fast, exceed 20 times per minute"}
    ),
    "wecom": Reply(200, {"errcode": 45009, "errmsg": "api freq out of limit"}),
    "slack": Reply(429, "rate_limited", {"retry-after": "30"}),
    "discord": Reply(
        429, {"message": "You are being rate limited.", "retry_after": 2.5, "global": False}
    ),
    "telegram": Reply(
        429,
        {
            "ok": False,
            "error_code": 429,
            "description": "Too Many Requests: retry after 7",
            "parameters": {"retry_after": 7},
        },
    ),
    "teams": Reply(429, "Too many requests"),
}
# the platform's answer once the bot / webhook has been removed
GONE = {
    "feishu": Reply(
        200, {"code": 19001, "msg": "param invalid: incoming webhook access token invalid"}
    ),
    "dingtalk": Reply(200, {"errcode": 300001, "errmsg": "token is not exist"}),
    "wecom": Reply(200, {"errcode": 93000, "errmsg": "invalid webhook url"}),
    "slack": Reply(404, "no_service"),
    "discord": Reply(404, {"message": "Unknown Webhook", "code": 10015}),
    "telegram": Reply(
        403,
        {
            "ok": False,
            "error_code": 403,
            "description": "Forbidden: bot was kicked from the group chat",
        },
    ),
}
BUSY = {
    "feishu": Reply(200, {"code": 1000004, "msg": "system busy"}),
    "dingtalk": Reply(200, {"errcode": -1, "errmsg": "系统繁忙"}),
    "wecom": Reply(200, {"errcode": -1, "errmsg": "system busy"}),
}
PATHS = {
    "feishu": "/open-apis/bot/v2/hook/0f3c-hook-token-secret",
    "dingtalk": "/robot/send?access_token=ding-token-secret",
    "wecom": "/cgi-bin/webhook/send?key=wecom-key-secret",
    "slack": "/services/T000/B000/slack-token-secret",
    "discord": "/api/webhooks/123/discord-token-secret",
    "teams": "/workflows/teams-sig-secret/triggers/manual/paths/invoke",
    "json": "/apprise",
}
TOKEN_SECRETS = (
    "hook-token-secret",
    "ding-token-secret",
    "wecom-key-secret",
    "slack-token-secret",
    "discord-token-secret",
    "teams-sig-secret",
    "123456:telegram-bot-token",
)


def feishu_sign(secret: str, timestamp: str) -> str:
    key = f"{timestamp}\n{secret}".encode()
    return base64.b64encode(hmac.new(key, b"", hashlib.sha256).digest()).decode()


def dingtalk_sign(secret: str, timestamp: str) -> str:
    digest = hmac.new(secret.encode(), f"{timestamp}\n{secret}".encode(), hashlib.sha256).digest()
    return base64.b64encode(digest).decode()


class PlatformReceiver:
    """`kind`: feishu, dingtalk, wecom, slack, discord, telegram, teams or json (Apprise)."""

    def __init__(
        self,
        kind: str,
        *,
        secret: str | None = None,
        keyword: str | None = None,
        per_minute: int | None = None,
    ) -> None:
        self.kind = kind
        self.secret = secret
        self.keyword = keyword
        self.per_minute = per_minute
        self.port = free_port()
        self.hits: list[Hit] = []
        self.accepted: list[Hit] = []
        self.plans: list[Reply | str] = []
        self.release = threading.Event()
        self.got_request = threading.Event()
        self._times: list[float] = []
        self._lock = threading.Lock()
        self._server: ThreadingHTTPServer | None = None

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def url(self) -> str:
        if self.kind == "json":
            return f"json://127.0.0.1:{self.port}/apprise"
        return self.base + PATHS.get(self.kind, "/")

    def plan(self, *replies: Reply | str) -> None:
        """Queue answers: a Reply, or 'rate', 'gone', 'busy', 'hold' (answer OK once released)."""
        with self._lock:
            self.plans.extend(replies)

    # -- what the platform would say ----------------------------------------------------------

    def _error(self, code: int, message: str) -> Reply:
        if self.kind == "feishu":
            return Reply(200, {"code": code, "msg": message, "data": {}})
        return Reply(200, {"errcode": code, "errmsg": message})

    def _text_of(self, hit: Hit) -> str:
        return json.dumps(hit.body, ensure_ascii=False)

    def _check(self, hit: Hit) -> Reply | None:
        """Signature, keyword and size checks, as the platform documents them."""
        body = hit.body if isinstance(hit.body, dict) else {}
        if self.kind == "feishu":
            if self.secret is not None:
                stamp = str(body.get("timestamp", ""))
                fresh = stamp.isdigit() and abs(time.time() - int(stamp)) < 3600
                if not fresh or body.get("sign") != feishu_sign(self.secret, stamp):
                    return self._error(
                        19021,
                        "sign match fail or timestamp is not within one hour from current time",
                    )
            if self.keyword is not None and self.keyword not in self._text_of(hit):
                return self._error(19024, "Key Words Not Found")
            if len(hit.raw) > 20 * 1024:
                return self._error(9499, "Bad Request")
        if self.kind == "dingtalk":
            if self.secret is not None:
                stamp = hit.query.get("timestamp", "")
                fresh = stamp.isdigit() and abs(time.time() * 1000 - int(stamp)) < 3_600_000
                if not fresh or hit.query.get("sign") != dingtalk_sign(self.secret, stamp):
                    return self._error(310000, "sign not match")
            if self.keyword is not None and self.keyword not in self._text_of(hit):
                return self._error(310000, "keywords not in content")
        if self.kind == "wecom":
            content = (body.get("markdown") or {}).get("content", "")
            if len(content.encode("utf-8")) > 4096:
                return self._error(40058, "markdown.content exceed max length 4096")
        if self.kind == "discord":
            embeds = body.get("embeds") or []
            size = sum(len(e.get("title", "")) + len(e.get("description", "")) for e in embeds)
            if len(embeds) > 10 or size > 6000:
                return Reply(400, {"message": "Invalid Form Body", "code": 50035})
        if self.kind == "telegram":
            if not hit.path.startswith("/bot123456:telegram-bot-token/"):
                return Reply(401, {"ok": False, "error_code": 401, "description": "Unauthorized"})
            if len(body.get("text", "")) > 4096:
                return Reply(
                    400,
                    {
                        "ok": False,
                        "error_code": 400,
                        "description": "Bad Request: message is too long",
                    },
                )
        return None

    def _rate(self) -> Reply | None:
        if self.per_minute is None:
            return None
        now = time.monotonic()
        self._times = [t for t in self._times if t > now - 60]
        if len(self._times) >= self.per_minute:
            return RATE_LIMITED[self.kind]
        self._times.append(now)
        return None

    def _answer(self, hit: Hit) -> Reply:
        with self._lock:
            plan = self.plans.pop(0) if self.plans else None
        if plan == "hold":
            self.release.wait(60)
            plan = None
        if isinstance(plan, Reply):
            return plan
        if plan in ("rate", "gone", "busy"):
            return {"rate": RATE_LIMITED, "gone": GONE, "busy": BUSY}[plan][self.kind]
        failure = self._check(hit) or self._rate()
        if failure is not None:
            return failure
        with self._lock:
            self.accepted.append(hit)
        return OK[self.kind]

    # -- server -------------------------------------------------------------------------------

    def start(self) -> PlatformReceiver:
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args: Any) -> None:
                pass

            def do_POST(self) -> None:
                raw = self.rfile.read(int(self.headers.get("content-length") or 0))
                parts = urllib.parse.urlsplit(self.path)
                query = dict(urllib.parse.parse_qsl(parts.query))
                try:
                    body: Any = json.loads(raw) if raw else None
                except ValueError:
                    body = raw.decode("utf-8", "replace")
                hit = Hit(
                    parts.path, query, {k.lower(): v for k, v in self.headers.items()}, body, raw
                )
                with receiver._lock:
                    receiver.hits.append(hit)
                receiver.got_request.set()
                reply = receiver._answer(hit)
                payload = (
                    reply.body.encode()
                    if isinstance(reply.body, str)
                    else json.dumps(reply.body, ensure_ascii=False).encode()
                    if reply.body is not None
                    else b""
                )
                self.send_response(reply.status)
                for name, value in reply.headers.items():
                    self.send_header(name, value)
                content_type = "text/plain" if isinstance(reply.body, str) else "application/json"
                self.send_header("content-type", content_type)
                self.send_header("content-length", str(len(payload)))
                self.end_headers()
                self.wfile.write(payload)

        server = ThreadingHTTPServer(("127.0.0.1", self.port), Handler)
        server.daemon_threads = True
        self._server = server
        threading.Thread(
            target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
        ).start()
        return self

    def stop(self) -> None:
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
            self._server = None
