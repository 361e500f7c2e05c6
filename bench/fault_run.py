"""Randomized fault run: a site publishes for a few minutes while crawls meet random faults.

A news site on 127.0.0.1 (tests/support/news_site.py) publishes an article every 1-4 s. Crawls
of it (`fundwatch crawl`, real processes, on SQLite or PostgreSQL) run back to back; each round
draws one fault: none, a listing page 2 answering 500/503, an article answering 503, the crawl
child killed with SIGKILL mid-walk, the hard deadline (CrawlRunner: SIGTERM, then SIGKILL), or
an alert channels file referencing an unset variable (the article writer cannot start). When
the time is up, publishing stops and at most two clean crawls run. Prints, per fault (an article
counts under the fault of the round it was published in): published / stored / lost /
duplicated, and the alerts per funding round.

    python bench/fault_run.py [--minutes 4] [--database-url URL | --postgres [URL]] [--seed 1]
        [--max-pages 10]
"""

from __future__ import annotations

import argparse
import os
import random
import signal
import sys
import tempfile
import threading
import time
from collections import Counter, defaultdict
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from fundwatch.scheduler.runner import CrawlRunner  # noqa: E402
from fundwatch.storage import create_db_engine, session_factory  # noqa: E402
from harness.fault_world import Harness  # noqa: E402
from harness.news_site import NewsSite  # noqa: E402

FAULTS = ("none", "listing_5xx", "article_5xx", "kill_child", "deadline", "writer_down")


def publisher(
    site: NewsSite,
    stop: threading.Event,
    rng: random.Random,
    round_of: list[str],
    published_in: dict[int, str],
) -> None:
    while not stop.is_set():
        for article_id in site.publish(1):
            published_in[article_id] = round_of[0]
        stop.wait(rng.uniform(1.0, 4.0))


def one_round(harness: Harness, fault: str, rng: random.Random, runner: CrawlRunner) -> str:
    site = harness.site
    if fault == "listing_5xx":
        site.fail(r"^/news/page/2/$", rng.choice((500, 503)), times=2)
    elif fault == "article_5xx":  # one not stored yet (a stored one is not requested again)
        stored = harness.stored()
        fresh = [i for i in site.ids if f"{site.base}/a/{i}.html" not in stored]
        newest = max(site.ids)
        target = rng.choice(fresh) if fresh else newest
        site.fail(rf"^/a/{target}\.html$", 503, times=2)
    elif fault == "writer_down":
        harness.write_alerts("FW_BENCH_UNSET_VARIABLE")
    if fault == "kill_child":
        site.slow(r"^/news/page/2/$", 600)
        before = site.hits(r"^/news/page/2/$")
        crawl = harness.start_crawl()
        end = time.monotonic() + 180
        while site.hits(r"^/news/page/2/$") == before and time.monotonic() < end:
            if crawl.poll() is not None:  # it stopped at page 1 (nothing unseen there)
                break
            time.sleep(0.1)
        time.sleep(rng.uniform(0, 1.0))
        os.killpg(crawl.pid, signal.SIGKILL)
        crawl.wait(30)
        status = "killed -9"
    elif fault == "deadline":
        # every try of page 2 hangs: one slow answer ends at DOWNLOAD_TIMEOUT (30 s) and its
        # retry succeeds, so the run would finish `ok` before the 60 s deadline
        site.slow(r"^/news/page/2/$", 600, times=10)
        status = runner.run("news", deadline=60.0).status
    else:
        harness.crawl(timeout=600)
        status = harness.runs()[-1].status
    site.clear_faults()
    harness.write_alerts()
    return status


