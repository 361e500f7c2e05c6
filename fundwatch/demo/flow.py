"""`fundwatch demo`, step by step: serve the demo site, feed and webhook receiver on
127.0.0.1, crawl them with the real spiders in a child process (`fundwatch crawl --all`),
deliver the alerts with the real relay, and show the funding events that came out."""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TextIO

from fundwatch.configuration.alerts import load_channels_file
from fundwatch.demo.catalog import (
    CHANNEL_NAME,
    DEMO_SOURCES,
    SECRET_VARIABLE,
    new_webhook_secret,
    write_alert_channels,
    write_demo_seeds,
)
from fundwatch.demo.content import load_content
from fundwatch.demo.progress import Progress
from fundwatch.demo.receiver import WebhookReceiver
from fundwatch.demo.report import (
    EVENT_HEADERS,
    Counts,
    EventRow,
    counts,
    demo_events,
    earlier_demo_port,
    event_table_rows,
)
from fundwatch.demo.site import DemoSite
from fundwatch.tables import render_table

CRAWL_TIMEOUT_SECONDS = 300.0
ALERT_WAIT_SECONDS = 60.0


@dataclass
class DemoOptions:
    database_url: str
    keep_serving: bool = False
    port: int = 0
    crawl_timeout: float = CRAWL_TIMEOUT_SECONDS
    verbose: bool = False
    web_port: int = 0


@dataclass
class DemoResult:
    events: list[EventRow] = field(default_factory=list)
    counts: Counts | None = None
    alerts_received: int = 0
    crawl_exit: int | None = None


def _crawl_env(seeds: Path, alerts: Path, database_url: str, secret: str) -> dict[str, str]:
    env = dict(os.environ)
    env.update(
        {
            "FUNDWATCH_SEEDS": str(seeds),
            "FUNDWATCH_ALERTS": str(alerts),
            "FUNDWATCH_DATABASE_URL": database_url,
            SECRET_VARIABLE: secret,
            "PYTHONUNBUFFERED": "1",
        }
    )
    return env


def _describe(c: Counts, served: int) -> str:
    return (
        f"{served} pages served, {c.articles} articles stored, {c.flagged} flagged, "
        f"{c.duplicates} duplicates, {c.events} funding events, "
        f"{c.alerts_sent}/{c.alerts_sent + c.alerts_pending} alerts sent"
    )


def _watch(
    process: subprocess.Popen[str],
    timeout: float,
    tick: Callable[[], None],
) -> int | None:
    """Wait for `process`, calling `tick` every half second; None when it timed out."""
    deadline = time.monotonic() + timeout
    while True:
        try:
            return process.wait(timeout=0.5)
        except subprocess.TimeoutExpired:
            if time.monotonic() > deadline:
                process.kill()
                process.wait()
                return None
            tick()


