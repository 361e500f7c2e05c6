"""A real HTTP server on 127.0.0.1 for crawler tests and benchmarks, run in a subprocess.

    python tests/support/fixture_server.py ROOT [--port 0]

prints `PORT <n>` on stdout once listening. It serves files under ROOT (read on every request,
so files a test adds while a crawl runs are served too); `{{BASE}}` in .html/.xml/.txt/.json
files is replaced with `http://<Host header>` and `{{PORT}}` with the port. HTML that is not
valid UTF-8 is sent without a charset. Every file gets an ETag and Last-Modified and answers
304 to a matching conditional request. `dir/` serves `dir/index.html`.

Faults on request (in the style of Scrapy's tests/mockserver.py):
  /_fault/status/<code>?retry_after=S    that status (with Retry-After when given)
  /_fault/wait                           accept, then send nothing until the client gives up
  /_fault/drip?n=N&interval=S            a 200 whose body arrives one byte every S seconds
  /_fault/delay-body?s=S                 headers at once, the body after S seconds
  /_fault/partial                        Content-Length larger than the body, then close
  /_fault/drop                           close the connection half-way through the body
  /_fault/redirect?to=URL                302 to URL
  /_fault/big?mb=N                       N MB of HTML
Introspection: /_log returns a JSON list of {path, method, headers, status} for every request
served; /_log/clear empties it.
"""

from __future__ import annotations

import email.utils
import hashlib
import json
import mimetypes
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs, unquote, urlsplit

TEXT_SUFFIXES = {".html", ".htm", ".xml", ".txt", ".json", ".rss", ".atom"}
CONTENT_TYPES = {
    ".html": "text/html",
    ".htm": "text/html",
    ".xml": "application/xml",
    ".rss": "application/rss+xml",
    ".atom": "application/atom+xml",
    ".txt": "text/plain",
    ".json": "application/json",
}


