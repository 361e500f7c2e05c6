"""Inserts the same numbered articles as its twin process, for the concurrency test.

Usage: python insert_worker.py DATABASE_URL COUNT START_FILE
Waits until START_FILE exists so both processes begin together.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

from fundwatch import records
from fundwatch.storage import create_db_engine, session_factory
from fundwatch.storage.articles import insert_article


def main() -> None:
    url, count, start_file = sys.argv[1], int(sys.argv[2]), Path(sys.argv[3])
    sessions = session_factory(create_db_engine(url))
    deadline = time.monotonic() + 30
    while not start_file.exists() and time.monotonic() < deadline:
        time.sleep(0.005)
    inserted = 0
    for number in range(count):
        with sessions.begin() as session:
            record = records.Article(
                url=f"https://news.example.com/{number}.html?utm_source=feed",
                source="race",
                title=f"第{number}篇 融资新闻",
                body="正文" * 50,
            )
            if insert_article(session, record) is not None:
                inserted += 1
    print(inserted)


if __name__ == "__main__":
    main()
