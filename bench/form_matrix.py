"""Probe the funding detector with raise sentences composed from independent slots.

Usage: python bench/form_matrix.py [--seed N] [--n N] [--show K] [--vocab DIR]
Draws ``--n`` raise cases per language (simplified, traditional Chinese, English) from the
product of the slots in harness/form_matrix.py, adds every single-slot variation of a base
sentence and every lookalike (which must not be flagged), runs the detector on each and
prints the failures counted by slot value (worst rate first), then ``--show`` failing cases.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from fundwatch.detection import DEFAULT_VOCAB_DIR, Detector, load_detector  # noqa: E402
from harness.form_matrix import (  # noqa: E402
    Detect,
    failures_by_slot,
    lookalike_cases,
    peel,
    run,
    sample_cases,
    single_slot_cases,
)


def detect_fields(detector: Detector) -> Detect:
    def detect(title: str, text: str) -> tuple[bool, str | None, object, object, object]:
        d = detector.detect(title, text)
        return d.flag, d.company, d.amount, d.currency, d.round

    return detect


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seed", type=int, default=20)
    parser.add_argument("--n", type=int, default=1000, help="sampled raise cases per language")
    parser.add_argument("--show", type=int, default=30, help="failing cases to print")
    parser.add_argument("--vocab", type=Path, default=DEFAULT_VOCAB_DIR)
    args = parser.parse_args(argv)
    detector = load_detector(args.vocab)
    groups = {
        "sampled": sample_cases(args.seed, args.n),
        "single-slot": single_slot_cases(),
        "lookalike": lookalike_cases(),
    }
    started = time.perf_counter()
    outcomes = {
        name: list(run(cases, detect_fields(detector), detector.company_key))
        for name, cases in groups.items()
    }
    elapsed = time.perf_counter() - started
    total = sum(len(o) for o in outcomes.values())
    print(f"{total} cases in {elapsed:.1f} s")
    for name, outs in outcomes.items():
        failed = sum(not o.ok for o in outs)
        print(f"  {name:<12} {len(outs):>5} cases, {failed:>4} failures")
    every = [o for outs in outcomes.values() for o in outs]
    counts = failures_by_slot(every)
    print(f"\n{'group':<18}{'slot':<11}{'value':<28}{'failed':>7}{'cases':>7}{'rate':>7}")
    rows = sorted(counts.items(), key=lambda kv: (-kv[1][0] / kv[1][1], kv[0]))
    for (group, slot, label), (failed, n) in rows:
        if failed:
            print(f"{group:<18}{slot:<11}{label:<28}{failed:>7}{n:>7}{failed / n:>7.0%}")
    print("\nblamed one at a time (worst value, then worst among the cases without it):")
    for (group, slot, label), failed, n in peel(every):
        print(f"{group:<18}{slot:<11}{label:<28}{failed:>7}{n:>7}{failed / n:>7.0%}")
    shown = [o for o in every if not o.ok][: args.show]
    if shown:
        print("\nfailing cases (flag, company, amount, currency, round):")
    for o in shown:
        c = o.case
        print(f"- {c.id}\n  title: {c.title}\n  text:  {c.text}")
        print(f"  got {o.got}\n  want {(c.flag, c.company, c.amount, c.currency, c.round)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
