"""A news site that publishes while a test runs, with faults on demand (tests and bench).

Serves on 127.0.0.1 from a thread of the test process, so a test publishes articles and
injects faults directly: `site.publish(5)`, `site.fail("/news/page/2/", 500, times=3)`,
`site.slow("/news/page/2/", 30)`. Pages: a paginated listing `/news/` (newest first,
`/news/page/N/`, ETag + If-None-Match), articles `/a/ID.html`, an RSS feed `/feed.xml` and a
sitemap `/sitemap.xml` of the newest articles. Every article is a funding story about a
fictional AI-video company of its own, so each one is one funding round (one alert).
"""

from __future__ import annotations

import hashlib
import re
import threading
import time
from dataclasses import dataclass
from email.utils import format_datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

_SYLLABLES = ("zor", "vel", "qua", "mir", "tan", "lux", "bri", "kor", "nev", "sol", "dra", "pim")
_LISTING = re.compile(r"^/news/(?:page/(\d+)/)?$")
_ARTICLE = re.compile(r"^/a/(\d+)\.html$")
_ROUNDS = ("seed", "Series A", "Series B", "pre-A")
_WORD_TEXT = (
    "customers retail brands studio pipeline cameras lighting scenes motion editors render "
    "creators catalog models training cloud latency subtitles voices dubbing avatars stories "
    "campaigns agencies budgets pilots partners markets europe asia fashion furniture beauty "
    "toys travel sports music schools museums kitchens gardens bicycles watches shoes coffee "
    "teams offices hiring engineers designers researchers servers storage licences rights"
)
_WORDS = tuple(_WORD_TEXT.split())


def company_of(article_id: int) -> str:
    """A made-up company name, different for every id."""
    parts, n = [], article_id
    for _ in range(3):
        parts.append(_SYLLABLES[n % len(_SYLLABLES)])
        n //= len(_SYLLABLES)
    return "".join(parts).capitalize() + "vid"


@dataclass
class Fault:
    pattern: re.Pattern[str]
    status: int
    times: int
    delay: float = 0.0


