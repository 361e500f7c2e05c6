"""The demo site and feed: a real HTTP server on 127.0.0.1 in a background thread."""

from __future__ import annotations

import hashlib
import re
import threading
from collections import Counter
from http.server import BaseHTTPRequestHandler
from urllib.parse import urlsplit

from fundwatch.demo.content import FEED_PATH, DemoContent
from fundwatch.demo.server import LoopbackServer

_LISTING = re.compile(r"^/(?P<slug>[a-z]+)/(?:page/(?P<page>\d+)/)?$")
ROBOTS_TXT = "User-agent: *\nAllow: /\n"


class DemoSite(LoopbackServer):
    """Serve `content` on 127.0.0.1:`port` (0: a free port) until `stop()`.

    Answers conditional GETs (ETag / If-None-Match) like a real site and counts the requests
    it served by kind (listing, article, feed, robots, not_found) for the progress display.
    """

    def __init__(self, content: DemoContent, port: int = 0) -> None:
        self.content = content
        self.requests: Counter[str] = Counter()
        self._lock = threading.Lock()
        super().__init__(self._handler_class(), port, "demo-site")

    @property
    def base_url(self) -> str:
        return self.origin

    @property
    def served(self) -> int:
        with self._lock:
            return sum(self.requests.values())

    def _count(self, kind: str) -> None:
        with self._lock:
            self.requests[kind] += 1

    def _resolve(self, path: str) -> tuple[str, str, str] | None:
        """(kind, content type, body) for a path, or None for 404."""
        content = self.content
        if path == "/robots.txt":
            return "robots", "text/plain; charset=utf-8", ROBOTS_TXT
        if path == FEED_PATH:
            return "feed", "application/rss+xml; charset=utf-8", content.feed_xml(self.base_url)
        if path == "/":
            return "listing", "text/html; charset=utf-8", content.home_html()
        match = _LISTING.match(path)
        if match:
            html = content.listing_html(match["slug"], int(match["page"] or 1))
            return ("listing", "text/html; charset=utf-8", html) if html else None
        html = content.article_html(path)
        return ("article", "text/html; charset=utf-8", html) if html else None

    def _handler_class(self) -> type[BaseHTTPRequestHandler]:
        site = self

        class Handler(BaseHTTPRequestHandler):
            server_version = "fundwatch-demo-site/1"

            def do_GET(self) -> None:
                found = site._resolve(urlsplit(self.path).path)
                if found is None:
                    site._count("not_found")
                    self._send(404, "text/plain; charset=utf-8", b"not found\n")
                    return
                kind, content_type, text = found
                site._count(kind)
                body = text.encode("utf-8")
                etag = '"' + hashlib.sha256(body).hexdigest()[:32] + '"'
                if self.headers.get("If-None-Match") == etag:
                    self._send(304, content_type, b"", etag)
                    return
                self._send(200, content_type, body, etag)

            def _send(
                self, status: int, content_type: str, body: bytes, etag: str | None = None
            ) -> None:
                self.send_response(status)
                if status != 304:
                    self.send_header("Content-Type", content_type)
                    self.send_header("Content-Length", str(len(body)))
                if etag:
                    self.send_header("ETag", etag)
                self.end_headers()
                if body:
                    self.wfile.write(body)

            def log_message(self, format: str, *args: object) -> None:
                pass  # the progress display reports what was served

        return Handler