def compact(ids: list[int]) -> str:
    """[3, 4, 5, 9] -> '3-5,9'."""
    spans: list[list[int]] = []
    for i in sorted(ids):
        if spans and i == spans[-1][1] + 1:
            spans[-1][1] = i
        else:
            spans.append([i, i])
    return ",".join(f"{a}-{b}" if a != b else str(a) for a, b in spans) or "-"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--minutes", type=float, default=4.0)
    parser.add_argument("--database-url", default=None, help="an empty database (default SQLite)")
    parser.add_argument(
        "--postgres",
        nargs="?",
        const="postgresql+psycopg://postgres@127.0.0.1:5432/fault_run",
        default=None,
        metavar="URL",
        help="a fresh database <name>_<pid> on this PostgreSQL server (created here)",
    )
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument(
        "--max-pages",
        type=int,
        default=10,
        help="the source's listing.max_pages (5 articles a page); articles pushed deeper "
        "than the walk reaches between two crawls are out of reach",
    )
    args = parser.parse_args()
    rng = random.Random(args.seed)
    with tempfile.TemporaryDirectory(prefix="fundwatch-fault-run-") as folder, NewsSite() as site:
        root = Path(folder)
        url = args.database_url or f"sqlite:///{root / 'fundwatch.db'}"
        if args.postgres:
            from bench.latency import fresh_database

            url = fresh_database(args.postgres, root, "faults")
        harness = Harness(site, root, url)
        harness.write_alerts()
        harness.write_catalog(site.entry(max_pages=args.max_pages))
        engine = create_db_engine(url)
        command = [*harness.crawl_command("{source}"), "--run-id", "{run_id}"]
        runner = CrawlRunner(session_factory(engine), command=command, env=harness.env(), cwd=REPO)
        runner._kill_grace = 3.0
        site.publish(12)
        round_of = ["none"]
        published_in: dict[int, str] = dict.fromkeys(site.ids, "none")
        stop = threading.Event()
        thread = threading.Thread(
            target=publisher, args=(site, stop, rng, round_of, published_in), daemon=True
        )
        thread.start()
        end = time.monotonic() + args.minutes * 60
        rounds: list[tuple[str, str]] = []
        while time.monotonic() < end:
            fault = rng.choice(FAULTS)
            round_of[0] = fault
            began = time.monotonic()
            rounds.append((fault, one_round(harness, fault, rng, runner)))
            print(
                f"round {len(rounds)}: {fault:12} -> {rounds[-1][1]:10} "
                f"{time.monotonic() - began:5.1f} s, load {os.getloadavg()[0]:.1f}",
                flush=True,
            )
        stop.set()
        thread.join()
        round_of[0] = "none"
        recovery = 0
        for _ in range(2):
            if not harness.missing():
                break
            harness.crawl(timeout=600)
            recovery += 1
        engine.dispose()

        stored = harness.stored()
        by_id = {f"{site.base}/a/{i}.html": i for i in site.ids}
        per_fault: dict[str, Counter[str]] = defaultdict(Counter)
        for url_, article_id in by_id.items():
            figures = per_fault[published_in.get(article_id, "none")]
            figures["published"] += 1
            figures["stored"] += 1 if stored[url_] else 0
            figures["lost"] += 0 if stored[url_] else 1
            figures["duplicated"] += 1 if stored[url_] > 1 else 0
        alerts = harness.alerts_per_event()
        print(
            f"\n{len(rounds)} rounds in {args.minutes:g} min on {url.split(':', 1)[0]}, "
            f"{recovery} recovery crawl(s) after the faults stopped"
        )
        print(
            f"{'fault':12} {'rounds':>6} {'published':>9} {'stored':>6} {'lost':>4} "
            f"{'duplicated':>10}"
        )
        count_rounds = Counter(fault for fault, _ in rounds)
        total: Counter[str] = Counter()
        for fault in FAULTS:
            figures = per_fault.get(fault, Counter())
            total.update(figures)
            print(
                f"{fault:12} {count_rounds[fault]:>6} {figures['published']:>9} "
                f"{figures['stored']:>6} {figures['lost']:>4} {figures['duplicated']:>10}"
            )
        print(
            f"{'total':12} {len(rounds):>6} {total['published']:>9} {total['stored']:>6} "
            f"{total['lost']:>4} {total['duplicated']:>10}"
        )
        print(
            f"alerts per funding round: {dict(Counter(alerts.values()))} "
            f"({len(alerts)} rounds with alerts, {len(harness.flagged_events())} events)"
        )
        lost = [i for u, i in by_id.items() if not stored[u]]
        never = [i for i in lost if site.hits(rf"^/a/{i}\.html$") == 0]
        print(
            f"lost articles never requested: {len(never)} of {len(lost)} (published faster "
            f"than the walk of {args.max_pages} listing pages reaches between two crawls "
            f"that store); ids {compact(never)}"
        )
        leftover = [e for e in harness.frontier() if e.state == "pending"]
        print(f"frontier pending at the end: {len(leftover)}")
        time.sleep(1.0)  # an article writer notices its crawl's end within 0.5 s
        orphans = harness.processes_left()
        print(f"processes left behind (crawls, article writers): {len(orphans)} {orphans}")
        return 0 if total["lost"] == 0 and total["duplicated"] == 0 and not orphans else 1


if __name__ == "__main__":
    raise SystemExit(main())
