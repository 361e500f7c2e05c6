"""Redirect loops are errors (FAULTS.md F-15).

Scrapy's RedirectMiddleware stops a chain at REDIRECT_MAX_TIMES with an error, but a loop
A -> B -> A ends silently: the second request for A is dropped by the duplicate filter and no
errback runs, so the crawl run would not count it. This middleware sits just before
RedirectMiddleware (it sees the 3xx response first) and refuses a redirect to any URL already
visited in the chain, which the spider records as an error.
"""

from __future__ import annotations

from urllib.parse import urljoin

from scrapy import Request
from scrapy.exceptions import IgnoreRequest
from scrapy.http import Response
from w3lib.url import safe_url_string


class RedirectLoopMiddleware:
    def process_response(self, request: Request, response: Response) -> Response:
        location = response.headers.get(b"Location")
        if response.status not in (301, 302, 303, 307, 308) or not location:
            return response
        target = safe_url_string(urljoin(request.url, location.decode("latin-1")))
        visited = [*request.meta.get("redirect_urls", []), request.url]
        if target in visited:
            chain = " -> ".join([*visited[visited.index(target) :], target])
            raise IgnoreRequest(f"redirect loop: {chain}")
        return response
