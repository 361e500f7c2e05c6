"""One alert per funding round: the events formed from every labelled funding story.

    python bench/event_merge.py            # figures, then every split and false merge
    python bench/event_merge.py --quiet    # figures only
    python bench/event_merge.py --shuffle 5  # also the figures over 5 seeded row orders
    python bench/event_merge.py --unknown shengshu --unknown aisphere
        # as if companies.yaml did not list these: their Chinese and English names then get
        # keys in two scripts, and only the event rules can join the two

Every `flag: true` row of ../shared/corpus/dev.jsonl, dev2.jsonl and
tests/detection/fixtures/blind_corpus.jsonl (read from there, never copied) goes through the
detector and `ingest_article` on a fresh SQLite database as an article of an outlet of its own;
the events formed are compared with the labelled rounds (harness/event_merge.py, shared with
tests/storage/test_event_merge_gate.py): splits (one round in several events: duplicate alerts)
and false merges (one event holding several rounds: a lost round). All rows fall within three
days, so a report without a round can meet two rounds of its company: which one it joins can
depend on the order, hence `--shuffle`. Asserts nothing.
"""

from __future__ import annotations

import argparse
import os
import random
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from fundwatch.configuration.settings import DEFAULT_SEEDS
from fundwatch.detection import load_detector
from harness.event_merge import describe, detector_without, load_rows, measure


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quiet", action="store_true", help="figures only")
    parser.add_argument("--shuffle", type=int, default=0, help="also N seeded row orders")
    parser.add_argument(
        "--unknown",
        action="append",
        default=[],
        metavar="KEY",
        help="leave this company (its key in companies.yaml) out of the detector's list",
    )
    args = parser.parse_args()
    started, cpu = time.perf_counter(), time.process_time()
    if args.unknown:
        detector = detector_without(args.unknown, DEFAULT_SEEDS / "detection")
    else:
        detector = load_detector(DEFAULT_SEEDS / "detection")
    m = measure(detector)
    took, cpu_took = time.perf_counter() - started, time.process_time() - cpu
    for name, value in m.figures().items():
        print(f"{name}: {value}")
    print(f"took {took:.1f} s ({cpu_took:.1f} s CPU, load {os.getloadavg()[0]:.1f})")
    if args.shuffle:
        rows = load_rows()
        for seed in range(args.shuffle):
            f = measure(detector, random.Random(seed).sample(rows, len(rows))).figures()
            print(
                f"order {seed}: events {f['events']}, splits {f['splits']}, "
                f"false merges {f['false merges']}"
            )
    if args.quiet:
        return
    for key, items in sorted(m.splits.items()):
        print(f"\nsplit {key}:")
        for item in items:
            print("  " + describe(item))
    for event_id, items in sorted(m.false_merges.items()):
        print(f"\nfalse merge, event {event_id}:")
        for item in items:
            print("  " + describe(item))
    if m.ambiguous:
        print("\nambiguous rows (no round, no amount, company with several rounds):")
        for item in m.ambiguous:
            print("  " + describe(item))
    if m.no_event:
        print("\nrows without an event:")
        for item in m.no_event:
            print("  " + describe(item))


if __name__ == "__main__":
    main()
