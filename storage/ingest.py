"""Storing one crawled article: the single entry point the crawler pipeline calls.

`ingest_article` runs in the caller's transaction and
1. skips a URL stored already (canonical URL key);
2. fingerprints the text and points an exact or near copy at the first article of its story
   (`duplicate_of`), see storage/dedup.py; a near copy whose facts (company, round, amount)
   contradict every near original's is no copy: formulaic briefs of two rounds look alike;
3. attaches a flagged funding story, or a copy of one, to its funding event and writes the alert
   outbox rows in the same transaction, see storage/events.py; a copy joins its original's
   event only when its facts agree with the event's (storage/event_rules.py).

Concurrency: on SQLite the engine begins every transaction with BEGIN IMMEDIATE, so writers are
serialized. On PostgreSQL the transaction first takes transaction-scoped advisory locks on the URL
key, the content hash, each LSH band and the company key, in sorted order (no deadlock): two
processes storing the same story, or copies of it, or two articles about the same company, take
turns, and the second sees the first's committed rows (READ COMMITTED).

`ingest_batch` stores several articles in the caller's one transaction (the crawl's writer,
crawler/store_worker.py): it takes the locks of all of them at once, sorted, before the first
write, so two batches never wait for each other in a cycle; the articles are then stored in
order, each seeing the ones before it, exactly as one transaction per article would.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Literal

from sqlalchemy import bindparam, select, text, update
from sqlalchemy.orm import Session

from fundwatch.storage.articles import article_values, insert_values
from fundwatch.storage.dedup import DedupSettings, DuplicateMatch, exact_original, find_duplicates
from fundwatch.storage.event_rules import STORED_FACTS, EventSettings, Facts, articles_disagree
from fundwatch.storage.events import record_article_event
from fundwatch.storage.fingerprints import Fingerprint, fingerprint
from fundwatch.storage.models import Article as ArticleRow
from fundwatch.storage.outbox import AlertChannelSpec
from fundwatch.storage.pinyin_keys import han_romanised, latin_stems
from fundwatch.storage.timeutil import as_utc

if TYPE_CHECKING:
    from fundwatch.records import Article

IngestStatus = Literal["new", "seen_url", "exact_duplicate", "near_duplicate"]


@dataclass(frozen=True)
class IngestResult:
    article_id: int | None
    status: IngestStatus
    duplicate_of: int | None = None
    event_id: int | None = None
    event_created: bool = False
    event_changed: bool = False
    distance: int | None = None  # SimHash bits to the original, for a near duplicate
    # why a text this close to an earlier story is stored as its own (its facts differ), or why
    # a copy did not join its original's event
    not_a_copy: str | None = None


def _lock_key(kind: str, value: str) -> int:
    digest = hashlib.blake2b(f"fundwatch:{kind}:{value}".encode(), digest_size=8).digest()
    return int.from_bytes(digest, "big", signed=True)


def lock_keys(url_key: str, print_: Fingerprint, company_key: str | None) -> list[int]:
    """Advisory-lock keys of everything two concurrent ingests could race on."""
    keys = {_lock_key("url", url_key)}
    if print_.content_hash is not None:
        keys.add(_lock_key("hash", print_.content_hash))
    if print_.sketch is not None:
        keys.update(_lock_key(f"band{i}", str(b)) for i, b in enumerate(print_.sketch.bands))
    if company_key:
        keys.add(_lock_key("company", company_key))
        # a key in the other script can join the same event (storage/pinyin_keys.py): both
        # writers take the lock of the romanised name they share
        spelled = han_romanised(company_key) or latin_stems(company_key)
        keys.update(_lock_key("company-latin", form) for form in spelled)
    return sorted(keys)


# unnest() yields the array's elements in order, so the locks are taken in the given order
_TAKE_LOCKS = text(
    "SELECT count(pg_advisory_xact_lock(key)) FROM unnest(CAST(:keys AS BIGINT[])) AS key"
)


def take_locks(session: Session, keys: Iterable[int]) -> None:
    """PostgreSQL: transaction-scoped advisory locks, in the given (sorted) order, in one
    round trip."""
    if session.get_bind().dialect.name != "postgresql":
        return  # SQLite: BEGIN IMMEDIATE already serializes writers
    keys = list(keys)
    if keys:
        session.connection().execute(_TAKE_LOCKS, {"keys": keys})


# One round trip for "is this URL stored?" and "which article has this exact text?"
_SEEN_AND_EXACT = select(
    select(ArticleRow.id).where(ArticleRow.url_key == bindparam("url_key")).scalar_subquery(),
    exact_original(),
)


@dataclass(frozen=True)
class Prepared:
    """An article ready to be stored: its column values, fingerprint and, for a flagged funding
    story, its facts. Preparing touches no database (a bad URL fails here, before any SQL)."""

    article: Article
    values: dict[str, Any]
    print_: Fingerprint
    facts: Facts | None

    def lock_keys(self) -> list[int]:
        company_key = self.facts.company_key if self.facts else None
        return lock_keys(self.values["url_key"], self.print_, company_key)


def prepare(article: Article) -> Prepared:
    values = article_values(article)
    print_ = fingerprint(values["title"], values["body"])
    flagged = bool(values.get("flag"))
    facts = Facts.from_values(values, article.detection) if flagged else None
    return Prepared(article, values, print_, facts)


def ingest_article(
    session: Session,
    article: Article,
    *,
    alert_channels: Sequence[AlertChannelSpec] = (),
    dedup: DedupSettings | None = None,
    events: EventSettings | None = None,
) -> IngestResult:
    """Store `article` in the caller's transaction; never stores the same URL twice."""
    prepared = prepare(article)
    take_locks(session, prepared.lock_keys())
    return _ingest(session, prepared, alert_channels, dedup, events)


