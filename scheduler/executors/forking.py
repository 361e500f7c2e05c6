"""The `fork` executor: the process-per-run executor, with the children forked from a
pre-imported fork server (scheduler.executors.forkserver) instead of started from scratch.

`ForkRunner` keeps `CrawlRunner`'s contract and its isolation: every run is a process of its
own in a process group of its own, killed as a whole at the deadline; a child that crashes,
hangs or blows up its memory takes down nothing else; the runner closes the row of a child
that could not (`timeout`, `killed`, `error` with the tail of its stderr). What it saves is
the start of a Python interpreter and the import of Scrapy, Twisted, SQLAlchemy, the catalog
and the detector for every run (docs/capacity.md).

The server is started on the first run and again whenever it is found dead; it exits when the
daemon does (its standard input closes).
"""

from __future__ import annotations

import contextlib
import json
import os
import socket
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Mapping
from pathlib import Path
from typing import IO

from sqlalchemy.orm import Session, sessionmaker

from fundwatch.scheduler.executors.forkserver import FORK_SERVER_MODULE, READY
from fundwatch.scheduler.runner import KILL_GRACE_SECONDS, CrawlRunner, process_ended

SERVER_START_TIMEOUT = 120.0
LOST_EXIT = 255  # the server died before it could report the child's exit


class ForkServerError(OSError):
    """The fork server could not be started or did not answer."""


class Lines:
    """Lines read from a socket, with a timeout per call that leaves the socket usable."""

    def __init__(self, connection: socket.socket) -> None:
        self.connection = connection
        self._buffer = b""

    def readline(self, timeout: float | None) -> bytes:
        """The next line; b"" when the other end closed; TimeoutError after `timeout` s."""
        end = None if timeout is None else time.monotonic() + timeout
        while b"\n" not in self._buffer:
            left = None if end is None else max(end - time.monotonic(), 0.0)
            if left == 0.0:
                raise TimeoutError
            self.connection.settimeout(left)
            chunk = self.connection.recv(4096)
            if not chunk:
                return b""
            self._buffer += chunk
        line, self._buffer = self._buffer.split(b"\n", 1)
        return line + b"\n"


class ForkedChild:
    """A crawl child of the fork server, with the `pid`/`wait` of `subprocess.Popen`; the
    server reports its exit status on the connection the run was requested on."""

    def __init__(self, lines: Lines, pid: int) -> None:
        self.pid = pid
        self._lines = lines
        self.returncode: int | None = None

    def wait(self, timeout: float | None = None) -> int:
        if self.returncode is not None:
            return self.returncode
        try:
            line = self._lines.readline(timeout)
        except TimeoutError:
            raise subprocess.TimeoutExpired(f"forked crawl {self.pid}", timeout or 0) from None
        except OSError:
            line = b""
        if line:
            self.returncode = int(json.loads(line)["exit"])
        else:  # the server is gone: wait for the child itself to be gone
            self.returncode = self._wait_gone(timeout)
        self._lines.connection.close()
        return self.returncode

    def _wait_gone(self, timeout: float | None) -> int:
        end = None if timeout is None else time.monotonic() + timeout
        while not process_ended(self.pid):
            if end is not None and time.monotonic() > end:
                raise subprocess.TimeoutExpired(f"forked crawl {self.pid}", timeout or 0)
            time.sleep(0.1)
        return LOST_EXIT


class ForkRunner(CrawlRunner):
    def __init__(
        self,
        sessions: sessionmaker[Session],
        *,
        env: Mapping[str, str] | None = None,
        cwd: Path | None = None,
        kill_grace: float = KILL_GRACE_SECONDS,
    ) -> None:
        super().__init__(sessions, env=env, cwd=cwd, kill_grace=kill_grace)
        self._folder = Path(tempfile.mkdtemp(prefix="fundwatch-fork-"))
        self._socket_path = str(self._folder / "server.sock")
        self._server: subprocess.Popen[bytes] | None = None
        self._server_lock = threading.Lock()

    @property
    def server_pid(self) -> int | None:
        server = self._server
        return server.pid if server is not None and server.poll() is None else None

    def start_server(self) -> int:
        """Start the fork server now (else at the first run); returns its pid."""
        with self._server_lock:
            return self._ensure_server().pid

    def _ensure_server(self) -> subprocess.Popen[bytes]:
        if self._server is not None and self._server.poll() is None:
            return self._server
        if self._server is not None:
            self._server.stdin.close()  # type: ignore[union-attr]
        server = subprocess.Popen(
            [sys.executable, "-m", FORK_SERVER_MODULE, self._socket_path],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            env=self._env,
            cwd=self._cwd,
        )
        assert server.stdout is not None
        ready = _read_line(server.stdout, SERVER_START_TIMEOUT)
        if ready.strip() != READY.encode():
            server.kill()
            server.wait()
            raise ForkServerError(
                f"the fork server did not start (exit {server.returncode}); see the daemon's stderr"
            )
        self._server = server
        return server

    def _start_child(self, source: str, run_id: int, log: IO[bytes]) -> ForkedChild:
        for attempt in (1, 2):
            with self._server_lock:
                self._ensure_server()
            connection = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
            try:
                connection.settimeout(30)
                connection.connect(self._socket_path)
                request = json.dumps({"source": source, "run_id": run_id}).encode()
                socket.send_fds(connection, [request], [log.fileno()])
                lines = Lines(connection)
                answer = json.loads(lines.readline(30) or b"{}")
            except (OSError, ValueError) as exc:
                connection.close()
                if attempt == 2:
                    raise ForkServerError(f"the fork server did not answer: {exc}") from exc
                continue  # the server died: the next round starts a new one
            if "pid" not in answer:
                connection.close()
                raise ForkServerError(answer.get("error") or "the fork server did not fork")
            return ForkedChild(lines, int(answer["pid"]))
        raise AssertionError("unreachable")

    def close(self) -> None:
        """Stop the fork server (running children finish on their own)."""
        with self._server_lock:
            server, self._server = self._server, None
        if server is not None:
            with contextlib.suppress(OSError):
                server.stdin.close()  # type: ignore[union-attr]
            try:
                server.wait(timeout=10)
            except subprocess.TimeoutExpired:
                server.kill()
                server.wait()
        with contextlib.suppress(OSError):
            os.unlink(self._socket_path)
        with contextlib.suppress(OSError):
            self._folder.rmdir()


def _read_line(stream: IO[bytes], timeout: float) -> bytes:
    """One line from a pipe, or b"" after `timeout` seconds."""
    result: list[bytes] = []
    reader = threading.Thread(target=lambda: result.append(stream.readline()), daemon=True)
    reader.start()
    reader.join(timeout)
    return result[0] if result else b""
