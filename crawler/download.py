"""The HTTP download handler: Scrapy's HTTP/1.1 handler with a close that cannot fire twice.

Scrapy 2.19's `HTTP11DownloadHandler.close()` waits for `closeCachedConnections()` with a
one-second timer that calls the same Deferred's `callback`, and cancels the timer only after
the awaiting coroutine resumes. Under the asyncio reactor that resumption is one event-loop
turn after the Deferred fired; when many crawlers close in one busy process (`fundwatch crawl
--all`, a worker), the timer often falls due in that turn and calls `callback` a second time:
Twisted logs `[twisted] CRITICAL: while handling timed call ... AlreadyCalledError` (harmless,
the crawls are `ok`, but it buries real errors). Here the timer and the pool each fire a
Deferred of our own, at most once, so nothing is called twice.
"""

from __future__ import annotations

from scrapy.core.downloader.handlers.http11 import HTTP11DownloadHandler
from scrapy.utils.defer import maybe_deferred_to_future
from twisted.internet.defer import Deferred


class HTTPDownloadHandler(HTTP11DownloadHandler):
    async def close(self) -> None:
        from twisted.internet import reactor

        closed: Deferred[None] = Deferred()

        def fire(_result: object = None) -> None:
            if not closed.called:
                closed.callback(None)

        # closeCachedConnections can hang on network trouble (twisted#7738): wait at most
        # _disconnect_timeout seconds, as Scrapy does
        timer = reactor.callLater(self._disconnect_timeout, fire)
        self._pool.closeCachedConnections().addBoth(fire)
        try:
            await maybe_deferred_to_future(closed)
        finally:
            if timer.active():
                timer.cancel()
