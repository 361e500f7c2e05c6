"""Real local receivers for alert tests: an HTTP webhook receiver that fails on request and an
SMTP server (aiosmtpd) that can answer 4xx/5xx or hang. Both listen on 127.0.0.1 only."""

from __future__ import annotations

import asyncio
import socket
import ssl
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

from aiosmtpd.controller import Controller
from aiosmtpd.smtp import SMTP, AuthResult, LoginPassword


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@dataclass
class Received:
    path: str
    headers: dict[str, str]
    body: bytes


@dataclass
class Behaviour:
    """What the receiver does with the next request: answer `status` (with `headers`), or
    `hold` until released, or `drip` the response one byte every 0.5 s."""

    status: int = 200
    headers: dict[str, str] = field(default_factory=dict)
    hold: bool = False
    drip: bool = False


class WebhookReceiver:
    """An HTTP(S) server in a thread. Queue behaviours with `plan(...)`; the default is 200."""

    def __init__(self, tls: ssl.SSLContext | None = None) -> None:
        self.port = free_port()
        self.tls = tls
        self.received: list[Received] = []
        self.plans: list[Behaviour] = []
        self.release = threading.Event()
        self.got_request = threading.Event()
        self._lock = threading.Lock()
        self._server: ThreadingHTTPServer | None = None

    @property
    def url(self) -> str:
        scheme = "https" if self.tls else "http"
        return f"{scheme}://127.0.0.1:{self.port}/hook?token=t0ps3cr3t-in-url"

    def plan(self, *behaviours: Behaviour) -> None:
        with self._lock:
            self.plans.extend(behaviours)

    def _next(self) -> Behaviour:
        with self._lock:
            return self.plans.pop(0) if self.plans else Behaviour()

    def start(self) -> None:
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args: Any) -> None:
                pass

            def do_POST(self) -> None:
                length = int(self.headers.get("content-length") or 0)
                body = self.rfile.read(length)
                behaviour = receiver._next()
                with receiver._lock:
                    receiver.received.append(
                        Received(self.path, {k.lower(): v for k, v in self.headers.items()}, body)
                    )
                receiver.got_request.set()
                if behaviour.hold:
                    receiver.release.wait(60)
                if behaviour.drip:
                    self.send_response(200)
                    self.send_header("content-length", "60")
                    self.end_headers()
                    try:
                        for _ in range(60):
                            self.wfile.write(b"x")
                            self.wfile.flush()
                            time.sleep(0.5)
                    except OSError:
                        pass
                    return
                self.send_response(behaviour.status)
                for name, value in behaviour.headers.items():
                    self.send_header(name, value)
                self.send_header("content-length", "2")
                self.end_headers()
                self.wfile.write(b"ok")

        server = ThreadingHTTPServer(("127.0.0.1", self.port), Handler)
        server.daemon_threads = True
        if self.tls is not None:
            server.socket = self.tls.wrap_socket(server.socket, server_side=True)
        self._server = server
        threading.Thread(
            target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
        ).start()

    def stop(self) -> None:
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
            self._server = None

    def ids(self) -> list[str]:
        return [r.headers["webhook-id"] for r in self.received]


class SmtpHandler:
    """Records messages; `replies` queues answers to DATA ('450 ...', '550 ...', 'hang')."""

    def __init__(self) -> None:
        self.messages: list[bytes] = []
        self.envelopes: list[Any] = []
        self.replies: list[str] = []
        self.auth_seen: list[tuple[str, bool]] = []
        self.accepted = threading.Event()

    async def handle_DATA(self, server: SMTP, session: Any, envelope: Any) -> str:
        reply = self.replies.pop(0) if self.replies else "250 OK"
        if reply == "hang":
            await asyncio.sleep(30)
            return "250 OK"
        if reply == "accept-hang":  # the message is stored, the 250 comes too late
            self.messages.append(envelope.content)
            self.accepted.set()
            await asyncio.sleep(30)
            return "250 OK"
        if reply.startswith("250"):
            self.messages.append(envelope.content)
            self.envelopes.append(envelope)
        return reply


class SmtpSink:
    """aiosmtpd on 127.0.0.1: STARTTLS (tls given) and AUTH (user, password given)."""

    def __init__(
        self,
        *,
        tls: ssl.SSLContext | None = None,
        user: str | None = None,
        password: str | None = None,
        implicit_tls: bool = False,
    ) -> None:
        self.handler = SmtpHandler()
        self.port = free_port()
        self.user, self.password = user, password
        kwargs: dict[str, Any] = {"auth_require_tls": True}
        if tls is not None and not implicit_tls:
            kwargs["tls_context"] = tls
        if implicit_tls:
            kwargs["ssl_context"] = tls
        if user is not None:
            kwargs["authenticator"] = self._authenticate
        self.controller = Controller(
            self.handler, hostname="127.0.0.1", port=self.port, ready_timeout=10, **kwargs
        )

    def _authenticate(
        self, server: SMTP, session: Any, envelope: Any, mechanism: str, data: Any
    ) -> AuthResult:
        ok = isinstance(data, LoginPassword) and (
            data.login.decode() == self.user and data.password.decode() == self.password
        )
        self.handler.auth_seen.append((mechanism, bool(session.ssl)))
        return AuthResult(success=ok)

    def __enter__(self) -> SmtpSink:
        self.controller.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.controller.stop()