class FixtureHandler(BaseHTTPRequestHandler):
    server: FixtureServer
    protocol_version = "HTTP/1.1"

    def log_message(self, format: str, *args: object) -> None:  # keep test output quiet
        pass

    def _record(self, status: int) -> None:
        with self.server.lock:
            self.server.log.append(
                {
                    "path": self.path,
                    "method": self.command,
                    "headers": {k.lower(): v for k, v in self.headers.items()},
                    "status": status,
                }
            )

    def _send(self, status: int, body: bytes, content_type: str, **headers: str) -> None:
        self._record(status)
        self.send_response(status)
        if status != 304:
            self.send_header("Content-Type", content_type)
            self.send_header("Content-Length", str(len(body)))
        for name, value in headers.items():
            self.send_header(name.replace("_", "-"), value)
        self.end_headers()
        if self.command != "HEAD" and status != 304:
            self.wfile.write(body)

    def do_HEAD(self) -> None:
        self.do_GET()

    def do_GET(self) -> None:
        parts = urlsplit(self.path)
        query = {k: v[-1] for k, v in parse_qs(parts.query).items()}
        path = unquote(parts.path)
        if path == "/_log":
            with self.server.lock:
                body = json.dumps(self.server.log, ensure_ascii=False).encode()
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)
            return
        if path == "/_log/clear":
            with self.server.lock:
                self.server.log.clear()
            self.send_response(200)
            self.send_header("Content-Length", "2")
            self.end_headers()
            self.wfile.write(b"ok")
            return
        if path.startswith("/_fault/"):
            self.fault(path.removeprefix("/_fault/"), query)
            return
        self.static(path)

    # -- static files -----------------------------------------------------------------------
    def static(self, path: str) -> None:
        root = self.server.root
        target = (root / path.lstrip("/")).resolve()
        if not str(target).startswith(str(root)):
            self._send(403, b"forbidden", "text/plain")
            return
        if target.is_dir():
            target = target / "index.html"
        if not target.is_file():
            self._send(404, b"<html><body><h1>404 Not Found</h1></body></html>", "text/html")
            return
        body = target.read_bytes()
        suffix = target.suffix.lower()
        if suffix in TEXT_SUFFIXES:
            host = self.headers.get("Host", f"127.0.0.1:{self.server.server_port}")
            body = body.replace(b"{{BASE}}", f"http://{host}".encode())
            body = body.replace(b"{{PORT}}", str(self.server.server_port).encode())
        content_type = CONTENT_TYPES.get(suffix) or (
            mimetypes.guess_type(target.name)[0] or "application/octet-stream"
        )
        if content_type.startswith("text/") or suffix in (".xml", ".rss", ".atom"):
            try:
                body.decode("utf-8")
            except UnicodeDecodeError:
                pass  # e.g. a GBK page: no charset, the client must work it out
            else:
                content_type += "; charset=utf-8"
        etag = '"' + hashlib.sha1(body).hexdigest()[:16] + '"'
        modified = email.utils.formatdate(int(target.stat().st_mtime), usegmt=True)
        if self.headers.get("If-None-Match") == etag or (
            self.headers.get("If-None-Match") is None
            and self.headers.get("If-Modified-Since") == modified
        ):
            self._send(304, b"", content_type, ETag=etag, Last_Modified=modified)
            return
        self._send(200, body, content_type, ETag=etag, Last_Modified=modified)

    # -- faults -------------------------------------------------------------------------------
    def fault(self, name: str, query: dict[str, str]) -> None:
        if name.startswith("status/"):
            code = int(name.removeprefix("status/"))
            headers = {"Retry_After": query["retry_after"]} if "retry_after" in query else {}
            self._send(code, f"status {code}".encode(), "text/plain", **headers)
        elif name == "wait":
            self._record(0)
            deadline = time.monotonic() + float(query.get("s", 120))
            while time.monotonic() < deadline and not self.server.stopping.is_set():
                time.sleep(0.1)
        elif name == "drip":
            count, interval = int(query.get("n", 30)), float(query.get("interval", 0.5))
            self._record(200)
            self.send_response(200)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.send_header("Content-Length", str(count))
            self.end_headers()
            try:
                for _ in range(count):
                    self.wfile.write(b"x")
                    self.wfile.flush()
                    time.sleep(interval)
            except OSError:
                pass
        elif name == "delay-body":
            self._record(200)
            self.send_response(200)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.send_header("Content-Length", "20")
            self.end_headers()
            self.wfile.flush()
            time.sleep(float(query.get("s", 60)))
        elif name in ("partial", "drop"):
            self._record(200)
            body = b"<html><body><h1>\xe5\x8d\x8a</h1><p>" + b"partial " * 200
            self.send_response(200)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.send_header("Content-Length", str(len(body) * 2))
            self.end_headers()
            self.wfile.write(body)
            self.wfile.flush()
            if name == "drop":
                time.sleep(0.2)
            self.close_connection = True
            self.connection.shutdown(2)
        elif name == "redirect":
            self._send(302, b"", "text/plain", Location=query.get("to", "/"))
        elif name == "big":
            size = int(float(query.get("mb", 20)) * 1024 * 1024)
            chunk = b"<p>" + b"a" * 1020 + b"</p>"
            self._record(200)
            self.send_response(200)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.send_header("Content-Length", str(size))
            self.end_headers()
            try:
                sent = 0
                while sent < size:
                    piece = chunk[: size - sent]
                    self.wfile.write(piece)
                    sent += len(piece)
            except OSError:
                pass
        else:
            self._send(404, b"unknown fault", "text/plain")


class FixtureServer(ThreadingHTTPServer):
    daemon_threads = True
    request_queue_size = 128

    def __init__(self, root: Path, port: int) -> None:
        super().__init__(("127.0.0.1", port), FixtureHandler)
        self.root = root.resolve()
        self.log: list[dict[str, object]] = []
        self.lock = threading.Lock()
        self.stopping = threading.Event()


def main() -> None:
    root = Path(sys.argv[1])
    port = int(sys.argv[sys.argv.index("--port") + 1]) if "--port" in sys.argv else 0
    server = FixtureServer(root, port)
    print(f"PORT {server.server_port}", flush=True)
    try:
        server.serve_forever(poll_interval=0.1)
    except KeyboardInterrupt:
        pass
    finally:
        server.stopping.set()


if __name__ == "__main__":
    main()
