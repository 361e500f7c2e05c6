"""The fork server of the `fork` executor: import once, fork one crawl child per run.

`python -m fundwatch.scheduler.executors.forkserver SOCKET` imports Scrapy, Twisted's modules,
SQLAlchemy, the spiders, the catalog and the detector's vocabularies, disposes its database
engine, then listens on the Unix socket SOCKET. For each request `{source, run_id}` (with the
file descriptor the child's stderr goes to) it forks a child that starts a session of its own
(a process group the daemon kills as a whole at the deadline), installs the reactor and crawls
the source as that run (crawler.scheduled, what `fundwatch crawl SOURCE --run-id N` does), which
records its run; the child then leaves with `os._exit` (no interpreter teardown). The
server answers `{"pid": N}` at once and `{"exit": CODE}` when it has reaped the child (a
negative CODE: killed by that signal, as `subprocess` reports it).

Fork safety: the server never starts a reactor, a thread or a database connection; the engine
is disposed before every fork and each child opens its own connections. It exits when its
standard input closes (the daemon is gone); running children finish their runs on their own.
"""

from __future__ import annotations

import contextlib
import ctypes
import errno
import json
import logging
import os
import selectors
import signal
import socket
import sys
import threading
import traceback
from dataclasses import dataclass
from typing import Any

# FUNDWATCH_STORE_WORKER=thread: detection and storing run in the child (the detector is
# already loaded); a spawned writer process would import everything again
CHILD_SETTINGS: dict[str, str] = {"FUNDWATCH_STORE_WORKER": "thread"}
READY = "ready"
PR_SET_NAME = 15
FORK_SERVER_MODULE = "fundwatch.scheduler.executors.forkserver"
CHILD_NAME_PREFIX = "fw-run-"

log = logging.getLogger("fundwatch.forkserver")


def child_name(run_id: int) -> str:
    """The child's /proc/PID/comm (15 bytes at most): how a restarted daemon recognises it."""
    return f"{CHILD_NAME_PREFIX}{run_id}"[:15]


def preload() -> None:
    """Everything a crawl imports or loads, once, without a connection or a thread left open."""
    import scrapy.crawler
    import scrapy.spiderloader  # noqa: F401
    import twisted.internet.asyncioreactor  # noqa: F401

    from fundwatch.crawler import scheduled, spiders  # noqa: F401
    from fundwatch.crawler.resources import resources

    import_components()
    shared = resources()
    shared.catalog  # noqa: B018
    shared.detector  # noqa: B018
    shared.sessions.kw["bind"].dispose()
    if "twisted.internet.reactor" in sys.modules:
        raise RuntimeError("a reactor was installed while preloading; the children could not")


def import_components() -> None:
    """Import the classes a Crawler loads by name from its settings (middlewares, extensions,
    pipelines, download handlers, scheduler, queues...), without instantiating any: most of a
    child's remaining start-up is these imports."""
    import scrapy.core.downloader.handlers.http11
    import scrapy.core.engine
    import scrapy.core.scraper  # noqa: F401
    from scrapy.settings import Settings
    from scrapy.utils.misc import load_object

    settings = Settings()
    settings.setmodule("fundwatch.crawler.settings", priority="project")
    paths: set[str] = set()
    for name, value in settings.items():
        if isinstance(value, str) and "." in value and " " not in value:
            paths.add(value)
        values = value.copy_to_dict() if hasattr(value, "copy_to_dict") else value
        if isinstance(values, dict):
            for key, item in values.items():
                for candidate in (key, item):
                    if isinstance(candidate, str) and "." in candidate:
                        paths.add(candidate)
        del name
    for path in sorted(paths):
        with contextlib.suppress(Exception):
            load_object(path)


def dispose_engines() -> None:
    from fundwatch.crawler.resources import resources

    resources().sessions.kw["bind"].dispose()


@dataclass
class Waiting:
    connection: socket.socket
    run_id: int


def _send(connection: socket.socket, message: dict[str, Any]) -> None:
    with contextlib.suppress(OSError):
        connection.sendall((json.dumps(message) + "\n").encode())


def _exit_code(status: int) -> int:
    if os.WIFSIGNALED(status):
        return -os.WTERMSIG(status)
    return os.WEXITSTATUS(status)


