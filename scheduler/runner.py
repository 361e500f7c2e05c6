"""Run one crawl in a child process with a hard deadline.

Scrapy's Twisted reactor cannot be restarted inside a process, so every crawl is a fresh child:
`python -m fundwatch crawl SOURCE --run-id N`. The runner creates the crawl_runs row (status
`running`), starts the child in its own process group, and waits. The child finishes the row
itself (figures and status). The runner closes it when the child could not:

- deadline exceeded: the process group gets SIGTERM, then SIGKILL after a grace period; `timeout`;
- the child died without finishing the row: `killed` (by a signal) or `error` (exit status);
- the daemon is shutting down and the grace period ran out: `killed` (not held against the source).
"""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Collection, Mapping, Sequence
from pathlib import Path
from typing import IO, Protocol

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from fundwatch.storage.crawl_outcome import CrawlOutcome
from fundwatch.storage.models import CrawlRun
from fundwatch.storage.runs import close_run, source_state, start_run

DEFAULT_CRAWL_COMMAND: tuple[str, ...] = (
    sys.executable,
    "-m",
    "fundwatch",
    "crawl",
    "{source}",
    "--run-id",
    "{run_id}",
)
KILL_GRACE_SECONDS = 10.0
STDERR_TAIL_BYTES = 4000


def kill_process_group(pid: int, grace: float) -> None:
    """SIGTERM the group led by `pid`, then SIGKILL whatever is left after `grace` seconds."""
    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.killpg(pid, signal.SIGTERM)
    end = time.monotonic() + grace
    while time.monotonic() < end:
        try:
            os.killpg(pid, 0)
        except (ProcessLookupError, PermissionError):
            return
        time.sleep(0.05)
    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.killpg(pid, signal.SIGKILL)


def _tail(handle: IO[bytes]) -> str:
    try:
        handle.seek(0, os.SEEK_END)
        size = handle.tell()
        handle.seek(max(0, size - STDERR_TAIL_BYTES))
        data = handle.read().decode("utf-8", "replace")
    except OSError:
        return ""
    lines = [line for line in data.splitlines() if line.strip()]
    return " | ".join(lines[-3:])[-600:]


class Child(Protocol):
    """What the runner needs of a crawl's process: `subprocess.Popen`, or a forked child."""

    pid: int

    def wait(self, timeout: float | None = None) -> int: ...


class RunnerClosed(Exception):
    """The daemon is shutting down: no new crawl is started."""


class CrawlRunner:
    """Starts crawl children; thread-safe (one call of `run` per crawl, from pool threads)."""

    def __init__(
        self,
        sessions: sessionmaker[Session],
        *,
        command: Sequence[str] = DEFAULT_CRAWL_COMMAND,
        env: Mapping[str, str] | None = None,
        cwd: Path | None = None,
        kill_grace: float = KILL_GRACE_SECONDS,
    ) -> None:
        self._sessions = sessions
        self._command = tuple(command)
        self._env = dict(os.environ if env is None else env)
        self._cwd = cwd
        self._kill_grace = kill_grace
        self._lock = threading.Lock()
        self._active: dict[int, Child] = {}
        self._shutdown_killed: set[int] = set()
        self._closed = False

    def command_for(self, source: str, run_id: int) -> list[str]:
        return [part.format(source=source, run_id=run_id) for part in self._command]

    @property
    def active_runs(self) -> list[int]:
        with self._lock:
            return list(self._active)

    def run(self, source: str, *, deadline: float) -> CrawlOutcome:
        if self._closed:
            raise RunnerClosed(f"not starting {source}: the daemon is shutting down")
        started = time.monotonic()
        with self._sessions.begin() as session:
            run_id = start_run(session, source).id
        exit_code: int | None = None
        timed_out = False
        # an unnamed file (O_TMPFILE): nothing is left in $TMPDIR even after a kill -9 of the
        # daemon; the tail of the child's stderr is read back through the handle
        with tempfile.TemporaryFile(prefix=f"fundwatch-{source}-", suffix=".log") as log:
            try:
                process = self._start_child(source, run_id, log)
            except OSError as exc:
                return self._close(
                    run_id, source, started, None, "error", f"cannot start the crawl: {exc}"
                )
            with self._lock:
                self._active[run_id] = process
                if self._closed:  # shutdown began while this crawl was starting
                    self._shutdown_killed.add(run_id)
                    kill_process_group(process.pid, 0)
            try:
                self._set_pid(run_id, process.pid)
                try:
                    exit_code = process.wait(timeout=deadline)
                except subprocess.TimeoutExpired:
                    timed_out = True
                    kill_process_group(process.pid, self._kill_grace)
                    exit_code = process.wait()
            finally:
                with self._lock:
                    self._active.pop(run_id, None)
                    shutdown_killed = run_id in self._shutdown_killed
                    self._shutdown_killed.discard(run_id)
                # a grandchild left behind (the child exited, its helpers did not)
                with contextlib.suppress(ProcessLookupError, PermissionError):
                    os.killpg(process.pid, signal.SIGKILL)
            if timed_out:
                status, message = (
                    "timeout",
                    (f"hard deadline of {deadline:g} s exceeded; its process group was killed"),
                )
            elif shutdown_killed:
                status, message = "killed", "the daemon shut down before the crawl finished"
            elif exit_code < 0:
                name = signal.Signals(-exit_code).name
                status, message = "killed", f"the crawl process was killed by {name}"
            elif exit_code == 0:
                status, message = "error", "the crawl process exited without finishing its run"
            else:
                status, message = "error", f"the crawl process exited with status {exit_code}"
            if status == "error" or status == "killed":
                tail = _tail(log)
                message = f"{message}: {tail}" if tail else message
            return self._close(
                run_id,
                source,
                started,
                exit_code,
                status,
                message,
                count_failure=not shutdown_killed,
                timed_out=timed_out,
            )

    def _start_child(self, source: str, run_id: int, log: IO[bytes]) -> Child:
        """The crawl's process, leader of a process group of its own (killed as a whole)."""
        return subprocess.Popen(
            self.command_for(source, run_id),
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=log,
            env=self._env,
            cwd=self._cwd,
            start_new_session=True,
        )

    def close(self) -> None:
        """Nothing to release: each crawl process ends with its run."""

    def adopt_running(self, *, deadline: float) -> list[int]:
        """Crawl processes of a dead daemon are not this runner's children: none is adopted
        (close_orphaned_runs lets them finish within its grace, or stops them)."""
        return []

    def kill_all(self) -> list[int]:
        """Kill every running crawl (at shutdown, after the grace period); return run ids."""
        with self._lock:
            self._closed = True
            running = dict(self._active)
            self._shutdown_killed.update(running)
        for process in running.values():
            kill_process_group(process.pid, self._kill_grace)
        return list(running)

    def _set_pid(self, run_id: int, pid: int) -> None:
        with self._sessions.begin() as session:
            run = session.get(CrawlRun, run_id)
            if run is not None and run.pid is None:
                run.pid = pid

    def _close(
        self,
        run_id: int,
        source: str,
        started: float,
        exit_code: int | None,
        status: str,
        message: str,
        *,
        count_failure: bool = True,
        timed_out: bool = False,
    ) -> CrawlOutcome:
        """Finish the row unless the child did; return the row's figures."""
        with self._sessions.begin() as session:
            run = session.scalars(
                select(CrawlRun).where(CrawlRun.id == run_id).with_for_update()
            ).one()
            if run.status == "running":
                run = close_run(
                    session, run_id, status=status, message=message, record=count_failure
                )
            elif timed_out and run.status != "ok":
                # the crawl shut down on our SIGTERM and recorded itself (e.g. `killed`, already
                # counted as a failure): keep its figures, but say why it was stopped
                run.status, run.message = "timeout", message
                source_state(session, source).last_error = message
            outcome = CrawlOutcome.of_run(
                run, duration_s=time.monotonic() - started, exit_code=exit_code
            )
        return outcome


