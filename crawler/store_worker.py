"""The article writer that StorePipeline runs in a child process (or a thread).

Storing an article (fingerprints, dedup lookups, event joining, one transaction) is CPU work in
Python; in a child process it runs on another core while the crawl process keeps fetching and
extracting. Articles (fundwatch.records.Article, a frozen dataclass without slots: it pickles
through its __dict__, about as fast as the mutable record it replaced) arrive in order, in small
batches (one call per batch: less pickling and fewer wake-ups in the crawl process).

A batch is stored in one transaction (storage.ingest_batch: the same results as one transaction
per article, in order, for a fraction of the cost: BEGIN, the frontier DELETE and COMMIT once per
batch). An article that cannot be prepared (a bad URL) is reported before any SQL; if the batch's
transaction fails, it is rolled back and its articles are stored again one transaction each, so
a failing article is reported and does not affect the others. Either way an article leaves the
crawl frontier in the transaction that stores it: a crash loses nothing (the batch stays
pending) and leaves nothing pending once stored.
"""

from __future__ import annotations

import atexit
import logging
import os
import sys
import threading
import time
from collections.abc import Sequence
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING

from sqlalchemy.orm import Session, sessionmaker

from fundwatch.configuration import Settings
from fundwatch.crawler.verdict import Verdict, judge
from fundwatch.storage import create_db_engine, session_factory
from fundwatch.storage.canonical import url_key
from fundwatch.storage.frontier import forget, stored_as
from fundwatch.storage.ingest import IngestResult, Prepared, ingest_batch, prepare

if TYPE_CHECKING:
    from fundwatch.configuration.subscriptions import Route
    from fundwatch.detection import Detector
    from fundwatch.records import Article

log = logging.getLogger(__name__)

PARENT_POLL_SECONDS = 0.5  # how often a writer process checks that its crawl is still there
_STORING = threading.Lock()  # held while an article's transaction is open
_SESSIONS: sessionmaker[Session] | None = None
_CHANNELS: Sequence[Route] = ()
_SETTINGS: Settings | None = None
_DETECTOR: Detector | None = None


@dataclass(frozen=True)
class Stored:
    """What the writer reports for one article: the ingest result, and the verdict when the
    writer ran detection."""

    result: IngestResult
    verdict: Verdict


def load_alert_channels(settings: Settings) -> Sequence[Route]:
    """The configured alert channels (the outbox gets one row per channel for a new event)."""
    from fundwatch.configuration.alerts import load_channels

    return tuple(load_channels(settings))


def init_worker(
    settings: Settings,
    detect: bool = False,
    check_schema: bool = True,
    parent_pid: int | None = None,
) -> None:
    """Open the database; with detect=True also load the detector now (while the crawl process
    starts fetching) rather than on the first article. check_schema=False: the crawl process
    has checked (and migrated) the schema already, so the writer does not import Alembic.
    parent_pid: this is a writer process of that crawl process, and exits when it is gone."""
    global _SESSIONS, _CHANNELS, _SETTINGS, _DETECTOR
    if parent_pid is not None:
        threading.Thread(
            target=_exit_with_parent, args=(parent_pid,), name="fundwatch-parent", daemon=True
        ).start()
    if _SESSIONS is not None and settings == _SETTINGS:
        return  # a writer thread of another crawl in this process (a worker) opened it
    _SETTINGS = settings
    _DETECTOR = None  # loaded from these settings' vocabulary when first needed
    if check_schema:  # here, not at the top: the writer process does not import the catalog
        from fundwatch.crawler.resources import schema_check_wanted

        check_schema = schema_check_wanted()
    _SESSIONS = session_factory(create_db_engine(settings.database_url, migrate=check_schema))
    _CHANNELS = load_alert_channels(settings)
    if detect:
        _detector()


def _exit_with_parent(parent_pid: int) -> None:
    """A writer process whose crawl died by SIGKILL (a kill of that process alone, the OOM
    killer) would wait for work forever: its queue's write end lives in the writer too, so it
    never sees EOF. Once the crawl is gone (this process was re-parented), the article being
    stored is committed or rolled back, and the writer exits. Nothing is lost: whatever the
    crawl had not seen stored stays pending in the frontier (storing an article and leaving
    the frontier are one transaction)."""
    while os.getppid() == parent_pid:
        time.sleep(PARENT_POLL_SECONDS)
    with _STORING:  # no article is half-way through its transaction now, nor starts one
        log.warning("crawl process %d is gone: its article writer exits", parent_pid)
        if _SESSIONS is not None:
            bind = _SESSIONS.kw.get("bind")
            if bind is not None:
                bind.dispose()  # close the database connections rather than drop them
        os._exit(0)


