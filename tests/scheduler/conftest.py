"""Helpers for scheduler tests: a catalog written to a temp folder and a fake crawl child."""

from __future__ import annotations

import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
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


@pytest.fixture
def control(tmp_path: Path) -> Path:
    folder = tmp_path / "control"
    folder.mkdir()
    return folder