def _process_cmdline(pid: int) -> list[str]:
    try:
        raw = Path(f"/proc/{pid}/cmdline").read_bytes()
    except OSError:
        return []
    return [part.decode("utf-8", "replace") for part in raw.split(b"\0") if part]


def _is_crawl_of(pid: int, run_id: int) -> bool:
    """Is `pid` the crawl of run `run_id`: a `fundwatch crawl ... --run-id N` process, or a
    child of the fork executor (which names itself fw-run-N)?"""
    from fundwatch.scheduler.executors.forkserver import (
        CHILD_NAME_PREFIX,
        FORK_SERVER_MODULE,
        child_name,
    )

    cmdline = _process_cmdline(pid)
    if "--run-id" in cmdline and str(run_id) in cmdline:
        return True
    try:
        comm = Path(f"/proc/{pid}/comm").read_text().strip()
    except OSError:
        return False
    if comm == child_name(run_id):
        return True
    # A child keeps the fork server's command line; one caught between fork and naming itself
    # (its pid is recorded as soon as it exists) still has the server's name.
    return FORK_SERVER_MODULE in cmdline and not comm.startswith(CHILD_NAME_PREFIX)


def _exits_within(pid: int, seconds: float) -> bool:
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        if process_ended(pid):
            return True
        time.sleep(0.1)
    return False


def process_ended(pid: int) -> bool:
    """`pid` is gone or a zombie (exited, not yet reaped)."""
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except (OSError, IndexError):
        return True
    return state == "Z"


def close_orphaned_runs(
    sessions: sessionmaker[Session],
    *,
    kill_grace: float,
    orphan_grace: float = 0.0,
    keep: Collection[int] = (),
) -> list[int]:
    """Close the runs a dead daemon left `running` (call with the daemon lock held), except
    those in `keep` (runs a live worker still holds, adopted by the executor).

    A child of the dead daemon that is still alive (its command line carries `--run-id N`) is
    killed first, so that a source is never crawled twice at once. The runs are marked `killed`
    without counting as a failure of their source.
    """
    with sessions.begin() as session:
        orphans = list(session.scalars(select(CrawlRun).where(CrawlRun.status == "running")))
        targets = [(run.id, run.pid) for run in orphans if run.id not in keep]
    for run_id, pid in targets:
        ours = pid and _is_crawl_of(pid, run_id)
        # let it finish within the grace period (it records its own run), else stop it: what
        # it found is in the crawl frontier, and the next run fetches it
        if ours and not _exits_within(pid, orphan_grace):
            kill_process_group(pid, kill_grace)
    closed = []
    for run_id, _pid in targets:
        with sessions.begin() as session:
            run = session.get(CrawlRun, run_id)
            if run is not None and run.status == "running":
                close_run(
                    session,
                    run_id,
                    status="killed",
                    message="left running by a daemon that stopped (closed at the next start)",
                    record=False,
                )
                closed.append(run_id)
    return closed
