"""Generic article extraction on real publisher pages: fundwatch against trafilatura defaults.

    python bench/real_pages.py                      # unpacks ../shared/real-pages to a temp dir
    python bench/real_pages.py --pages /tmp/real    # an already unpacked archive
    python bench/real_pages.py --misses title       # list the pages whose title is wrong

The pages and their checked fields come from ../shared/real-pages/ (see its README); they are
read from there, never copied into the repository. Extraction and scoring are harness/
real_pages.py's (shared with tests/crawler/test_real_pages_gate.py, which pins floors under
fundwatch's figures): per page, fundwatch's result is what a crawl would store (generic
extraction, then the normalize step of the pipeline, the publication time parsed in the
publisher's zone). Prints, for both extractors:

- title exact %: the stored title equals the checked one (whitespace runs collapsed, NFC);
- published-minute-right %: same instant to the minute, over pages whose checked date states a
  time (day-right % is printed too, over every page with a checked date);
- body token F1: bag-of-tokens F1 of the body against the checked paragraphs (tokens are words,
  CJK characters one by one, after NFKC and case folding), mean over pages, x100.

Asserts nothing.
"""

from __future__ import annotations

import argparse
import sys
from contextlib import nullcontext
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from fundwatch.crawler.dates import parse_published
from harness.real_pages import (
    ARCHIVE,
    Extractor,
    Outcome,
    Page,
    Result,
    fundwatch_result,
    miss,
    pages,
    score,
    tally,
    unpacked,
)


def trafilatura_result(page: Page) -> Result:
    import trafilatura

    document = trafilatura.bare_extraction(page.html, url=page.url, with_metadata=True)
    if document is None:
        return Result("", "", None)
    data = document.as_dict() if hasattr(document, "as_dict") else dict(document)
    date = data.get("date")
    return Result(
        title=data.get("title") or "",
        body=data.get("text") or "",
        published=parse_published(date, page.zone) if date else None,
    )


EXTRACTORS: dict[str, Extractor] = {
    "fundwatch": fundwatch_result,
    "trafilatura": trafilatura_result,
}


MISSES = {"title": "title exact", "time": "minute right", "body": "body F1"}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pages", type=Path, help="unpacked archive (default: unpack to /tmp)")
    parser.add_argument("--only", choices=sorted(EXTRACTORS), help="run one extractor")
    parser.add_argument("--misses", choices=sorted(MISSES), help="list fundwatch misses")
    args = parser.parse_args()
    names = [args.only] if args.only else list(EXTRACTORS)
    outcomes: dict[str, list[Outcome]] = {name: [] for name in names}
    with nullcontext(args.pages) if args.pages else unpacked() as root:
        found = pages(root)
        for page in found:
            for name in names:
                outcome = score(page, EXTRACTORS[name](page))
                outcomes[name].append(outcome)
                line = miss(outcome, MISSES[args.misses]) if args.misses else None
                if line and name == "fundwatch":
                    print(line)
    print(f"{len(found)} pages from {args.pages or ARCHIVE}")
    header = ("extractor", "title exact", "minute right", "day right", "body F1")
    print(f"{header[0]:<12} {header[1]:>12} {header[2]:>13} {header[3]:>10} {header[4]:>8}")
    for name in names:
        figures = tally(outcomes[name])
        print(
            f"{name:<12} {figures.title_exact_pct:>11.1f}% {figures.minute_right_pct:>12.1f}% "
            f"{figures.day_right_pct:>9.1f}% {figures.body_f1:>8.1f}"
        )
    first = tally(outcomes[names[0]])
    print(
        f"(titles checked: {first.titles}, dates: {first.dates}, "
        f"stating a time: {first.stated}, bodies: {len(first.f1s)})"
    )


if __name__ == "__main__":
    main()
