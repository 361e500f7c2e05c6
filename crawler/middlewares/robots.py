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

It uses two private hooks of Scrapy's middleware (`_parse_robots`, `_robots_error`, Scrapy
2.13–2.19); tests/crawler/test_crawl_robots.py fails if they change.
"""

from __future__ import annotations

import logging

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

# Raised before any HTTP answer: the host is down or unknown, robots.txt is only the first request.
HOST_UNREACHABLE = (
    ConnectError,
    DNSLookupError,
    DownloadConnectionRefusedError,
    CannotResolveHostError,
)

log = logging.getLogger(__name__)

DISALLOW_ALL = b"User-agent: *\nDisallow: /\n"


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

    def _deny(self, netloc: str, why: str, *, robots: bool = True) -> None:
        self._unreachable[netloc] = (
            f"robots.txt {why}: the host counts as disallowed until it answers "
            "(RFC 9309; FUNDWATCH_ROBOTSTXT_UNREACHABLE)"
            if robots
            else f"{netloc}: {why}"
        )
        self._stats.inc_value("fundwatch/robots_unreachable")
        log.warning("%s: %s; nothing is fetched from this host in this crawl", netloc, why)

    async def _parse_robots(self, response: Response, netloc: str, request: Request) -> None:
        status = response.status
        if self._disallow_unreachable and (status >= 500 or status == 429):
            self._deny(netloc, f"answered {status}")
            body = DISALLOW_ALL
        elif 400 <= status < 500:
            body = b""  # unavailable: no rules
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
