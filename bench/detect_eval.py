"""Score the funding detector on a hand-labeled JSON Lines corpus.

Usage: python bench/detect_eval.py [CORPUS | --corpus PATH] [--vocab DIR] [--valuations]
CORPUS defaults to ../shared/corpus/dev.jsonl relative to the repository root;
tests/detection/fixtures/stress.jsonl is the project's own harder stress set. Each line
holds id, title, text, lang and the labels flag, is_funding, is_ai_video, company, amount,
currency, round, valuation_usd. Prints flag precision/recall/F1, accuracy of is_funding and
is_ai_video, and on true positives the accuracy of amount+currency, round, company and
valuation (right when both are null or within 2 %: labels convert at rounded rates).
``--valuations`` lists every true positive whose label or output states a valuation.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from fundwatch.detection import DEFAULT_VOCAB_DIR, Detector, load_detector  # noqa: E402

DEFAULT_CORPUS = REPO / ".." / "shared" / "corpus" / "dev.jsonl"


def _amount_ok(pred: dict, gold: dict) -> bool:
    if pred["currency"] != gold.get("currency"):
        return False
    a, b = pred["amount"], gold.get("amount")
    if a is None or b is None:
        return a is None and b is None
    return abs(a - b) <= 0.01 * abs(b)


def _valuation_ok(pred: float | None, gold: float | None) -> bool:
    if pred is None or gold is None:
        return pred is None and gold is None
    return abs(pred - gold) <= 0.02 * abs(gold)


def _company_ok(detector: Detector, pred: str | None, gold: str | None) -> bool:
    if pred is None or gold is None:
        return pred is None and gold is None
    return detector.company_key(pred) == detector.company_key(gold)


def evaluate(detector: Detector, rows: list[dict]) -> dict:
    tp = fp = fn = 0
    funding_ok = video_ok = 0
    fields = {"amount+currency": 0, "round": 0, "company": 0, "valuation": 0}
    wrong: list[str] = []
    valuations: list[str] = []
    for row in rows:
        pred = detector.detect(row.get("title", ""), row["text"], row.get("lang")).to_dict()
        gold_flag = bool(row["flag"])
        funding_ok += pred["is_funding"] == row["is_funding"]
        video_ok += pred["is_ai_video"] == row["is_ai_video"]
        if pred["flag"] and gold_flag:
            tp += 1
            checks = {
                "amount+currency": _amount_ok(pred, row),
                "round": pred["round"] == row.get("round"),
                "company": _company_ok(detector, pred["company"], row.get("company")),
                "valuation": _valuation_ok(pred["valuation_usd"], row.get("valuation_usd")),
            }
            if pred["valuation_usd"] is not None or row.get("valuation_usd") is not None:
                valuations.append(f"{row['id']}: {'ok ' if checks['valuation'] else 'BAD'} "
                                  f"labeled {row.get('valuation_usd')}, "
                                  f"predicted {pred['valuation_usd']}")  # fmt: skip
            for name, ok in checks.items():
                fields[name] += ok
                if not ok:
                    wrong.append(f"{row['id']}: {name} predicted {_show(pred, name)}, "
                                 f"labeled {_show(row, name)}")  # fmt: skip
        elif pred["flag"]:
            fp += 1
            wrong.append(f"{row['id']}: false positive (company {pred['company']!r})")
        elif gold_flag:
            fn += 1
            wrong.append(f"{row['id']}: missed (is_funding={pred['is_funding']}, "
                         f"is_ai_video={pred['is_ai_video']})")  # fmt: skip
        for name in ("is_funding", "is_ai_video"):
            if pred[name] != row[name] and pred["flag"] == gold_flag:
                wrong.append(f"{row['id']}: {name} predicted {pred[name]}, labeled {row[name]}")
    n = len(rows)
    precision = tp / (tp + fp) if tp + fp else 1.0
    recall = tp / (tp + fn) if tp + fn else 1.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {
        "n": n, "tp": tp, "fp": fp, "fn": fn,
        "flag precision": precision, "flag recall": recall, "flag F1": f1,
        "is_funding accuracy": funding_ok / n if n else 0.0,
        "is_ai_video accuracy": video_ok / n if n else 0.0,
        **{f"{k} accuracy (TP)": v / tp if tp else 0.0 for k, v in fields.items()},
        "wrong": wrong,
        "valuations": valuations,
    }  # fmt: skip


def _show(record: dict, name: str) -> str:
    if name == "amount+currency":
        return f"{record.get('amount')} {record.get('currency')}"
    if name == "valuation":
        return repr(record.get("valuation_usd"))
    return repr(record.get(name))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("corpus", nargs="?", type=Path, default=None)
    parser.add_argument(
        "--corpus",
        dest="corpus_opt",
        type=Path,
        default=None,
        help="JSON Lines corpus to score (same as the positional argument)",
    )
    parser.add_argument("--vocab", type=Path, default=DEFAULT_VOCAB_DIR)
    parser.add_argument(
        "--valuations",
        action="store_true",
        help="list every true positive whose label or output states a valuation",
    )
    args = parser.parse_args(argv)
    args.corpus = args.corpus_opt or args.corpus or DEFAULT_CORPUS
    if not args.corpus.is_file():
        parser.error(
            f"no corpus at {args.corpus.resolve()} (the shared dev corpus lives beside the "
            "repository, in ../shared/corpus/): name a JSON Lines file, e.g. "
            "tests/detection/fixtures/stress.jsonl"
        )
    rows = [json.loads(line) for line in args.corpus.read_text(encoding="utf-8").splitlines()
            if line.strip()]  # fmt: skip
    detector = load_detector(args.vocab)
    started = time.perf_counter()
    result = evaluate(detector, rows)
    elapsed = time.perf_counter() - started
    print(f"corpus: {args.corpus} ({result['n']} texts, {elapsed * 1000:.0f} ms)")
    print(f"flag: TP {result['tp']}  FP {result['fp']}  FN {result['fn']}")
    print(f"{'metric':<32}{'value':>8}")
    for name, value in result.items():
        if isinstance(value, float):
            print(f"{name:<32}{value:>8.3f}")
    print("misclassified / wrong fields:" if result["wrong"] else "misclassified: none")
    for line in result["wrong"]:
        print(f"  {line}")
    if args.valuations:
        right = sum(line.split(": ", 1)[1].startswith("ok") for line in result["valuations"])
        print(f"valuation stated (label or output) on {len(result['valuations'])} true "
              f"positives, right on {right}:")  # fmt: skip
        for line in result["valuations"]:
            print(f"  {line}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