def run_demo(options: DemoOptions, out: TextIO | None = None) -> tuple[int, DemoResult]:
    """Run the whole demo; returns (exit code, what it found)."""
    from fundwatch.alerts.relay import Relay
    from fundwatch.storage import create_db_engine, session_factory

    out = out or sys.stdout
    progress = Progress(out)
    result = DemoResult()
    content = load_content()

    progress.step("preparing the database")
    engine = create_db_engine(options.database_url)
    sessions = session_factory(engine)
    with sessions() as session:
        before = counts(session, DEMO_SOURCES, CHANNEL_NAME)
        earlier_port = earlier_demo_port(session, DEMO_SOURCES)
    progress.done(engine.url.render_as_string(hide_password=True))

    port = options.port or earlier_port or 0
    try:
        demo_site = DemoSite(content, port=port)
    except OSError as exc:
        if options.port:
            advice = "choose another --port, or leave --port out for a free one"
        else:
            advice = (
                "an earlier demo run on this database used that port, and serving elsewhere "
                "would store every article again under new addresses: free the port, or use "
                "--database-url sqlite:///another.db for a fresh run"
            )
        print(
            f"fundwatch demo: cannot serve the demo site on 127.0.0.1:{port} ({exc.strerror}): "
            f"{advice}",
            file=sys.stderr,
        )
        engine.dispose()
        return 2, result
    secret = new_webhook_secret()
    with (
        tempfile.TemporaryDirectory(prefix="fundwatch-demo-") as workdir,
        demo_site as site,
        WebhookReceiver(secret) as receiver,
    ):
        progress.step("serving the demo site, feed and webhook receiver on 127.0.0.1")
        seeds = write_demo_seeds(Path(workdir) / "seeds", content, site.base_url)
        alerts_file = write_alert_channels(Path(workdir) / "alerts.yaml", receiver.url)
        env = _crawl_env(seeds, alerts_file, options.database_url, secret)
        channels = load_channels_file(alerts_file, environ=env)
        site_articles = sum(1 for a in content.articles if a.outlet == "site")
        progress.done(
            f"site {site.base_url}/ ({site_articles} articles), feed {site.base_url}/wire/feed.xml "
            f"({len(content.feed_articles)} entries), receiver {receiver.url}"
        )

        relay = Relay(sessions, channels)
        stop_relay = threading.Event()
        relay_thread = threading.Thread(
            target=relay.run_forever, args=(stop_relay, 0.2), name="demo-relay", daemon=True
        )
        relay_thread.start()

        def status() -> Counts:
            with sessions() as session:
                return counts(session, DEMO_SOURCES, CHANNEL_NAME)

        try:
            progress.step("crawling with the real spiders: fundwatch crawl --all")
            command = [sys.executable, "-m", "fundwatch"]
            command += ["-v"] if options.verbose else []
            command += ["crawl", "--all"]
            process = subprocess.Popen(
                command,
                env=env,
                stdout=subprocess.PIPE,
                stderr=None if options.verbose else subprocess.PIPE,
                text=True,
            )
            output: list[str] = []
            drain = threading.Thread(
                target=lambda: output.extend(process.stdout or []), daemon=True
            )
            drain.start()
            errors: list[str] = []
            if process.stderr is not None:
                threading.Thread(
                    target=lambda: errors.extend(process.stderr or []), daemon=True
                ).start()
            result.crawl_exit = _watch(
                process,
                options.crawl_timeout,
                lambda: progress.update(_describe(status(), site.served)),
            )
            drain.join(timeout=5)
            progress.done(_describe(status(), site.served))
            for line in output:
                out.write(f"         | {line}")
            if result.crawl_exit != 0:
                why = (
                    f"timed out after {options.crawl_timeout:.0f} s"
                    if result.crawl_exit is None
                    else f"exited with status {result.crawl_exit}"
                )
                out.write(f"fundwatch demo: the crawl {why}\n")
                out.writelines(f"         ! {line}" for line in errors[-20:])
                return 1, result

            progress.step("delivering alerts through the relay to the webhook receiver")
            relay.wake()
            deadline = time.monotonic() + ALERT_WAIT_SECONDS
            current = status()
            while current.alerts_pending and time.monotonic() < deadline:
                progress.update(f"{receiver.count} received, {current.alerts_pending} pending")
                relay.wake()
                time.sleep(0.2)
                current = status()
            progress.done(
                f"{receiver.count} alerts received (signatures verified), "
                f"{current.alerts_pending} still pending"
            )
        finally:
            stop_relay.set()
            relay.wake()
            relay_thread.join(timeout=15)

        with sessions() as session:
            result.events = demo_events(session, DEMO_SOURCES)
            result.counts = counts(session, DEMO_SOURCES, CHANNEL_NAME)
        result.alerts_received = receiver.count

        _print_summary(out, result, before, receiver, options)
        if options.keep_serving:
            from fundwatch.demo.dashboard import demo_dashboard

            with demo_dashboard(
                options.database_url, seeds, alerts_file, env, options.web_port
            ) as web:
                out.write(
                    f"\nDashboard: {web.url}/  (funding events, stories, sources, alerts)\n"
                    f"serving until Ctrl-C: site {site.base_url}/  feed "
                    f"{site.base_url}/wire/feed.xml  receiver {receiver.url}\n"
                    f"catalog {seeds}, alert channels {alerts_file}. To use them from another "
                    "shell while this runs:\n"
                    f"  export FUNDWATCH_DATABASE_URL={options.database_url} "
                    f"FUNDWATCH_SEEDS={seeds} FUNDWATCH_ALERTS={alerts_file} "
                    f"{SECRET_VARIABLE}={secret}\n"
                    "  fundwatch sources; fundwatch crawl --all; fundwatch events\n"
                )
                out.flush()
                try:
                    while True:
                        time.sleep(3600)
                except KeyboardInterrupt:
                    out.write("\n")
    engine.dispose()
    pending = result.counts.alerts_pending if result.counts else 0
    return (0 if result.events and not pending else 1), result


def _print_summary(
    out: TextIO,
    result: DemoResult,
    before: Counts,
    receiver: WebhookReceiver,
    options: DemoOptions,
) -> None:
    out.write(f"\nFunding events found ({len(result.events)}):\n\n")
    out.write(render_table(EVENT_HEADERS, event_table_rows(result.events), max_width=48) + "\n\n")
    after = result.counts
    assert after is not None
    out.write(
        f"{after.articles} articles stored from the demo site and feed, {after.flagged} flagged "
        f"as AI-video funding, {after.duplicates} duplicates; {len(result.events)} events, "
        "one per funding round.\n"
    )
    out.write(
        f"The webhook receiver got {receiver.count} alerts (one per event; "
        f"{len(receiver.rejected)} rejected, {receiver.duplicates} duplicate deliveries).\n"
    )
    if before.events:
        out.write(
            f"Note: this database already held {before.events} demo events from an earlier run; "
            "their alerts were delivered then, and a funding round is alerted on only once. "
            "Use --database-url sqlite:///another.db for a fresh run.\n"
        )
    out.write(
        "\nNext: `fundwatch events`, `fundwatch stories --flagged`, `fundwatch alerts` "
        f"(with FUNDWATCH_DATABASE_URL={options.database_url}).\n"
    )
