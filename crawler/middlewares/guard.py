"""Address guard: only http(s), and no requests to addresses a news site has no business
sending us to (FAULTS.md F-16).

- Any scheme but http/https is refused (also after a redirect).
- Link-local addresses (169.254.0.0/16, fe80::/10, incl. the cloud metadata service) are
  always refused.
- Loopback, private and other non-global addresses are refused unless the host is one of the
  source's configured hosts (so a source configured on 127.0.0.1 works, but a redirect or a feed
  link from it to another private host does not) or listed in
  FUNDWATCH_ALLOWED_PRIVATE_HOSTS. FUNDWATCH_BLOCK_PRIVATE_ADDRESSES = False turns this off.

Host names are resolved (cached) before the request is sent; the check runs on every request,
so on every redirect hop as well.
"""

from __future__ import annotations

import ipaddress
import logging
import socket
from functools import lru_cache
from urllib.parse import urlsplit

from scrapy import Request
from scrapy.crawler import Crawler
from scrapy.exceptions import IgnoreRequest

from fundwatch.crawler.stats import Stat

log = logging.getLogger(__name__)

Address = ipaddress.IPv4Address | ipaddress.IPv6Address
METADATA_HOSTS = frozenset({"metadata.google.internal", "metadata", "instance-data"})


@lru_cache(maxsize=4096)
def resolve(host: str) -> tuple[Address, ...]:
    try:
        return (ipaddress.ip_address(host.strip("[]")),)
    except ValueError:
        pass
    try:
        infos = socket.getaddrinfo(host, None, proto=socket.IPPROTO_TCP)
    except (OSError, UnicodeError):
        return ()  # let the downloader report the DNS error
    found = []
    for info in infos:
        try:
            found.append(ipaddress.ip_address(str(info[4][0]).split("%", 1)[0]))
        except ValueError:
            continue
    return tuple(found)


def _always_blocked(address: Address) -> bool:
    mapped = getattr(address, "ipv4_mapped", None)
    address = mapped or address
    return address.is_link_local or address.is_multicast or address.is_unspecified


class AddressGuardMiddleware:
    def __init__(self, crawler: Crawler) -> None:
        self.crawler = crawler
        settings = crawler.settings
        self.block_private = settings.getbool("FUNDWATCH_BLOCK_PRIVATE_ADDRESSES", True)
        self.allowed = {h.lower() for h in settings.getlist("FUNDWATCH_ALLOWED_PRIVATE_HOSTS")}

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> AddressGuardMiddleware:
        return cls(crawler)

    def _configured_hosts(self) -> set[str]:
        source = getattr(self.crawler.spider, "source", None)
        return {host.lower() for host in (source.domains if source is not None else [])}

    def process_request(self, request: Request) -> None:
        parts = urlsplit(request.url)
        if parts.scheme not in ("http", "https"):
            self._refuse(request, f"scheme {parts.scheme!r} is not http(s)")
        host = (parts.hostname or "").lower()
        if not host:
            self._refuse(request, "no host")
        if host in METADATA_HOSTS:
            self._refuse(request, "cloud metadata host")
        addresses = resolve(host)
        if any(_always_blocked(address) for address in addresses):
            self._refuse(request, f"{host} is a link-local or reserved address")
        if not self.block_private or host in self.allowed or host in self._configured_hosts():
            return
        if any(not address.is_global for address in addresses):
            self._refuse(
                request,
                f"{host} resolves to a private or loopback address and is not a configured "
                "host of this source (see FUNDWATCH_BLOCK_PRIVATE_ADDRESSES)",
            )

    def _refuse(self, request: Request, why: str) -> None:
        assert self.crawler.stats is not None
        self.crawler.stats.inc_value(Stat.BLOCKED_REQUESTS)
        log.warning("refused %s: %s", request.url, why)
        raise IgnoreRequest(f"refused {request.url}: {why}")
