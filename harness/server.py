"""Start and stop the fixture HTTP server subprocess (tests and benchmarks)."""

from __future__ import annotations

import json
import subprocess
import sys
import urllib.request
from pathlib import Path
from types import TracebackType
from typing import Any

SERVER_SCRIPT = Path(__file__).resolve().parent / "fixture_server.py"
_OPENER = urllib.request.build_opener(urllib.request.ProxyHandler({}))  # loopback only


class RunningServer:
    """`with RunningServer(root) as server:` — server.base is http://127.0.0.1:PORT."""

    def __init__(self, root: Path, robots: str = "file") -> None:
        self.root = Path(root)
        self.robots = robots  # see fixture_server.py: --robots MODE
        self.process: subprocess.Popen[str] | None = None
        self.port = 0

    def __enter__(self) -> RunningServer:
        self.process = subprocess.Popen(
            [sys.executable, str(SERVER_SCRIPT), str(self.root), "--robots", self.robots],
            stdout=subprocess.PIPE,
            text=True,
        )
        assert self.process.stdout is not None
        line = self.process.stdout.readline()
        if not line.startswith("PORT "):
            self.process.kill()
            raise RuntimeError(f"fixture server did not start: {line!r}")
        self.port = int(line.split()[1])
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        if self.process is not None:
            self.process.terminate()
            try:
                self.process.wait(timeout=5)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def requests(self) -> list[dict[str, Any]]:
        with _OPENER.open(f"{self.base}/_log", timeout=5) as response:
            return json.loads(response.read())

    def clear_log(self) -> None:
        _OPENER.open(f"{self.base}/_log/clear", timeout=5).read()

    def paths(self) -> list[str]:
        return [entry["path"] for entry in self.requests()]
