"""robots.txt policy (FAULTS.md F-18), on top of Scrapy's RobotsTxtMiddleware.

Scrapy allows everything when robots.txt cannot be fetched. fundwatch follows RFC 9309 §2.3.1
instead, so that a struggling server is not crawled harder than it asked:

- 2xx: parsed; only the first FUNDWATCH_ROBOTSTXT_MAX_BYTES (512 KiB, the RFC's minimum
  parsing limit) are read, whole lines only; what follows is ignored. Unparseable lines
  (garbage, HTML) are ignored, so a garbage robots.txt allows everything.
- 4xx (except 429): "unavailable", everything is allowed.
- 5xx, 429, and a robots.txt that cannot be downloaded at all (timeout, refused connection,
  DNS error, dropped body, larger than DOWNLOAD_MAXSIZE): "unreachable", treated as
  `Disallow: /` for that host for the rest of the crawl (FUNDWATCH_ROBOTSTXT_UNREACHABLE =
  "disallow"; set "allow" for Scrapy's behaviour). The refused requests name the reason, so
  the crawl run records it, and the next scheduled crawl asks again.

A parsed robots.txt (2xx or 4xx answer) is cached between runs for
FUNDWATCH_ROBOTSTXT_CACHE_SECONDS (1 h; RFC 9309 §2.4 allows up to 24 h): in memory for the
crawls of one worker process, and in FUNDWATCH_ROBOTSTXT_CACHE_DIR for one-process-per-crawl
runs; so a feed poll is one request, not two. An unreachable robots.txt is never cached.

It uses two private hooks of Scrapy's middleware (`_parse_robots`, `_robots_error`, Scrapy
2.13–2.19); tests/crawler/test_crawl_robots.py fails if they change.
"""

from __future__ import annotations

import hashlib
import logging
import os
import time
from pathlib import Path

from scrapy.crawler import Crawler
from scrapy.downloadermiddlewares.robotstxt import RobotsTxtMiddleware
from scrapy.exceptions import (
    CannotResolveHostError,
    DownloadConnectionRefusedError,
    IgnoreRequest,
)
from scrapy.http import Request, Response
from scrapy.robotstxt import RobotParser
from scrapy.utils.httpobj import urlparse_cached
from scrapy.utils.misc import build_from_crawler
from twisted.internet.error import ConnectError, DNSLookupError

from fundwatch.crawler.resources import ROBOTS_CACHE_ENV
from fundwatch.crawler.stats import Stat

# Raised before any HTTP answer: the host is down or unknown, robots.txt is only the first request.
HOST_UNREACHABLE = (
    ConnectError,
    DNSLookupError,
    DownloadConnectionRefusedError,
    CannotResolveHostError,
)

log = logging.getLogger(__name__)

DISALLOW_ALL = b"User-agent: *\nDisallow: /\n"
_MEMORY: dict[str, tuple[float, bytes]] = {}  # netloc -> (fetched at, body), this process


class RobotsCache:
    """robots.txt bodies by scheme://netloc, in this process and in a folder of files."""

    def __init__(self, folder: Path | None, max_age: float) -> None:
        self.folder = folder
        self.max_age = max_age

    def _path(self, origin: str) -> Path | None:
        if self.folder is None:
            return None
        return self.folder / hashlib.sha256(origin.encode()).hexdigest()[:32]

    def get(self, origin: str) -> bytes | None:
        if self.max_age <= 0:
            return None
        now = time.time()
        cached = _MEMORY.get(origin)
        if cached is not None and now - cached[0] < self.max_age:
            return cached[1]
        path = self._path(origin)
        try:
            if path is not None and now - path.stat().st_mtime < self.max_age:
                body = path.read_bytes()
                _MEMORY[origin] = (path.stat().st_mtime, body)
                return body
        except OSError:
            pass
        return None

    def put(self, origin: str, body: bytes) -> None:
        if self.max_age <= 0:
            return
        _MEMORY[origin] = (time.time(), body)
        path = self._path(origin)
        if path is None:
            return
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            partial = path.with_suffix(f".{os.getpid()}.tmp")
            partial.write_bytes(body)
            partial.replace(path)
        except OSError as exc:
            log.debug("robots.txt cache not written: %s", exc)


