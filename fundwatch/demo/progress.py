"""A small progress display: one live status line on a terminal, plain lines otherwise."""

from __future__ import annotations

import sys
import time
from typing import TextIO


class Progress:
    def __init__(self, stream: TextIO | None = None, interval: float = 2.0) -> None:
        self.stream = stream or sys.stdout
        self.live = self.stream.isatty()
        self.interval = interval
        self._started = time.monotonic()
        self._step_started = self._started
        self._last_line = ""
        self._last_print = 0.0
        self._open = False

    def elapsed(self) -> float:
        return time.monotonic() - self._started

    def step(self, label: str) -> None:
        """Start a step: `[ 3.2s] label`."""
        self._close_line()
        self._step_started = time.monotonic()
        self._write(f"[{self.elapsed():5.1f}s] {label}\n")

    def update(self, status: str) -> None:
        """Show the current step's status: rewritten in place on a terminal, else every
        `interval` seconds when it changed."""
        line = f"         {status}"
        if self.live:
            self._write("\r\033[K" + line)
            self._open = True
        elif line != self._last_line and time.monotonic() - self._last_print >= self.interval:
            self._write(line + "\n")
            self._last_print = time.monotonic()
        self._last_line = line

    def done(self, status: str) -> None:
        """Finish the current step with a final status line."""
        if self.live:
            self._write("\r\033[K")
            self._open = False
        taken = time.monotonic() - self._step_started
        self._write(f"         {status} ({taken:.1f}s)\n")
        self._last_line = ""

    def _close_line(self) -> None:
        if self._open:
            self._write("\n")
            self._open = False

    def _write(self, text: str) -> None:
        self.stream.write(text)
        self.stream.flush()
