"""The dashboard at scale: 100,000 articles and 5,000 funding events; p50/p95 per page.

    python bench/web.py                          # SQLite (temporary file) and PostgreSQL
    python bench/web.py --only sqlite --articles 20000 --events 1000 --requests 50
    FUNDWATCH_BENCH_POSTGRES_URL=postgresql+psycopg://postgres@127.0.0.1/test python bench/web.py

`fundwatch serve` runs in a child process on 127.0.0.1; this process is the only client and
sends one request at a time. Beside each wall-time figure it prints the server's CPU seconds for
those requests and the machine's load average (the machine is shared: read p95 with the load).
PostgreSQL gets a fresh database that is dropped afterwards. Prints figures; asserts nothing.
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path

import httpx
from sqlalchemy import create_engine, insert, text
from sqlalchemy.engine import make_url

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from fundwatch.storage import Article, FundingEvent, create_db_engine
from fundwatch.web.server import free_port

POSTGRES_URL = os.environ.get(
    "FUNDWATCH_BENCH_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test"
)
CHUNK = 5_000
ROUNDS = ("angel", "seed", "pre-A", "A", "A+", "B", "B+", "C", "D", "strategic")
CURRENCIES = (("USD", 1.0), ("CNY", 0.1375), ("HKD", 0.128), ("EUR", 1.08))
SYLLABLES = [
    "lu",
    "mo",
    "ra",
    "vi",
    "da",
    "zen",
    "ka",
    "shu",
    "ying",
    "fra",
    "me",
    "reel",
    "smi",
    "th",
    "ava",
    "loop",
    "qi",
    "xing",
    "yun",
]
HANZI = "数影智能帧跃科技剧场说视频生成云杉北辰光年星河远澜青岚启航维港创投资本基金"
SOURCES = [f"source_{i:02d}" for i in range(40)]


def company(rng: random.Random, n: int) -> str:
    if n % 2:
        return "".join(rng.choice(HANZI) for _ in range(rng.randint(2, 4))) + f"{n}"
    return "".join(rng.choice(SYLLABLES) for _ in range(rng.randint(2, 3))).title() + f"{n}"


def fill(url: str, articles: int, events: int, seed: int = 11) -> None:
    rng = random.Random(seed)
    engine = create_db_engine(url)
    now = datetime.now(UTC)
    investors = [company(rng, 10_000 + i) + (" Capital" if i % 2 else "资本") for i in range(400)]
    event_rows = []
    for n in range(events):
        currency, rate = rng.choice(CURRENCIES)
        amount = rng.choice((1, 2, 3, 5, 8, 10, 12, 20, 30, 50, 80, 100, 200)) * 1e6
        names = rng.sample(investors, rng.randint(1, 4))
        first = now - timedelta(minutes=rng.randint(0, 365 * 24 * 60))
        event_rows.append(
            {
                "company_key": f"company-{n}",
                "company": company(rng, n),
                "round": rng.choice(ROUNDS),
                "amount": amount,
                "currency": currency,
                "amount_usd": amount * rate,
                "amount_approximate": rng.random() < 0.1,
                "valuation_usd": None,
                "investors": names,
                "lead_investors": names[:1],
                "investor_keys": {},
                "sources": [],
                "article_count": 0,
                "revision": 0,
                "first_seen_at": first,
                "last_seen_at": first,
            }
        )
    with engine.begin() as connection:
        for start in range(0, len(event_rows), CHUNK):
            connection.execute(insert(FundingEvent), event_rows[start : start + CHUNK])
        ids = [row[0] for row in connection.execute(text("SELECT id, company FROM funding_events"))]
        names_by_id = dict(connection.execute(text("SELECT id, company FROM funding_events")).all())
    linked = min(articles, events * 3)
    batch = []
    with engine.begin() as connection:
        for n in range(articles):
            event_id = ids[n % len(ids)] if n < linked else None
            name = names_by_id[event_id] if event_id else company(rng, 50_000 + n)
            zh = rng.random() < 0.6
            title = (
                f"{name}完成{rng.randint(1, 99)}00万元{rng.choice(ROUNDS)}轮融资,发力AI视频"
                if zh
                else f"{name} raises ${rng.randint(1, 99)} million for AI video tools"
            )
            batch.append(
                {
                    "url_key": uuid.UUID(int=rng.getrandbits(128)).hex,
                    "url": f"https://news{n % 40}.example/{n}.html",
                    "source": rng.choice(SOURCES),
                    "title": title,
                    "body": title * 8,
                    "language": "zh" if zh else "en",
                    "fetched_at": now - timedelta(minutes=rng.randint(0, 365 * 24 * 60)),
                    "flag": event_id is not None,
                    "is_funding": event_id is not None or rng.random() < 0.1,
                    "is_ai_video": event_id is not None or rng.random() < 0.3,
                    "score": rng.random(),
                    "company": name if event_id else None,
                    "investors": [],
                    "lead_investors": [],
                    "matched": ["funding:融资", "ai_video:AI视频"] if event_id else [],
                    "event_id": event_id,
                    "amount_approximate": False,
                }
            )
            if len(batch) == CHUNK:
                connection.execute(insert(Article), batch)
                batch = []
        if batch:
            connection.execute(insert(Article), batch)
        connection.execute(text("ANALYZE"))
    engine.dispose()


def cpu_seconds(pid: int) -> float:
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def measure(
    http: httpx.Client, pid: int, label: str, paths: Callable[[int], str], requests: int
) -> None:
    for i in range(3):
        http.get(paths(i)).raise_for_status()
    load_before = os.getloadavg()[0]
    cpu_before = cpu_seconds(pid)
    times = []
    started = time.perf_counter()
    for i in range(requests):
        t0 = time.perf_counter()
        response = http.get(paths(i))
        times.append((time.perf_counter() - t0) * 1000)
        response.raise_for_status()
    wall = time.perf_counter() - started
    cpu = cpu_seconds(pid) - cpu_before
    times.sort()
    p95 = times[min(len(times) - 1, int(len(times) * 0.95))]
    print(
        f"  {label:<34} p50 {statistics.median(times):6.1f} ms  p95 {p95:6.1f} ms  "
        f"max {times[-1]:6.1f} ms | {requests} req: wall {wall:5.2f} s, server CPU {cpu:5.2f} s, "
        f"load {load_before:.2f}->{os.getloadavg()[0]:.2f}"
    )


def bench(url: str, requests: int) -> None:
    port = free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith("FUNDWATCH_WEB_")}
    server = subprocess.Popen(
        [sys.executable, "-m", "fundwatch", "serve", "--port", str(port), "--database-url", url],
        env=env,
        stdout=subprocess.DEVNULL,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        with httpx.Client(base_url=base, trust_env=False, timeout=60) as http:
            for _ in range(200):
                try:
                    http.get("/healthz")
                    break
                except httpx.TransportError:
                    time.sleep(0.1)
            api = http.get("/api/events", params={"limit": 200}).json()["items"]
            ids = [item["id"] for item in api]
            names = [item["company"] for item in api]
            cursors = [None]
            for _ in range(40):
                cursors.append(
                    http.get("/api/events", params={"after": cursors[-1] or ""}).json()["next"]
                )
            rng = random.Random(3)
            measure(http, server.pid, "events, first page", lambda i: "/", requests)
            measure(
                http, server.pid, "events, pages 2-41 (keyset)",
                lambda i: f"/?after={cursors[1 + i % 40]}", requests,
            )  # fmt: skip
            measure(
                http, server.pid, "events, filtered (zh, >= $10M)",
                lambda i: "/?lang=zh&min_usd=10m", requests,
            )  # fmt: skip
            measure(
                http, server.pid, "event page", lambda i: f"/events/{ids[i % len(ids)]}", requests
            )
            measure(
                http, server.pid, "search events by company",
                lambda i: f"/?q={names[rng.randrange(len(names))][:5]}", requests,
            )  # fmt: skip
            measure(
                http,
                server.pid,
                "search events by investor",
                lambda i: "/?investor=Capital",
                requests,
            )
            measure(http, server.pid, "stories, first page", lambda i: "/stories", requests)
            measure(
                http, server.pid, "stories, search titles",
                lambda i: f"/stories?q={names[i % len(names)][:4]}", requests,
            )  # fmt: skip
            measure(http, server.pid, "API /api/events (50)", lambda i: "/api/events", requests)
            measure(
                http, server.pid, "API /api/events/{id}",
                lambda i: f"/api/events/{ids[i % len(ids)]}", requests,
            )  # fmt: skip
            measure(
                http, server.pid, "Atom feed (50 newest)", lambda i: "/feeds/events.atom", requests
            )
            t0 = time.perf_counter()
            size = len(http.get("/events.csv").content)
            print(
                f"  CSV export of every event: {time.perf_counter() - t0:.2f} s, "
                f"{size / 1e6:.1f} MB"
            )
    finally:
        server.terminate()
        server.wait(timeout=30)


def run(label: str, url: str, args: argparse.Namespace) -> None:
    t0 = time.perf_counter()
    fill(url, args.articles, args.events)
    print(
        f"{label}: filled {args.articles} articles, {args.events} events "
        f"in {time.perf_counter() - t0:.0f} s"
    )
    bench(url, args.requests)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=100_000)
    parser.add_argument("--events", type=int, default=5_000)
    parser.add_argument("--requests", type=int, default=100, help="per measured page")
    parser.add_argument("--only", choices=("sqlite", "postgres"))
    args = parser.parse_args()
    print(f"{os.cpu_count()} CPUs, load {os.getloadavg()[0]:.2f} at start")
    if args.only != "postgres":
        with tempfile.TemporaryDirectory() as tmp:
            run("SQLite", f"sqlite:///{tmp}/bench.db", args)
    if args.only != "sqlite":
        name = f"fw_bench_{uuid.uuid4().hex[:8]}"
        admin = create_engine(POSTGRES_URL, isolation_level="AUTOCOMMIT")
        with admin.connect() as connection:
            connection.execute(text(f'CREATE DATABASE "{name}"'))
        try:
            url = make_url(POSTGRES_URL).set(database=name).render_as_string(hide_password=False)
            run("PostgreSQL", url, args)
        finally:
            with admin.connect() as connection:
                connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
            admin.dispose()


if __name__ == "__main__":
    main()
