"""A real HTTP server on 127.0.0.1 for crawler tests and benchmarks, run in a subprocess.

    python harness/fixture_server.py ROOT [--port 0] [--robots MODE]

prints `PORT <n>` on stdout once listening. It serves files under ROOT (read on every request,
so files a test adds while a crawl runs are served too); `{{BASE}}` in .html/.xml/.txt/.json
files is replaced with `http://<Host header>` and `{{PORT}}` with the port. HTML that is not
valid UTF-8 is sent without a charset. Every file gets an ETag and Last-Modified and answers
304 to a matching conditional request. `dir/` serves `dir/index.html`. A query string picks a
variant file when there is one: `list/?page=2` serves `list/index@page=2.html`, `a.html?x=1`
serves `a@x=1.html` (else the plain file, as before). A path without a suffix that names no
file serves the `.json` (else `.html`) file of that name: `api/list?page=2` serves
`api/list@page=2.json`. `.php`, `.asp(x)`, `.shtml` and `.jsp` pages are served as HTML.
A folder holding a `_charset` file serves its text files (and those of its subfolders) with that
charset in the Content-Type header, right or wrong (a server that mislabels its pages).
`X.xml.gz` that names no file serves `X.xml` gzipped (after the replacements). `{{TODAY-N}}` in
text files becomes the date N days before today (UTC), as YYYY-MM-DD.

Faults on request (in the style of Scrapy's tests/mockserver.py):
  /_fault/status/<code>?retry_after=S    that status (with Retry-After when given)
  /_fault/wait                           accept, then send nothing until the client gives up
  /_fault/drip?n=N&interval=S            a 200 whose body arrives one byte every S seconds
  /_fault/delay-body?s=S                 headers at once, the body after S seconds
  /_fault/partial                        Content-Length larger than the body, then close
  /_fault/drop                           close the connection half-way through the body
  /_fault/redirect?to=URL                302 to URL
  /_fault/big?mb=N[&length=0]            N MB of HTML (length=0: streamed without Content-Length
                                         until the client hangs up; nothing is written to disk)
  /_fault/bomb?mb=N&encoding=gzip|br     a small compressed body that expands to N MB
  /_fault/loop?at=a                      a redirect loop: a -> b -> a -> ...
  /_fault/chain?n=N&then=PATH            a chain of N redirects ending at PATH
  /_fault/chunked-broken                 chunked encoding with an invalid chunk size, then close
  /_fault/no-length?file=REL             a file with no Content-Length, the connection closed
  /_fault/as?file=REL&type=CONTENT-TYPE  a file's raw bytes under the given Content-Type
--robots MODE replaces /robots.txt (F-18): status/500, wait, garbage, big (10 MB: a Disallow
for /sites/robots/early-rule/ first, one for /sites/robots/late-rule/ after 600 KiB).
Introspection: /_log returns a JSON list of {path, method, headers, status} for every request
served; /_log/clear empties it.
"""

from __future__ import annotations

import email.utils
import gzip
import hashlib
import json
import mimetypes
import re
import sys
import threading
import time
from datetime import UTC, datetime, timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs, unquote, urlsplit

SCRIPT_PAGES = (".php", ".asp", ".aspx", ".shtml", ".jsp")  # served as the HTML they produce
TEXT_SUFFIXES = {".html", ".htm", ".xml", ".txt", ".json", ".rss", ".atom", *SCRIPT_PAGES}
CONTENT_TYPES = {
    ".html": "text/html",
    ".htm": "text/html",
    **dict.fromkeys(SCRIPT_PAGES, "text/html"),
    ".xml": "application/xml",
    ".rss": "application/rss+xml",
    ".atom": "application/atom+xml",
    ".txt": "text/plain",
    ".json": "application/json",
}


_TODAY = re.compile(rb"\{\{TODAY-(\d+)\}\}")