class ForkServer:
    def __init__(self, path: str, overrides: dict[str, str] | None = None) -> None:
        self.path = path
        self.overrides = CHILD_SETTINGS if overrides is None else overrides
        self.listener = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        self.children: dict[int, Waiting] = {}
        self.selector = selectors.DefaultSelector()
        self.wakeup_r, self.wakeup_w = os.pipe()

    def serve(self) -> int:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(self.path)
        self.listener.bind(self.path)
        self.listener.listen(64)
        os.set_blocking(self.wakeup_w, False)
        signal.set_wakeup_fd(self.wakeup_w)
        signal.signal(signal.SIGCHLD, lambda *_: None)
        signal.signal(signal.SIGINT, signal.SIG_IGN)  # the daemon decides when we stop
        signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
        self.selector.register(self.listener, selectors.EVENT_READ, "accept")
        self.selector.register(self.wakeup_r, selectors.EVENT_READ, "signal")
        self.selector.register(sys.stdin.fileno(), selectors.EVENT_READ, "stdin")
        print(READY, flush=True)
        while True:
            for key, _events in self.selector.select(timeout=5.0):
                if key.data == "accept":
                    self._accept()
                elif key.data == "signal":
                    with contextlib.suppress(BlockingIOError):
                        os.read(self.wakeup_r, 512)
                elif key.data == "stdin" and not os.read(sys.stdin.fileno(), 512):
                    return 0  # the daemon is gone
            self._reap()

    def _accept(self) -> None:
        connection, _ = self.listener.accept()
        connection.settimeout(10)
        try:
            data, fds, _flags, _addr = socket.recv_fds(connection, 4096, 1)
            request = json.loads(data)
            source, run_id = str(request["source"]), int(request["run_id"])
        except (OSError, ValueError, KeyError, TypeError) as exc:
            _send(connection, {"error": f"unreadable request: {exc}"})
            connection.close()
            return
        log_fd = fds[0] if fds else None
        dispose_engines()  # no pooled connection crosses the fork
        try:
            pid = os.fork()
        except OSError as exc:
            _send(connection, {"error": f"cannot fork: {exc}"})
            connection.close()
            if log_fd is not None:
                os.close(log_fd)
            return
        if pid == 0:
            self._child(source, run_id, log_fd, connection)  # never returns
        if log_fd is not None:
            os.close(log_fd)
        self.children[pid] = Waiting(connection, run_id)
        _send(connection, {"pid": pid})

    def _reap(self) -> None:
        while self.children:
            try:
                pid, status = os.waitpid(-1, os.WNOHANG)
            except ChildProcessError:
                return
            if pid == 0:
                return
            waiting = self.children.pop(pid, None)
            if waiting is not None:
                _send(waiting.connection, {"exit": _exit_code(status)})
                waiting.connection.close()

    def _child(
        self, source: str, run_id: int, log_fd: int | None, connection: socket.socket
    ) -> None:
        code = 70  # EX_SOFTWARE: the child failed before the crawl could say anything
        try:
            with contextlib.suppress(OSError, AttributeError):  # first: see runner._is_crawl_of
                libc = ctypes.CDLL(None, use_errno=True)
                libc.prctl(PR_SET_NAME, child_name(run_id).encode(), 0, 0, 0)
            os.setsid()  # its own process group: the deadline kills it and its helpers
            for signum in (signal.SIGTERM, signal.SIGINT, signal.SIGCHLD, signal.SIGPIPE):
                signal.signal(signum, signal.SIG_DFL)
            signal.set_wakeup_fd(-1)
            self.selector.close()
            for fd in (self.listener.fileno(), self.wakeup_r, self.wakeup_w):
                with contextlib.suppress(OSError):
                    os.close(fd)
            connection.close()
            for waiting in self.children.values():
                waiting.connection.close()
            devnull = os.open(os.devnull, os.O_RDWR)
            os.dup2(devnull, 0)
            os.dup2(devnull, 1)
            if log_fd is not None:
                os.dup2(log_fd, 2)
                os.close(log_fd)
            from fundwatch.crawler.scheduled import crawl_run

            code = crawl_run(source, run_id, self.overrides)
        except SystemExit as exc:
            code = exc.code if isinstance(exc.code, int) else 1
        except BaseException:
            traceback.print_exc()
            code = 70
        finally:
            with contextlib.suppress(Exception):
                sys.stderr.flush()
            os._exit(code)


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    if len(args) != 1:
        print("usage: python -m fundwatch.scheduler.executors.forkserver SOCKET", file=sys.stderr)
        return 2
    preload()
    if threading.active_count() != 1:
        print(f"fork server: {threading.active_count()} threads after preload", file=sys.stderr)
        return 70
    try:
        return ForkServer(args[0]).serve()
    except OSError as exc:
        if exc.errno == errno.EADDRINUSE:
            print(f"fork server: {args[0]} is in use", file=sys.stderr)
            return 2
        raise


if __name__ == "__main__":
    raise SystemExit(main())
