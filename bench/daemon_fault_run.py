"""Randomized daemon fault run: a real `fundwatch daemon` watches a publishing site and delivers
to a real webhook receiver while the daemon is killed and the receiver fails.

The news site on 127.0.0.1 (harness/news_site.py) publishes an article (each its own funding
round) every 1-4 s. `fundwatch daemon` crawls it every 15 s and relays alerts to a webhook
receiver in this process (retry after 1 s, 2 s, ... at most 5 s). Every round (10-20 s) draws
one fault: none, listing page 2 answering 500/503, an article answering 503, the daemon killed
with SIGKILL (restarted 1-5 s later; its crawl child lives on as an orphan), the receiver
answering 500/502/503, hanging past the channel's deadline, or closed (connection refused), or
the daemon SIGKILLed while the receiver holds a delivery (sent, not recorded), or the crawl
process alone SIGKILLed mid-walk (the OOM killer; its article writer must not outlive it). When
the time is up, the faults stop, and the daemon runs until every article is stored and every
alert sent; no process of the run may be left.

Prints per fault (an article counts under the fault of the round it was published in):
published / stored / lost / duplicated; and per funding round: alerts lost (never received),
rounds sent under two message ids (a duplicate the receiver cannot recognise), and requests
repeating an id already received (at-least-once: the receiver drops them by `webhook-id`).

    python bench/daemon_fault_run.py [--minutes 4] [--postgres [URL]] [--seed 1] [--max-pages 10]
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import random
import signal
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter, defaultdict
from collections.abc import Callable
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import IO, Any

import yaml
from sqlalchemy import select

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from fundwatch.storage.models import AlertOutbox, CrawlRun  # noqa: E402
from harness.alert_receivers import free_port  # noqa: E402
from harness.fault_world import SECRET_VARIABLE, Harness  # noqa: E402
from harness.news_site import NewsSite  # noqa: E402

FAULTS = (
    "none",
    "listing_5xx",
    "article_5xx",
    "kill_daemon",
    "kill_crawl",
    "hook_5xx",
    "hook_timeout",
    "hook_down",
    "kill_mid_send",
)
HOOK_DEADLINE = 3.0  # the channel's total deadline per attempt


class Hook:
    """The webhook receiver: `mode` is ok, error (5xx), slow (answers after the deadline),
    hold (keeps the request until released) or down (the port is closed)."""

    def __init__(self, rng: random.Random) -> None:
        self.port = free_port()
        self.rng = rng
        self.mode = "ok"
        # (webhook-id, event id, status, mode when the request came)
        self.requests: list[tuple[str, int | None, int, str]] = []
        self.held = threading.Event()
        self.release = threading.Event()
        self._lock = threading.Lock()
        self._server: ThreadingHTTPServer | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}/hook"

    def start(self) -> None:
        hook = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args: Any) -> None:
                pass

            def do_POST(self) -> None:
                body = self.rfile.read(int(self.headers.get("content-length") or 0))
                mode = hook.mode
                status = hook.rng.choice((500, 502, 503)) if mode == "error" else 200
                try:
                    event_id = json.loads(body)["data"]["event_id"]
                except (ValueError, KeyError, TypeError):
                    event_id = None
                with hook._lock:
                    message_id = self.headers.get("webhook-id", "")
                    hook.requests.append((message_id, event_id, status, mode))
                if mode == "slow":
                    time.sleep(HOOK_DEADLINE + 1.0)
                elif mode == "hold":
                    hook.held.set()
                    hook.release.wait(60)
                try:
                    self.send_response(status)
                    self.send_header("content-length", "2")
                    self.end_headers()
                    self.wfile.write(b"ok")
                except OSError:
                    pass

        server = ThreadingHTTPServer(("127.0.0.1", self.port), Handler)
        server.daemon_threads = True
        self._server = server
        threading.Thread(
            target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
        ).start()

    def stop(self) -> None:
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
            self._server = None


class Daemon:
    """`fundwatch daemon` as a child process; its log lines go to one file across restarts."""

    def __init__(self, harness: Harness, log: IO[str]) -> None:
        command = " ".join([*harness.crawl_command("{source}"), "--run-id", "{run_id}"])
        self.args = [
            sys.executable, "-m", "fundwatch", "daemon", "--crawl-command", command,
            "--stagger", "0.2", "--kill-grace", "2", "--shutdown-grace", "20",
        ]  # fmt: skip
        self.env = harness.env(FUNDWATCH_CRAWL_DEADLINE="90", FUNDWATCH_LOG_LEVEL="INFO")
        self.log = log
        self.process: subprocess.Popen[bytes] | None = None
        self.kills = 0

    def start(self) -> None:
        self.process = subprocess.Popen(
            self.args, env=self.env, cwd=REPO, stdout=subprocess.DEVNULL, stderr=self.log
        )

    def kill(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.kill()
            self.process.wait(30)
            self.kills += 1

    def stop(self) -> int | None:
        if self.process is None:
            return None
        self.process.terminate()
        return self.process.wait(120)


def publisher(
    site: NewsSite, stop: threading.Event, rng: random.Random, now: list[str], at: dict[int, str]
) -> None:
    while not stop.is_set():
        for article_id in site.publish(1):
            at[article_id] = now[0]
        stop.wait(rng.uniform(1.0, 4.0))


def wait_until(condition: Callable[[], bool], limit: float) -> bool:
    end = time.monotonic() + limit
    while time.monotonic() < end:
        if condition():
            return True
        time.sleep(0.2)
    return condition()


def running_crawl(harness: Harness) -> int | None:
    """The pid of the daemon's crawl child now running, if any."""
    rows = harness._query(select(CrawlRun.pid).where(CrawlRun.status == "running"))
    return next((row[0] for row in rows if row[0]), None)