class NewsSite:
    def __init__(self, page_size: int = 5, feed_size: int = 30) -> None:
        self.page_size = page_size
        self.feed_size = feed_size
        self.ids: list[int] = []  # oldest first
        self.published_at: dict[int, float] = {}
        self.faults: list[Fault] = []
        self.log: list[tuple[str, int]] = []  # (path, status) of the answers sent
        self.arrived: list[str] = []  # paths of the requests received (also unanswered ones)
        self._lock = threading.Lock()
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
        self._server.daemon_threads = True
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)

    # -- control ------------------------------------------------------------------------------
    def __enter__(self) -> NewsSite:
        self._thread.start()
        return self

    def __exit__(self, *_exc: object) -> None:
        self._server.shutdown()
        self._server.server_close()

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self._server.server_address[1]}"

    def publish(self, count: int = 1) -> list[int]:
        with self._lock:
            start = len(self.ids) + 1
            new = list(range(start, start + count))
            self.ids.extend(new)
            now = time.time()
            for article_id in new:
                self.published_at[article_id] = now
        return new

    def urls(self) -> set[str]:
        with self._lock:
            return {f"{self.base}/a/{article_id}.html" for article_id in self.ids}

    def fail(self, pattern: str, status: int = 500, times: int = 1) -> None:
        """The next `times` requests whose path matches `pattern` answer `status`."""
        with self._lock:
            self.faults.append(Fault(re.compile(pattern), status, times))

    def slow(self, pattern: str, seconds: float, times: int = 1) -> None:
        """The next `times` requests matching `pattern` wait `seconds` before answering."""
        with self._lock:
            self.faults.append(Fault(re.compile(pattern), 0, times, seconds))

    def clear_faults(self) -> None:
        with self._lock:
            self.faults.clear()

    def hits(self, pattern: str) -> int:
        """Requests received for paths matching `pattern` (answered or not yet)."""
        regex = re.compile(pattern)
        with self._lock:
            return sum(1 for path in self.arrived if regex.search(path))

    def entry(self, name: str = "news", kind: str = "site", **extra: Any) -> dict[str, Any]:
        """The catalog entry that watches this site."""
        entry: dict[str, Any] = {"name": name, "kind": kind, "language": "en", "every": "1h"}
        if kind == "site":
            entry.update(
                start_urls=[f"{self.base}/news/"],
                listing={
                    "article_links": "ul.articles a::attr(href)",
                    "next_page": "a.next::attr(href)",
                    "max_pages": extra.pop("max_pages", 5),
                },
                article={"title": "h1::text", "published": ".time::text", "body": "div.body"},
            )
            if "initial_pages" in extra:
                entry["listing"]["initial_pages"] = extra.pop("initial_pages")
        elif kind == "feed":
            entry["url"] = f"{self.base}/feed.xml"
        else:
            entry["url"] = f"{self.base}/sitemap.xml"
        entry.update(extra)
        return entry

    # -- pages --------------------------------------------------------------------------------
    def _fault_for(self, path: str) -> Fault | None:
        with self._lock:
            for fault in self.faults:
                if fault.times > 0 and fault.pattern.search(path):
                    fault.times -= 1
                    return fault
        return None

    def article_html(self, article_id: int) -> str:
        company = company_of(article_id)
        amount = 5 + article_id
        round_name = _ROUNDS[article_id % len(_ROUNDS)]
        when = time.strftime("%Y-%m-%d %H:%M", time.gmtime(self.published_at[article_id]))
        return (
            f"<html><head><title>{company}</title></head><body>"
            f"<h1>{company} raises ${amount} million {round_name} round for AI video generation"
            f"</h1><span class='time'>{when}</span><div class='body'>"
            f"<p>{company}, a startup that builds an AI video generation model for online shops, "
            f"has raised ${amount} million in a {round_name} round led by Northfield "
            f"Ventures, the company said on Monday.</p>"
            f"<p>{_filler(article_id)}</p></div></body></html>"
        )

    def listing_html(self, page: int) -> str | None:
        with self._lock:
            newest = list(reversed(self.ids))
        pages = max(1, -(-len(newest) // self.page_size))
        if page > pages:
            return None
        chunk = newest[(page - 1) * self.page_size : page * self.page_size]
        links = "".join(f"<li><a href='/a/{i}.html'>{company_of(i)}</a></li>" for i in chunk)
        more = f"<a class='next' href='/news/page/{page + 1}/'>next</a>" if page < pages else ""
        return f"<html><body><ul class='articles'>{links}</ul>{more}</body></html>"

    def feed_xml(self) -> str:
        with self._lock:
            newest = list(reversed(self.ids))[: self.feed_size]
        items = "".join(
            f"<item><title>{company_of(i)} raises money</title>"
            f"<link>{self.base}/a/{i}.html</link><guid>{self.base}/a/{i}.html</guid>"
            f"<pubDate>{format_datetime(_utc(self.published_at[i]), usegmt=True)}</pubDate>"
            f"<description>{company_of(i)} raised money.</description></item>"
            for i in newest
        )
        return (
            "<?xml version='1.0'?><rss version='2.0'><channel><title>News</title>"
            f"{items}</channel></rss>"
        )

    def sitemap_xml(self) -> str:
        with self._lock:
            newest = list(reversed(self.ids))[: self.feed_size]
        urls = "".join(f"<url><loc>{self.base}/a/{i}.html</loc></url>" for i in newest)
        return (
            "<?xml version='1.0'?><urlset xmlns='http://www.sitemaps.org/schemas/sitemap/0.9'>"
            f"{urls}</urlset>"
        )

    def _handler(self) -> type[BaseHTTPRequestHandler]:
        site = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, format: str, *args: object) -> None:
                pass

            def do_GET(self) -> None:
                path = self.path.split("?", 1)[0]
                with site._lock:
                    site.arrived.append(path)
                fault = site._fault_for(path)
                if fault is not None and fault.delay:
                    time.sleep(fault.delay)
                if fault is not None and fault.status:
                    self._send(fault.status, b"fault", "text/plain", path)
                    return
                body, kind = site._page(path)
                if body is None:
                    self._send(404, b"not found", "text/plain", path)
                    return
                data = body.encode("utf-8")
                etag = '"' + hashlib.sha1(data).hexdigest()[:16] + '"'
                if self.headers.get("If-None-Match") == etag:
                    self._send(304, b"", kind, path, etag)
                    return
                self._send(200, data, kind, path, etag)

            def _send(
                self, status: int, data: bytes, kind: str, path: str, etag: str | None = None
            ) -> None:
                with site._lock:
                    site.log.append((path, status))
                self.send_response(status)
                self.send_header("Content-Type", kind)
                if etag:
                    self.send_header("ETag", etag)
                if status != 304:
                    self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                if status != 304:
                    self.wfile.write(data)

        return Handler

    def _page(self, path: str) -> tuple[str | None, str]:
        html = "text/html; charset=utf-8"
        if path == "/robots.txt":
            return "User-agent: *\nAllow: /\n", "text/plain"
        if path == "/feed.xml":
            return self.feed_xml(), "application/rss+xml"
        if path == "/sitemap.xml":
            return self.sitemap_xml(), "application/xml"
        listing = _LISTING.match(path)
        if listing:
            return self.listing_html(int(listing.group(1) or 1)), html
        article = _ARTICLE.match(path)
        if article:
            article_id = int(article.group(1))
            with self._lock:
                known = article_id in self.published_at
            return (self.article_html(article_id) if known else None), html
        return None, html


def _utc(timestamp: float) -> Any:
    from datetime import UTC, datetime

    return datetime.fromtimestamp(timestamp, UTC)


def _filler(article_id: int) -> str:
    """Forty words of its own for every article, so articles are not near-duplicates."""
    import random

    words = random.Random(article_id).choices(_WORDS, k=40)
    return "It mentions " + " ".join(words) + "."
