"""A real HTTP server on 127.0.0.1 served from a daemon thread: what the demo site and the
demo webhook receiver have in common."""

from __future__ import annotations

import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Self


class LoopbackServer:
    """Bind `handler` to 127.0.0.1:`port` (0: a free port); serve between `start()` and `stop()`
    (or inside `with`)."""

    def __init__(self, handler: type[BaseHTTPRequestHandler], port: int, thread_name: str) -> None:
        self._server = ThreadingHTTPServer(("127.0.0.1", port), handler)
        self._server.daemon_threads = True
        self._thread = threading.Thread(
            target=self._server.serve_forever, name=thread_name, daemon=True
        )

    @property
    def origin(self) -> str:
        """`http://127.0.0.1:<port>` of the bound socket."""
        host, port = self._server.server_address[:2]
        return f"http://{host}:{port}"

    def start(self) -> Self:
        self._thread.start()
        return self

    def stop(self) -> None:
        self._server.shutdown()
        self._server.server_close()
        self._thread.join(timeout=5)

    def __enter__(self) -> Self:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()
