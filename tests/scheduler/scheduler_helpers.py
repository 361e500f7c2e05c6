"""Helpers for scheduler tests: a catalog written to a temp folder, a fake crawl child and the
daemon in a child process."""

from __future__ import annotations

import contextlib
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import yaml

FAKE_CRAWL = Path(__file__).with_name("fake_crawl.py")


def feed_entry(name: str, **fields: Any) -> dict[str, Any]:
    entry: dict[str, Any] = {
        "name": name,
        "kind": "feed",
        "url": f"http://127.0.0.1:9/{name}.xml",
        "every": "1s",
    }
    entry.update(fields)
    return entry


def write_catalog(folder: Path, entries: list[dict[str, Any]]) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "sources.yaml"
    path.write_text(yaml.safe_dump({"sources": entries}, sort_keys=False), encoding="utf-8")
    return path


def fake_command(control: Path) -> tuple[str, ...]:
    return (sys.executable, str(FAKE_CRAWL), str(control), "{source}", "--run-id", "{run_id}")


def set_mode(control: Path, source: str, mode: str) -> None:
    (control / f"{source}.mode").write_text(mode)


def runs_started(control: Path, source: str) -> list[int]:
    path = control / f"{source}.runs"
    if not path.exists():
        return []
    return [int(line.split()[0]) for line in path.read_text().splitlines() if "done" not in line]


def wait_for(predicate: Callable[[], Any], timeout: float = 30.0, what: str = "condition") -> Any:
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        value = predicate()
        if value:
            return value
        time.sleep(0.1)
    raise AssertionError(f"gave up waiting for {what} after {timeout:g} s")


class DaemonProcess:
    """`fundwatch daemon` in a child process; its JSON log lines are collected as they come."""

    def __init__(self, args: list[str], env: dict[str, str]) -> None:
        import subprocess
        import threading

        self.lines: list[dict[str, Any]] = []
        self.raw: list[str] = []
        self.process = subprocess.Popen(
            [sys.executable, "-m", "fundwatch", "daemon", *args],
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            text=True,
        )
        self._reader = threading.Thread(target=self._read, daemon=True)
        self._reader.start()

    def _read(self) -> None:
        import json

        assert self.process.stderr is not None
        for line in self.process.stderr:
            self.raw.append(line)
            with contextlib.suppress(ValueError):
                self.lines.append(json.loads(line))

    def events(self, name: str) -> list[dict[str, Any]]:
        return [line for line in list(self.lines) if line.get("event") == name]

    def wait_event(self, name: str, timeout: float = 60.0, **match: Any) -> dict[str, Any]:
        def found() -> dict[str, Any] | None:
            for line in self.events(name):
                if all(line.get(k) == v for k, v in match.items()):
                    return line
            if self.process.poll() is not None:
                raise AssertionError(f"daemon exited early:\n{''.join(self.raw)[-3000:]}")
            return None

        return wait_for(found, timeout, f"event {name} {match}")

    def signal(self, signum: int) -> None:
        self.process.send_signal(signum)

    def finish(self, timeout: float = 60.0) -> int:
        code = self.process.wait(timeout)
        self._reader.join(10)
        return code

    def kill(self) -> None:
        if self.process.poll() is None:
            self.process.kill()
            self.process.wait(30)
