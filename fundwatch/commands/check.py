"""`fundwatch check`: validate settings, the source catalog and the detector vocabulary."""

from __future__ import annotations

import argparse
import sys

from fundwatch.configuration import load_catalog, load_settings
from fundwatch.configuration.alerts import load_channels
from fundwatch.configuration.errors import ConfigError


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "check", help="validate settings, the catalog, alert channels and keyword lists"
    )
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    problems: list[str] = []
    try:
        settings = load_settings()
    except ConfigError as exc:
        print(f"settings: {exc}", file=sys.stderr)
        return 1
    try:
        catalog = load_catalog(settings.seeds)
    except ConfigError as exc:
        problems.extend(str(exc).splitlines())
        catalog = None
    channels = []
    try:
        channels = load_channels(settings)
    except ConfigError as exc:
        problems.extend(str(exc).splitlines())
    try:
        from fundwatch import detection

        detection.load_detector(settings.detection_vocab)
    except detection.VocabError as exc:
        problems.append(f"detector vocabulary: {exc}")
    if problems:
        for problem in problems:
            print(problem, file=sys.stderr)
        print(f"{len(problems)} problem(s) found", file=sys.stderr)
        return 1
    assert catalog is not None
    print(
        f"ok: {len(catalog)} sources in {settings.seeds}, {len(channels)} alert channel(s), "
        f"keyword lists in {settings.detection_vocab}"
    )
    return 0
