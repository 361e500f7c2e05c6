"""`fundwatch serve` and `fundwatch demo --serve` as a user runs them (child processes)."""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest

from fundwatch.web.server import free_port

pytestmark = pytest.mark.timeout(300)


def _env(**extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("FUNDWATCH_")}
    env.update(extra)
    return env


def _foreground() -> None:
    """Ctrl-C as in a terminal: a suite started in the background (`cmd &`) hands its children
    SIGINT ignored, and Python then never raises KeyboardInterrupt."""
    signal.signal(signal.SIGINT, signal.SIG_DFL)


def _read_until(process: subprocess.Popen[str], pattern: str, timeout: float) -> re.Match[str]:
    assert process.stdout is not None
    deadline = time.monotonic() + timeout
    seen = []
    while time.monotonic() < deadline:
        line = process.stdout.readline()
        if not line:
            break
        seen.append(line)
        match = re.search(pattern, line)
        if match:
            return match
    process.kill()
    raise AssertionError(f"no {pattern!r} in the output:\n{''.join(seen)}")


def _get(url: str, timeout: float = 30) -> httpx.Response:
    deadline = time.monotonic() + timeout
    while True:
        try:
            return httpx.get(url, trust_env=False, timeout=10)
        except httpx.TransportError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.2)


def test_serve_binds_loopback_and_prints_its_url(tmp_path: Path) -> None:
    port = free_port()
    database = f"sqlite:///{tmp_path / 'fw.db'}"
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "fundwatch",
            "serve",
            "--port",
            str(port),
            "--database-url",
            database,
        ],
        env=_env(),
        stdout=subprocess.PIPE,
        text=True,
        preexec_fn=_foreground,
    )
    try:
        match = _read_until(process, r"dashboard on (http://\S+/)", 180)
        assert match.group(1) == f"http://127.0.0.1:{port}/"
        response = _get(match.group(1))
        assert response.status_code == 200 and "No funding events yet" in response.text
        assert "read-only" in response.text
    finally:
        process.send_signal(signal.SIGINT)
        assert process.wait(timeout=30) == 0


def test_serve_refuses_a_short_token(tmp_path: Path) -> None:
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "fundwatch",
            "serve",
            "--database-url",
            f"sqlite:///{tmp_path}/x.db",
        ],
        env=_env(FUNDWATCH_WEB_TOKEN="abc"),
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 2
    assert "FUNDWATCH_WEB_TOKEN is 3 characters long; use at least 16" in result.stderr


@pytest.mark.slow
def test_demo_serve_leaves_the_dashboard_running_on_the_demo_data(tmp_path: Path) -> None:
    port = free_port()
    process = subprocess.Popen(
        [
            sys.executable, "-m", "fundwatch", "demo", "--serve", "--web-port", str(port),
            "--database-url", f"sqlite:///{tmp_path / 'demo.db'}",
        ],
        cwd=tmp_path,
        env=_env(),
        stdout=subprocess.PIPE,
        text=True,
        preexec_fn=_foreground,
    )  # fmt: skip
    try:
        match = _read_until(process, r"Dashboard: (http://\S+/)", 240)
        assert match.group(1) == f"http://127.0.0.1:{port}/"
        events = _get(match.group(1)).text
        assert "Lumora" in events and "数影智能" in events
        sources = _get(match.group(1) + "sources").text
        assert "demo_site" in sources and "not in the catalog" not in sources
        alerts = _get(match.group(1) + "alerts").text
        assert "demo-webhook" in alerts and "No alert channels configured" not in alerts
    finally:
        process.send_signal(signal.SIGINT)
        process.wait(timeout=60)