def _days_ago(match: re.Match[bytes]) -> bytes:
    day = datetime.now(UTC).date() - timedelta(days=int(match.group(1)))
    return day.isoformat().encode()


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
        if path == "/robots.txt" and self.server.robots != "file":
            self.robots(self.server.robots)
            return
        self.static(path, parts.query)

    # -- static files -----------------------------------------------------------------------
    def static(self, path: str, query: str = "") -> None:
        root = self.server.root
        target = (root / path.lstrip("/")).resolve()
        if not str(target).startswith(str(root)):
            self._send(403, b"forbidden", "text/plain")
            return
        if target.is_dir():
            target = target / "index.html"
        if not target.suffix and not target.exists():  # api/list -> api/list.json
            target = next(
                (target.with_suffix(s) for s in (".json", ".html") if self._served(target, s)),
                target,
            )
        if query and "/" not in query:  # list/?page=2 -> list/index@page=2.html when it exists
            variant = target.with_name(f"{target.stem}@{unquote(query)}{target.suffix}")
            if variant.is_file():
                target = variant
        plain = target.with_suffix("")
        gzipped = target.suffix == ".gz" and not target.exists() and plain.is_file()
        if gzipped:
            target = plain
        if not target.is_file():
            self._send(404, b"<html><body><h1>404 Not Found</h1></body></html>", "text/html")
            return
        body = target.read_bytes()
        suffix = target.suffix.lower()
        if suffix in TEXT_SUFFIXES:
            host = self.headers.get("Host", f"127.0.0.1:{self.server.server_port}")
            body = body.replace(b"{{BASE}}", f"http://{host}".encode())
            body = body.replace(b"{{PORT}}", str(self.server.server_port).encode())
            body = _TODAY.sub(_days_ago, body)
        content_type = CONTENT_TYPES.get(suffix) or (
            mimetypes.guess_type(target.name)[0] or "application/octet-stream"
        )
        declared = next(
            (folder / "_charset" for folder in target.parents if (folder / "_charset").is_file()),
            None,
        )
        if gzipped:
            body, content_type = gzip.compress(body, mtime=0), "application/gzip"
        elif suffix in TEXT_SUFFIXES and declared is not None:
            content_type += "; charset=" + declared.read_text("ascii").strip()
        elif content_type.startswith("text/") or suffix in (".xml", ".rss", ".atom"):
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

    @staticmethod
    def _served(target: Path, suffix: str) -> bool:
        """Does an extension-less path have a file of this suffix (or a query variant of it)?"""
        return target.with_suffix(suffix).is_file() or any(
            target.parent.glob(f"{target.name}@*{suffix}")
        )

    def raw_file(self, relative: str) -> bytes | None:
        target = (self.server.root / relative.lstrip("/")).resolve()
        if not str(target).startswith(str(self.server.root)) or not target.is_file():
            return None
        return target.read_bytes()

    # -- robots.txt modes (F-18) --------------------------------------------------------------
    def robots(self, mode: str) -> None:
        if mode.startswith("status/"):
            self.fault(mode, {})
        elif mode == "wait":
            self.fault("wait", {})
        elif mode == "garbage":
            body = (
                b"\x89PNG\r\n\x1a\n\x00\xff\xfe<html><body><h1>Welcome!</h1>"
                b'<p>Disallow everything? {"rules": [1, 2]}</p></body></html>\n\xc3\x28\n'
            )
            self._send(200, body, "text/plain")
        elif mode == "big":
            head = b"User-agent: *\nDisallow: /sites/robots/early-rule/\n"
            filler = b"# " + b"x" * 1021 + b"\n"
            body = head + filler * 600 + b"Disallow: /sites/robots/late-rule/\n"
            body += filler * ((10_000_000 - len(body)) // len(filler))
            self._send(200, body, "text/plain")
        else:
            self._send(404, b"unknown robots mode", "text/plain")

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
            if query.get("length") == "0":
                self.send_header("Connection", "close")
                self.close_connection = True
            else:
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
        elif name == "bomb":
            encoding = query.get("encoding", "gzip")
            body = self.server.bomb(encoding, int(query.get("mb", 200)))
            self._send(200, body, "text/html; charset=utf-8", Content_Encoding=encoding)
        elif name == "loop":
            other = "b" if query.get("at", "a") == "a" else "a"
            self._send(302, b"", "text/plain", Location=f"/_fault/loop?at={other}")
        elif name == "chain":
            left, then = int(query.get("n", 25)), query.get("then", "/")
            target = f"/_fault/chain?n={left - 1}&then={then}" if left > 1 else then
            self._send(302, b"", "text/plain", Location=target)
        elif name == "chunked-broken":
            self._record(200)
            self.send_response(200)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.send_header("Transfer-Encoding", "chunked")
            self.end_headers()
            first = b"<html><body><h1>chunked</h1><p>" + b"text " * 100
            self.wfile.write(b"%x\r\n%s\r\n" % (len(first), first))
            self.wfile.write(b"zz-not-a-size\r\nmore text\r\n")
            self.wfile.flush()
            self.close_connection = True
            self.connection.shutdown(2)
        elif name in ("no-length", "as"):
            body = self.raw_file(query.get("file", ""))
            if body is None:
                self._send(404, b"no such file", "text/plain")
                return
            content_type = query.get("type", "text/html; charset=utf-8")
            self._record(200)
            self.send_response(200)
            self.send_header("Content-Type", content_type)
            if name == "no-length":
                self.send_header("Connection", "close")
                self.close_connection = True
            else:
                self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)
        else:
            self._send(404, b"unknown fault", "text/plain")


class FixtureServer(ThreadingHTTPServer):
    daemon_threads = True
    request_queue_size = 128

    def __init__(self, root: Path, port: int, robots: str = "file") -> None:
        super().__init__(("127.0.0.1", port), FixtureHandler)
        self.root = root.resolve()
        self.robots = robots
        self._bombs: dict[tuple[str, int], bytes] = {}
        self.log: list[dict[str, object]] = []
        self.lock = threading.Lock()
        self.stopping = threading.Event()

    def bomb(self, encoding: str, mb: int) -> bytes:
        """`mb` MiB of zeros after a small HTML head, compressed (made once, kept)."""
        with self.lock:
            if (encoding, mb) not in self._bombs:
                plain = b"<html><body><h1>bomb</h1><p>" + bytes(mb * 1024 * 1024)
                if encoding == "br":
                    import brotli

                    packed = brotli.compress(plain, quality=1)
                else:
                    packed = gzip.compress(plain, compresslevel=1, mtime=0)
                self._bombs[(encoding, mb)] = packed
            return self._bombs[(encoding, mb)]


def main() -> None:
    root = Path(sys.argv[1])
    port = int(sys.argv[sys.argv.index("--port") + 1]) if "--port" in sys.argv else 0
    robots = sys.argv[sys.argv.index("--robots") + 1] if "--robots" in sys.argv else "file"
    server = FixtureServer(root, port, robots)
    print(f"PORT {server.server_port}", flush=True)
    try:
        server.serve_forever(poll_interval=0.1)
    except KeyboardInterrupt:
        pass
    finally:
        server.stopping.set()


if __name__ == "__main__":
    main()
