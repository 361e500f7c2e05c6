"""Generic article extraction on real publisher pages: fundwatch against trafilatura defaults.

    python bench/real_pages.py                      # unpacks ../shared/real-pages to a temp dir
    python bench/real_pages.py --pages /tmp/real    # an already unpacked archive
    python bench/real_pages.py --misses title       # list the pages whose title is wrong

The pages and their checked fields come from ../shared/real-pages/ (see its README); they are
read from there, never copied into the repository. Per page, fundwatch's result is what a crawl
would store (generic extraction, then the normalize step of the pipeline, the publication time
parsed in the publisher's zone). Prints, for both extractors:

- title exact %: the stored title equals the checked one (whitespace runs collapsed, NFC);
- published-minute-right %: same instant to the minute, over pages whose checked date states a
  time (day-right % is printed too, over every page with a checked date);
- body token F1: bag-of-tokens F1 of the body against the checked paragraphs (tokens are words,
  CJK characters one by one, after NFKC and case folding), mean over pages, x100.

Asserts nothing.
"""

from __future__ import annotations

import argparse
import json
import re
import subprocess
import sys
import tempfile
import unicodedata
from collections import Counter
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

ARCHIVE = Path(__file__).resolve().parents[2] / "shared" / "real-pages" / "real_html.tar.xz"
_CJK = "\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uac00-\ud7af"
_TOKENS = re.compile(rf"[{_CJK}]|[^\W_{_CJK}]+")


@dataclass
class Result:
    title: str
    body: str
    published: datetime | None


def tokens(text: str) -> Counter[str]:
    return Counter(_TOKENS.findall(unicodedata.normalize("NFKC", text).casefold()))


def token_f1(found: str, expected: str) -> float:
    got, want = tokens(found), tokens(expected)
    common = sum((got & want).values())
    if not common:
        return 1.0 if not got and not want else 0.0
    precision, recall = common / sum(got.values()), common / sum(want.values())
    return 2 * precision * recall / (precision + recall)


def same_title(found: str, expected: str) -> bool:
    def tidy(text: str) -> str:
        return " ".join(unicodedata.normalize("NFC", text).split())

    return tidy(found) == tidy(expected)


def expected_time(text: str | None, zone: str) -> tuple[datetime | None, bool]:
    """The checked publication time in UTC, and whether it states a time of day."""
    if not text:
        return None, False
    parsed = datetime.fromisoformat(text)
    stated = parsed.tzinfo is not None or (parsed.hour, parsed.minute) != (0, 0)
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=ZoneInfo(zone))
    return parsed.astimezone(UTC), stated


def fundwatch_result(html: str, url: str, zone: str) -> Result:
    from fundwatch.crawler.dates import parse_published
    from fundwatch.crawler.extraction import extract_generic
    from fundwatch.crawler.textnorm import normalize_block, normalize_inline

    extracted = extract_generic(html, url)
    published = extracted.published
    return Result(
        title=normalize_inline(extracted.title),
        body=normalize_block(extracted.body),
        published=parse_published(published, zone) if published else None,
    )


def trafilatura_result(html: str, url: str, zone: str) -> Result:
    import trafilatura

    from fundwatch.crawler.dates import parse_published

    document = trafilatura.bare_extraction(html, url=url, with_metadata=True)
    if document is None:
        return Result("", "", None)
    data = document.as_dict() if hasattr(document, "as_dict") else dict(document)
    date = data.get("date")
    return Result(
        title=data.get("title") or "",
        body=data.get("text") or "",
        published=parse_published(date, zone) if date else None,
    )


EXTRACTORS = {"fundwatch": fundwatch_result, "trafilatura": trafilatura_result}


def unpack(pages: Path | None) -> Path:
    if pages is not None:
        return pages
    target = Path(tempfile.mkdtemp(prefix="real-pages-"))
    subprocess.run(["tar", "-xJf", str(ARCHIVE), "-C", str(target)], check=True)
    return target


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pages", type=Path, help="unpacked archive (default: unpack to /tmp)")
    parser.add_argument("--only", choices=sorted(EXTRACTORS), help="run one extractor")
    parser.add_argument("--misses", choices=["title", "time", "body"], help="list fundwatch misses")
    args = parser.parse_args()
    root = unpack(args.pages)
    rows = [json.loads(line) for line in (root / "manifest.jsonl").read_text().splitlines()]
    names = [args.only] if args.only else list(EXTRACTORS)
    totals = {name: Counter() for name in names}
    f1s: dict[str, list[float]] = {name: [] for name in names}
    for row in rows:
        html = (root / row["file"]).read_text(encoding="utf-8")
        expected = row["expected"]
        want_time, stated = expected_time(expected.get("publishing_date"), row["tz"])
        for name in names:
            got = EXTRACTORS[name](html, row["orig_url"], row["tz"])
            count = totals[name]
            if expected.get("title"):
                count["titles"] += 1
                right = same_title(got.title, expected["title"])
                count["title_right"] += right
                if not right and args.misses == "title" and name == "fundwatch":
                    print(f"{row['id']}: {got.title!r} != {expected['title']!r}")
            if want_time is not None:
                count["dates"] += 1
                got_utc = got.published
                count["day_right"] += bool(
                    got_utc
                    and got_utc.astimezone(ZoneInfo(row["tz"])).date()
                    == want_time.astimezone(ZoneInfo(row["tz"])).date()
                )
                if stated:
                    count["stated"] += 1
                    right = bool(
                        got_utc
                        and got_utc.replace(second=0, microsecond=0)
                        == want_time.replace(second=0, microsecond=0)
                    )
                    count["minute_right"] += right
                    if not right and args.misses == "time" and name == "fundwatch":
                        print(f"{row['id']}: {got_utc} != {want_time}")
            if expected.get("body"):
                f1 = token_f1(got.body, expected["body"])
                f1s[name].append(f1)
                if f1 < 0.9 and args.misses == "body" and name == "fundwatch":
                    print(f"{row['id']}: body F1 {100 * f1:.1f}")
    print(f"{len(rows)} pages from {root}")
    header = ("extractor", "title exact", "minute right", "day right", "body F1")
    print(f"{header[0]:<12} {header[1]:>12} {header[2]:>13} {header[3]:>10} {header[4]:>8}")
    for name in names:
        count = totals[name]
        f1 = 100 * sum(f1s[name]) / max(1, len(f1s[name]))
        print(
            f"{name:<12} {100 * count['title_right'] / max(1, count['titles']):>11.1f}% "
            f"{100 * count['minute_right'] / max(1, count['stated']):>12.1f}% "
            f"{100 * count['day_right'] / max(1, count['dates']):>9.1f}% {f1:>8.1f}"
        )
    first = totals[names[0]]
    print(
        f"(titles checked: {first['titles']}, dates: {first['dates']}, "
        f"stating a time: {first['stated']}, bodies: {len(f1s[names[0]])})"
    )


if __name__ == "__main__":
    main()
