"""A farm of many RSS feeds on one local HTTP server, for capacity benchmarks and worker tests.

`python harness/feed_farm.py --feeds N` prints `PORT <n>` and serves, on 127.0.0.1:

- `/feed/<i>.xml`: feed i (0 <= i < N), 5 entries, with an ETag; a request whose
  If-None-Match matches gets 304 (the steady state of a feed poll);
- `/article/<i>/<k>.html`: entry k of feed i, a small article page;
- `/slowfeed/<i>.xml?delay=S`: feed i, answered after S seconds (a crawl to kill mid-run);
- `/robots.txt`: allows everything;
- `/_change?fraction=F&round=R`: publish one new entry on a fraction F of the feeds (chosen by
  i and R), answers the number of feeds changed;
- `/_publish?feed=I[&funding=1]`: publish one new entry on feed I now (funding=1: a funding
  story), answers the entry's number;
- `/_log`: JSON {"requests": n, "by_status": {...}}; `/_log/clear` resets it.

Everything is generated (no corpus text); the article text is neutral unless funding=1.
"""

from __future__ import annotations

import argparse
import json
import random
import subprocess
import sys
import threading
import time
import urllib.request
import zlib
from datetime import UTC, datetime
from email.utils import format_datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

_OPENER = urllib.request.build_opener(urllib.request.ProxyHandler({}))  # loopback only
ENTRIES_PER_FEED = 5
EPOCH = datetime(2026, 1, 5, 8, 0, tzinfo=UTC)

WORDS = (
    "editor",
    "export",
    "caption",
    "render",
    "timeline",
    "studio",
    "preview",
    "template",
    "upload",
    "archive",
    "library",
    "storage",
    "audio",
    "subtitle",
    "color",
    "grading",
    "camera",
    "lighting",
    "script",
    "storyboard",
    "review",
    "comment",
    "share",
    "format",
    "codec",
    "frame",
    "resolution",
    "mobile",
    "desktop",
    "browser",
    "plugin",
    "workflow",
    "team",
    "brand",
    "asset",
    "folder",
    "search",
    "filter",
    "project",
    "client",
    "schedule",
    "deadline",
    "budget",
    "license",
    "music",
    "voice",
)
FUNDING = (
    "Frameloop{i}{k}, a startup that turns scripts into short videos with generative AI, "
    "said on Monday it has raised $12 million in a Series A round led by Northbeam Ventures. "
    "The company will use the money to hire engineers and expand its video model."
)


class Farm:
    def __init__(self, feeds: int) -> None:
        self.feeds = feeds
        self.versions = [ENTRIES_PER_FEED] * feeds  # entries 1..version exist
        self.funding: set[tuple[int, int]] = set()
        self.published_at: dict[tuple[int, int], float] = {}
        self.lock = threading.Lock()
        self.requests = 0
        self.by_status: dict[str, int] = {}

    def change(self, fraction: float, round_number: int) -> int:
        changed = 0
        with self.lock:
            for i in range(self.feeds):
                pick = zlib.crc32(f"{i}:{round_number}".encode()) / 2**32
                if pick < fraction:
                    self.versions[i] += 1
                    self.published_at[(i, self.versions[i])] = time.time()
                    changed += 1
        return changed

    def publish(self, feed: int, funding: bool) -> int:
        with self.lock:
            self.versions[feed] += 1
            k = self.versions[feed]
            self.published_at[(feed, k)] = time.time()
            if funding:
                self.funding.add((feed, k))
        return k

    def feed_xml(self, i: int, base: str) -> tuple[str, bytes]:
        version = self.versions[i]
        items = []
        for k in range(version, max(0, version - ENTRIES_PER_FEED), -1):
            when = format_datetime(EPOCH.replace(day=5 + k % 20, minute=k % 60))
            items.append(
                f"<item><title>Update {k} from feed {i}</title>"
                f"<link>{base}/article/{i}/{k}.html</link>"
                f"<guid>{base}/article/{i}/{k}.html</guid>"
                f"<pubDate>{when}</pubDate>"
                f"<description>Release notes {k} of product {i}.</description></item>"
            )
        body = (
            '<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel>'
            f"<title>Farm feed {i}</title><link>{base}/</link>"
            f"<description>Feed {i}</description>{''.join(items)}</channel></rss>"
        )
        return f'"{i}-{version}"', body.encode()

    def article_html(self, i: int, k: int) -> bytes:
        funding = (i, k) in self.funding
        title = f"Frameloop{i}{k} raises $12 million" if funding else f"Product {i} release {k}"
        if funding:
            paragraphs = f"<p>{FUNDING.format(i=i, k=k)}</p>"
        else:  # distinct words per article, so that no two are near-duplicates
            pick = random.Random(f"{i}/{k}")
            paragraphs = "".join(
                "<p>" + " ".join(pick.choice(WORDS) for _ in range(40)) + ".</p>" for _ in range(3)
            )
        return (
            f"<!doctype html><html lang=en><head><meta charset=utf-8><title>{title}</title>"
            f'<meta property="article:published_time" content="{EPOCH.isoformat()}"></head>'
            f"<body><article><h1>{title}</h1>{paragraphs}</article></body></html>"
        ).encode()


