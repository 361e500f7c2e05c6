"""A local webhook receiver for the demo: checks Standard Webhooks signatures like a user's
endpoint would (https://www.standardwebhooks.com/) and keeps each delivery once per
`webhook-id`."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import threading
import time
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler
from typing import Any

from fundwatch.demo.server import LoopbackServer

TOLERANCE_SECONDS = 300
RECEIVER_PATH = "/hooks/fundwatch"


@dataclass(frozen=True)
class Delivery:
    webhook_id: str
    payload: dict[str, Any]


def signature_problem(secret: str, headers: dict[str, str], body: bytes) -> str | None:
    """Why a request is not an authentic Standard Webhooks delivery (None when it is)."""
    msg_id = headers.get("webhook-id")
    stamp = headers.get("webhook-timestamp")
    signatures = headers.get("webhook-signature")
    if not (msg_id and stamp and signatures):
        return "missing webhook-id, webhook-timestamp or webhook-signature"
    if not stamp.isdigit() or abs(time.time() - int(stamp)) > TOLERANCE_SECONDS:
        return f"webhook-timestamp {stamp!r} is not within {TOLERANCE_SECONDS} s of now"
    key = base64.b64decode(secret.removeprefix("whsec_"))
    digest = hmac.new(key, f"{msg_id}.{stamp}.".encode() + body, hashlib.sha256).digest()
    expected = "v1," + base64.b64encode(digest).decode("ascii")
    if any(hmac.compare_digest(expected, given) for given in signatures.split(" ")):
        return None
    return "no signature matches"


class WebhookReceiver(LoopbackServer):
    """POST endpoint on 127.0.0.1 (free port) that accepts signed deliveries with 204."""

    def __init__(self, secret: str, port: int = 0) -> None:
        self.secret = secret
        self.deliveries: dict[str, Delivery] = {}
        self.duplicates = 0
        self.rejected: list[str] = []
        self._lock = threading.Lock()
        self._arrived = threading.Condition(self._lock)
        super().__init__(self._handler_class(), port, "demo-receiver")

    @property
    def url(self) -> str:
        return f"{self.origin}{RECEIVER_PATH}"

    @property
    def count(self) -> int:
        with self._lock:
            return len(self.deliveries)

    def wait_for(self, count: int, timeout: float) -> bool:
        """Block until at least `count` distinct deliveries arrived (or `timeout` seconds)."""
        deadline = time.monotonic() + timeout
        with self._arrived:
            while len(self.deliveries) < count:
                left = deadline - time.monotonic()
                if left <= 0:
                    return False
                self._arrived.wait(left)
            return True

    def _accept(self, headers: dict[str, str], body: bytes) -> int:
        problem = signature_problem(self.secret, headers, body)
        with self._arrived:
            if problem is not None:
                self.rejected.append(problem)
                return 401
            try:
                payload = json.loads(body)
            except ValueError:
                self.rejected.append("body is not JSON")
                return 400
            msg_id = headers["webhook-id"]
            if msg_id in self.deliveries:
                self.duplicates += 1
            else:
                self.deliveries[msg_id] = Delivery(msg_id, payload)
                self._arrived.notify_all()
        return 204

    def _handler_class(self) -> type[BaseHTTPRequestHandler]:
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            server_version = "fundwatch-demo-receiver/1"

            def do_POST(self) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                body = self.rfile.read(length)
                if self.path != RECEIVER_PATH:
                    status = 404
                else:
                    headers = {k.lower(): v for k, v in self.headers.items()}
                    status = receiver._accept(headers, body)
                self.send_response(status)
                self.send_header("Content-Length", "0")
                self.end_headers()

            def log_message(self, format: str, *args: object) -> None:
                pass

        return Handler
