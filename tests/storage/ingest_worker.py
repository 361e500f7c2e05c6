"""Ingests the same funding stories as its twin process, for the concurrency test.

Usage: python ingest_worker.py DATABASE_URL STORIES START_FILE forward|reverse|backward [BATCH]
Each story is told by two outlets: an original and a rewrite at another URL, both flagged with
the story's company key. Waits until START_FILE exists so both processes begin together, and
prints the JSON list of its ingest statuses. With BATCH > 1 it stores BATCH articles per
transaction (ingest_batch, as the crawl's writer does) instead of one.
"""

from __future__ import annotations

import json
import random
import sys
import time
from dataclasses import dataclass
from pathlib import Path

from fundwatch.records import Article, Detection
from fundwatch.storage import FundingEvent, create_db_engine, session_factory
from fundwatch.storage.ingest import ingest_article, ingest_batch, prepare


@dataclass
class Channel:
    name: str = "mail"
    send_updates: bool = True

    def accepts(self, event: FundingEvent) -> bool:
        return True


def story(number: int) -> tuple[str, str]:
    """An original text of random CJK characters and a rewrite with 5 % of them replaced."""
    rng = random.Random(number)
    original = "".join(chr(rng.randint(0x4E00, 0x9FA5)) for _ in range(400))
    rewrite = "".join(
        chr(rng.randint(0x4E00, 0x9FA5)) if rng.random() < 0.05 else ch for ch in original
    )
    return original, rewrite


def records(count: int) -> list[Article]:
    out = []
    for number in range(count):
        for outlet, text in zip(("a", "b"), story(number), strict=True):
            out.append(
                Article(
                    url=f"https://{outlet}.example.com/{number}.html?utm_source=feed",
                    source=f"outlet-{outlet}",
                    title=f"公司{number}完成融资",
                    body=text,
                    detection=Detection(
                        flag=True,
                        company=f"公司{number}",
                        company_key=f"company-{number}",
                        round="A",
                    ),
                )
            )
    return out


def main() -> None:
    url, count, start_file, order = sys.argv[1], int(sys.argv[2]), Path(sys.argv[3]), sys.argv[4]
    batch = int(sys.argv[5]) if len(sys.argv) > 5 else 1
    sessions = session_factory(create_db_engine(url))
    todo = records(count)
    if order == "reverse":  # b before a: the twin stores the other outlet at the same moment
        todo = [todo[i ^ 1] for i in range(len(todo))]
    elif order == "backward":  # the last story first: the twins meet in the middle
        todo = todo[::-1]
    deadline = time.monotonic() + 30
    while not start_file.exists() and time.monotonic() < deadline:
        time.sleep(0.005)
    statuses = []
    if batch > 1:
        for start in range(0, len(todo), batch):
            prepared = [prepare(record) for record in todo[start : start + batch]]
            with sessions.begin() as session:
                results = ingest_batch(session, prepared, alert_channels=[Channel()])
            statuses.extend(result.status for result in results)
    else:
        for record in todo:
            with sessions.begin() as session:
                statuses.append(ingest_article(session, record, alert_channels=[Channel()]).status)
    print(json.dumps(statuses))


if __name__ == "__main__":
    main()