def one_round(fault: str, harness: Harness, hook: Hook, daemon: Daemon, rng: random.Random) -> None:
    site = harness.site
    length = rng.uniform(10, 20)
    if fault == "listing_5xx":
        site.fail(r"^/news/page/2/$", rng.choice((500, 503)), times=2)
    elif fault == "article_5xx":
        newest = max(site.ids)
        site.fail(rf"^/a/{rng.randint(max(1, newest - 8), newest)}\.html$", 503, times=2)
    elif fault == "hook_5xx":
        hook.mode = "error"
    elif fault == "hook_timeout":
        hook.mode = "slow"
    elif fault == "hook_down":
        hook.stop()
    if fault == "kill_daemon":
        time.sleep(rng.uniform(0, length / 2))
        daemon.kill()
        time.sleep(rng.uniform(1, 5))
        daemon.start()
        time.sleep(length / 2)
    elif fault == "kill_crawl":  # the crawl process alone (the OOM killer), mid-walk
        site.slow(r"^/news/page/2/$", 600)
        before = site.hits(r"^/news/page/2/$")
        if wait_until(lambda: site.hits(r"^/news/page/2/$") > before, length * 2):
            pid = running_crawl(harness)
            if pid is not None:
                with contextlib.suppress(ProcessLookupError):
                    os.kill(pid, signal.SIGKILL)
        time.sleep(length / 2)
    elif fault == "kill_mid_send":
        hook.held.clear()
        hook.release.clear()
        hook.mode = "hold"
        if hook.held.wait(length * 3):  # a delivery is in flight: the receiver has it
            daemon.kill()
        hook.mode = "ok"
        hook.release.set()
        time.sleep(rng.uniform(1, 3))
        if daemon.process is not None and daemon.process.poll() is not None:
            daemon.start()
    else:
        time.sleep(length)
    site.clear_faults()
    if fault == "hook_down":
        hook.start()
    hook.mode = "ok"


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
    parser.add_argument("--max-pages", type=int, default=10)
    parser.add_argument("--log", type=Path, default=None, help="keep the daemon's log here")
    args = parser.parse_args()
    rng = random.Random(args.seed)
    prefix = "fundwatch-daemon-faults-"
    with tempfile.TemporaryDirectory(prefix=prefix) as folder, NewsSite() as site:
        root = Path(folder)
        url = args.database_url or f"sqlite:///{root / 'fundwatch.db'}"
        if args.postgres:
            from bench.latency import fresh_database

            url = fresh_database(args.postgres, root, "daemonfaults")
        harness = Harness(site, root, url)
        hook = Hook(random.Random(args.seed + 1))
        hook.start()
        retry = {"initial": "1s", "factor": 2, "max_delay": "5s", "jitter": 0}
        channel = {
            "name": "hook",
            "type": "webhook",
            "url": hook.url,
            "secret": "${" + SECRET_VARIABLE + "}",
            "timeout": "2s",
            "deadline": f"{HOOK_DEADLINE:g}s",
            "retry": retry,
        }
        harness.alerts.write_text(yaml.safe_dump({"channels": [channel]}, sort_keys=False))
        harness.write_catalog(site.entry(max_pages=args.max_pages, every="15s", jitter="1s"))
        log_path = args.log or root / "daemon.log"
        with open(log_path, "w") as log:
            daemon = Daemon(harness, log)
            site.publish(12)
            now = ["none"]
            published_in: dict[int, str] = dict.fromkeys(site.ids, "none")
            stop = threading.Event()
            thread = threading.Thread(
                target=publisher, args=(site, stop, rng, now, published_in), daemon=True
            )
            daemon.start()
            thread.start()
            end = time.monotonic() + args.minutes * 60
            rounds: list[str] = []
            while time.monotonic() < end:
                fault = rng.choice(FAULTS)
                now[0] = fault
                began = time.monotonic()
                one_round(fault, harness, hook, daemon, rng)
                rounds.append(fault)
                if daemon.process is not None and daemon.process.poll() is not None:
                    log.flush()
                    tail = log_path.read_text()[-2000:]
                    raise SystemExit(f"the daemon exited by itself:\n{tail}")
                print(
                    f"round {len(rounds)}: {fault:13} {time.monotonic() - began:5.1f} s, "
                    f"load {os.getloadavg()[0]:.1f}",
                    flush=True,
                )
            stop.set()
            thread.join()
            now[0] = "none"
            if daemon.process is None or daemon.process.poll() is not None:
                daemon.start()

            def outbox() -> Counter[str]:
                return Counter(row[0] for row in harness._query(select(AlertOutbox.status)))

            def settled() -> bool:
                statuses = outbox()
                return not harness.missing() and set(statuses) <= {"sent"}

            began = time.monotonic()
            done = wait_until(settled, 240)
            print(f"after the faults: settled={done} in {time.monotonic() - began:.0f} s")
            exit_code = daemon.stop()
        hook.stop()
        time.sleep(2)  # a writer notices its crawl's end within 0.5 s
        orphans = harness.processes_left()

        stored = harness.stored()
        by_id = {f"{site.base}/a/{i}.html": i for i in site.ids}
        per_fault: dict[str, Counter[str]] = defaultdict(Counter)
        for url_, article_id in by_id.items():
            figures = per_fault[published_in.get(article_id, "none")]
            figures["published"] += 1
            figures["stored"] += 1 if stored[url_] else 0
            figures["lost"] += 0 if stored[url_] else 1
            figures["duplicated"] += 1 if stored[url_] > 1 else 0
        print(
            f"\n{len(rounds)} rounds in {args.minutes:g} min on {url.split(':', 1)[0]}; "
            f"daemon killed {daemon.kills} times; its exit at the end: {exit_code}"
        )
        print(f"{'fault':13} {'rounds':>6} {'published':>9} {'stored':>6} {'lost':>4} {'dup':>4}")
        count_rounds = Counter(rounds)
        total: Counter[str] = Counter()
        for fault in FAULTS:
            figures = per_fault.get(fault, Counter())
            total.update(figures)
            print(
                f"{fault:13} {count_rounds[fault]:>6} {figures['published']:>9} "
                f"{figures['stored']:>6} {figures['lost']:>4} {figures['duplicated']:>4}"
            )
        print(
            f"{'total':13} {len(rounds):>6} {total['published']:>9} {total['stored']:>6} "
            f"{total['lost']:>4} {total['duplicated']:>4}"
        )

        events = harness.flagged_events()
        ids_of: dict[int | None, set[str]] = defaultdict(set)
        accepted: Counter[str] = Counter()
        seen: Counter[str] = Counter()
        in_time: Counter[str] = Counter()  # answered 2xx at once: the relay could record it
        for message_id, event_id, status, mode in hook.requests:
            ids_of[event_id].add(message_id)
            seen[message_id] += 1
            if 200 <= status < 300:
                accepted[message_id] += 1
                in_time[message_id] += 1 if mode == "ok" else 0
        received = {e for e in events if ids_of.get(e)}
        twice = sorted(e for e in events if len(ids_of.get(e, ())) > 1)
        never_accepted = sorted(
            e for e in events if not any(accepted[i] for i in ids_of.get(e, ()))
        )
        repeats = sum(n - 1 for n in seen.values() if n > 1)
        accepted_again = sum(n - 1 for n in accepted.values() if n > 1)
        in_time_again = sorted(i for i, n in in_time.items() if n > 1)
        print(
            f"funding rounds {len(events)}: alerts received for {len(received)}, "
            f"lost {len(events - received)}, never answered 2xx {len(never_accepted)}, "
            f"sent under two ids {len(twice)} {twice[:10]}"
        )
        print(
            f"webhook requests {len(hook.requests)}: repeats of an id already received "
            f"{repeats} (of them answered 2xx again: {accepted_again}; the receiver drops "
            f"them by webhook-id); outbox {dict(outbox())}"
        )
        print(
            f"ids answered 2xx in time more than once (only a daemon kill between the answer "
            f"and its record explains one): {len(in_time_again)} {in_time_again[:10]}"
        )
        print(f"processes left behind (crawls, article writers): {len(orphans)} {orphans}")
        bad = total["lost"] + total["duplicated"] + len(events - received) + len(twice)
        bad += len(orphans)
        return 0 if bad == 0 and not never_accepted else 1


if __name__ == "__main__":
    raise SystemExit(main())