def _origin(url: str) -> str:
    scheme, _, rest = url.partition("://")
    return f"{scheme}://{rest.split('/', 1)[0]}"


class RobotsPolicyMiddleware(RobotsTxtMiddleware):
    def __init__(self, crawler: Crawler) -> None:
        super().__init__(crawler)
        settings = crawler.settings
        self._max_bytes = settings.getint("FUNDWATCH_ROBOTSTXT_MAX_BYTES", 512 * 1024)
        policy = settings.get("FUNDWATCH_ROBOTSTXT_UNREACHABLE", "disallow")
        if policy not in ("disallow", "allow"):
            raise ValueError(
                f"FUNDWATCH_ROBOTSTXT_UNREACHABLE = {policy!r}: use 'disallow' or 'allow'"
            )
        self._disallow_unreachable = policy == "disallow"
        self._unreachable: dict[str, str] = {}
        folder = settings.get("FUNDWATCH_ROBOTSTXT_CACHE_DIR") or os.environ.get(ROBOTS_CACHE_ENV)
        self._cache = RobotsCache(
            Path(folder) if folder else None,
            settings.getfloat("FUNDWATCH_ROBOTSTXT_CACHE_SECONDS", 3600.0),
        )

    async def robot_parser(self, request: Request) -> RobotParser | None:
        parts = urlparse_cached(request)
        if parts.netloc not in self._parsers:
            body = self._cache.get(f"{parts.scheme}://{parts.netloc}")
            if body is not None:
                self._stats.inc_value(Stat.ROBOTS_CACHED)
                parser = build_from_crawler(self._parserimpl, self.crawler, body)
                self._parsers[parts.netloc] = parser
        return await super().robot_parser(request)

    def _deny(self, netloc: str, why: str, *, robots: bool = True) -> None:
        self._unreachable[netloc] = (
            f"robots.txt {why}: the host counts as disallowed until it answers "
            "(RFC 9309; FUNDWATCH_ROBOTSTXT_UNREACHABLE)"
            if robots
            else f"{netloc}: {why}"
        )
        self._stats.inc_value(Stat.ROBOTS_UNREACHABLE)
        log.warning("%s: %s; nothing is fetched from this host in this crawl", netloc, why)

    async def _parse_robots(self, response: Response, netloc: str, request: Request) -> None:
        status = response.status
        if self._disallow_unreachable and (status >= 500 or status == 429):
            self._deny(netloc, f"answered {status}")
            body = DISALLOW_ALL
        elif 400 <= status < 500:
            body = b""  # unavailable: no rules
            self._cache.put(_origin(response.url), body)
        else:
            body = response.body
            if len(body) > self._max_bytes:
                cut = body.rfind(b"\n", 0, self._max_bytes)
                body = body[: cut + 1 if cut >= 0 else self._max_bytes]
                log.warning(
                    "robots.txt of %s is %d bytes: only the first %d are parsed",
                    netloc,
                    len(response.body),
                    len(body),
                )
            if 200 <= status < 300:
                self._cache.put(_origin(response.url), body)
        await super()._parse_robots(response.replace(body=body), netloc, request)

    def _robots_error(self, exc: Exception, netloc: str) -> None:
        if not self._disallow_unreachable or isinstance(exc, IgnoreRequest):
            super()._robots_error(exc, netloc)
            return
        self._stats.inc_value(f"robotstxt/exception_count/{type(exc)}")
        if isinstance(exc, HOST_UNREACHABLE):
            self._deny(netloc, f"host unreachable ({type(exc).__name__}: {exc})", robots=False)
        else:
            self._deny(netloc, f"could not be fetched ({type(exc).__name__}: {exc})")
        parser: RobotParser = build_from_crawler(self._parserimpl, self.crawler, DISALLOW_ALL)
        pending = self._parsers[netloc]
        self._parsers[netloc] = parser
        pending.callback(parser)  # type: ignore[union-attr]

    def process_request_2(self, rp: RobotParser | None, request: Request) -> None:
        why = self._unreachable.get(urlparse_cached(request).netloc)
        if why is None:
            super().process_request_2(rp, request)
            return
        self._stats.inc_value("robotstxt/forbidden")
        raise IgnoreRequest(why)