class FarmHandler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server: FarmServer

    def log_message(self, format: str, *args: object) -> None:
        pass

    def _send(self, status: int, body: bytes, content_type: str, **headers: str) -> None:
        farm = self.server.farm
        with farm.lock:
            farm.requests += 1
            farm.by_status[str(status)] = farm.by_status.get(str(status), 0) + 1
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        for name, value in headers.items():
            self.send_header(name.replace("_", "-"), value)
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)

    def do_GET(self) -> None:
        parts = urlsplit(self.path)
        query = {key: values[0] for key, values in parse_qs(parts.query).items()}
        path = parts.path
        farm = self.server.farm
        base = f"http://127.0.0.1:{self.server.server_address[1]}"
        if path == "/robots.txt":
            self._send(200, b"User-agent: *\nAllow: /\n", "text/plain")
        elif path.startswith(("/feed/", "/slowfeed/")) and path.endswith(".xml"):
            if path.startswith("/slowfeed/"):  # answers after ?delay= seconds
                time.sleep(float(query.get("delay", "5")))
            i = int(path.rsplit("/", 1)[1][: -len(".xml")])
            if not 0 <= i < farm.feeds:
                self._send(404, b"no such feed", "text/plain")
                return
            with farm.lock:
                etag, body = farm.feed_xml(i, base)
            if self.headers.get("If-None-Match") == etag:
                self._send(304, b"", "application/rss+xml", ETag=etag)
            else:
                self._send(200, body, "application/rss+xml; charset=utf-8", ETag=etag)
        elif path.startswith("/article/"):
            i_text, k_text = path[len("/article/") : -len(".html")].split("/")
            self._send(200, farm.article_html(int(i_text), int(k_text)), "text/html; charset=utf-8")
        elif path == "/_change":
            count = farm.change(float(query.get("fraction", "0")), int(query.get("round", "0")))
            self._send(200, str(count).encode(), "text/plain")
        elif path == "/_publish":
            k = farm.publish(int(query["feed"]), query.get("funding") == "1")
            self._send(200, str(k).encode(), "text/plain")
        elif path == "/_published":
            with farm.lock:
                times = {f"{i}/{k}": at for (i, k), at in farm.published_at.items()}
            self._send(200, json.dumps(times).encode(), "application/json")
        elif path == "/_log":
            with farm.lock:
                data = {"requests": farm.requests, "by_status": dict(farm.by_status)}
            self._send(200, json.dumps(data).encode(), "application/json")
        elif path == "/_log/clear":
            with farm.lock:
                farm.requests, farm.by_status = 0, {}
            self._send(200, b"ok", "text/plain")
        else:
            self._send(404, b"not found", "text/plain")


class FarmServer(ThreadingHTTPServer):
    daemon_threads = True
    request_queue_size = 256

    def handle_error(self, request: object, client_address: object) -> None:
        pass  # a client that hangs up (a killed crawl) is not the server's problem

    def __init__(self, feeds: int, port: int = 0) -> None:
        super().__init__(("127.0.0.1", port), FarmHandler)
        self.farm = Farm(feeds)


class RunningFarm:
    """`with RunningFarm(feeds=200) as farm:` — the farm in a subprocess (its CPU is not ours)."""

    def __init__(self, feeds: int) -> None:
        self.feeds = feeds
        self.process: subprocess.Popen[str] | None = None
        self.port = 0

    def __enter__(self) -> RunningFarm:
        self.process = subprocess.Popen(
            [sys.executable, str(Path(__file__).resolve()), "--feeds", str(self.feeds)],
            stdout=subprocess.PIPE,
            text=True,
        )
        assert self.process.stdout is not None
        line = self.process.stdout.readline()
        if not line.startswith("PORT "):
            self.process.kill()
            raise RuntimeError(f"feed farm did not start: {line!r}")
        self.port = int(line.split()[1])
        return self

    def __exit__(self, *_exc: object) -> None:
        if self.process is not None:
            self.process.terminate()
            self.process.wait(timeout=10)

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def feed_url(self, i: int) -> str:
        return f"{self.base}/feed/{i}.xml"

    def get(self, path: str) -> bytes:
        with _OPENER.open(f"{self.base}{path}", timeout=10) as response:
            return response.read()

    def change(self, fraction: float, round_number: int) -> int:
        return int(self.get(f"/_change?fraction={fraction}&round={round_number}"))

    def publish(self, feed: int, *, funding: bool = False) -> int:
        return int(self.get(f"/_publish?feed={feed}&funding={int(funding)}"))

    def published(self) -> dict[str, float]:
        return json.loads(self.get("/_published"))

    def log(self) -> dict[str, object]:
        return json.loads(self.get("/_log"))

    def clear_log(self) -> None:
        self.get("/_log/clear")


def catalog_entries(base: str, feeds: int, *, every: str = "15m") -> list[dict[str, object]]:
    """Catalog entries for the farm's feeds, named farm_0 ... farm_<feeds-1>."""
    return [
        {
            "name": f"farm_{i}",
            "kind": "feed",
            "url": f"{base}/feed/{i}.xml",
            "language": "en",
            "timezone": "UTC",
            "every": every,
        }
        for i in range(feeds)
    ]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--feeds", type=int, default=200)
    parser.add_argument("--port", type=int, default=0)
    args = parser.parse_args()
    server = FarmServer(args.feeds, args.port)
    print(f"PORT {server.server_address[1]}", flush=True)
    server.serve_forever()


if __name__ == "__main__":
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
    main()