def ingest_batch(
    session: Session,
    batch: Sequence[Prepared],
    *,
    alert_channels: Sequence[AlertChannelSpec] = (),
    dedup: DedupSettings | None = None,
    events: EventSettings | None = None,
) -> list[IngestResult]:
    """Store prepared articles, in order, in the caller's one transaction (the same results as
    one `ingest_article` transaction each, in that order): the locks of all of them are taken
    first, in one sorted set. An error leaves the transaction to be rolled back whole."""
    take_locks(session, sorted({key for prepared in batch for key in prepared.lock_keys()}))
    return [_ingest(session, prepared, alert_channels, dedup, events) for prepared in batch]


def _ingest(
    session: Session,
    prepared: Prepared,
    alert_channels: Sequence[AlertChannelSpec],
    dedup: DedupSettings | None,
    events: EventSettings | None,
) -> IngestResult:
    """Store one prepared article; the caller holds its locks."""
    article, values, print_, facts = (
        prepared.article,
        prepared.values,
        prepared.print_,
        prepared.facts,
    )
    seen, exact = (
        session.connection()  # Core execution: the ORM adds nothing to these lookups
        .execute(
            _SEEN_AND_EXACT,
            {"url_key": values["url_key"], "content_hash": print_.content_hash},
        )
        .one()
    )
    if seen is not None:
        return IngestResult(article_id=None, status="seen_url")

    matches = find_duplicates(session, print_, dedup, exact=exact)
    said = facts or Facts.from_values(values, article.detection)
    match, not_a_copy = _agreeing_original(session, matches, said, events or EventSettings())
    extra = print_.columns()
    if match is not None:
        extra["duplicate_of"] = match.original_id
    article_id = insert_values(session, values | extra)
    if article_id is None:  # raced in despite the lock (cannot happen on either database)
        return IngestResult(article_id=None, status="seen_url")

    join_event_id = None
    if match is not None:
        join_event_id = session.scalar(
            select(ArticleRow.event_id).where(ArticleRow.id == match.original_id)
        )
    outcome = None
    if facts is not None or join_event_id is not None:
        outcome = record_article_event(
            session,
            facts,
            source=values["source"],
            seen_at=as_utc(values["published_at"]) or as_utc(values["fetched_at"]),
            published_at=values["published_at"],
            join_event_id=join_event_id,
            copy_facts=said,
            settings=events,
            alert_channels=alert_channels,
        )
    if outcome is not None:
        session.execute(
            update(ArticleRow).where(ArticleRow.id == article_id).values(event_id=outcome.event.id)
        )
    if outcome is not None and outcome.refused_join is not None:
        not_a_copy = f"does not join the event of article {match and match.original_id}: " + (
            outcome.refused_join
        )
    status: IngestStatus = "new"
    if match is not None:
        status = "exact_duplicate" if match.kind == "exact" else "near_duplicate"
    return IngestResult(
        article_id=article_id,
        status=status,
        duplicate_of=match.original_id if match else None,
        event_id=outcome.event.id if outcome else None,
        event_created=outcome.created if outcome else False,
        event_changed=outcome.changed if outcome else False,
        distance=match.distance if match else None,
        not_a_copy=not_a_copy,
    )


ORIGINALS_CHECKED = 30
_FACT_COLUMNS = (ArticleRow.id, *(getattr(ArticleRow, name) for name in STORED_FACTS))


def _agreeing_original(
    session: Session, matches: list[DuplicateMatch], said: Facts, settings: EventSettings
) -> tuple[DuplicateMatch | None, str | None]:
    """The closest original whose facts agree with the article's, and, when a near original was
    passed over, why. An exact copy is the same text: always a copy. Formulaic briefs can be
    near hundreds of stored ones: only the closest `ORIGINALS_CHECKED` are compared (one query),
    and the article is no copy when none of them agrees."""
    if not matches or matches[0].kind == "exact":
        return (matches[0] if matches else None), None
    checked = matches[:ORIGINALS_CHECKED]
    rows = session.connection().execute(_ORIGINAL_FACTS, {"ids": [m.original_id for m in checked]})
    originals = {row.id: row._mapping for row in rows}
    reasons = []
    for match in checked:
        original = Facts.from_values(originals[match.original_id])
        reason = articles_disagree(original, said, settings)
        if reason is None:
            return match, None
        reasons.append(f"article {match.original_id} ({match.distance} bits): {reason}")
    shown = "; ".join(reasons[:3])
    if len(matches) > len(reasons[:3]):
        shown += f"; and {len(matches) - len(reasons[:3])} more near stories"
    return None, f"near copy by text, but its facts differ from {shown}"


_ORIGINAL_FACTS = select(*_FACT_COLUMNS).where(ArticleRow.id.in_(bindparam("ids", expanding=True)))