def init_writer_process(settings: Settings, parent_pid: int) -> None:
    """The initializer of the writer's child process: open the database without checking the
    schema (the crawl process did), load the detector now (while the crawl starts), and let
    the process end without the interpreter's teardown of its modules (~0.15 s of CPU): when
    the crawl shuts the writer down, every batch has been answered and committed."""
    init_worker(settings, detect=True, check_schema=False, parent_pid=parent_pid)
    atexit.register(_exit_now)


def _exit_now() -> None:
    """Registered last, so run first at exit: close the database (SQLite moves its log into
    the database file), flush the logs, and end the process."""
    if _SESSIONS is not None:
        _SESSIONS.kw["bind"].dispose()
    logging.shutdown()
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(0)


def ready() -> bool:
    """Answered once init_worker() succeeded (StorePipeline waits for it before fetching)."""
    assert _SESSIONS is not None, "init_worker() was not called"
    return True


def store(article: Article, frontier_key: str | None = None) -> IngestResult:
    """Store one article; in the same transaction it leaves the crawl frontier (under the URL
    it was stored under; the URL that was requested, when another, stays known as `stored_as`),
    so a crash can neither lose it nor leave it pending after it was stored."""
    (result,) = _store_together([prepare(article)], [frontier_key])
    return result


def _store_together(
    batch: Sequence[Prepared], frontier_keys: Sequence[str | None]
) -> list[IngestResult]:
    """Store prepared articles in one transaction, which also takes them out of the frontier
    (a URL fetched under another than the one stored stays known as `stored_as`)."""
    assert _SESSIONS is not None, "init_worker() was not called"
    stored_keys: set[str] = set()
    fetched_as: list[tuple[str, str]] = []
    for prepared, frontier_key in zip(batch, frontier_keys, strict=True):
        stored_key = url_key(prepared.article.url)
        stored_keys.update((prepared.values["url_key"], stored_key))
        if frontier_key and frontier_key != stored_key:
            fetched_as.append((frontier_key, prepared.article.url))
    with _STORING, _SESSIONS.begin() as session:
        results = ingest_batch(session, batch, alert_channels=_CHANNELS)
        forget(session, stored_keys)
        for frontier_key, url in fetched_as:
            stored_as(session, frontier_key, url)
        return results


def _detector() -> Detector:
    global _DETECTOR
    if _DETECTOR is None:
        assert _SETTINGS is not None, "init_worker() was not called"
        from fundwatch.detection import load_detector

        _DETECTOR = load_detector(_SETTINGS.detection_vocab)
    return _DETECTOR


def store_batch(
    articles: Sequence[Article],
    *,
    frontier_keys: Sequence[str | None] | None = None,
) -> list[Stored | str]:
    """Detect (language and funding verdict, see crawler.verdict) and store the articles, in
    order, in one transaction; an article that fails gives its error message (exceptions from
    the database driver may not survive pickling) and the others are stored."""
    keys = list(frontier_keys or [None] * len(articles))
    results: dict[int, Stored | str] = {}
    ready: list[tuple[int, Prepared, Verdict, str | None]] = []
    for index, (article, key) in enumerate(zip(articles, keys, strict=True)):
        try:
            verdict = judge(_detector(), article.title, article.body, article.language)
            judged = replace(article, language=verdict.language, detection=verdict.detection)
            ready.append((index, prepare(judged), verdict, key))
        except Exception as exc:
            results[index] = _error(exc)
    groups = [ready] if ready else []
    while groups:
        group = groups.pop(0)
        try:
            stored = _store_together([p for _, p, _, _ in group], [k for _, _, _, k in group])
        except Exception as exc:
            if len(group) == 1:
                results[group[0][0]] = _error(exc)
            else:  # the failing article is among them: each in a transaction of its own
                log.info("storing %d articles together failed (%s); one at a time", len(group), exc)
                groups[:0] = [[one] for one in group]
            continue
        for (index, _, verdict, _), result in zip(group, stored, strict=True):
            results[index] = Stored(result, verdict)
    return [results[index] for index in range(len(articles))]


def _error(exc: Exception) -> str:
    return f"{type(exc).__name__}: {exc}"
