"""Near-duplicate lookup with many stored articles: time per new article and memory.

    python bench/dedup.py                       # 100,000 articles in a temporary SQLite file
    python bench/dedup.py --database-url postgresql+psycopg://postgres@127.0.0.1/bench
    python bench/dedup.py --articles 20000 --queries 200

Stored texts are synthetic Chinese news: words drawn with Zipf frequencies from a generated
vocabulary, so common words (and so common shingles) are shared across articles as in real news.
Queries are rewrites of stored articles (a share of the words swapped, a header and footer added)
which must be found, and fresh articles which must not. Prints the figures; asserts nothing.
The PostgreSQL database must exist and be empty (its tables are created on first use).
"""

from __future__ import annotations

import argparse
import os
import random
import resource
import statistics
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from sqlalchemy import func, insert, select

from fundwatch.storage import Article, create_db_engine, session_factory
from fundwatch.storage.canonical import url_key
from fundwatch.storage.dedup import DedupSettings, find_duplicate
from fundwatch.storage.fingerprints import fingerprint

VOCABULARY = 20_000
WORDS_PER_ARTICLE = 180  # about 350 characters
CHUNK = 5_000


class Corpus:
    def __init__(self, seed: int = 7) -> None:
        rng = random.Random(seed)
        self.words = [
            "".join(chr(rng.randint(0x4E00, 0x9FA5)) for _ in range(rng.choice((1, 2, 2, 2, 3))))
            for _ in range(VOCABULARY)
        ]
        # Zipf-Mandelbrot (s = 1, q = 10): a few very common words, a long tail of rare ones
        self.weights = [1 / (rank + 10) for rank in range(VOCABULARY)]

    def article(self, number: int) -> str:
        rng = random.Random(number)
        return "".join(rng.choices(self.words, self.weights, k=WORDS_PER_ARTICLE))

    def rewrite(self, number: int, share: float, rng: random.Random) -> str:
        words = random.Random(number).choices(self.words, self.weights, k=WORDS_PER_ARTICLE)
        for i in range(len(words)):
            if rng.random() < share:
                words[i] = rng.choices(self.words, self.weights)[0]
        return "首页 > 创投 > 快讯\n" + "".join(words) + "\n欢迎分享，转载请注明出处。"


def fill(sessions, corpus: Corpus, count: int) -> float:  # type: ignore[no-untyped-def]
    started = time.perf_counter()
    batch: list[dict] = []
    for number in range(count):
        body = corpus.article(number)
        url = f"https://bench.example.com/{number}.html"
        batch.append(
            {
                "url_key": url_key(url),
                "url": url,
                "source": f"bench{number % 20}",
                "title": f"第{number}篇",
                "body": body[:40],  # the sketch is what matters; keep the database small
                **fingerprint(f"第{number}篇", body).columns(),
            }
        )
        if len(batch) == CHUNK or number == count - 1:
            with sessions.begin() as session:
                session.execute(insert(Article), batch)
            batch = []
            print(f"\r  stored {number + 1:,} articles", end="", file=sys.stderr)
    print(file=sys.stderr)
    return time.perf_counter() - started


def run_queries(  # type: ignore[no-untyped-def]
    session, corpus: Corpus, stored: int, queries: int, share: float
) -> tuple[list[float], list[float], int, int]:
    """First half: rewrites of stored articles; second half: fresh articles."""
    rng = random.Random(99)
    settings = DedupSettings()
    sketch_ms: list[float] = []
    lookup_ms: list[float] = []
    found = false_hits = 0
    for i in range(queries):
        rewrite = i < queries // 2
        number = rng.randrange(stored) if rewrite else stored + 1_000_000 + i
        text = corpus.rewrite(number, share, rng) if rewrite else corpus.article(number)
        t0 = time.perf_counter()
        print_ = fingerprint("标题", text)
        t1 = time.perf_counter()
        match = find_duplicate(session, print_, settings)
        t2 = time.perf_counter()
        sketch_ms.append((t1 - t0) * 1000)
        lookup_ms.append((t2 - t1) * 1000)
        if rewrite and match is not None and match.original_id == number + 1:
            found += 1
        if not rewrite and match is not None:
            false_hits += 1
    return sketch_ms, lookup_ms, found, false_hits


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url", help="default: a temporary SQLite file")
    parser.add_argument("--articles", type=int, default=100_000)
    parser.add_argument("--queries", type=int, default=500, help="half rewrites, half fresh")
    parser.add_argument("--rewrite-share", type=float, default=0.08, help="share of words swapped")
    args = parser.parse_args()

    folder = tempfile.TemporaryDirectory()
    url = args.database_url or f"sqlite:///{Path(folder.name) / 'bench.db'}"
    engine = create_db_engine(url)
    sessions = session_factory(engine)
    corpus = Corpus()
    with sessions() as session:
        stored = session.scalar(select(func.count()).select_from(Article)) or 0
    if stored == 0:
        seconds = fill(sessions, corpus, args.articles)
        print(f"filled {args.articles:,} articles in {seconds:.1f} s")
        # as autovacuum would after a bulk load (PostgreSQL index-only scans need it)
        analyze = "VACUUM ANALYZE articles" if engine.dialect.name == "postgresql" else "ANALYZE"
        with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
            connection.exec_driver_sql(analyze)
        stored = args.articles
    elif stored != args.articles:
        sys.exit(f"{url} holds {stored:,} articles, not {args.articles:,}: use an empty database")

    half = args.queries // 2
    with sessions() as session:
        sketch_ms, lookup_ms, found, false_hits = run_queries(
            session, corpus, stored, args.queries, args.rewrite_share
        )
        tracemalloc.start()  # a second, shorter pass: tracemalloc slows every allocation
        run_queries(session, corpus, stored, min(50, args.queries), args.rewrite_share)
        _, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
    rss_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024

    print(f"database: {engine.dialect.name}, {stored:,} stored articles")
    print(
        f"near-duplicate lookup per article (indexed LSH bands + SimHash check): "
        f"median {statistics.median(lookup_ms):.3f} ms, p95 {percentile(lookup_ms, 0.95):.3f} ms, "
        f"max {max(lookup_ms):.3f} ms"
    )
    print(
        f"fingerprint per article (~{len(corpus.article(0))} chars): "
        f"median {statistics.median(sketch_ms):.3f} ms, p95 {percentile(sketch_ms, 0.95):.3f} ms"
    )
    print(f"rewrites found: {found}/{half} (share of words swapped: {args.rewrite_share:.0%})")
    print(f"fresh articles wrongly matched: {false_hits}/{args.queries - half}")
    print(
        f"memory: tracemalloc peak during lookups {peak / 1024:.0f} KiB, max RSS {rss_mb:.0f} MiB"
    )
    if engine.dialect.name == "sqlite":
        database = engine.url.database or ""
        size = sum(
            os.path.getsize(path) for path in (database, database + "-wal") if os.path.exists(path)
        )
        print(f"SQLite file (with its WAL): {size / 1e6:.1f} MB")
    engine.dispose()
    folder.cleanup()


if __name__ == "__main__":
    main()
