"""Building the CLI's parser loads no command's machinery: every `fundwatch crawl` child the
daemon starts builds it, so what the parser imports, each crawl pays for."""

from __future__ import annotations

import json
import subprocess
import sys

PROBE = """
import json, sys
from fundwatch.cli import build_parser
build_parser()
print(json.dumps(sorted(sys.modules)))
"""


def test_the_parser_imports_neither_the_detector_nor_the_web_app() -> None:
    done = subprocess.run(
        [sys.executable, "-c", PROBE], capture_output=True, text=True, check=True, timeout=60
    )
    modules = json.loads(done.stdout)
    assert "fundwatch.cli" in modules and "fundwatch.commands.detect" in modules
    assert not [m for m in modules if m.startswith("fundwatch.detection")]
    heavy = {"ahocorasick", "fastapi", "uvicorn", "starlette", "jinja2", "scrapy", "numpy"}
    assert not heavy & {m.split(".")[0] for m in modules}
