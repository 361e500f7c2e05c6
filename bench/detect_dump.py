"""Dump every detector output on every labelled set, or compare with an earlier dump.

Usage: python bench/detect_dump.py OUT.json [--against EARLIER.json]
Runs the detector over ../shared/corpus/*.jsonl (when present), tests/detection/fixtures/*.jsonl
(each text with its title, and again with the title folded into the body) and 300 synthetic
texts of bench/detect_speed.py. With --against, prints the items whose output changed and
exits 1 when any did: a refactoring must leave every output bit for bit the same.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(REPO / "bench"))

from detect_speed import make_texts  # noqa: E402

from fundwatch.detection import DEFAULT_VOCAB_DIR, load_detector  # noqa: E402


def _sets() -> list[Path]:
    shared = sorted((REPO.parent / "shared" / "corpus").glob("*.jsonl"))
    return [*shared, *sorted((REPO / "tests" / "detection" / "fixtures").glob("*.jsonl"))]


def dump() -> dict[str, dict]:
    detector = load_detector(DEFAULT_VOCAB_DIR)
    out: dict[str, dict] = {}
    for path in _sets():
        for line in path.read_text(encoding="utf-8").splitlines():
            if not line.strip():
                continue
            row = json.loads(line)
            title, text = row.get("title", ""), row["text"]
            key = f"{path.name}:{row['id']}"
            out[key] = detector.detect(title, text, row.get("lang")).to_dict()
            out[key + ":untitled"] = detector.detect("", title + "\n" + text).to_dict()
    for i, (title, body) in enumerate(make_texts(300)):
        out[f"synthetic:{i}"] = detector.detect(title, body).to_dict()
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out", type=Path)
    parser.add_argument("--against", type=Path, default=None)
    args = parser.parse_args(argv)
    now = dump()
    args.out.write_text(json.dumps(now, ensure_ascii=False, sort_keys=True, indent=0), "utf-8")
    print(f"{len(now)} outputs written to {args.out}")
    if args.against is None:
        return 0
    before = json.loads(args.against.read_text(encoding="utf-8"))
    changed = sorted(k for k in set(now) | set(before) if now.get(k) != before.get(k))
    for key in changed:
        print(f"changed: {key}\n  before {before.get(key)}\n  after  {now.get(key)}")
    print(f"{len(changed)} of {len(now)} outputs changed")
    return 1 if changed else 0


if __name__ == "__main__":
    raise SystemExit(main())
