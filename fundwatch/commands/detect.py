"""`fundwatch detect [FILE]`: run the funding detector over JSON Lines.

Input: one JSON object per line with ``id``, ``title``, ``text`` and optionally ``url``,
``lang`` (``headline`` is read for a missing title, ``body`` or ``content`` for a missing text;
FILE, or standard input when FILE is omitted or ``-``).
Output: one JSON line per input line, in order, on standard output. A line that cannot be
processed gives ``{"line": N, "id": ..., "error": "..."}`` in its place and a message on
standard error; the exit status is then 1 (0 when every line was fine).
"""

from __future__ import annotations

import argparse
import io
import json
import os
import sys
from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING, Any, TextIO

if TYPE_CHECKING:  # the detector is loaded when the command runs, not when the CLI starts
    from fundwatch.detection import Detector


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "detect",
        help="flag AI-video funding stories in JSON Lines (id, title, text per line)",
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("file", nargs="?", default="-", metavar="FILE",
                        help="JSON Lines input (default: standard input)")  # fmt: skip
    parser.add_argument(
        "--vocab",
        metavar="DIR",
        type=Path,
        default=None,
        help="vocabulary folder (default: $FUNDWATCH_SEEDS/detection, else the bundled "
        "seeds/detection)",
    )
    parser.set_defaults(func=run)


def vocab_dir(option: Path | None) -> Path:
    """``--vocab``, else ``$FUNDWATCH_SEEDS/detection`` when it exists, else the default."""
    if option is not None:
        return option
    seeds = os.environ.get("FUNDWATCH_SEEDS")
    if seeds:
        candidate = Path(seeds)
        if candidate.is_file():
            candidate = candidate.parent
        if (candidate / "detection").is_dir():
            return candidate / "detection"
    from fundwatch.detection import DEFAULT_VOCAB_DIR

    return DEFAULT_VOCAB_DIR


def detect_line(detector: Detector, number: int, line: str) -> tuple[dict[str, Any], str | None]:
    """Output record for one input line, and an error message if the line was bad."""
    try:
        record = json.loads(line)
    except json.JSONDecodeError as exc:
        return {"line": number, "id": None, "error": f"not valid JSON: {exc.msg}"}, (
            f"line {number}: not valid JSON ({exc.msg} at column {exc.colno}); skipped"
        )
    if not isinstance(record, dict):
        message = "expected a JSON object with id, title, text"
        return {"line": number, "id": None, "error": message}, f"line {number}: {message}"
    ident = record.get("id")
    # "body"/"content" and "headline" are what other tools name these fields
    text = _first_present(record, "text", "body", "content")
    title = _first_present(record, "title", "headline") or ""
    lang = record.get("lang")
    problem = None
    if not isinstance(text, str):
        problem = "missing 'text' (a string)"
    elif not isinstance(title, str):
        problem = "'title' must be a string"
    elif lang is not None and not isinstance(lang, str):
        problem = "'lang' must be a string"
    if problem:
        return {"line": number, "id": ident, "error": problem}, (
            f"line {number} (id {ident!r}): {problem}; skipped"
        )
    out: dict[str, Any] = {"id": ident}
    if "url" in record:
        out["url"] = record["url"]
    out.update(detector.detect(title, text, lang).to_dict())
    return out, None


def _first_present(fields: dict[str, Any], *keys: str) -> Any:
    return next((fields[key] for key in keys if fields.get(key) is not None), None)


def detect_stream(detector: Detector, lines: Iterable[str], out: TextIO, err: TextIO) -> int:
    """Process JSON Lines; returns the number of bad lines."""
    bad = 0
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        record, problem = detect_line(detector, number, line)
        if problem:
            bad += 1
            print(problem, file=err)
        out.write(json.dumps(record, ensure_ascii=False) + "\n")
    out.flush()
    return bad


def _utf8_stdout() -> TextIO:
    stream = sys.stdout
    if isinstance(stream, io.TextIOWrapper) and stream.encoding.lower().replace("-", "") != "utf8":
        stream.reconfigure(encoding="utf-8")
    return stream


def run(args: argparse.Namespace) -> int:
    from fundwatch.detection import VocabError, load_detector

    directory = vocab_dir(getattr(args, "vocab", None))
    try:
        detector = load_detector(directory)
    except VocabError as exc:
        print(f"fundwatch detect: {exc}", file=sys.stderr)
        return 2
    path = getattr(args, "file", "-") or "-"
    out = _utf8_stdout()
    if path == "-":
        stdin = sys.stdin
        if isinstance(stdin, io.TextIOWrapper):
            stdin.reconfigure(encoding="utf-8", errors="replace")
        bad = detect_stream(detector, stdin, out, sys.stderr)
    else:
        try:
            handle = open(path, encoding="utf-8", errors="replace")  # noqa: SIM115
        except OSError as exc:
            print(f"fundwatch detect: cannot read {path}: {exc.strerror}", file=sys.stderr)
            return 2
        with handle:
            bad = detect_stream(detector, handle, out, sys.stderr)
    return 1 if bad else 0
